package io.berth.worker.provisioning;

import io.berth.worker.docker.DockerGateway;
import io.berth.worker.failure.Failure;
import io.berth.worker.failure.FailureClassifier;
import io.berth.worker.failure.FailureCodes;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this host can serve requests at all. One that cannot — its network conflicts with the configured one, its
 * kernel lacks the driver, its default image is absent — must not take the fleet's shared requests only to fail
 * them: the intake stops consuming {@code berth.requests} while it is unfit (commands for what it holds still run),
 * and it is checked again every round, so the fix needs no restart. Docker being unreachable is not unfitness: that
 * has a pause of its own.
 */
public final class HostFitness implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(HostFitness.class);

  /** Failures that are this host's, not the request's: another host may well serve the same request. */
  public static final Set<String> HOST_LOCAL = Set.of(FailureCodes.NETWORK_CONFLICT, FailureCodes.KERNEL_UNSUPPORTED,
      FailureCodes.IMAGE_UNKNOWN);

  private final NetworkGuard network;
  private final DockerGateway docker;
  private final String defaultImage;
  private final FailureClassifier classifier;
  private final int deliveryLimit;
  private final AtomicReference<String> unfit = new AtomicReference<>();
  /** A verdict no cheap check can lift (the kernel's missing driver module): kept until the worker restarts. */
  private volatile String lasting;

  /** @param deliveryLimit the queues' {@code x-delivery-limit} (BERTH_DELIVERY_LIMIT) */
  public HostFitness(NetworkGuard network, DockerGateway docker, String defaultImage, FailureClassifier classifier,
      int deliveryLimit) {
    this.deliveryLimit = deliveryLimit;
    this.network = network;
    this.docker = docker;
    this.defaultImage = defaultImage;
    this.classifier = classifier;
  }

  @Override
  public void run() {
    check();
  }

  /** Checks the network and the default image now; Docker trouble leaves the verdict as it was. */
  public void check() {
    String known = lasting;
    if (known != null) {
      unfit.set(known);
      return;
    }
    try {
      network.ensure();
      if (!docker.imageExists(defaultImage)) {
        markUnfit(FailureCodes.IMAGE_UNKNOWN, "default image '" + defaultImage + "' (BERTH_IMAGE) is not present on"
            + " this host: pull or load it (docker pull / docker load), or set BERTH_IMAGE to an image it has");
        return;
      }
      markFit();
    } catch (RuntimeException e) {
      Failure f = classifier.classify(e);
      if (!f.isTransient()) {
        markUnfit(f.code(), f.message());
      }
    }
  }

  /**
   * A request failed for a reason that is this host's: check again now. A kernel without the driver shows only when a
   * container joins the network, so that verdict stands until the worker is restarted after the module is loaded.
   */
  public void hostLocalFailure(Failure failure) {
    if (FailureCodes.KERNEL_UNSUPPORTED.equals(failure.code())) {
      markUnfit(failure.code(), failure.message() + " (then restart the worker)");
      lasting = unfit.get();
      return;
    }
    check();
  }

  /**
   * Whether a request that failed for a host-local reason goes back for another host: yes, except on its last
   * delivery, which is answered (and dead-lettered with the reason) so the broker never drops it unexplained.
   */
  public boolean givesBack(long deliveriesSoFar) {
    return deliveriesSoFar < deliveryLimit - 1;
  }

  public boolean unfit() {
    return unfit.get() != null;
  }

  /** Why it takes no requests, if it does not. */
  public Optional<String> reason() {
    return Optional.ofNullable(unfit.get());
  }

  private void markUnfit(String code, String message) {
    String reason = code + ": " + message;
    if (!reason.equals(unfit.getAndSet(reason))) {
      log.error("host unfit, not taking requests (other hosts serve them; checked again every reconcile round):"
          + " code={} reason=\"{}\"", code, message);
    }
  }

  private void markFit() {
    if (lasting != null) {
      return; // a kernel verdict that arrived while this check ran still stands
    }
    if (unfit.getAndSet(null) != null) {
      log.info("host fit again, taking requests");
    }
  }
}
