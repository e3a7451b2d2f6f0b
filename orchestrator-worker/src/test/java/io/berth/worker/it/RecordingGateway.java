package io.berth.worker.it;

import io.berth.worker.docker.ContainerSpec;
import io.berth.worker.docker.DockerGateway;
import io.berth.worker.docker.ManagedContainer;
import io.berth.worker.docker.NetworkSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** Passes every call through and records its name, so a test can prove a command made no Docker call at all. */
public final class RecordingGateway implements DockerGateway {
  private final DockerGateway delegate;
  private final List<String> calls = new CopyOnWriteArrayList<>();

  public RecordingGateway(DockerGateway delegate) {
    this.delegate = delegate;
  }

  public List<String> calls() {
    return List.copyOf(calls);
  }

  public void clear() {
    calls.clear();
  }

  @Override
  public void ping() {
    calls.add("ping");
    delegate.ping();
  }

  @Override
  public void ensureNetwork(NetworkSpec spec) {
    calls.add("ensureNetwork");
    delegate.ensureNetwork(spec);
  }

  @Override
  public List<ManagedContainer> listManaged() {
    calls.add("listManaged");
    return delegate.listManaged();
  }

  @Override
  public Optional<ManagedContainer> find(String nameOrId) {
    calls.add("find " + nameOrId);
    return delegate.find(nameOrId);
  }

  @Override
  public Set<String> endpointAddresses(String network) {
    calls.add("endpointAddresses");
    return delegate.endpointAddresses(network);
  }

  @Override
  public boolean imageExists(String image) {
    calls.add("imageExists " + image);
    return delegate.imageExists(image);
  }

  @Override
  public String create(ContainerSpec spec) {
    calls.add("create " + spec.name());
    return delegate.create(spec);
  }

  @Override
  public void start(String id) {
    calls.add("start");
    delegate.start(id);
  }

  @Override
  public void stop(String id, Duration timeout) {
    calls.add("stop");
    delegate.stop(id, timeout);
  }

  @Override
  public void restart(String id, Duration timeout) {
    calls.add("restart");
    delegate.restart(id, timeout);
  }

  @Override
  public void remove(String id) {
    calls.add("remove");
    delegate.remove(id);
  }

  @Override
  public long exec(String id, List<String> command, Duration timeout) {
    calls.add("exec");
    return delegate.exec(id, command, timeout);
  }
}
