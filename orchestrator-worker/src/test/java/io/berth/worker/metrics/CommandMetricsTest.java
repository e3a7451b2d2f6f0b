package io.berth.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.events.RestartCause;
import io.berth.events.TranscoderRestarted;
import io.berth.events.TranscoderStarted;
import io.berth.worker.messaging.Disposition;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CommandMetricsTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final TranscoderStarted STARTED = new TranscoderStarted("acme", "tx-1", "room-1", "host-a",
      "c0ffee", "berth-acme-tx-1", "berth-wcs", "192.0.2.70");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final CommandMetrics metrics = new CommandMetrics(registry);

  private double commands(String type, String outcome) {
    var counter = registry.find("berth.commands").tag("type", type).tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void deliveriesAreCountedByCommandTypeAndOutcome() {
    metrics.settled("TranscoderRequested", Disposition.ack());
    metrics.settled("TranscoderRequested", Disposition.ack());
    metrics.settled("RoomClosed", new Disposition.Requeue("publish failed"));
    metrics.settled("TranscoderRequested", new Disposition.GiveBack("full"));
    metrics.settled("TenantSuspended", new Disposition.Abandon("stopping"));
    metrics.failed("TranscoderReleased");

    assertThat(commands("TranscoderRequested", "acked")).isEqualTo(2);
    assertThat(commands("RoomClosed", "requeued")).isEqualTo(1);
    assertThat(commands("TranscoderRequested", "given-back")).isEqualTo(1);
    assertThat(commands("TenantSuspended", "abandoned")).isEqualTo(1);
    assertThat(commands("TranscoderReleased", "failed")).isEqualTo(1);
  }

  @Test
  void aRoutingKeyThatNamesNoCommandIsOtherNotANewSeries() {
    metrics.settled("tenant-42.whatever", new Disposition.DeadLetter("unroutable", "no binding"));
    metrics.settled("TranscoderStarted", new Disposition.DeadLetter("not-a-command", "lifecycle event"));
    metrics.settled(null, new Disposition.DeadLetter("malformed-json", "?"));

    assertThat(commands("other", "dead-lettered")).isEqualTo(3);
    assertThat(registry.find("berth.commands").counters()).hasSize(1);
  }

  @Test
  void deadLettersAreCountedByReasonCode() {
    metrics.settled("TranscoderRequested", new Disposition.DeadLetter("image-not-allowed", "x"));
    metrics.settled("TranscoderRequested", new Disposition.DeadLetter("image-not-allowed", "y"));
    metrics.settled("TranscoderRequested", new Disposition.DeadLetter("readiness-timeout", "z"));

    assertThat(registry.get("berth.dead.letters").tag("code", "image-not-allowed").counter().count()).isEqualTo(2);
    assertThat(registry.get("berth.dead.letters").tag("code", "readiness-timeout").counter().count()).isEqualTo(1);
    assertThat(registry.get("berth.dead.letters").counters()).allSatisfy(c ->
        assertThat(c.getId().getTags()).extracting(t -> t.getKey()).containsExactly("code"));
  }

  @Test
  void provisioningLatencyIsFromTheRequestsTimeToItsStartedEvent() {
    metrics.reported("TranscoderRequested", T0, STARTED, T0.plusSeconds(12));
    // a resume starts transcoders too, but that is not provisioning
    metrics.reported("TenantResumed", T0, STARTED, T0.plusSeconds(100));
    // a publisher clock ahead of ours: counted, as 0
    metrics.reported("TranscoderRequested", T0.plusSeconds(5), STARTED, T0);

    Timer provisioning = registry.get("berth.provisioning").timer();
    assertThat(provisioning.count()).isEqualTo(2);
    assertThat(provisioning.totalTime(TimeUnit.SECONDS)).isEqualTo(12.0);
    assertThat(provisioning.max(TimeUnit.SECONDS)).isEqualTo(12.0);
    assertThat(provisioning.takeSnapshot().histogramCounts()).as("buckets for Prometheus").isNotEmpty();
  }

  @Test
  void restartsAreCountedByCauseAndEverySeriesStartsAtZero() {
    assertThat(registry.find("berth.transcoder.restarts").counters()).hasSize(2).allMatch(c -> c.count() == 0);
    assertThat(registry.find("berth.transcoder.crashes").counters()).hasSize(2);
    assertThat(registry.find("berth.transcoder.crash.loops").counter()).isNotNull();

    metrics.reported("TranscoderRestartRequested", T0,
        new TranscoderRestarted("acme", "tx-1", "host-a", RestartCause.REQUESTED, 1), T0.plusSeconds(3));

    assertThat(registry.get("berth.transcoder.restarts").tag("cause", "requested").counter().count()).isEqualTo(1);
    assertThat(registry.get("berth.transcoder.restarts").tag("cause", "crashed").counter().count()).isZero();
  }

  @Test
  void noMeterEverCarriesATenantOrTranscoder() {
    metrics.settled("TranscoderRequested", Disposition.ack());
    metrics.reported("TranscoderRequested", T0, STARTED, T0.plusSeconds(1));
    new TranscoderMetrics(registry).crashed(true);

    assertThat(registry.getMeters()).flatExtracting(m -> m.getId().getTags())
        .extracting(t -> t.getValue()).doesNotContain("acme", "tx-1", "room-1", "192.0.2.70");
    assertThat(registry.getMeters()).extracting(Meter::getId).extracting(Meter.Id::getName)
        .allMatch(name -> name.startsWith("berth."));
  }
}
