package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Network;
import com.rabbitmq.client.GetResponse;
import io.berth.events.CloudEvent;
import io.berth.events.CommandRejected;
import io.berth.events.Contract;
import io.berth.events.EventData;
import io.berth.events.ProvisioningFailed;
import io.berth.events.TranscoderRequested;
import io.berth.events.testing.Examples;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import io.berth.events.WorkerHeartbeat;
import io.berth.events.TranscoderStarted;

/** Permanent errors: explained by an event, dead-lettered with a reason header, acked — never a hot loop. */
class RejectionIT extends WorkerItSupport {

  @Test
  void imageOutsideTheAllowListIsRefusedWithoutTouchingDocker() throws Exception {
    WorkerHarness worker = startWorker(hostId());
    worker.docker().clear();
    CloudEvent<TranscoderRequested> request = Examples.command(
        new TranscoderRequested("acme", "tx-1", "room-1", "evil/miner:latest", null));
    tap.publish(request);

    CloudEvent<EventData> event = awaitEventCausedBy(request.id());
    assertThat(event.data()).isInstanceOfSatisfying(ProvisioningFailed.class, f -> {
      assertThat(f.code()).isEqualTo("image-not-allowed");
      assertThat(f.retriable()).isFalse();
      assertThat(f.message()).contains("evil/miner:latest");
    });
    GetResponse dead = awaitDeadLetters(1).get(0);
    assertThat(header(dead, Contract.REASON_CODE_HEADER)).isEqualTo("image-not-allowed");
    assertThat(header(dead, Contract.REASON_HEADER)).contains("BERTH_ALLOWED_IMAGES");
    assertThat(dead.getBody()).isEqualTo(new io.berth.events.EventCodec().encode(request));
    await().until(() -> worker.worker().idle());
    assertThat(worker.docker().calls()).isEmpty();
    assertThat(containers()).isEmpty();
  }

