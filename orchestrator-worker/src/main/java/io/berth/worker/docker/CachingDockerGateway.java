package io.berth.worker.docker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * An informer over Docker's containers, as client-go's are over Kubernetes objects: one full list, then Docker's event
 * stream keeps a copy of every Berth container, and reads are answered from that copy. Writes go to Docker and update
 * the copy as they return, so whoever wrote reads their own write. A duplicate or no-op command, and every address
 * lease, then costs no Docker call; per-request cost stays flat however many containers the host holds.
 *
 * <p>The copy is trusted only while it is <em>synced</em>: after a full list that began while the event stream was up
 * and no stream gap happened since. Before that, and from a stream's end until the next full list, every read goes to
 * Docker. {@link #listManaged()} always asks Docker and is the resync: the reconcile pass calls it on its schedule.
 *
 * <p>Every observation carries the tick at which it was asked for; a newer observation never loses to an older one
 * (an inspect that was in flight while a write happened cannot bring back what the write changed).
 */
public final class CachingDockerGateway implements DockerGateway {
  /** Container actions whose outcome the copy must learn; {@link #observe} is told each of them. */
  public static final Set<String> ACTIONS = Set.of("create", "start", "die", "oom", "destroy", "rename", "pause",
      "unpause");

  private final DockerGateway docker;
  private final Map<String, Entry> byId = new ConcurrentHashMap<>();
  private final AtomicLong ticks = new AtomicLong();
  /** Bumped whenever the event stream ends: a list begun before cannot make the copy trusted again. */
  private final AtomicLong gaps = new AtomicLong();
  private volatile boolean streaming;
  private volatile boolean synced;
  /** Removed containers are remembered until two lists later, so a stale inspect cannot bring one back. */
  private volatile long previousListTick;

  /**
   * @param container null when the container is gone
   * @param detailed from an inspect (exit code, OOM flag, start time); a list or a write knows only the state
   */
  private record Entry(ManagedContainer container, boolean detailed, long tick) { }

  public CachingDockerGateway(DockerGateway docker) {
    this.docker = docker;
  }

  /** The event stream is up (again); the next full list makes the copy trusted. */
  public void streamStarted() {
    streaming = true;
  }

  /** The event stream ended: what it would have told is unknown until the next full list; reads go to Docker. */
  public void streamEnded() {
    streaming = false;
    distrust();
  }

  /** Something the copy should have learnt it could not: reads go to Docker until the next full list. */
  private void distrust() {
    synced = false;
    gaps.incrementAndGet();
  }

  public boolean synced() {
    return synced;
  }

  /**
   * One event of a Berth container, from the stream the supervisor follows: called before the supervisor hears of it,
   * so whatever it reads next already shows the event's outcome.
   */
  public void observe(ContainerEvent event) {
    try {
      learn(event);
    } catch (RuntimeException e) {
      distrust(); // Docker went away between the event and our inspect: the next full list catches up
    }
  }

  private void learn(ContainerEvent event) {
    String id = event.containerId();
    Entry known = byId.get(id);
    switch (event.action()) {
      case "destroy" -> store(id, null, true, ticks.incrementAndGet());
      // Echoes of our own writes: the copy already shows them; only what it does not know is asked for.
      case "create" -> {
        if (known == null) {
          refresh(id);
        }
      }
      case "start" -> {
        if (known == null || known.container() == null || !known.container().isRunning()) {
          refresh(id);
        }
      }
      default -> refresh(id); // die, oom, rename, pause, unpause: the copy learns exit code, flags and names
    }
  }

  @Override
  public List<ManagedContainer> listManaged() {
    boolean wasStreaming = streaming;
    long gap = gaps.get();
    long tick = ticks.incrementAndGet();
    List<ManagedContainer> listed = docker.listManaged();
    Set<String> seen = new java.util.HashSet<>();
    for (ManagedContainer c : listed) {
      seen.add(c.id());
      byId.compute(c.id(), (id, old) -> {
        if (old != null && old.tick() > tick) {
          return old; // changed since the list began
        }
        if (old != null && old.detailed() && old.container() != null && sameState(old.container(), c)) {
          return old; // nothing changed, and the copy knows more than a list says
        }
        return new Entry(c, false, tick);
      });
    }
    long forgetBefore = previousListTick;
    for (String id : byId.keySet()) {
      if (!seen.contains(id)) {
        byId.computeIfPresent(id, (k, old) -> {
          if (old.tick() > tick) {
            return old;
          }
          if (old.container() == null && old.tick() < forgetBefore) {
            return null; // a removal two lists old: no inspect is still in flight for it
          }
          return old.container() == null ? old : new Entry(null, true, tick);
        });
      }
    }
    previousListTick = tick;
    synced = wasStreaming && streaming && gaps.get() == gap;
    return listed;
  }

  /** Every Berth container of any host as the copy knows it; from Docker while the copy is not trusted. */
  public List<ManagedContainer> managed() {
    if (!synced) {
      return listManaged();
    }
    return byId.values().stream().map(Entry::container).filter(java.util.Objects::nonNull).toList();
  }

  @Override
  public Optional<ManagedContainer> find(String nameOrId) {
    if (!synced) {
      return docker.find(nameOrId);
    }
    Optional<Entry> hit = Optional.ofNullable(byId.get(nameOrId))
        .or(() -> byId.values().stream()
            .filter(e -> e.container() != null && e.container().name().equals(nameOrId)).findFirst());
    if (hit.isEmpty() || hit.get().container() == null) {
      return Optional.empty(); // trusted: Docker would say "no such container" too
    }
    if (!hit.get().detailed() && !hit.get().container().isRunning()) {
      // The copy knows it stopped, not how (exit code, OOM): asked once. A running one needs no more than the copy
      // has; how its run ends arrives with its die event, which is learnt before anyone hears of the exit.
      return refresh(hit.get().container().id());
    }
    return Optional.of(hit.get().container());
  }

  private Optional<ManagedContainer> refresh(String id) {
    long tick = ticks.incrementAndGet();
    Optional<ManagedContainer> found = docker.find(id);
    if (found.isPresent() && !found.get().labels().containsKey(Labels.MANAGED)) {
      return found; // not Berth's: never part of the copy
    }
    store(id, found.orElse(null), true, tick);
    return found;
  }

  private void store(String id, ManagedContainer container, boolean detailed, long tick) {
    byId.compute(id, (k, old) -> old != null && old.tick() > tick ? old : new Entry(container, detailed, tick));
  }

  private static boolean sameState(ManagedContainer a, ManagedContainer b) {
    return a.state().equals(b.state()) && a.name().equals(b.name());
  }

  @Override
  public String create(ContainerSpec spec) {
    String id = docker.create(spec);
    store(id, new ManagedContainer(id, spec.name(), "created", spec.labels()), false, ticks.incrementAndGet());
    return id;
  }

  @Override
  public void start(String id) {
    docker.start(id);
    written(id, "running");
  }

  @Override
  public void stop(String id, Duration timeout) {
    docker.stop(id, timeout);
    written(id, "exited");
  }

  @Override
  public void restart(String id, Duration timeout) {
    docker.restart(id, timeout);
    written(id, "running");
  }

  @Override
  public void remove(String id) {
    docker.remove(id);
    store(id, null, true, ticks.incrementAndGet());
  }

  /** The state a write leaves; how the run started or ended is asked for when someone reads it. */
  private void written(String id, String state) {
    long tick = ticks.incrementAndGet();
    byId.computeIfPresent(id, (k, old) -> old.tick() > tick || old.container() == null ? old
        : new Entry(new ManagedContainer(id, old.container().name(), state, old.container().labels()), false, tick));
  }

  @Override
  public void ping() {
    docker.ping();
  }

  @Override
  public void ensureNetwork(NetworkSpec spec) {
    docker.ensureNetwork(spec);
  }

  @Override
  public Set<String> endpointAddresses(String network) {
    return docker.endpointAddresses(network);
  }

  @Override
  public boolean imageExists(String image) {
    return docker.imageExists(image);
  }

  @Override
  public AutoCloseable subscribe(Map<String, String> labels, Instant since, Consumer<ContainerEvent> onEvent,
      Consumer<Throwable> onEnd) {
    return docker.subscribe(labels, since, onEvent, onEnd);
  }

  @Override
  public long exec(String id, List<String> command, Duration timeout) {
    return docker.exec(id, command, timeout);
  }
}
