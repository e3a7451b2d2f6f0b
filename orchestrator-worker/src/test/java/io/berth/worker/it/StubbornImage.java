package io.berth.worker.it;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The stand-in with a stop signal it does not handle: as PID 1 it ignores it, so {@code docker stop} ends in SIGKILL
 * at the stop timeout and the container exits with 137 — a media server that hangs on shutdown. Built FROM the local
 * image (nothing is pulled); removed after the test class.
 */
final class StubbornImage {
  static final String NAME = "berth/wcs-standin:stubborn-it";

  private StubbornImage() {}

  static synchronized void build() throws Exception {
    Path dir = Files.createTempDirectory("berth-test-stubborn");
    Files.writeString(dir.resolve("Dockerfile"), "FROM " + TestDocker.STANDIN_IMAGE + "\nSTOPSIGNAL SIGUSR2\n");
    TestDocker.client().buildImageCmd(dir.toFile()).withTags(java.util.Set.of(NAME)).start().awaitImageId();
  }

  static void remove() {
    try {
      TestDocker.client().removeImageCmd(NAME).withForce(true).exec();
    } catch (RuntimeException ignored) {
      // never built, or already gone
    }
  }
}
