package io.berth.worker.it;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The stand-in as a media server slow to start: its HTTP listeners open {@link #READY_AFTER_SECONDS} after the
 * container starts (a real WCS is a JVM that takes tens of seconds). Built FROM the local image (nothing is pulled);
 * removed after the test class.
 */
final class SlowImage {
  static final String NAME = "berth/wcs-standin:slow-it";
  static final int READY_AFTER_SECONDS = 20;

  private SlowImage() {}

  static synchronized void build() throws Exception {
    Path dir = Files.createTempDirectory("berth-test-slow");
    Files.writeString(dir.resolve("Dockerfile"), "FROM " + TestDocker.STANDIN_IMAGE + "\nENV STANDIN_READY_DELAY_SECONDS="
        + READY_AFTER_SECONDS + "\n");
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
