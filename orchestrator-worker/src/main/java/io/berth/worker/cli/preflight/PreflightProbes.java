package io.berth.worker.cli.preflight;

import io.berth.worker.coordination.EtcdFleetReader;
import io.berth.worker.coordination.FleetReader;
import io.berth.worker.docker.DockerInventory;
import io.berth.worker.docker.DockerJavaInventory;
import java.net.URI;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Everything preflight looks at the world through, each behind a small interface so that the checks can be tested
 * with fakes.
 *
 * @param docker opens a Docker client for a {@code DOCKER_HOST}
 * @param fleet opens an etcd reader for endpoints and a key prefix
 */
public record PreflightProbes(Function<String, DockerInventory> docker, HostNet hostNet, CommandRunner commands,
    BrokerProbe broker, BiFunction<List<URI>, String, FleetReader> fleet) {

  public static PreflightProbes system() {
    return new PreflightProbes(DockerJavaInventory::connect, SystemHostNet.system(), new ProcessCommandRunner(),
        new AmqpBrokerProbe(), EtcdFleetReader::connect);
  }
}
