package io.berth.loadtests.chaos;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.rabbitmq.client.GetResponse;
import io.berth.events.CloudEvent;
import io.berth.events.CommandData;
import io.berth.events.Contract;
import io.berth.events.EventCodec;
import io.berth.events.TranscoderRequested;
import io.berth.events.TranscoderStarted;
import io.berth.worker.config.EnvConfigLoader;
import io.berth.worker.it.TestDocker;
import io.berth.worker.it.WorkerHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.LoggerFactory;

/**
 * Scenario 8: the WCS password and license reach the container's environment and nothing else. A worker (with a
 * broker URI that carries a password too) provisions, fails, rejects, crashes, releases; then every place a secret
 * could leak is searched: container labels, the worker's log lines (and those of killed worker processes, when other
 * scenarios ran first), lifecycle events, dead letters with their headers, the Prometheus scrape, {@code toString}
 * of the configuration.
 */
public final class SecretsAudit implements Scenario {

  @Override
  public String name() {
    return "secrets";
  }

  @Override
  public ChaosResult run(Size size) throws Exception {
    String password = WorkerHarness.TEST_PASSWORD;
    String license = WorkerHarness.TEST_LICENSE;
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.setContext(context);
    logs.start();
    root.addAppender(logs);
    try (ChaosLab lab = new ChaosLab("198.51.100")) {
      Map<String, String> env = lab.env("chaos-" + UUID.randomUUID().toString().substring(0, 6));
      WorkerHarness worker = lab.startWorker(env);
      String tenant = "chaos-secret";
      List<CloudEvent<? extends CommandData>> requests = new ArrayList<>();
      for (int i = 0; i < size.of(3); i++) {
        requests.add(ChaosLab.request(tenant, "tx-" + i));
      }
      requests.add(CloudEvent.command(UUID.randomUUID().toString(), "urn:berth:chaos", Instant.now(),
          new TranscoderRequested(tenant, "tx-bad", "room", "evil/image:1", null)));
      requests.forEach(lab.ledger()::publish);
      lab.ledger().publishRaw("TranscoderRequested", Contract.CONTENT_TYPE,
          ("{\"password\":\"" + "x" + "\"}").getBytes(StandardCharsets.UTF_8));
      lab.awaitSettled(requests, Duration.ofMinutes(2));
      List<TranscoderStarted> started = lab.ledger().events(TranscoderStarted.class, s -> tenant.equals(s.tenantId()));
      started.stream().findFirst().ifPresent(s -> lab.lan().httpGet(s.ipAddress(), 8081, "/rest-api/crash"));
      ChaosLab.waitFor(Duration.ofSeconds(30), () -> !lab.ledger().events(io.berth.events.TranscoderRestarted.class,
          r -> tenant.equals(r.tenantId())).isEmpty());

      List<String> places = new ArrayList<>();
      StringBuilder where = new StringBuilder();
      for (Container c : TestDocker.containersLabelled("io.berth.network", lab.network())) {
        InspectContainerResponse inspect = TestDocker.inspect(c.getId());
        places.add("labels of " + c.getNames()[0] + "=" + inspect.getConfig().getLabels());
        places.add("log config of " + c.getNames()[0] + "=" + inspect.getHostConfig().getLogConfig());
      }
      EventCodec codec = new EventCodec();
      lab.ledger().events().forEach(e -> places.add("event " + new String(codec.encode(e), StandardCharsets.UTF_8)));
      for (GetResponse d : lab.ledger().deadLetters()) {
        places.add("dead letter " + new String(d.getBody(), StandardCharsets.UTF_8) + " " + d.getProps().getHeaders());
      }
      logs.list.forEach(e -> places.add("log " + e.getFormattedMessage() + " " + e.getMDCPropertyMap()
          + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage())));
      Evidence.logs().forEach(l -> places.add("process log " + l));
      places.add("config " + new EnvConfigLoader(env, name -> Files.isDirectory(Path.of("/sys/class/net", name)))
          .load());
      places.add("worker " + worker.worker());
      long violations = 0;
      for (String place : places) {
        if (place.contains(password) || place.contains(license)) {
          violations++;
          where.append(place, 0, Math.min(120, place.length())).append("; ");
        }
      }
      long envHolds = TestDocker.containersLabelled("io.berth.network", lab.network()).stream()
          .map(c -> TestDocker.inspect(c.getId()).getConfig().getEnv())
          .filter(e -> List.of(e).contains("PASSWORD=" + password)).count();
      ChaosLab.Counts counts = lab.count(tenant, requests, List.of(), started.stream()
          .map(TranscoderStarted::transcoderId).collect(java.util.stream.Collectors.toSet()), List.of(worker));
      return counts.result(name(), "a run with provisions, a refusal, a rejection, a crash", places.size()
              + " places searched (labels, logs, events, dead letters, config)",
          violations + (envHolds == started.size() ? 0 : 1), violations == 0
              ? "secrets found nowhere; present in the env of " + envHolds + "/" + started.size() + " containers"
              : "found in: " + where, ChaosRunner.command(name(), size));
    } finally {
      root.detachAppender(logs);
    }
  }
}
