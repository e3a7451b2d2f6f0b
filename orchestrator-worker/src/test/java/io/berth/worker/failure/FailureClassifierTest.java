package io.berth.worker.failure;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.worker.docker.DockerCallException;
import io.berth.worker.docker.DockerUnavailableException;
import io.berth.worker.docker.NetworkConflictException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {
  private final FailureClassifier classifier = new FailureClassifier();

  @Test
  void unreachableDockerAndServerErrorsAreTransient() {
    assertThat(classifier.classify(new DockerUnavailableException("ping", new IOException("refused"))).isTransient()).isTrue();
    assertThat(classifier.classify(new DockerCallException("start", 500, "internal", null)).isTransient()).isTrue();
    assertThat(classifier.classify(new CompletionException(new DockerUnavailableException("x", new IOException()))).code())
        .isEqualTo(FailureCodes.DOCKER_UNAVAILABLE);
  }

  @Test
  void brokerTroubleIsTransient() {
    com.rabbitmq.client.ShutdownSignalException channelClosed = new com.rabbitmq.client.ShutdownSignalException(
        false, false, null, "channel");
    assertThat(classifier.classify(channelClosed).isTransient()).isTrue();
    assertThat(classifier.classify(channelClosed).code()).isEqualTo(FailureCodes.BROKER_UNAVAILABLE);
    assertThat(classifier.classify(new com.rabbitmq.client.AlreadyClosedException(channelClosed)).isTransient()).isTrue();
    assertThat(classifier.classify(new IOException("channel error", channelClosed)).isTransient()).isTrue();
    assertThat(classifier.classify(new CompletionException(
        new io.berth.worker.messaging.PublishFailedException("no publisher confirm within PT30S"))).code())
        .isEqualTo(FailureCodes.BROKER_UNAVAILABLE);
  }

  @Test
  void kernelWithoutIpvlanIsPermanentAndNamesTheMissingSupport() {
    Failure f = classifier.classify(new DockerCallException("start container x", 500,
        "failed to create the ipvlan port: operation not supported", null));
    assertThat(f.isTransient()).isFalse();
    assertThat(f.code()).isEqualTo(FailureCodes.KERNEL_UNSUPPORTED);
    assertThat(f.message()).contains("kernel does not support the ipvlan network driver").contains("modprobe ipvlan");
  }

  @Test
  void unknownImageConflictAndPolicyArePermanent() {
    assertThat(classifier.classify(new DockerCallException("create", 404, "No such image: nope:1", null)).code())
        .isEqualTo(FailureCodes.IMAGE_UNKNOWN);
    assertThat(classifier.classify(new NetworkConflictException("differs")).code()).isEqualTo(FailureCodes.NETWORK_CONFLICT);
    Failure policy = classifier.classify(new ProvisioningException(FailureCodes.IMAGE_NOT_ALLOWED, "no", false));
    assertThat(policy.isTransient()).isFalse();
    assertThat(policy.retriable()).isFalse();
    assertThat(classifier.classify(new DockerCallException("create", 400, "bad", null)).code())
        .isEqualTo(FailureCodes.DOCKER_REJECTED);
  }

  @Test
  void addressInUseIsAConflictNotARetry() {
    Failure f = classifier.classify(new DockerCallException("start", 500, "Address already in use", null));
    assertThat(f.isTransient()).isFalse();
    assertThat(f.code()).isEqualTo(FailureCodes.ADDRESS_CONFLICT);
  }

  @Test
  void bugsAreNotRetriedForever() {
    Failure f = classifier.classify(new NullPointerException("oops"));
    assertThat(f.isTransient()).isFalse();
    assertThat(f.code()).isEqualTo(FailureCodes.INTERNAL_ERROR);
  }
}
