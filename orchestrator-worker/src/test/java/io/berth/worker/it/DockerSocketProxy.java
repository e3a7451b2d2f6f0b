package io.berth.worker.it;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Unix socket in front of dockerd that a test can cut and restore: the worker under test sees Docker go away and
 * come back exactly as it would on a daemon restart, while the real dockerd keeps serving everything else.
 */
public final class DockerSocketProxy implements AutoCloseable {
  private final Path socket;
  private final Path upstream;
  private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
  private volatile ServerSocketChannel server;

  public DockerSocketProxy(Path upstream) throws IOException {
    this.upstream = upstream;
    this.socket = Files.createTempDirectory("berth-test-docker").resolve("docker.sock");
    up();
  }

  public String dockerHost() {
    return "unix://" + socket;
  }

  public synchronized void up() throws IOException {
    if (server != null) {
      return;
    }
    Files.deleteIfExists(socket);
    ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    s.bind(UnixDomainSocketAddress.of(socket));
    server = s;
    Thread acceptor = new Thread(() -> accept(s), "docker-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Docker "goes down": the socket disappears and every open connection is cut. */
  public synchronized void down() throws IOException {
    if (server == null) {
      return;
    }
    server.close();
    server = null;
    for (SocketChannel c : open) {
      c.close();
    }
    open.clear();
    Files.deleteIfExists(socket);
  }

  private void accept(ServerSocketChannel s) {
    while (s.isOpen()) {
      try {
        SocketChannel client = s.accept();
        SocketChannel docker = SocketChannel.open(UnixDomainSocketAddress.of(upstream));
        open.add(client);
        open.add(docker);
        pump(client, docker);
        pump(docker, client);
      } catch (IOException e) {
        return; // closed by down()
      }
    }
  }

  private void pump(SocketChannel from, SocketChannel to) {
    Thread t = new Thread(() -> {
      ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
      try {
        while (from.read(buffer) >= 0) {
          buffer.flip();
          while (buffer.hasRemaining()) {
            to.write(buffer);
          }
          buffer.clear();
        }
      } catch (IOException ignored) {
        // one side closed
      } finally {
        close(from);
        close(to);
      }
    }, "docker-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private void close(SocketChannel c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // already closed
    }
    open.remove(c);
  }

  @Override
  public void close() throws IOException {
    down();
    Files.deleteIfExists(socket.getParent());
  }
}
