package io.berth.loadtests.chaos;

import io.berth.events.CloudEvent;
import io.berth.events.CommandData;
import io.berth.events.Contract;
import io.berth.events.EventCodec;
import io.berth.events.TranscoderStarted;
import io.berth.worker.it.RabbitCtl;
import io.berth.worker.it.WorkerHarness;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Scenario 6: thousands of messages no worker should serve — random bytes, truncated, oversized, wrongly typed, wrongly
 * encoded, wrong content type, unroutable. Every one must be dead-lettered with a reason, none may reach Docker, and
 * the worker must still serve a good request afterwards.
 */
public final class FuzzedInput implements Scenario {
  private static final String[] TYPES = {"TranscoderRequested", "TranscoderReleased", "RoomClosed",
      "TenantSuspended", "TenantResumed", "TranscoderRestartRequested"};

  @Override
  public String name() {
    return "fuzzed-input";
  }

  @Override
  public ChaosResult run(Size size) throws Exception {
    int n = size.of(400);
    Random random = new Random(7); // a fixed seed: the same messages every run
    String policy = "berth-chaos-ae";
    // A broker whose berth.commands predates the alternate exchange gets it as docs/worker.md tells operators to.
    RabbitCtl.setPolicy(policy, "^berth\\.commands$", "{\"alternate-exchange\":\"" + Contract.UNROUTABLE_EXCHANGE
        + "\"}", "exchanges");
    try (ChaosLab lab = new ChaosLab("198.51.100")) {
      WorkerHarness worker = lab.startWorker(lab.env("chaos-" + UUID.randomUUID().toString().substring(0, 6)));
      ChaosLab.waitFor(Duration.ofSeconds(10), () -> worker.worker().consuming());
      worker.docker().clear();
      EventCodec codec = new EventCodec();
      byte[] valid = codec.encode(ChaosLab.request("fuzz", "tx-1"));
      String validText = new String(valid, StandardCharsets.UTF_8);
      int[] kinds = new int[8];
      for (int i = 0; i < n; i++) {
        int kind = i % 8;
        kinds[kind]++;
        String type = TYPES[random.nextInt(TYPES.length)];
        switch (kind) {
          case 0 -> { // random bytes
            byte[] b = new byte[1 + random.nextInt(512)];
            random.nextBytes(b);
            lab.ledger().publishRaw(type, Contract.CONTENT_TYPE, b);
          }
          case 1 -> // truncated
              lab.ledger().publishRaw("TranscoderRequested", Contract.CONTENT_TYPE,
                  validText.substring(0, 1 + random.nextInt(validText.length() - 2)).getBytes(StandardCharsets.UTF_8));
          case 2 -> // oversized: a 256 KiB tenant id
              lab.ledger().publishRaw("TranscoderRequested", Contract.CONTENT_TYPE, validText
                  .replace("\"fuzz\"", "\"" + "a".repeat(256 * 1024) + "\"").getBytes(StandardCharsets.UTF_8));
          case 3 -> // wrongly typed fields
              lab.ledger().publishRaw("TranscoderRequested", Contract.CONTENT_TYPE, validText
                  .replace("\"fuzz\"", random.nextBoolean() ? "42" : "[\"fuzz\"]").getBytes(StandardCharsets.UTF_8));
          case 4 -> // wrongly encoded: UTF-16 of a valid command
              lab.ledger().publishRaw("TranscoderRequested", Contract.CONTENT_TYPE,
                  validText.getBytes(StandardCharsets.UTF_16));
          case 5 -> // wrong or missing content type on a valid command
              lab.ledger().publishRaw("TranscoderRequested", random.nextBoolean() ? "text/plain" : null, valid);
          case 6 -> // unroutable routing key
              lab.ledger().publishRaw("Transcoder" + Integer.toHexString(random.nextInt()), Contract.CONTENT_TYPE, valid);
          default -> // a valid body under another command's routing key
              lab.ledger().publishRaw(TYPES[1 + random.nextInt(TYPES.length - 1)], Contract.CONTENT_TYPE, valid);
        }
      }
      // Broadcast keys reach every host queue on the broker: count dead letters of this worker only.
      String host = worker.worker().hostId();
      ChaosLab.waitFor(Duration.ofMinutes(3), () -> deadLettersOf(lab, host) >= n);
      long dead = deadLettersOf(lab, host);
      long withoutReason = lab.ledger().deadLetters().stream().filter(d -> host.equals(header(d, Contract.REJECTED_BY_HEADER)))
          .filter(d -> header(d, Contract.REASON_CODE_HEADER) == null).count();
      long dockerChanges = worker.docker().calls().stream()
          .filter(c -> ChaosLab.MUTATING_CALLS.stream().anyMatch(c::startsWith)).count();

      CloudEvent<? extends CommandData> good = ChaosLab.request("fuzz-after", "tx-1");
      lab.ledger().publish(good);
      lab.awaitSettled(List.of(good), Duration.ofSeconds(60));
      boolean serving = lab.ledger().causedBy(good.id()).stream().anyMatch(e -> e.data() instanceof TranscoderStarted);
      ChaosLab.Counts counts = lab.count("fuzz-after", List.of(good), List.of(), Set.of("tx-1"), List.of(worker));
      long violations = Math.abs(n - dead) + withoutReason + dockerChanges + (serving ? 0 : 1);
      return new ChaosResult(name(), n + " malformed messages (8 kinds, fixed seed)", "one worker; then one good request",
          n + 1L, Math.max(0, n - dead) + counts.lost(), counts.missingTerminal(), counts.duplicateTerminal(),
          counts.duplicateContainers(), counts.orphans(), counts.leaks(), violations,
          "dead-lettered " + dead + "/" + n + " with reasons " + lab.ledger().deadLetterReasonCodes()
              + "; Docker changes " + dockerChanges + "; served afterwards: " + serving,
          ChaosRunner.command(name(), size));
    } finally {
      RabbitCtl.clearPolicy(policy);
    }
  }

  private static long deadLettersOf(ChaosLab lab, String host) {
    return lab.ledger().deadLetters().stream().filter(d -> host.equals(header(d, Contract.REJECTED_BY_HEADER))).count();
  }

  static String header(com.rabbitmq.client.GetResponse d, String name) {
    Map<String, Object> headers = d.getProps().getHeaders();
    Object v = headers == null ? null : headers.get(name);
    return v == null ? null : v.toString();
  }
}
