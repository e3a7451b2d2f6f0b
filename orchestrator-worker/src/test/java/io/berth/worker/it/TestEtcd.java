package io.berth.worker.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real etcd (Debian's etcd-server) of the test's own, on loopback ports of its own, with a data directory that
 * survives {@link #stop()} / {@link #start()}: an outage, not a new cluster.
 */
public final class TestEtcd implements AutoCloseable {
  public static final String BINARY = "/usr/bin/etcd";

  private final Path dataDir;
  private final int clientPort;
  private final int peerPort;
  private Process process;

  public TestEtcd() throws IOException {
    this.dataDir = Files.createTempDirectory("berth-test-etcd-");
    this.clientPort = freePort();
    this.peerPort = freePort();
    start();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + clientPort;
  }

  public void start() throws IOException {
    Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    process = new ProcessBuilder(List.of(BINARY,
        "--name", "berth-test",
        "--data-dir", dataDir.resolve("data").toString(),
        "--listen-client-urls", endpoint(),
        "--advertise-client-urls", endpoint(),
        "--listen-peer-urls", "http://127.0.0.1:" + peerPort,
        "--initial-advertise-peer-urls", "http://127.0.0.1:" + peerPort,
        "--initial-cluster", "berth-test=http://127.0.0.1:" + peerPort))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    await().atMost(Duration.ofSeconds(20)).until(this::accepting);
  }

  /** Stops it as an outage would: its clients see connection failures until {@link #start()}. */
  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  private boolean accepting() {
    try (Socket s = new Socket("127.0.0.1", clientPort)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    stop();
    try (var files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    Files.deleteIfExists(dataDir.resolveSibling(dataDir.getFileName() + ".log"));
  }
}
