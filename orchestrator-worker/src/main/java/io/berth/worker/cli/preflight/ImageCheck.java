package io.berth.worker.cli.preflight;

import io.berth.worker.config.EnvNames;
import io.berth.worker.docker.DockerInventory;
import java.util.ArrayList;
import java.util.List;

/**
 * The default image is allowed and present on this host (Berth never pulls: a request for a missing image fails with
 * {@code image-unknown}); every other allowed image is present too, or requests naming it fail the same way.
 */
final class ImageCheck implements Check {

  @Override
  public String name() {
    return "image";
  }

  @Override
  public List<CheckResult> run(PreflightContext context) {
    PreflightEnv env = context.env();
    String image = env.image();
    List<String> allowed = env.allowedImages();
    List<CheckResult> results = new ArrayList<>();
    if (!allowed.contains(image)) {
      results.add(CheckResult.fail(name(), EnvNames.IMAGE + " " + image + " is not in " + EnvNames.ALLOWED_IMAGES
          + " (" + String.join(", ", allowed) + ")", "add " + image + " to " + EnvNames.ALLOWED_IMAGES));
    }
    Attempt<DockerInventory> docker = context.docker();
    if (!docker.ok()) {
      results.add(CheckResult.skip(name(), "presence of " + image + " needs Docker (see docker)"));
      return results;
    }
    if (docker.value().imageExists(image)) {
      if (results.isEmpty()) {
        results.add(CheckResult.ok(name(), image + " is present on this host and allowed"));
      }
    } else {
      results.add(CheckResult.fail(name(), image + " (" + EnvNames.IMAGE + ") is not present on this host: every"
          + " request without an image of its own would be given back and this host would take no requests (Berth does not pull)",
          "docker pull " + image + " (or docker load it), on every host of the fleet"));
    }
    for (String other : allowed) {
      if (!other.equals(image) && !docker.value().imageExists(other)) {
        results.add(CheckResult.warn(name(), other + " is allowed (" + EnvNames.ALLOWED_IMAGES + ") but not present:"
            + " requests naming it would be given back to other hosts, and answered image-unknown on their last delivery", "docker pull " + other
            + ", or leave it out of " + EnvNames.ALLOWED_IMAGES));
      }
    }
    return results;
  }
}
