package io.berth.worker.provisioning;

/**
 * Told what Berth itself does to a transcoder, so supervision can tell a crash from a stop it asked for. Provisioning
 * calls it; supervision implements it; the dependency points one way.
 */
public interface IntentListener {
  /** Berth is about to stop, restart or remove this container: the exit that follows is not a crash. */
  void stopping(TranscoderKey key, String containerId);

  /** Running and ready. */
  void started(TranscoderKey key);


  /** Stopped to be removed once its stop is reported: until {@link #removed}, it stays as it is. */
  void removing(TranscoderKey key);

  /** Gone for good (released, room closed). */
  void removed(TranscoderKey key);

  IntentListener NONE = new IntentListener() {
    @Override
    public void stopping(TranscoderKey key, String containerId) {}

    @Override
    public void started(TranscoderKey key) {}

    @Override
    public void removing(TranscoderKey key) {}

    @Override
    public void removed(TranscoderKey key) {}
  };
}
