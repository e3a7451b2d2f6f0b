package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import io.berth.events.CloudEvent;
import io.berth.events.EventData;
import io.berth.events.RestartCause;
import io.berth.events.StopReason;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderRestarted;
import io.berth.events.TranscoderStarted;
import io.berth.events.TranscoderStopped;
import io.berth.events.testing.Examples;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every command's Docker effect and lifecycle event, against the real broker, dockerd and a macvlan LAN. */
class ProvisioningIT extends WorkerItSupport {

  @Test
  void requestStartsAnIsolatedWcsReachableAtItsStaticAddress() throws Exception {
    WorkerHarness worker = startWorker(hostId());
    CloudEvent<TranscoderRequested> request = request("acme", "tx-1", "room-1");
    tap.publish(request);

    CloudEvent<EventData> event = awaitEventCausedBy(request.id());
    assertThat(event.data()).isInstanceOf(TranscoderStarted.class);
    TranscoderStarted started = (TranscoderStarted) event.data();
    assertThat(started.containerName()).isEqualTo("berth-acme-tx-1");
    assertThat(started.hostId()).isEqualTo(worker.worker().hostId());
    assertThat(started.network()).isEqualTo(network);
    assertThat(started.ipAddress()).isEqualTo(lan.address(32)); // lowest of the range x.32/27 (inside the /24)
    assertThat(lan.httpGet(started.ipAddress(), 8081, "/rest-api/")).as("reachable from the LAN").isPresent();

    InspectContainerResponse c = TestDocker.inspect(started.containerId());
    assertThat(c.getName()).isEqualTo("/berth-acme-tx-1");
    assertThat(c.getNetworkSettings().getNetworks().get(network).getIpAddress()).isEqualTo(started.ipAddress());
    assertThat(c.getConfig().getLabels()).containsAllEntriesOf(Map.of(
        "io.berth.managed", "true", "io.berth.tenant", "acme", "io.berth.transcoder", "tx-1", "io.berth.room", "room-1",
        "io.berth.host", worker.worker().hostId(), "io.berth.ip", started.ipAddress()))
        .containsKey("io.berth.spec-hash");
    assertThat(c.getConfig().getEnv()).contains("LOCAL_IP=" + started.ipAddress(), "EXTERNAL_IP=" + started.ipAddress(),
        "PASSWORD=" + WorkerHarness.TEST_PASSWORD, "LICENSE=" + WorkerHarness.TEST_LICENSE);
    assertThat(c.getHostConfig().getPrivileged()).isFalse();
    assertThat(c.getHostConfig().getSecurityOpts()).contains("no-new-privileges:true");
    assertThat(c.getHostConfig().getNanoCPUs()).isEqualTo(250_000_000L);
    assertThat(c.getHostConfig().getMemory()).isEqualTo(64L * 1024 * 1024);
    assertThat(c.getHostConfig().getPidsLimit()).isEqualTo(4096L);
    // Docker's default json-file log grows without limit: a chatty media server would fill the host's disk.
    assertThat(c.getHostConfig().getLogConfig().getType().getType()).isEqualTo("json-file");
    assertThat(c.getHostConfig().getLogConfig().getConfig()).containsEntry("max-size", "10m")
        .containsEntry("max-file", "3");
    assertThat(c.getHostConfig().getBinds()).isNullOrEmpty();
    assertThat(c.getMounts()).isNullOrEmpty();

    // Secrets reach the container and nothing else.
    assertThat(c.getConfig().getLabels().values()).noneMatch(v -> v.contains(WorkerHarness.TEST_PASSWORD));
    assertThat(tap.events().toString() + new String(new io.berth.events.EventCodec().encode(event)))
        .doesNotContain(WorkerHarness.TEST_PASSWORD).doesNotContain(WorkerHarness.TEST_LICENSE);
  }

  @Test
  void duplicatedRequestGivesOneContainerAndOneAddress() throws Exception {
    startWorker(hostId());
    CloudEvent<TranscoderRequested> request = request("dup", "tx-1", "room-1");
    tap.publish(request);
    tap.publish(request); // redelivery or an upstream retry: same id
    CloudEvent<TranscoderRequested> again = request("dup", "tx-1", "room-1"); // a new command for the same transcoder
    tap.publish(again);

    await().atMost(Duration.ofSeconds(60)).until(() -> tap.causedBy(again.id()).size() == 1
        && tap.causedBy(request.id()).size() == 2);
    List<TranscoderStarted> started = tap.events(TranscoderStarted.class, s -> s.tenantId().equals("dup"));
    assertThat(started).extracting(TranscoderStarted::containerId).containsOnly(started.get(0).containerId());
    assertThat(started).extracting(TranscoderStarted::ipAddress).containsOnly(started.get(0).ipAddress());
    assertThat(tap.causedBy(request.id())).extracting(CloudEvent::id).as("same command, same outcome, same id")
        .containsOnly(tap.causedBy(request.id()).get(0).id());
    assertThat(containersOf("dup")).hasSize(1);
  }

  @Test
  void releaseRemovesTheContainer() throws Exception {
    startWorker(hostId());
    CloudEvent<TranscoderRequested> request = request("rel", "tx-1", "room-1");
    tap.publish(request);
    awaitEventCausedBy(request.id());
    assertThat(containersOf("rel")).hasSize(1);

    var release = Examples.transcoderReleased("rel", "tx-1");
    tap.publish(release);
    CloudEvent<EventData> stopped = awaitEventCausedBy(release.id());
    assertThat(stopped.data()).isEqualTo(new TranscoderStopped("rel", "tx-1", workers.get(0).worker().hostId(),
        StopReason.RELEASED, true));
    // Stopped, reported, then removed: the removal follows the confirmed event (a redelivery can still report it).
    await().atMost(Duration.ofSeconds(10)).until(() -> containersOf("rel").isEmpty());
  }

