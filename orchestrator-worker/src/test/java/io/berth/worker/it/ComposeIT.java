package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The deployment of the README, proven on this machine: {@code docker-compose.yml} as written for real hosts, with its
 * base images swapped for local stand-ins built from Debian packages ({@code scripts/compose-stand-ins.sh}) and its
 * published ports moved off the machine's own broker. Brings the stack up ({@code up -d --build}: the worker image is
 * {@code Dockerfile.prebuilt} around the jar of this build), waits for the worker's {@code /health/ready} and for
 * compose's own healthcheck, requests a transcoder through the compose broker, reaches it from the LAN namespace,
 * releases it, takes the stack {@code down -v} and checks that nothing of it is left: containers, networks, volumes,
 * the built image, Berth's own network.
 *
 * <p>Names of its own, so nothing here can touch another test's objects and {@code cleanup-test-leftovers.sh} finds
 * every leftover: project and namespace {@code berth-compose-<tag>}, links {@code bcmp<tag>a/b}, containers and
 * networks Berth makes labelled {@code io.berth.compose-project=<project>}. {@code BERTH_COMPOSE} picks the compose
 * command ({@code docker-compose}, v1, by default when present, else {@code docker compose}).
 */
class ComposeIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path JAR = Path.of("target", "orchestrator-worker.jar").toAbsolutePath();
  private static final String PROJECT_LABEL = "io.berth.compose-project";
  private static final Duration STAND_INS_TIMEOUT = Duration.ofMinutes(15);

  private final String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
  private final String project = "berth-compose-" + tag;
  private final List<String> compose = composeCommand();
  private TestLan lan;
  private Path work;
  private Path envFile;
  private String berthNetwork;

  @Test
  void theComposeStackComesUpServesARequestAndLeavesNothingBehind() throws Exception {
    long t0 = System.nanoTime();
    assertThat(ROOT.resolve("docker-compose.yml")).as("repository root").isRegularFile();
    assertThat(JAR).as("the worker jar (integration tests run after package)").isRegularFile();
    assertThat(Shell.run("docker", "image", "inspect", TestDocker.STANDIN_IMAGE).ok())
        .as(TestDocker.STANDIN_IMAGE + " (scripts/setup-infra.sh builds it)").isTrue();

    // 1. base images: built from Debian packages once, then reused (the script skips existing tags)
    long t = System.nanoTime();
    Shell.Result standIns = Shell.run(STAND_INS_TIMEOUT, List.of("bash", ROOT.resolve("scripts/compose-stand-ins.sh").toString()));
    assertThat(standIns.ok()).as("compose-stand-ins.sh: %s", standIns.output()).isTrue();
    log("stand-in base images ready in %ds: %s", seconds(t), standIns.output().replace('\n', ' '));

    // 2. a LAN of its own and the project's configuration, as an operator's .env
    String subnet = freeSubnet();
    String prefix = subnet.substring(0, subnet.lastIndexOf('.'));
    lan = new TestLan(prefix, "bcmp", "berth-compose-", tag);
    work = Files.createTempDirectory("berth-compose-it-");
    Path password = secret("wcs-password", "compose-it-password");
    Path license = secret("wcs-license", "compose-it-license");
    int amqpPort = freePort();
    int uiPort = freePort();
    int httpPort = freePort();
    berthNetwork = project;
    Map<String, String> env = new LinkedHashMap<>();
    env.put("BERTH_RABBITMQ_IMAGE", "berth-local/rabbitmq:3");
    env.put("BERTH_WORKER_DOCKERFILE", "orchestrator-worker/Dockerfile.prebuilt");
    env.put("BERTH_RUNTIME_IMAGE", "berth-local/jre:17");
    env.put("BERTH_RABBITMQ_AMQP_PORT", "127.0.0.1:" + amqpPort);
    env.put("BERTH_RABBITMQ_UI_PORT", "127.0.0.1:" + uiPort);
    env.put("BERTH_AMQP_URI", amqpUri(amqpPort));
    env.put("BERTH_HOST_ID", "compose-" + tag);
    env.put("BERTH_NETWORK_NAME", berthNetwork);
    env.put("BERTH_NETWORK_DRIVER", "macvlan");
    env.put("BERTH_NETWORK_PARENT", lan.parent());
    env.put("BERTH_NETWORK_SUBNET", subnet);
    env.put("BERTH_NETWORK_GATEWAY", prefix + ".193");
    env.put("BERTH_NETWORK_IP_RANGE", prefix + ".200/29");
    env.put("BERTH_IMAGE", TestDocker.STANDIN_IMAGE);
    env.put("BERTH_ALLOWED_IMAGES", TestDocker.STANDIN_IMAGE);
    env.put("BERTH_MAX_TRANSCODERS", "4");
    env.put("BERTH_HTTP_PORT", Integer.toString(httpPort));
    env.put("BERTH_WCS_PASSWORD_SECRET", password.toString());
    env.put("BERTH_WCS_LICENSE_SECRET", license.toString());
    env.put("BERTH_EXTRA_LABEL", PROJECT_LABEL + "=" + project);
    envFile = work.resolve(".env");
    Files.writeString(envFile, env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("\n", "", "\n")));
    log("project %s: LAN %s (parent %s, namespace %s), broker 127.0.0.1:%d, UI 127.0.0.1:%d, worker HTTP %d, %s",
        project, subnet, lan.parent(), lan.namespace(), amqpPort, uiPort, httpPort, String.join(" ", compose));

    // the file as written, read by each compose at hand (v2 too when its plugin is installed)
    Shell.Result config = compose("config", "-q");
    assertThat(config.ok()).as("config: %s", config.output()).isTrue();
    Shell.Result fleetConfig = compose("--profile", "fleet", "config", "--services");
    assertThat(fleetConfig.output()).as("--profile fleet").contains("etcd");
    Shell.Result v2 = Shell.run("docker", "compose", "version");
    if (v2.ok() && !compose.get(0).equals("docker")) {
      Shell.Result v2config = composeWith(List.of("docker", "compose"), Duration.ofMinutes(1), "config", "-q");
      assertThat(v2config.ok()).as("docker compose config: %s", v2config.output()).isTrue();
    } else if (!v2.ok()) {
      log("docker compose (v2) not installed: the file was checked by %s only", String.join(" ", compose));
    }

    // 3. up, built and healthy
    t = System.nanoTime();
    Shell.Result up = compose(Duration.ofMinutes(10), "up", "-d", "--build");
    assertThat(up.ok()).as("compose up: %s", up.output()).isTrue();
    long upSeconds = seconds(t);
    await("worker /health/ready").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
        .until(() -> httpStatus("http://127.0.0.1:" + httpPort + "/health/ready") == 200);
    long readySeconds = seconds(t);
    await("compose healthcheck of the worker").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
        .until(() -> "healthy".equals(health(containerOf("worker"))));
    log("up -d --build in %ds, /health/ready after %ds, healthy (compose healthcheck) after %ds",
        upSeconds, readySeconds, seconds(t));
    assertThat(health(containerOf("rabbitmq"))).isEqualTo("healthy");
    assertThat(httpStatus("http://127.0.0.1:" + uiPort + "/")).as("management UI").isEqualTo(200);

    // 4. a request through the compose broker, served on the LAN
    t = System.nanoTime();
    Shell.Result started = publish(amqpPort, "TranscoderRequested", "tenantId=compose", "transcoderId=tx-1",
        "roomId=lobby");
    assertThat(started.output()).as("publish: %s", started.output()).contains("TranscoderStarted");
    Matcher ip = Pattern.compile("\"ipAddress\":\"([0-9.]+)\"").matcher(started.output());
    assertThat(ip.find()).as("an address in %s", started.output()).isTrue();
    String address = ip.group(1);
    assertThat(address).startsWith(prefix + ".20");
    String body = await("the transcoder from the LAN namespace").atMost(Duration.ofSeconds(30))
        .until(() -> lan.httpGet(address, 8081, "/rest-api/").orElse(""), b -> b.contains("berth-wcs-standin"));
    assertThat(body).contains("\"password_set\":true").contains("\"license_set\":true");
    log("TranscoderRequested -> started at %s and reached from %s in %ds", address, lan.namespace(), seconds(t));

    // 5. the operator's way out: release what runs (billing sees TranscoderStopped), then down -v, then Berth's network
    Shell.Result stopped = publish(amqpPort, "TranscoderReleased", "tenantId=compose", "transcoderId=tx-1");
    assertThat(stopped.output()).as("release: %s", stopped.output()).contains("TranscoderStopped");
    // the container goes once the event is confirmed: just after it
    await("the released transcoder removed").atMost(Duration.ofSeconds(30))
        .until(() -> labelled("container", PROJECT_LABEL + "=" + project).isEmpty());
    t = System.nanoTime();
    Shell.Result down = compose(Duration.ofMinutes(3), "down", "-v", "--rmi", "local", "--remove-orphans");
    assertThat(down.ok()).as("compose down: %s", down.output()).isTrue();
    assertThat(Shell.run("docker", "network", "rm", berthNetwork).ok()).as("Berth's network").isTrue();
    log("down -v in %ds", seconds(t));
    assertNothingLeft();
    lan.close();
    assertThat(Shell.run("ip", "link", "show", lan.parent()).ok()).as("the LAN's parent").isFalse();
    assertThat(Shell.run("ip", "netns", "list").output()).doesNotContain(lan.namespace());
    lan = null;
    log("whole compose e2e in %ds", seconds(t0));
  }

  /** Whatever happened: the project, Berth's labelled leftovers, the LAN, the files. */
  @AfterEach
  void removeEverything() throws IOException {
    if (envFile != null) {
      compose(Duration.ofMinutes(3), "down", "-v", "--rmi", "local", "--remove-orphans", "-t", "5");
    }
    labelled("container", PROJECT_LABEL + "=" + project).forEach(TestDocker::removeContainer);
    if (berthNetwork != null) {
      Shell.run("docker", "network", "rm", berthNetwork);
    }
    if (lan != null) {
      lan.close();
    }
    if (work != null) {
      Shell.run("rm", "-rf", work.toString());
    }
  }

  private void assertNothingLeft() {
    String projectLabel = "com.docker.compose.project=" + project;
    assertThat(labelled("container", projectLabel)).as("containers of the project").isEmpty();
    assertThat(labelled("network", projectLabel)).as("networks of the project").isEmpty();
    assertThat(labelled("volume", projectLabel)).as("volumes of the project").isEmpty();
    assertThat(labelled("container", PROJECT_LABEL + "=" + project)).as("transcoders Berth made").isEmpty();
    assertThat(labelled("network", PROJECT_LABEL + "=" + project)).as("Berth's network").isEmpty();
    // v1 names the built image <project>_worker, v2 <project>-worker
    assertThat(Shell.run("docker", "image", "ls", "-q", project + "_worker").output()).as("built image (v1)").isEmpty();
    assertThat(Shell.run("docker", "image", "ls", "-q", project + "-worker").output()).as("built image (v2)").isEmpty();
  }

  // ---------------------------------------------------------------- compose and docker

  private static List<String> composeCommand() {
    String chosen = System.getenv("BERTH_COMPOSE");
    if (chosen != null && !chosen.isBlank()) {
      return List.of(chosen.trim().split("\\s+"));
    }
    return Shell.run("docker-compose", "version").ok() ? List.of("docker-compose") : List.of("docker", "compose");
  }

  private Shell.Result compose(String... args) {
    return compose(Duration.ofMinutes(1), args);
  }

  private Shell.Result compose(Duration timeout, String... args) {
    return composeWith(compose, timeout, args);
  }

  /**
   * Runs compose on the repository's file with the project's {@code .env}, in an environment without the caller's
   * BERTH_* and COMPOSE_* variables: compose lets the shell's variables win over the env file.
   */
  private Shell.Result composeWith(List<String> command, Duration timeout, String... args) {
    List<String> full = new ArrayList<>(command);
    full.addAll(List.of("-f", ROOT.resolve("docker-compose.yml").toString(), "--project-directory", ROOT.toString(),
        "--env-file", envFile.toString(), "-p", project));
    full.addAll(List.of(args));
    try {
      Path output = Files.createTempFile(work, "compose", ".log");
      ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile());
      builder.environment().keySet().removeIf(k -> k.startsWith("BERTH_") || k.startsWith("COMPOSE_"));
      Process p = builder.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return new Shell.Result(-1, "timed out after " + timeout + ": " + String.join(" ", full) + "\n"
            + Files.readString(output));
      }
      return new Shell.Result(p.exitValue(), Files.readString(output));
    } catch (IOException e) {
      return new Shell.Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Shell.Result(-1, "interrupted");
    }
  }

  private String containerOf(String service) {
    List<String> ids = labelled("container", "com.docker.compose.project=" + project,
        "com.docker.compose.service=" + service);
    assertThat(ids).as("the %s container", service).hasSize(1);
    return ids.get(0);
  }

  private static String health(String container) {
    return Shell.run("docker", "inspect", "-f", "{{.State.Health.Status}}", container).output();
  }

  /** IDs of containers, networks or volumes carrying every one of the labels. */
  private static List<String> labelled(String kind, String... labels) {
    List<String> cmd = new ArrayList<>(List.of("docker", kind, "ls", "-q"));
    if (kind.equals("container")) {
      cmd = new ArrayList<>(List.of("docker", "ps", "-aq"));
    }
    for (String label : labels) {
      cmd.add("--filter");
      cmd.add("label=" + label);
    }
    Shell.Result r = Shell.run(Duration.ofSeconds(30), cmd);
    assertThat(r.ok()).as("%s: %s", cmd, r.output()).isTrue();
    return r.output().isBlank() ? List.of() : List.of(r.output().split("\\s+"));
  }

  /**
   * Berth's network takes a /26 rather than the /24 of the other tests' LANs: Docker refuses a second network with
   * an identical subnet (not an overlapping one), and another test may hold 203.0.113.0/24 or 198.51.100.0/24.
   */
  private static String freeSubnet() {
    String inUse = Shell.run("sh", "-c",
        "docker network ls -q | xargs -r docker network inspect -f '{{range .IPAM.Config}}{{.Subnet}} {{end}}'").output();
    for (String candidate : List.of("203.0.113.192/26", "198.51.100.192/26")) {
      if (!List.of(inUse.split("\\s+")).contains(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("both documentation /26s are in use by Docker networks: " + inUse);
  }

  // ---------------------------------------------------------------- broker, HTTP, files

  private static String amqpUri(int port) {
    return "amqp://guest:guest@127.0.0.1:" + port + "/%2F";
  }

  private static Shell.Result publish(int amqpPort, String type, String... fields) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toString(), "publish", type));
    cmd.addAll(List.of(fields));
    cmd.addAll(List.of("--amqp-uri=" + amqpUri(amqpPort), "--await=1", "--timeout=120"));
    return Shell.run(Duration.ofSeconds(150), cmd);
  }

  private static int httpStatus(String url) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
      c.setConnectTimeout(2000);
      c.setReadTimeout(5000);
      try {
        return c.getResponseCode();
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return -1;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private Path secret(String name, String content) throws IOException {
    Path file = work.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private static long seconds(long since) {
    return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since);
  }

  private static void log(String format, Object... args) {
    System.out.printf("[compose-it] " + format + "%n", args);
  }
}
