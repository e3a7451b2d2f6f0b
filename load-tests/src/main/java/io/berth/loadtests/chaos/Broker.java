package io.berth.loadtests.chaos;

import io.berth.worker.it.RabbitCtl;
import io.berth.worker.it.Shell;
import java.time.Duration;

/** The machine's RabbitMQ node, driven with rabbitmqctl as an operator (or a crash) would. */
final class Broker {
  private Broker() {}

  /** Stops the RabbitMQ application (every connection dies, queues go offline) and starts it again after a pause. */
  static void restart(Duration down) {
    Shell.must("rabbitmqctl", "-q", "stop_app");
    Ledger.sleepQuietly(down);
    Shell.must("rabbitmqctl", "-q", "start_app");
    Shell.must("rabbitmqctl", "-q", "await_startup");
  }

  static void stop() {
    Shell.must("rabbitmqctl", "-q", "stop_app");
  }

  static void start() {
    Shell.must("rabbitmqctl", "-q", "start_app");
    Shell.must("rabbitmqctl", "-q", "await_startup");
  }

  /** Force-closes both connections of a worker (consuming and publishing), as {@code rabbitmqctl close_connection}. */
  static int closeWorkerConnections(String hostId) throws Exception {
    return RabbitCtl.closeConnection("berth-worker-" + hostId, "berth chaos: connection force-closed")
        + RabbitCtl.closeConnection("berth-worker-" + hostId + "-publish", "berth chaos: connection force-closed");
  }

  /** consumer_timeout in ms for channels opened from now on (RabbitMQ reads it when a channel starts). */
  static void consumerTimeout(long millis) {
    Shell.must("rabbitmqctl", "-q", "eval", "application:set_env(rabbit, consumer_timeout, " + millis + ").");
  }
}
