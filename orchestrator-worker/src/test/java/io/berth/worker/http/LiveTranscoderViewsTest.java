package io.berth.worker.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.worker.cli.status.FakeInventory;
import io.berth.worker.coordination.CoordinationUnavailableException;
import io.berth.worker.coordination.FleetReader;
import io.berth.worker.coordination.FleetSnapshot;
import io.berth.worker.docker.ContainerDetails;
import io.berth.worker.docker.DockerInventory;
import io.berth.worker.docker.DockerNetwork;
import io.berth.worker.docker.EngineVersion;
import io.berth.worker.docker.ManagedContainer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the page costs Docker and etcd, and what it shows when either does not answer. */
class LiveTranscoderViewsTest {
  private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
  private final CachedReadingTest.TestClock clock = new CachedReadingTest.TestClock(START);
  private final FakeInventory engine = new FakeInventory()
      .add("h1", "acme", "tx-1", "room-1", "192.0.2.70", "running", START.minusSeconds(60), null, null, false)
      .add("h2", "acme", "tx-9", "room-1", "192.0.2.79", "running", START.minusSeconds(60), null, null, false);
  private final CountingInventory docker = new CountingInventory(engine);
  private final AtomicBoolean dockerDown = new AtomicBoolean();
  private final AtomicInteger fleetReads = new AtomicInteger();
  private final AtomicBoolean etcdDown = new AtomicBoolean();
  private final AtomicBoolean fleetClosed = new AtomicBoolean();

  private final FleetReader fleet = new FleetReader() {
    @Override
    public FleetSnapshot read() {
      fleetReads.incrementAndGet();
      if (etcdDown.get()) {
        throw new CoordinationUnavailableException("etcd unreachable", null);
      }
      return new FleetSnapshot("/berth", List.of(new FleetSnapshot.Member("h1", "e1", START, 9),
          new FleetSnapshot.Member("h2", "e2", START, 9)),
          List.of(new FleetSnapshot.Placement("acme", "tx-1", "room-1", "192.0.2.70", "h1", "h1", true, false, false),
              new FleetSnapshot.Placement("acme", "tx-9", "room-1", "192.0.2.79", "h2", "h2", true, false, false)),
          Optional.empty());
    }

    @Override
    public void close() {
      fleetClosed.set(true);
    }
  };

  private LiveTranscoderViews views(Optional<FleetReader> reader) {
    return new LiveTranscoderViews("h1", "unix:///var/run/docker.sock", docker, dockerDown::get, reader,
        new TranscoderViewAssembler("h1", reader.isPresent(), START, k -> Optional.empty(),
            reader.isPresent() ? Optional.empty() : Optional.of(new TranscoderViewAssembler.LocalIntents(
                k -> false, t -> false))), clock);
  }

  @Test
  void dockerIsReadOnlyWhenAskedAndAtMostEveryTwoSecondsWhateverThePollRate() {
    LiveTranscoderViews views = views(Optional.empty());
    assertThat(docker.lists).hasValue(0); // nobody looking: no call at all

    for (int i = 0; i < 10; i++) {
      TranscoderView view = views.get();
      assertThat(view.transcoders()).extracting(TranscoderView.Transcoder::transcoderId).containsExactly("tx-1");
      clock.advance(Duration.ofMillis(150));
    }
    assertThat(docker.lists).hasValue(1);
    assertThat(docker.inspects).hasValue(1); // this host's container only

    clock.advance(LiveTranscoderViews.DOCKER_FRESH);
    views.get();
    assertThat(docker.lists).hasValue(2);
  }

  @Test
  void dockerKnownDownIsNotAskedAndThePageSaysWhatItShowsIsOld() {
    LiveTranscoderViews views = views(Optional.empty());
    views.get();
    dockerDown.set(true);
    clock.advance(Duration.ofSeconds(3));

    TranscoderView view = views.get();

    assertThat(docker.lists).hasValue(1);
    assertThat(view.transcoders()).hasSize(1);
    assertThat(view.problems()).containsExactly("docker: unreachable (the worker is waiting for it to answer a ping)"
        + " (showing what it said at 2026-11-25T10:00:00Z)");
  }

  @Test
  void aFleetIsReadFromEtcdAtMostEveryFiveSecondsAndItsFailureIsAProblemNotAnError() {
    LiveTranscoderViews views = views(Optional.of(fleet));
    TranscoderView view = views.get();
    assertThat(view.transcoders()).extracting(TranscoderView.Transcoder::hostId).containsExactly("h1", "h2");
    clock.advance(Duration.ofSeconds(4));
    views.get();
    assertThat(fleetReads).hasValue(1);

    etcdDown.set(true);
    clock.advance(Duration.ofSeconds(1));
    TranscoderView stale = views.get();
    assertThat(fleetReads).hasValue(2);
    assertThat(stale.transcoders()).hasSize(2);
    assertThat(stale.problems()).singleElement().asString().startsWith("etcd: etcd unreachable (showing what it said");

    views.close();
    assertThat(fleetClosed).isTrue();
  }

  /** Counts what the page asks of the engine. */
  private static final class CountingInventory implements DockerInventory {
    final AtomicInteger lists = new AtomicInteger();
    final AtomicInteger inspects = new AtomicInteger();
    private final DockerInventory engine;

    CountingInventory(DockerInventory engine) {
      this.engine = engine;
    }

    @Override
    public EngineVersion version() {
      return engine.version();
    }

    @Override
    public String engineId() {
      return engine.engineId();
    }

    @Override
    public List<DockerNetwork> networks() {
      return engine.networks();
    }

    @Override
    public boolean imageExists(String image) {
      return engine.imageExists(image);
    }

    @Override
    public List<ManagedContainer> listManaged() {
      lists.incrementAndGet();
      return engine.listManaged();
    }

    @Override
    public Optional<ContainerDetails> inspect(String id) {
      inspects.incrementAndGet();
      return engine.inspect(id);
    }

    @Override
    public void close() {
    }
  }
}
