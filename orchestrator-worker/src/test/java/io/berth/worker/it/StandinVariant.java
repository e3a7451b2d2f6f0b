package io.berth.worker.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** Builds a variant of the local stand-in image (FROM it plus a few Dockerfile lines: nothing is pulled) and removes it. */
final class StandinVariant {
  private StandinVariant() {}

  static synchronized void build(String name, String dockerfileLines) throws Exception {
    Path dir = Files.createTempDirectory("berth-test-variant");
    Files.writeString(dir.resolve("Dockerfile"), "FROM " + TestDocker.STANDIN_IMAGE + "\n" + dockerfileLines + "\n");
    TestDocker.client().buildImageCmd(dir.toFile()).withTags(Set.of(name)).start().awaitImageId();
  }

  static void remove(String name) {
    try {
      TestDocker.client().removeImageCmd(name).withForce(true).exec();
    } catch (RuntimeException ignored) {
      // never built, or already gone
    }
  }
}
