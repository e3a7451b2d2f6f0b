package io.berth.loadtests.chaos;

import io.berth.events.CloudEvent;
import io.berth.events.CommandData;
import io.berth.events.CommandRejected;
import io.berth.events.Contract;
import io.berth.events.EventCodec;
import io.berth.events.ProvisioningFailed;
import io.berth.worker.it.TestDocker;
import io.berth.worker.it.WorkerHarness;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Scenario 7: well-formed commands that try to get around the rules — the image allow-list (tag, digest, registry
 * prefix, case, whitespace), identifiers that would inject into container names or labels, absurd resources. Each is
 * refused (CommandRejected or ProvisioningFailed, and dead-lettered) before any Docker call that changes something.
 */
public final class HostileCommands implements Scenario {

  @Override
  public String name() {
    return "hostile-commands";
  }

  @Override
  public ChaosResult run(Size size) throws Exception {
    String allowed = TestDocker.STANDIN_IMAGE; // berth/wcs-standin:latest
    List<String> images = List.of("berth/wcs-standin", "berth/wcs-standin:latest@sha256:" + "0".repeat(64),
        "BERTH/WCS-STANDIN:LATEST", "docker.io/berth/wcs-standin:latest", "localhost:5000/berth/wcs-standin:latest",
        " berth/wcs-standin:latest", "berth/wcs-standin:latest ", "berth/wcs-standin:Latest",
        "berth/wcs-standin:latest\u0000", "berth/wcs-standin:latest\nLABEL x", "../berth/wcs-standin:latest",
        "berth/wcs-standin:latest;rm -rf /");
    List<String> identifiers = List.of("tx;rm -rf /", "../../etc", "a b", "x\ny", "tx=1,io.berth.managed=false",
        "t".repeat(300), "t\u0445-1", "TX-1", "-tx", "tx-", "", "tx\u0000", "tx$(id)", "tx`id`", "tx\"}");
    List<String> resources = List.of("{\"cpus\":1e9,\"memoryMb\":2048}", "{\"cpus\":-1,\"memoryMb\":2048}",
        "{\"cpus\":0,\"memoryMb\":2048}", "{\"cpus\":1e-9,\"memoryMb\":2048}", "{\"cpus\":1,\"memoryMb\":1e12}",
        "{\"cpus\":1,\"memoryMb\":1}", "{\"cpus\":1,\"memoryMb\":-5}", "{\"cpus\":\"1\",\"memoryMb\":2048}",
        "{\"cpus\":1,\"memoryMb\":2048.5}", "{\"cpus\":9,\"memoryMb\":2048}", "{\"cpus\":1,\"memoryMb\":999999}");
    try (ChaosLab lab = new ChaosLab("198.51.100")) {
      WorkerHarness worker = lab.startWorker(lab.env("chaos-" + UUID.randomUUID().toString().substring(0, 6)));
      ChaosLab.waitFor(Duration.ofSeconds(10), () -> worker.worker().consuming());
      worker.docker().clear();
      EventCodec codec = new EventCodec();
      List<String> ids = new ArrayList<>();
      int repeat = size.of(1);
      for (int r = 0; r < repeat; r++) {
        for (String image : images) {
          ids.add(send(lab, codec, "\"tenantId\":\"hostile\",\"transcoderId\":\"tx-img\",\"roomId\":\"room\","
              + "\"image\":" + json(image)));
        }
        for (String id : identifiers) {
          ids.add(send(lab, codec, "\"tenantId\":" + json(id) + ",\"transcoderId\":" + json(id) + ",\"roomId\":"
              + json(id)));
        }
        for (String res : resources) {
          ids.add(send(lab, codec, "\"tenantId\":\"hostile\",\"transcoderId\":\"tx-res\",\"roomId\":\"room\","
              + "\"resources\":" + res));
        }
      }
      String host = worker.worker().hostId();
      ChaosLab.waitFor(Duration.ofMinutes(2), () -> ids.stream().allMatch(id -> answered(lab, id)));
      long unanswered = ids.stream().filter(id -> !answered(lab, id)).count();
      long notDeadLettered = ids.stream().filter(id -> lab.ledger().deadLettersMentioning(id).isEmpty()).count();
      long dockerChanges = worker.docker().calls().stream()
          .filter(c -> ChaosLab.MUTATING_CALLS.stream().anyMatch(c::startsWith)).count();
      long containers = TestDocker.containersLabelled("io.berth.network", lab.network()).size();
      ChaosLab.Counts counts = lab.count("hostile", List.of(), List.of(), Set.of(), List.of(worker));
      return new ChaosResult(name(), images.size() + " image tricks, " + identifiers.size() + " identifier injections, "
              + resources.size() + " absurd resources", "one worker, each sent " + repeat + "x", ids.size(),
          unanswered, unanswered, counts.duplicateTerminal(), counts.duplicateContainers(), counts.orphans() + containers,
          counts.leaks(), notDeadLettered + dockerChanges,
          "refused: " + (ids.size() - unanswered) + "/" + ids.size() + " (host " + host + "); Docker changes "
              + dockerChanges, ChaosRunner.command(name(), size));
    }
  }

  private static boolean answered(ChaosLab lab, String id) {
    return lab.ledger().causedBy(id).stream()
        .anyMatch(e -> e.data() instanceof CommandRejected || e.data() instanceof ProvisioningFailed);
  }

  /** A TranscoderRequested envelope around hand-made data, so values the record would refuse can be sent. */
  private static String send(ChaosLab lab, EventCodec codec, String dataFields) {
    String id = UUID.randomUUID().toString();
    String body = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"urn:berth:chaos\",\"type\":"
        + "\"TranscoderRequested\",\"time\":\"" + Instant.now() + "\",\"datacontenttype\":\"application/json\","
        + "\"data\":{" + dataFields + "}}";
    lab.ledger().publishRaw("TranscoderRequested", Contract.CONTENT_TYPE, body.getBytes(StandardCharsets.UTF_8));
    return id;
  }

  private static String json(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