  @Test
  void restartKeepsContainerAndAddress() throws Exception {
    startWorker(hostId());
    CloudEvent<TranscoderRequested> request = request("rst", "tx-1", "room-1");
    tap.publish(request);
    TranscoderStarted started = (TranscoderStarted) awaitEventCausedBy(request.id()).data();
    String startedAt = TestDocker.inspect(started.containerId()).getState().getStartedAt();

    var restart = Examples.transcoderRestartRequested("rst", "tx-1");
    tap.publish(restart);
    CloudEvent<EventData> restarted = awaitEventCausedBy(restart.id());
    assertThat(restarted.data()).isInstanceOfSatisfying(TranscoderRestarted.class, r -> {
      assertThat(r.cause()).isEqualTo(RestartCause.REQUESTED);
      assertThat(r.restartCount()).isEqualTo(1);
    });
    InspectContainerResponse after = TestDocker.inspect(started.containerId());
    assertThat(after.getState().getStartedAt()).isNotEqualTo(startedAt);
    assertThat(after.getNetworkSettings().getNetworks().get(network).getIpAddress()).isEqualTo(started.ipAddress());
    assertThat(lan.httpGet(started.ipAddress(), 8081, "/rest-api/")).isPresent();
  }

  @Test
  void suspendStopsAndKeepsAddressesResumeStartsThemAgain() throws Exception {
    startWorker(hostId());
    CloudEvent<TranscoderRequested> a = request("sus", "tx-a", "room-1");
    CloudEvent<TranscoderRequested> b = request("sus", "tx-b", "room-2");
    CloudEvent<TranscoderRequested> other = request("other", "tx-a", "room-1");
    tap.publish(a);
    tap.publish(b);
    tap.publish(other);
    TranscoderStarted startedA = (TranscoderStarted) awaitEventCausedBy(a.id()).data();
    awaitEventCausedBy(b.id());
    awaitEventCausedBy(other.id());

    var suspend = Examples.tenantSuspended("sus");
    tap.publish(suspend);
    await().atMost(Duration.ofSeconds(60)).until(() -> tap.causedBy(suspend.id()).size() == 2);
    assertThat(tap.causedBy(suspend.id())).extracting(CloudEvent::data)
        .allSatisfy(d -> assertThat(d).isInstanceOfSatisfying(TranscoderStopped.class, s -> {
          assertThat(s.reason()).isEqualTo(StopReason.TENANT_SUSPENDED);
          assertThat(s.removed()).isFalse();
        }));
    assertThat(containersOf("sus")).hasSize(2).allMatch(c -> !"running".equals(c.getState()));
    assertThat(containersOf("other")).allMatch(c -> "running".equals(c.getState()));

    var resume = Examples.tenantResumed("sus");
    tap.publish(resume);
    await().atMost(Duration.ofSeconds(60)).until(() -> tap.causedBy(resume.id()).size() == 2);
    assertThat(containersOf("sus")).hasSize(2).allMatch(c -> "running".equals(c.getState()));
    TranscoderStarted resumedA = tap.causedBy(resume.id()).stream().map(CloudEvent::data)
        .map(TranscoderStarted.class::cast).filter(s -> s.transcoderId().equals("tx-a")).findFirst().orElseThrow();
    assertThat(resumedA.ipAddress()).isEqualTo(startedA.ipAddress());
    assertThat(resumedA.containerId()).isEqualTo(startedA.containerId());
    assertThat(lan.httpGet(resumedA.ipAddress(), 8081, "/rest-api/")).isPresent();
  }

  @Test
  void roomCloseRemovesOnlyThatRoomsTranscoders() throws Exception {
    startWorker(hostId());
    List<CloudEvent<TranscoderRequested>> requests = List.of(request("rc", "tx-1", "room-a"),
        request("rc", "tx-2", "room-a"), request("rc", "tx-3", "room-b"));
    for (CloudEvent<TranscoderRequested> r : requests) {
      tap.publish(r);
    }
    requests.forEach(r -> awaitEventCausedBy(r.id()));

    var close = Examples.roomClosed("rc", "room-a");
    tap.publish(close);
    await().atMost(Duration.ofSeconds(60)).until(() -> tap.causedBy(close.id()).size() == 2);
    assertThat(tap.causedBy(close.id())).extracting(e -> ((TranscoderStopped) e.data()).transcoderId())
        .containsExactlyInAnyOrder("tx-1", "tx-2");
    await().atMost(Duration.ofSeconds(10)).until(() -> containersOf("rc").size() == 1);
    assertThat(containersOf("rc")).extracting(Container::getLabels)
        .extracting(l -> l.get("io.berth.transcoder")).containsExactly("tx-3");
  }

  @Test
  void aHostThatHoldsNothingAcksAsANoOp() throws Exception {
    WorkerHarness worker = startWorker(hostId());
    worker.docker().clear();
    var release = Examples.transcoderReleased("nobody", "tx-1");
    tap.publish(release);
    await().atMost(Duration.ofSeconds(30)).until(() -> worker.commandsHandled() == 1 && worker.worker().idle());
    assertThat(tap.causedBy(release.id())).isEmpty();
    assertThat(worker.docker().calls()).as("the informer's copy answers: nothing held").isEmpty();
    assertThat(awaitNoDeadLetters()).isEmpty();
  }

  private List<?> awaitNoDeadLetters() throws Exception {
    return tap.drainDeadLetters();
  }
}
