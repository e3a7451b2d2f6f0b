package io.berth.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ground everything stands on: the WCS stand-in runs on a macvlan network with a static address on a veth parent,
 * and a machine on the LAN (another network namespace) reaches its REST API — no port publishing, no NAT.
 */
class MacvlanStandinIT {
  private static final String NETWORK = "berth-test-foundation";
  private static TestLan lan;
  private static final java.util.List<String> created = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  static void lan() {
    TestDocker.removeNetworkAndContainers(NETWORK);
    lan = new TestLan("203.0.113");
    TestDocker.client().createNetworkCmd()
        .withName(NETWORK)
        .withDriver("macvlan")
        .withOptions(Map.of("parent", lan.parent()))
        .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(lan.subnet()).withGateway(lan.gateway())))
        .withLabels(Map.of(TestDocker.TEST_LABEL, "true"))
        .exec();
  }

  @AfterAll
  static void cleanUp() {
    created.forEach(TestDocker::removeContainer); // exited ones are no longer listed on the network
    TestDocker.removeNetworkAndContainers(NETWORK);
    if (lan != null) {
      lan.close();
    }
  }

  private static String runStandin(String name, String ip, Map<String, String> env) {
    String id = TestDocker.client().createContainerCmd(TestDocker.STANDIN_IMAGE)
        .withName(name)
        .withLabels(Map.of(TestDocker.TEST_LABEL, "true"))
        .withEnv(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
        .withHostConfig(HostConfig.newHostConfig().withNetworkMode(NETWORK))
        .withIpv4Address(ip)
        .exec().getId();
    created.add(id);
    TestDocker.client().startContainerCmd(id).exec();
    return id;
  }

  @Test
  void standinOnMacvlanIsReachableAtItsStaticIpFromTheLan() throws Exception {
    String ip = lan.address(10);
    String id = runStandin("berth-test-foundation-a", ip,
        Map.of("LOCAL_IP", ip, "EXTERNAL_IP", ip, "PASSWORD", "not-for-logs", "LICENSE", "lic"));

    Optional<String> status = await().atMost(Duration.ofSeconds(20))
        .until(() -> lan.httpGet(ip, 8081, "/rest-api/status"), Optional::isPresent);
    assertThat(status.get()).contains(ip).contains("\"password_set\":true").doesNotContain("not-for-logs");

    assertThat(TestDocker.inspect(id).getNetworkSettings().getNetworks().get(NETWORK).getIpAddress()).isEqualTo(ip);
    assertThat(exec(id, "cat", "/usr/local/FlashphonerWebCallServer/conf/flashphoner.properties"))
        .contains("ip=" + ip).contains("ip_local=" + ip);
    assertThat(TestDocker.client().logContainerCmd(id).withStdOut(true).withStdErr(true)
        .exec(new LogCollector()).awaitText()).doesNotContain("not-for-logs");
  }

  @Test
  void twoStandinsShareThePortsBecauseEachHasItsOwnAddress() {
    String ipA = lan.address(11);
    String ipB = lan.address(12);
    runStandin("berth-test-foundation-b", ipA, Map.of("LOCAL_IP", ipA));
    runStandin("berth-test-foundation-c", ipB, Map.of("LOCAL_IP", ipB));
    await().atMost(Duration.ofSeconds(20)).until(() -> lan.httpGet(ipA, 8081, "/rest-api/").isPresent()
        && lan.httpGet(ipB, 8081, "/rest-api/").isPresent());
    assertThat(lan.httpGet(lan.address(13), 8081, "/rest-api/")).as("nobody at an unused address").isEmpty();
  }

  @Test
  void readinessWaitsForTheConfiguredDelay() {
    String ip = lan.address(14);
    String id = runStandin("berth-test-foundation-d", ip, Map.of("LOCAL_IP", ip, "STANDIN_READY_DELAY_SECONDS", "3"));
    assertThat(TestDocker.inspect(id).getState().getRunning()).isTrue();
    assertThat(lan.httpGet(ip, 8081, "/rest-api/")).as("not ready straight away").isEmpty();
    await().atMost(Duration.ofSeconds(20)).until(() -> lan.httpGet(ip, 8081, "/rest-api/").isPresent());
  }

  @Test
  void standinCrashesOnDemandWithItsExitCode() {
    String ip = lan.address(15);
    String id = runStandin("berth-test-foundation-e", ip, Map.of("LOCAL_IP", ip, "STANDIN_CRASH_EXIT_CODE", "17"));
    await().atMost(Duration.ofSeconds(20)).until(() -> lan.httpGet(ip, 8081, "/rest-api/").isPresent());
    TestDocker.client().killContainerCmd(id).withSignal("USR1").exec();
    await().atMost(Duration.ofSeconds(20)).until(() -> !TestDocker.inspect(id).getState().getRunning());
    assertThat(TestDocker.inspect(id).getState().getExitCodeLong()).isEqualTo(17L);
  }

  private static String exec(String id, String... command) throws InterruptedException {
    String execId = TestDocker.client().execCreateCmd(id).withCmd(command).withAttachStdout(true).exec().getId();
    return TestDocker.client().execStartCmd(execId).exec(new LogCollector()).awaitText();
  }

  /** Collects a container's output frames as text. */
  static final class LogCollector extends ResultCallback.Adapter<Frame> {
    private final StringBuilder text = new StringBuilder();

    @Override
    public void onNext(Frame frame) {
      text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
    }

    String awaitText() throws InterruptedException {
      awaitCompletion(20, java.util.concurrent.TimeUnit.SECONDS);
      return text.toString();
    }
  }
}