  @Test
  void malformedJsonIsRejectedAndDeadLetteredWithoutTouchingDocker() throws Exception {
    WorkerHarness worker = startWorker(hostId());
    worker.docker().clear();
    tap.publishRaw("TranscoderRequested", "{not json".getBytes(StandardCharsets.UTF_8));

    GetResponse dead = awaitDeadLetters(1).get(0);
    assertThat(header(dead, Contract.REASON_CODE_HEADER)).isEqualTo("malformed-json");
    assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).isEqualTo("{not json");
    CommandRejected rejected = await().until(() -> tap.events(CommandRejected.class), l -> !l.isEmpty()).get(0);
    assertThat(rejected.code()).isEqualTo("malformed-json");
    await().until(() -> worker.worker().idle());
    assertThat(worker.docker().calls()).isEmpty();
  }

  @Test
  void schemaViolationNamesTheField() throws Exception {
    WorkerHarness worker = startWorker(hostId());
    worker.docker().clear();
    String body = new String(new io.berth.events.EventCodec().encode(request("acme", "tx-1", "room-1")),
        StandardCharsets.UTF_8).replace("\"tx-1\"", "\"TX_1\"");
    tap.publishRaw("TranscoderRequested", body.getBytes(StandardCharsets.UTF_8));

    GetResponse dead = awaitDeadLetters(1).get(0);
    assertThat(header(dead, Contract.REASON_CODE_HEADER)).isEqualTo("invalid-identifier");
    assertThat(header(dead, Contract.REASON_HEADER)).contains("transcoderId");
    CommandRejected rejected = await().until(() -> tap.events(CommandRejected.class), l -> !l.isEmpty()).get(0);
    assertThat(rejected.commandType()).isEqualTo("TranscoderRequested");
    assertThat(rejected.commandId()).isNotNull();
    assertThat(worker.docker().calls()).isEmpty();
  }

  /**
   * Issue 7 #16: a host whose range has no address left says so in its heartbeat (free 0) and holds the next request
   * instead of failing it: it is served as soon as a release frees an address. Nothing is dead-lettered for lack of
   * room.
   */
  @Test
  void aFullRangeHoldsTheNextRequestUntilAnAddressFrees() throws Exception {
    Map<String, String> env = WorkerHarness.env(lan, network, hostId());
    env.put("BERTH_NETWORK_IP_RANGE", lan.address(40) + "/31"); // two addresses
    env.put("BERTH_HEARTBEAT_SECONDS", "1");
    WorkerHarness worker = startWorker(env);
    String host = worker.worker().hostId();
    List<CloudEvent<TranscoderRequested>> requests = List.of(
        request("full", "tx-1", "r"), request("full", "tx-2", "r"), request("full", "tx-3", "r"));
    for (CloudEvent<TranscoderRequested> r : requests.subList(0, 2)) {
      tap.publish(r);
      assertThat(awaitEventCausedBy(r.id()).data()).isInstanceOf(TranscoderStarted.class);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> tap.events(WorkerHeartbeat.class).stream()
        .filter(h -> host.equals(h.hostId())).reduce((a, b) -> b).filter(h -> h.running() == 2).isPresent());
    WorkerHeartbeat full = tap.events(WorkerHeartbeat.class).stream().filter(h -> host.equals(h.hostId()))
        .reduce((a, b) -> b).orElseThrow();
    assertThat(full.free()).as("no address left, whatever BERTH_MAX_TRANSCODERS allows").isZero();

    tap.publish(requests.get(2));
    await().atMost(Duration.ofSeconds(10)).until(() -> !worker.worker().takingRequests()
        && RabbitCtl.queueMessages(Contract.REQUESTS_QUEUE) == 1);
    assertThat(tap.causedBy(requests.get(2).id())).as("held, not failed").isEmpty();

    tap.publish(CloudEvent.command(java.util.UUID.randomUUID().toString(), "urn:berth:test", java.time.Instant.now(),
        new io.berth.events.TranscoderReleased("full", "tx-1")));
    assertThat(awaitEventCausedBy(requests.get(2).id()).data()).isInstanceOfSatisfying(TranscoderStarted.class,
        s -> assertThat(s.ipAddress()).isEqualTo(lan.address(40)));
    assertThat(tap.drainDeadLetters()).isEmpty();
    assertThat(containersOf("full")).hasSize(2);
  }

  @Test
  void allowedButAbsentImageGivesImageUnknown() throws Exception {
    Map<String, String> env = WorkerHarness.env(lan, network, hostId());
    env.put("BERTH_ALLOWED_IMAGES", TestDocker.STANDIN_IMAGE + ",berth/not-built-anywhere:1");
    startWorker(env);
    CloudEvent<TranscoderRequested> request = Examples.command(
        new TranscoderRequested("img", "tx-1", "room-1", "berth/not-built-anywhere:1", null));
    tap.publish(request);
    assertThat(awaitEventCausedBy(request.id()).data()).isInstanceOfSatisfying(ProvisioningFailed.class,
        f -> assertThat(f.code()).isEqualTo("image-unknown"));
    assertThat(header(awaitDeadLetters(1).get(0), Contract.REASON_CODE_HEADER)).isEqualTo("image-unknown");
    assertThat(containersOf("img")).isEmpty();
  }

  @Test
  void networkOfTheSameNameWithOtherSettingsIsNeverUsed() throws Exception {
    String clash = network + "-clash";
    TestDocker.client().createNetworkCmd().withName(clash).withDriver("macvlan")
        .withOptions(Map.of("parent", lan.parent()))
        .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet("203.0.113.0/24")))
        .withLabels(Map.of(TestDocker.TEST_LABEL, "true"))
        .exec();
    try {
      Map<String, String> env = WorkerHarness.env(lan, clash, hostId());
      WorkerHarness worker = startWorker(env);
      CloudEvent<TranscoderRequested> request = request("net", "tx-1", "room-1");
      tap.publish(request);
      // Unfit from its start-up check: it says why and leaves the request to a host that can serve it.
      assertThat(worker.worker().unfitReason()).hasValueSatisfying(reason -> assertThat(reason)
          .startsWith("network-conflict").contains("subnet is '203.0.113.0/24', want '198.51.100.0/24'"));
      assertThat(worker.worker().takingRequests()).isFalse();
      assertThat(RabbitCtl.queueMessages(Contract.REQUESTS_QUEUE)).isEqualTo(1);
      assertThat(tap.causedBy(request.id())).isEmpty();
      assertThat(TestDocker.containersLabelled("io.berth.network", clash)).isEmpty();
    } finally {
      stopWorkers();
      TestDocker.removeNetworkAndContainers(clash);
    }
  }

  @Test
  void aCommandNoQueueIsBoundForIsDeadLetteredWithAReasonInsteadOfDropped() throws Exception {
    WorkerHarness worker = startWorker(hostId());
    worker.docker().clear();
    // A broker whose berth.commands predates the alternate exchange gets it the way docs/worker.md tells operators
    // to (on a fresh broker the worker's declaration already carries it, and declared arguments win over policies).
    String policy = "berth-it-ae-" + worker.worker().hostId();
    RabbitCtl.setPolicy(policy, "^berth\\.commands$", "{\"alternate-exchange\":\"" + Contract.UNROUTABLE_EXCHANGE
        + "\"}", "exchanges");
    try {
      CloudEvent<TranscoderRequested> request = request("typo", "tx-1", "room-1");
      byte[] body = new io.berth.events.EventCodec().encode(request);
      tap.publishRaw("TranscoderRequsted", body);

      GetResponse dead = awaitDeadLetter(request.id());
      assertThat(header(dead, Contract.REASON_CODE_HEADER)).isEqualTo("unroutable");
      assertThat(header(dead, Contract.REASON_HEADER)).contains("'TranscoderRequsted'").contains("TranscoderRequested");
      assertThat(header(dead, "x-berth-original-queue")).isEqualTo(Contract.UNROUTABLE_QUEUE);
      assertThat(dead.getBody()).isEqualTo(body);
      assertThat(tap.events(CommandRejected.class, r -> request.id().equals(r.commandId())))
          .singleElement().satisfies(r -> assertThat(r.code()).isEqualTo("unroutable"));
      assertThat(worker.docker().calls()).isEmpty();
    } finally {
      RabbitCtl.clearPolicy(policy);
    }
  }

  @Test
  void aRequestSentWithAnotherCommandsRoutingKeyIsRejectedNotServed() throws Exception {
    WorkerHarness worker = startWorker(hostId());
    worker.docker().clear();
    CloudEvent<TranscoderRequested> request = request("misrouted", "tx-1", "room-1");
    tap.publishRaw("RoomClosed", new io.berth.events.EventCodec().encode(request));

    GetResponse dead = awaitDeadLetter(request.id());
    assertThat(header(dead, Contract.REASON_CODE_HEADER)).isEqualTo("wrong-routing-key");
    assertThat(header(dead, Contract.REASON_HEADER)).contains("'RoomClosed'").contains("TranscoderRequested");
    assertThat(header(dead, "x-berth-original-queue")).isEqualTo(Contract.hostQueue(worker.worker().hostId()));
    await().until(() -> worker.worker().idle());
    assertThat(tap.events(CommandRejected.class, r -> request.id().equals(r.commandId())))
        .allSatisfy(r -> assertThat(r.code()).isEqualTo("wrong-routing-key"));
    assertThat(worker.docker().calls()).isEmpty();
    assertThat(containersOf("misrouted")).isEmpty();
  }

  @Test
  void aCommandWithoutTheContractsContentTypeIsRejectedNotServed() throws Exception {
    WorkerHarness worker = startWorker(hostId());
    worker.docker().clear();
    io.berth.events.EventCodec codec = new io.berth.events.EventCodec();
    CloudEvent<TranscoderRequested> plain = request("ctype", "tx-1", "room-1");
    CloudEvent<TranscoderRequested> none = request("ctype", "tx-2", "room-1");
    CloudEvent<TranscoderRequested> json = request("ctype", "tx-3", "room-1");
    tap.publishRaw("TranscoderRequested", "text/plain", codec.encode(plain));
    tap.publishRaw("TranscoderRequested", null, codec.encode(none));
    tap.publishRaw("TranscoderRequested", "application/json; charset=utf-8", codec.encode(json));

    GetResponse deadPlain = awaitDeadLetter(plain.id());
    assertThat(header(deadPlain, Contract.REASON_CODE_HEADER)).isEqualTo("unsupported-content-type");
    assertThat(header(deadPlain, Contract.REASON_HEADER)).contains("'text/plain'").contains(Contract.CONTENT_TYPE);
    assertThat(header(awaitDeadLetter(none.id()), Contract.REASON_CODE_HEADER)).isEqualTo("unsupported-content-type");
    assertThat(tap.events(CommandRejected.class, r -> plain.id().equals(r.commandId())))
        .singleElement().satisfies(r -> assertThat(r.code()).isEqualTo("unsupported-content-type"));
    // application/json (the CloudEvents datacontenttype) is accepted too
    assertThat(awaitEventCausedBy(json.id()).data()).isInstanceOf(io.berth.events.TranscoderStarted.class);
    assertThat(containersOf("ctype")).extracting(c -> c.getLabels().get("io.berth.transcoder")).containsExactly("tx-3");
  }

  /** The dead letter of one command (other workers on the broker may dead-letter copies or other commands). */
  private GetResponse awaitDeadLetter(String commandId) {
    return await().atMost(Duration.ofSeconds(30)).until(() -> {
      deadLetters.addAll(tap.drainDeadLetters());
      return deadLetters.stream().filter(d -> new String(d.getBody(), StandardCharsets.UTF_8).contains(commandId))
          .findFirst();
    }, java.util.Optional::isPresent).get();
  }

  @Test
  void permanentFailuresDoNotLoop() throws Exception {
    WorkerHarness worker = startWorker(hostId());
    tap.publishRaw("TranscoderRequested", "[]".getBytes(StandardCharsets.UTF_8));
    awaitDeadLetters(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> worker.worker().idle());
    assertThat(tap.events(CommandRejected.class)).hasSize(1);
  }
}
