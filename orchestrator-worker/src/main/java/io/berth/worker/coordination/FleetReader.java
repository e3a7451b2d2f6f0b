package io.berth.worker.coordination;

/** Reads a fleet's state for people; throws {@link CoordinationUnavailableException} when etcd does not answer. */
public interface FleetReader extends AutoCloseable {

  FleetSnapshot read();

  @Override
  void close();
}
