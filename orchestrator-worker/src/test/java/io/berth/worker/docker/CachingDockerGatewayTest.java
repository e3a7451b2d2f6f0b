package io.berth.worker.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class CachingDockerGatewayTest {
  /** What "Docker" holds right now, by id. */
  private final Map<String, ManagedContainer> engine = new ConcurrentHashMap<>();
  private final List<String> calls = new ArrayList<>();
  /** Runs inside the next inspect, after Docker answered and before the copy stores the answer. */
  private Consumer<String> duringInspect = id -> { };

  private final CachingDockerGateway copy = new CachingDockerGateway((DockerGateway) Proxy.newProxyInstance(
      getClass().getClassLoader(), new Class<?>[] {DockerGateway.class}, (proxy, method, args) -> {
        calls.add(method.getName());
        return switch (method.getName()) {
          case "listManaged" -> List.copyOf(engine.values());
          case "find" -> {
            Optional<ManagedContainer> found = Optional.ofNullable(engine.get((String) args[0]))
                .or(() -> engine.values().stream().filter(c -> c.name().equals(args[0])).findFirst());
            Consumer<String> hook = duringInspect;
            duringInspect = id -> { };
            hook.accept((String) args[0]);
            yield found;
          }
          case "create" -> "b";
          case "remove" -> {
            engine.remove((String) args[0]);
            yield null;
          }
          default -> null;
        };
      }));

  private static ManagedContainer container(String id, String state) {
    return new ManagedContainer(id, "berth-t-" + id, state, Map.of(Labels.MANAGED, "true"), 0, false,
        "2026-12-06T00:00:0" + state.length() + "Z");
  }

  private void synced() {
    copy.streamStarted();
    copy.listManaged();
    calls.clear();
  }

  @Test
  void untilAListWhileTheStreamIsUpEveryReadGoesToDocker() {
    engine.put("a", container("a", "running"));
    copy.listManaged(); // no stream yet: whatever it missed before the stream began is unknown
    copy.find("a");
    assertThat(calls).containsExactly("listManaged", "find");
    assertThat(copy.synced()).isFalse();

    engine.put("b", container("b", "exited"));
    copy.streamStarted();
    copy.listManaged();
    calls.clear();
    assertThat(copy.find("berth-t-a")).isPresent();
    assertThat(copy.find("a")).isPresent();
    assertThat(copy.find("nobody")).isEmpty();
    assertThat(calls).as("a running container: the copy knows enough").isEmpty();
    assertThat(copy.find("b")).get().extracting(ManagedContainer::startedAt).isEqualTo(container("b", "exited")
        .startedAt());
    copy.find("b");
    assertThat(calls).as("a list gives no exit details of a stopped one: asked once, then known")
        .containsExactly("find");
  }

  @Test
  void anEndedStreamMakesEveryReadGoToDockerUntilTheNextList() {
    engine.put("a", container("a", "running"));
    synced();
    copy.streamEnded();
    copy.find("a");
    copy.managed();
    assertThat(calls).containsExactly("find", "listManaged");
    assertThat(copy.synced()).as("a list without a stream does not make it trusted").isFalse();
  }

  @Test
  void aDieEventIsLearntBeforeAnyoneReadsAndARemovalOutsideToo() {
    engine.put("a", container("a", "running"));
    synced();
    engine.put("a", container("a", "exited"));
    copy.observe(new ContainerEvent("a", "die", Instant.now(), Map.of()));
    assertThat(copy.find("a")).get().extracting(ManagedContainer::state).isEqualTo("exited");

    engine.remove("a");
    copy.observe(new ContainerEvent("a", "destroy", Instant.now(), Map.of()));
    assertThat(copy.find("a")).isEmpty();
    assertThat(copy.managed()).isEmpty();
  }

  @Test
  void anInspectInFlightDuringAWriteCannotBringBackWhatTheWriteChanged() {
    engine.put("a", container("a", "exited"));
    synced();
    // A die event's inspect answers "exited"; before the copy stores that, the worker starts the container again.
    duringInspect = id -> {
      engine.put("a", container("a", "running"));
      copy.start("a");
    };
    copy.observe(new ContainerEvent("a", "die", Instant.now(), Map.of()));

    assertThat(copy.find("a")).get().extracting(ManagedContainer::state).isEqualTo("running");
  }

  @Test
  void aRemovalIsNotUndoneByAnInspectThatBeganBeforeIt() {
    engine.put("a", container("a", "running"));
    synced();
    duringInspect = id -> copy.remove("a");
    copy.observe(new ContainerEvent("a", "rename", Instant.now(), Map.of()));

    assertThat(copy.find("a")).isEmpty();
    copy.listManaged();
    assertThat(copy.managed()).isEmpty();
  }

  @Test
  void aWriteIsReadBackWithoutAskingDockerAndAListForgetsWhatDockerNoLongerHas() {
    synced();
    String id = copy.create(new ContainerSpec("berth-t-b", "img", "net", "198.51.100.9", Map.of(), Map.of(),
        Map.of(Labels.MANAGED, "true"), 1, 1, 1, Map.of()));
    assertThat(copy.managed()).extracting(ManagedContainer::name).containsExactly("berth-t-b");
    assertThat(calls).containsExactly("create");

    copy.listManaged(); // Docker never had it (the fake's create makes nothing)
    assertThat(copy.managed()).isEmpty();
    assertThat(copy.find(id)).isEmpty();
  }
}
