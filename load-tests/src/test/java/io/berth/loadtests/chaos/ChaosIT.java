package io.berth.loadtests.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The chaos scenarios at their short size, as part of {@code mvn verify}: every count must be zero. The full sizes
 * run with {@link ChaosRunner}; both append their rows to target/chaos-results.md.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosIT {

  private static void clean(Scenario scenario) throws Exception {
    ChaosResult result = scenario.run(Size.SHORT);
    ChaosRunner.record(result, Size.SHORT);
    System.out.println("[chaos] " + result.row());
    assertThat(result.clean()).as(result.row()).isTrue();
  }

  @Test
  @Order(1)
  void brokerRestartedMidStream() throws Exception {
    clean(new BrokerFaults(BrokerFaults.Fault.RESTART));
  }

  @Test
  @Order(2)
  void workerConnectionsForceClosedMidStream() throws Exception {
    clean(new BrokerFaults(BrokerFaults.Fault.CLOSE_CONNECTIONS));
  }

  @Test
  @Order(3)
  void workerKilledDuringBursts() throws Exception {
    clean(new WorkerKills());
  }

  @Test
  @Order(4)
  void dockerAwayLongerThanTheConsumerTimeout() throws Exception {
    clean(new DockerOutage());
  }

  @Test
  @Order(5)
  void crashesWhileTheBrokerIsDown() throws Exception {
    clean(new CrashDuringBrokerOutage());
  }

  @Test
  @Order(6)
  void fuzzedInput() throws Exception {
    clean(new FuzzedInput());
  }

  @Test
  @Order(7)
  void hostileCommands() throws Exception {
    clean(new HostileCommands());
  }

  @Test
  @Order(8)
  void hardening() throws Exception {
    clean(new Hardening());
  }

  /** Last: it also reads the logs the other scenarios' killed worker processes left. */
  @Test
  @Order(9)
  void secretsAppearNowhere() throws Exception {
    clean(new SecretsAudit());
  }

  /** Last: the only scenario with a broker of its own (a 3-node cluster) and a fleet. */
  @Test
  @Order(99)
  void clusterNodeKilledMidStream() throws Exception {
    clean(new ClusterNodeLoss());
  }
}
