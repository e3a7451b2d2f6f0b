package io.berth.worker.failure;

import com.rabbitmq.client.ShutdownSignalException;
import io.berth.worker.docker.DockerCallException;
import io.berth.worker.docker.DockerUnavailableException;
import io.berth.worker.docker.NetworkConflictException;
import io.berth.worker.messaging.PublishFailedException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.io.IOException;

/**
 * The one place that decides whether a failure is transient (wait and retry; never dead-letter, never ack early) or
 * permanent (explain, dead-letter, ack: never a hot loop). Everything else asks here.
 */
public final class FailureClassifier {

  public Failure classify(Throwable error) {
    Throwable t = unwrap(error);
    if (t instanceof ProvisioningException p) {
      return Failure.permanent(p.code(), p.getMessage(), p.retriable());
    }
    if (t instanceof NetworkConflictException) {
      return Failure.permanent(FailureCodes.NETWORK_CONFLICT, t.getMessage(), false);
    }
    if (t instanceof DockerUnavailableException || t instanceof CallNotPermittedException) {
      return Failure.transientFailure(FailureCodes.DOCKER_UNAVAILABLE, t.getMessage());
    }
    if (t instanceof DockerCallException d) {
      return classifyDocker(d);
    }
    if (t instanceof io.berth.worker.coordination.CoordinationUnavailableException) {
      return Failure.transientFailure(FailureCodes.COORDINATION_UNAVAILABLE, t.getMessage());
    }
    // The broker: a closed channel or connection (AlreadyClosedException is a ShutdownSignalException), a channel
    // call that failed with I/O, a publish it did not confirm. The command is held and retried, never failed for it.
    if (t instanceof ShutdownSignalException || t instanceof IOException || t instanceof PublishFailedException) {
      return Failure.transientFailure(FailureCodes.BROKER_UNAVAILABLE, String.valueOf(t.getMessage()));
    }
    return Failure.permanent(FailureCodes.INTERNAL_ERROR,
        "unexpected " + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()), false);
  }

  /** Whether a Docker call is worth retrying at once; used by the retry and circuit breaker around the gateway. */
  public boolean isTransient(Throwable error) {
    return classify(error).isTransient();
  }

  private static Failure classifyDocker(DockerCallException d) {
    if (d.isDriverUnsupportedByKernel()) {
      String driver = d.getMessage().toLowerCase(java.util.Locale.ROOT).contains("ipvlan") ? "ipvlan" : "macvlan";
      return Failure.permanent(FailureCodes.KERNEL_UNSUPPORTED,
          "this host's kernel does not support the " + driver + " network driver (kernel module '" + driver
              + "' missing: try 'modprobe " + driver + "', or set BERTH_NETWORK_DRIVER to the other driver); Docker said: "
              + d.getMessage(), false);
    }
    if (d.isAddressInUse()) {
      // Another container took the address between our look and our start: the provisioner picks another.
      return Failure.permanent(FailureCodes.ADDRESS_CONFLICT, d.getMessage(), true);
    }
    if (d.isNoSuchImage()) {
      return Failure.permanent(FailureCodes.IMAGE_UNKNOWN, d.getMessage(), false);
    }
    if (d.status() >= 500) {
      return Failure.transientFailure(FailureCodes.DOCKER_ERROR, d.getMessage());
    }
    return Failure.permanent(FailureCodes.DOCKER_REJECTED, d.getMessage(), false);
  }

  private static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
