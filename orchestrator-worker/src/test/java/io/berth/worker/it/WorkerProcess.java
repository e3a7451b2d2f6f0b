package io.berth.worker.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The packaged worker run as its own process ({@code java -jar}), so signals and exit codes are the real ones. */
public final class WorkerProcess implements AutoCloseable {
  public static final Path JAR = Path.of("target", "orchestrator-worker.jar");

  private final Process process;
  private final Path output;

  private WorkerProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  public static WorkerProcess start(Map<String, String> env) throws IOException {
    return start(env, JAR);
  }

  /** The worker jar as built by this checkout, found from the worker module or from a sibling module (load-tests). */
  public static Path defaultJar() {
    // Run from the worker module (its ITs), from a sibling module (load-tests' ITs), or from the root (exec:java).
    return java.util.stream.Stream.of(JAR, Path.of("..", "orchestrator-worker").resolve(JAR),
            Path.of("orchestrator-worker").resolve(JAR))
        .filter(Files::isRegularFile).findFirst().orElse(JAR);
  }

  public static WorkerProcess start(Map<String, String> env, Path jar) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar.toAbsolutePath() + " is missing: integration tests run after 'package'");
    }
    Path output = Files.createTempFile("berth-test-worker", ".log");
    ProcessBuilder builder = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(), "worker"))
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv("PATH"));
    builder.environment().putAll(env);
    return new WorkerProcess(builder.start(), output);
  }

  public Process process() {
    return process;
  }

  public String output() throws IOException {
    return Files.readString(output);
  }

  /** SIGTERM, as {@code docker stop} or systemd would send. */
  public void terminate() {
    process.destroy();
  }

  @Override
  public void close() throws IOException {
    process.destroyForcibly();
    Files.deleteIfExists(output);
  }
}
