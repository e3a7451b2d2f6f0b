package io.berth.worker.cli.preflight;

import io.berth.worker.config.EnvConfigLoader;
import io.berth.worker.config.WorkerConfig;
import io.berth.worker.coordination.FleetReader;
import io.berth.worker.coordination.FleetSnapshot;
import io.berth.worker.docker.DockerInventory;
import io.berth.worker.docker.EngineVersion;
import java.util.Optional;

/**
 * What the checks of one preflight run share: the environment, the configuration as the worker would load it, and
 * connections opened once, on first use, by whichever check needs them first. A connection that fails is attempted
 * only once; its own check reports why and the others skip.
 */
public final class PreflightContext implements AutoCloseable {
  private final PreflightEnv env;
  private final PreflightProbes probes;
  private final WorkerConfig config;
  private final RuntimeException configError;
  private Attempt<DockerInventory> docker;
  private EngineVersion dockerVersion;
  private Attempt<BrokerProbe.Session> broker;
  private Exception brokerError;
  private Attempt<FleetSnapshot> fleet;

  public PreflightContext(PreflightEnv env, PreflightProbes probes) {
    this.env = env;
    this.probes = probes;
    WorkerConfig loaded = null;
    RuntimeException error = null;
    try {
      // The parent interface is the parent check's to judge (with more to say than "no such interface").
      loaded = new EnvConfigLoader(env.asMap(), name -> true).load();
    } catch (RuntimeException e) {
      error = e;
    }
    this.config = loaded;
    this.configError = error;
  }

  public PreflightEnv env() {
    return env;
  }

  public PreflightProbes probes() {
    return probes;
  }

  /** The configuration the worker would start with; empty when it would refuse to start ({@link #configError()}). */
  public Optional<WorkerConfig> config() {
    return Optional.ofNullable(config);
  }

  /** A {@link ConfigException} naming the variable, or (a bug) anything else the loader threw. */
  public Optional<RuntimeException> configError() {
    return Optional.ofNullable(configError);
  }

  /** The Docker Engine of {@code DOCKER_HOST}, if it answered a version call. */
  public synchronized Attempt<DockerInventory> docker() {
    if (docker == null) {
      DockerInventory inventory = null;
      try {
        inventory = probes.docker().apply(env.dockerHost());
        dockerVersion = inventory.version();
        docker = Attempt.of(inventory);
      } catch (RuntimeException e) {
        if (inventory != null) {
          inventory.close();
        }
        docker = Attempt.failed(String.valueOf(e.getMessage()));
      }
    }
    return docker;
  }

  /** The engine's version, once {@link #docker()} succeeded. */
  public synchronized EngineVersion dockerVersion() {
    return dockerVersion;
  }

  /** One connection to the broker with the worker's URI. */
  public synchronized Attempt<BrokerProbe.Session> broker() {
    if (broker == null) {
      try {
        broker = Attempt.of(probes.broker().open(env.broker()));
      } catch (Exception e) {
        brokerError = e;
        broker = Attempt.failed(BrokerCheck.describe(e));
      }
    }
    return broker;
  }

  /** Why {@link #broker()} failed, for the broker check to put in words. */
  public synchronized Optional<Exception> brokerError() {
    broker();
    return Optional.ofNullable(brokerError);
  }

  /** The fleet as etcd holds it (fleet mode only). */
  public synchronized Attempt<FleetSnapshot> fleet() {
    if (fleet == null) {
      if (env.etcdEndpoints().isEmpty()) {
        fleet = Attempt.failed("no usable etcd endpoint in " + io.berth.worker.config.EnvNames.ETCD_ENDPOINTS);
        return fleet;
      }
      try (FleetReader reader = probes.fleet().apply(env.etcdEndpoints(), env.etcdPrefix())) {
        fleet = Attempt.of(reader.read());
      } catch (RuntimeException e) {
        fleet = Attempt.failed(String.valueOf(e.getMessage()));
      }
    }
    return fleet;
  }

  @Override
  public synchronized void close() {
    if (docker != null && docker.ok()) {
      docker.value().close();
    }
    if (broker != null && broker.ok()) {
      broker.value().close();
    }
  }
}
