package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.events.CloudEvent;
import io.berth.events.ContainerCrashed;
import io.berth.events.ProvisioningFailed;
import io.berth.events.TranscoderReleased;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderRestarted;
import io.berth.events.TranscoderStarted;
import io.berth.events.TranscoderStopped;
import io.berth.events.testing.Examples;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What Berth wants survives a restart of the worker, in both modes: a suspended tenant stays suspended, a cancelled
 * request stays cancelled, a crash-looped transcoder stays stopped. Single host: the local store; fleet: etcd.
 */
class DurableIntentsIT extends WorkerItSupport {
  private static TestEtcd etcd;

  @BeforeAll
  static void startEtcd() throws Exception {
    etcd = new TestEtcd();
  }

  @AfterAll
  static void stopEtcd() throws Exception {
    etcd.close();
  }

  private Map<String, String> env(String mode) throws Exception {
    Map<String, String> env = WorkerHarness.env(lan, network, hostId());
    if (mode.equals("fleet")) {
      env.put("BERTH_ETCD_ENDPOINTS", etcd.endpoint());
      env.put("BERTH_ETCD_PREFIX", "/berth-it-" + UUID.randomUUID().toString().substring(0, 8));
    }
    env.put("BERTH_RESTART_INITIAL_BACKOFF_MS", "100");
    env.put("BERTH_RESTART_MAX_BACKOFF_MS", "200");
    env.put("BERTH_RECONCILE_SECONDS", "1");
    return env;
  }

  private void restart(WorkerHarness worker, Map<String, String> env) throws Exception {
    worker.close();
    workers.remove(worker);
    startWorker(env);
  }

  @ParameterizedTest
  @ValueSource(strings = {"single-host", "fleet"})
  void aSuspendedTenantStaysSuspendedAcrossARestart(String mode) throws Exception {
    String tenant = "susp-" + mode.charAt(0);
    Map<String, String> env = env(mode);
    WorkerHarness worker = startWorker(env);
    CloudEvent<TranscoderRequested> first = request(tenant, "tx-1", "room");
    tap.publish(first);
    assertThat(awaitEventCausedBy(first.id()).data()).isInstanceOf(TranscoderStarted.class);
    tap.publish(Examples.tenantSuspended(tenant));
    await().atMost(Duration.ofSeconds(30)).until(() -> tap.events(TranscoderStopped.class,
        s -> s.tenantId().equals(tenant)), l -> !l.isEmpty());

    restart(worker, env);
    CloudEvent<TranscoderRequested> second = request(tenant, "tx-2", "room");
    tap.publish(second);
    ProvisioningFailed refused = (ProvisioningFailed) awaitEventCausedBy(second.id()).data();
    assertThat(refused.code()).isEqualTo("tenant-suspended");
    assertThat(containersOf(tenant)).hasSize(1).allMatch(c -> !"running".equals(c.getState()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"single-host", "fleet"})
  void aCancelledRequestStaysCancelledAcrossARestart(String mode) throws Exception {
    String tenant = "canc-" + mode.charAt(0);
    Map<String, String> env = env(mode);
    WorkerHarness worker = startWorker(env);
    Instant requestedAt = Instant.now();
    CloudEvent<TranscoderRequested> request = CloudEvent.command(UUID.randomUUID().toString(), Examples.SOURCE,
        requestedAt, new TranscoderRequested(tenant, "tx-1", "room", null, null));
    tap.publish(request);
    assertThat(awaitEventCausedBy(request.id()).data()).isInstanceOf(TranscoderStarted.class);
    CloudEvent<TranscoderReleased> release = Examples.transcoderReleased(tenant, "tx-1");
    tap.publish(release);
    assertThat(awaitEventCausedBy(release.id()).data()).isInstanceOf(TranscoderStopped.class);

    restart(worker, env);
    // The same request again (a redelivery, or a duplicate from upstream): it was overtaken by the release.
    CloudEvent<TranscoderRequested> again = CloudEvent.command(UUID.randomUUID().toString(), Examples.SOURCE,
        requestedAt, new TranscoderRequested(tenant, "tx-1", "room", null, null));
    tap.publish(again);
    ProvisioningFailed cancelled = (ProvisioningFailed) awaitEventCausedBy(again.id()).data();
    assertThat(cancelled.code()).isEqualTo("cancelled");
    assertThat(containersOf(tenant)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"single-host", "fleet"})
  void aCrashLoopedTranscoderStaysStoppedAcrossARestart(String mode) throws Exception {
    String tenant = "loop-" + mode.charAt(0);
    Map<String, String> env = env(mode);
    env.put("BERTH_RESTART_MAX", "1");
    WorkerHarness worker = startWorker(env);
    CloudEvent<TranscoderRequested> request = request(tenant, "tx-1", "room");
    tap.publish(request);
    TranscoderStarted started = (TranscoderStarted) awaitEventCausedBy(request.id()).data();
    assertThat(lan.httpGet(started.ipAddress(), 8081, "/rest-api/crash")).isPresent();
    await().atMost(Duration.ofSeconds(30)).until(() -> tap.events(TranscoderRestarted.class,
        r -> r.tenantId().equals(tenant)), l -> !l.isEmpty());
    await().atMost(Duration.ofSeconds(30)).until(() -> lan.httpGet(started.ipAddress(), 8081, "/rest-api/").isPresent());
    assertThat(lan.httpGet(started.ipAddress(), 8081, "/rest-api/crash")).isPresent();
    ProvisioningFailed gaveUp = await().atMost(Duration.ofSeconds(30)).until(() -> tap.events(ProvisioningFailed.class,
        f -> f.tenantId().equals(tenant)), l -> !l.isEmpty()).get(0);
    assertThat(gaveUp.code()).isEqualTo("crash-loop");

    restart(worker, env);
    int crashesBefore = tap.events(ContainerCrashed.class, c -> c.tenantId().equals(tenant)).size();
    // Several reconcile passes of the new worker: it must neither restart it nor count it again.
    await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() ->
        containersOf(tenant).stream().noneMatch(c -> "running".equals(c.getState()))
            && tap.events(TranscoderRestarted.class, r -> r.tenantId().equals(tenant)).size() == 1
            && tap.events(ContainerCrashed.class, c -> c.tenantId().equals(tenant)).size() == crashesBefore);
  }
}
