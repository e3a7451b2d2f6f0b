package io.berth.worker.provisioning;

import java.util.Optional;

/**
 * A cluster-wide lease on a transcoder, so two hosts on different Docker engines never both provision it (a request
 * duplicated upstream, or redelivered after a broker connection dropped mid-provision). The holder renews its leases;
 * a dead host's leases expire and another host may take over.
 */
public interface TranscoderClaims {

  /** @return empty when this host holds the claim now (newly or already); otherwise the host that does */
  Optional<String> claim(TranscoderKey key);

  /** Keeps this host's claim alive (and re-asserts it if it lapsed). */
  void renew(TranscoderKey key);

  /** Gives the claim up: the transcoder is gone from this host. */
  void release(TranscoderKey key);

  TranscoderClaims LOCAL_ONLY = new TranscoderClaims() {
    @Override
    public Optional<String> claim(TranscoderKey key) {
      return Optional.empty();
    }

    @Override
    public void renew(TranscoderKey key) {}

    @Override
    public void release(TranscoderKey key) {}
  };
}
