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

/**
 * Passes every call through and records the ones made while handling commands, so a test can prove a command made no
 * Docker call at all. Supervision's own background passes (reconcile, event stream) are not commands and not recorded.
 * Calls below the worker's informer are recorded: reads its copy answers never get here.
 */
public final class RecordingGateway implements DockerGateway {
  private final DockerGateway delegate;
  private final List<String> calls = new CopyOnWriteArrayList<>();

  private void record(String call) {
    String thread = Thread.currentThread().getName();
    // Supervision's passes and the event stream (docker-java's callback threads feed the informer's copy) are not
    // commands.
    if (!thread.startsWith("berth-supervision") && !thread.startsWith("docker-java-stream")) {
      calls.add(call);
    }
  }

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
    record("ping");
    delegate.ping();
  }

  @Override
  public void ensureNetwork(NetworkSpec spec) {
    record("ensureNetwork");
    delegate.ensureNetwork(spec);
  }

  @Override
  public List<ManagedContainer> listManaged() {
    record("listManaged");
    return delegate.listManaged();
  }

  @Override
  public Optional<ManagedContainer> find(String nameOrId) {
    record("find " + nameOrId);
    return delegate.find(nameOrId);
  }

  @Override
  public Set<String> endpointAddresses(String network) {
    record("endpointAddresses");
    return delegate.endpointAddresses(network);
  }

  @Override
  public boolean imageExists(String image) {
    record("imageExists " + image);
    return delegate.imageExists(image);
  }

  @Override
  public String create(ContainerSpec spec) {
    record("create " + spec.name());
    return delegate.create(spec);
  }

  @Override
  public void start(String id) {
    record("start");
    delegate.start(id);
  }

  @Override
  public void stop(String id, Duration timeout) {
    record("stop");
    delegate.stop(id, timeout);
  }

  @Override
  public void restart(String id, Duration timeout) {
    record("restart");
    delegate.restart(id, timeout);
  }

  @Override
  public void remove(String id) {
    record("remove");
    delegate.remove(id);
  }

  @Override
  public AutoCloseable subscribe(java.util.Map<String, String> labels, java.time.Instant since,
      java.util.function.Consumer<io.berth.worker.docker.ContainerEvent> onEvent,
      java.util.function.Consumer<Throwable> onEnd) {
    record("subscribe");
    return delegate.subscribe(labels, since, onEvent, onEnd);
  }

  @Override
  public long exec(String id, List<String> command, Duration timeout) {
    record("exec");
    return delegate.exec(id, command, timeout);
  }
}
