package io.berth.worker.cli;

import io.berth.worker.Worker;
import io.berth.worker.config.ConfigException;
import io.berth.worker.config.EnvConfigLoader;
import io.berth.worker.config.WorkerConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/** Runs the worker until SIGTERM/SIGINT. Configured by environment variables only (see README). */
@Command(name = "worker", mixinStandardHelpOptions = true, version = "berth 0.1.0", description = "Consume commands and run transcoders on this Docker host (config: BERTH_* env).")
public final class WorkerCommand implements Callable<Integer> {
  static final int CONFIG_ERROR = 2;

  @Override
  public Integer call() throws Exception {
    WorkerConfig config;
    try {
      config = EnvConfigLoader.fromSystem().load();
    } catch (ConfigException e) {
      System.err.println("berth: configuration error: " + e.getMessage());
      return CONFIG_ERROR;
    }
    Worker worker;
    try {
      worker = Worker.start(config);
    } catch (ConfigException e) {
      // rules checked while wiring (e.g. the request policy's floor on the defaults): same one line as the loader's
      System.err.println("berth: configuration error: " + e.getMessage());
      return CONFIG_ERROR;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      worker.close();
      stopped.countDown();
    }, "berth-shutdown"));
    stopped.await();
    return 0;
  }
}
