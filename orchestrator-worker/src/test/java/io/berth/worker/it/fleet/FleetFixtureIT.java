package io.berth.worker.it.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.berth.worker.it.Shell;
import io.berth.worker.it.TestDocker;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The fleet fixture does what failover tests will rely on: distinct engines, one etcd and the broker over the LAN,
 * static addresses on the LAN, a cut link that really cuts, a kill that really kills, and nothing left afterwards.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetFixtureIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static TestFleet fleet;

  @BeforeAll
  static void up() {
    fleet = TestFleet.start(3);
  }

  @AfterAll
  static void down() {
    if (fleet != null) {
      fleet.close();
    }
  }

  private static String lanNetwork(FleetHost host) {
    String name = "berth-test-fleet-lan";
    host.docker().createNetworkCmd()
        .withName(name)
        .withDriver("macvlan")
        .withOptions(Map.of("parent", host.parentInterface()))
        .withIpam(new Network.Ipam().withConfig(
            new Network.Ipam.Config().withSubnet(TestFleet.SUBNET).withGateway(TestFleet.GATEWAY)))
        .withLabels(Map.of(TestDocker.TEST_LABEL, "true"))
        .exec();
    return name;
  }

  private static String runStandin(FleetHost host, String network, String ip) {
    DockerClient docker = host.docker();
    String id = docker.createContainerCmd(TestDocker.STANDIN_IMAGE)
        .withName("berth-test-fleet-" + host.name())
        .withEnv("LOCAL_IP=" + ip)
        .withHostConfig(HostConfig.newHostConfig().withNetworkMode(network))
        .withIpv4Address(ip)
        .exec().getId();
    docker.startContainerCmd(id).exec();
    return id;
  }

  private static List<String> containerIds(FleetHost host) {
    return host.docker().listContainersCmd().withShowAll(true).exec().stream().map(Container::getId).toList();
  }

  @Test
  @Order(1)
  void eachHostHasAnEngineAndAContainerdNamespaceOfItsOwn() {
    FleetHost h1 = fleet.host(1);
    String id = h1.docker().createContainerCmd(TestDocker.STANDIN_IMAGE)
        .withName("berth-test-fleet-distinct")
        .withEnv("LOCAL_IP=127.0.0.1") // no address of its own on network "none"
        .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"))
        .exec().getId();
    h1.docker().startContainerCmd(id).exec();

    assertThat(containerIds(h1)).contains(id);
    assertThat(containerIds(fleet.host(2))).doesNotContain(id);
    assertThat(containerIds(fleet.host(3))).doesNotContain(id);
    // a containerd shared between engines (a system one) would run every engine's task in one namespace, "moby"
    String shim = Shell.run("pgrep", "-af", "containerd-shim.* -id " + id).output();
    assertThat(shim)
        .contains("-namespace berth-" + fleet.tag() + "-h1 ")
        .contains("-address /run/berth-fleet/" + fleet.tag() + "/h1/");
  }

  @Test
  @Order(2)
  void everyHostReachesTheSameEtcdOverTheLan() {
    for (FleetHost host : fleet.hosts()) {
      Shell.Result put = host.run("etcdctl", "--endpoints=" + fleet.etcdEndpoints(),
          "put", "fleet-it/" + host.name(), host.lanAddress());
      assertThat(put.ok()).as("%s: %s", host, put.output()).isTrue();
    }
    assertThat(Shell.must("etcdctl", "--endpoints=" + fleet.etcdLocalEndpoints(), "get", "--prefix", "fleet-it/"))
        .contains("203.0.113.11", "203.0.113.12", "203.0.113.13");
  }

  /** Short timeouts: a negative answer should not take etcdctl's default 5 s. */
  private static boolean etcdHealthyFrom(FleetHost host) {
    return host.run("etcdctl", "--endpoints=" + fleet.etcdEndpoints(), "--dial-timeout=1s", "--command-timeout=2s",
        "endpoint", "health").ok();
  }

  @Test
  @Order(3)
  void etcdKeepsItsDataAcrossStopAndStart() {
    FleetHost h1 = fleet.host(1);
    assertThat(h1.run("etcdctl", "--endpoints=" + fleet.etcdEndpoints(), "put", "fleet-it/kept", "yes").ok()).isTrue();

    fleet.stopEtcd();
    assertThat(etcdHealthyFrom(h1)).as("etcd is down").isFalse();

    fleet.startEtcd();
    assertThat(fleet.host(2).run("etcdctl", "--endpoints=" + fleet.etcdEndpoints(), "get", "--print-value-only",
        "fleet-it/kept").output()).isEqualTo("yes");
  }

  @Test
  @Order(4)
  void guestLogsInToTheMachinesBrokerFromInsideAHost() throws Exception {
    Assumptions.assumeTrue(localBrokerListens(), "the fleet forwards to a RabbitMQ on 127.0.0.1:5672; none there");
    for (FleetHost host : fleet.hosts()) {
      assertThat(host.run("bash", "-c", "exec 3<>/dev/tcp/" + TestFleet.GATEWAY + "/5672").ok())
          .as("%s connects to the broker forward", host).isTrue();
    }
    // a real AMQP login, by a JVM on host 2 (as the worker will run there); a wrong password shows it is checked
    assertThat(amqpLoginFrom(fleet.host(2), fleet.amqpUri("/"))).as("guest/guest").isEqualTo(AmqpLogin.OK);
    assertThat(amqpLoginFrom(fleet.host(2), fleet.amqpUri("/").replace("guest@", "wrong@")))
        .as("guest/wrong").isEqualTo(AmqpLogin.REFUSED);
    // and from the root namespace through the same address
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(fleet.amqpUri("/"));
    try (Connection connection = factory.newConnection("berth-fleet-it")) {
      assertThat(connection.isOpen()).isTrue();
    }
  }

  private static boolean localBrokerListens() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 5672), 2000);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static int amqpLoginFrom(FleetHost host, String uri) throws Exception {
    Path log = Files.createTempFile("berth-fleet-amqp-login", ".log");
    try {
      Process p = host.startProcess(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), AmqpLogin.class.getName(), uri), Map.of(), log);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("login probe finished").isTrue();
      return p.exitValue();
    } finally {
      System.out.print(Files.readString(log));
      Files.deleteIfExists(log);
    }
  }

  /** Run inside a host's namespace: one AMQP login; exit 0 logged in, 2 refused, 1 anything else. */
  public static final class AmqpLogin {
    static final int OK = 0;
    static final int REFUSED = 2;

    public static void main(String[] args) {
      ConnectionFactory factory = new ConnectionFactory();
      try {
        factory.setUri(args[0]);
        factory.setConnectionTimeout(5000);
        factory.newConnection("berth-fleet-it-probe").close();
        System.exit(OK);
      } catch (AuthenticationFailureException e) {
        System.out.println("login refused: " + e.getMessage());
        System.exit(REFUSED);
      } catch (Exception e) {
        System.out.println("login failed: " + e);
        System.exit(1);
      }
    }
  }

  @Test
  @Order(5)
  void standinOnAMacvlanOfHost2AnswersTheLanUntilTheLinkIsCut() {
    FleetHost h2 = fleet.host(2);
    String ip = "203.0.113.70";
    runStandin(h2, lanNetwork(h2), ip);

    Optional<String> status = await().atMost(WAIT).until(() -> fleet.lanClientGet(ip, 8081, "/rest-api/"),
        Optional::isPresent);
    assertThat(status.get()).contains("\"ip_local\":\"" + ip + "\"");

    h2.cutLink();
    await().atMost(WAIT).until(() -> fleet.lanClientGet(ip, 8081, "/rest-api/").isEmpty());
    assertThat(etcdHealthyFrom(h2)).as("a cut host reaches nothing, etcd included").isFalse();

    h2.restoreLink();
    await().atMost(WAIT).until(() -> fleet.lanClientGet(ip, 8081, "/rest-api/").isPresent());
    await().atMost(WAIT).until(() -> etcdHealthyFrom(h2));
  }

  @Test
  @Order(6)
  void aKilledHostsEngineContainersAndProcessesAreGone() throws Exception {
    FleetHost h3 = fleet.host(3);
    String ip = "203.0.113.71";
    runStandin(h3, lanNetwork(h3), ip);
    await().atMost(WAIT).until(() -> fleet.lanClientGet(ip, 8081, "/rest-api/").isPresent());
    Path log = Files.createTempFile("berth-fleet-sleeper", ".log");
    Process sleeper = h3.startProcess(List.of("sleep", "600"), Map.of(), log);
    Files.deleteIfExists(log);

    h3.kill();

    assertThatThrownBy(() -> h3.docker().pingCmd().exec(), "engine socket answers no more");
    assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).as("processes on the host die with it").isTrue();
    assertThat(Shell.run("ip", "netns", "pids", h3.namespace()).output()).isEmpty();
    h3.restoreLink();
    assertThat(fleet.lanClientGet(ip, 8081, "/rest-api/")).as("its container died with it").isEmpty();
    fleet.host(1).docker().pingCmd().exec(); // the other hosts live on: throws if not
  }

  @Test
  @Order(7)
  void downLeavesNothingOfTheFleet() {
    String tag = fleet.tag();
    fleet.close();
    fleet = null;

    assertThat(Shell.must("ip", "-o", "link", "show")).doesNotContain(": bf" + tag);
    assertThat(Shell.must("ip", "netns", "list")).doesNotContain("berth-fleet-" + tag);
    assertThat(Shell.must("ip", "-4", "-o", "addr", "show")).doesNotContain(TestFleet.GATEWAY + "/");
    assertThat(Shell.must("iptables", "-S", "FORWARD")).doesNotContain("berth-fleet-" + tag);
    // dockerd, containerd, shims, etcd, socat: all carry the tag in their command line
    assertThat(Shell.run("pgrep", "-af", "berth-fleet[-/]" + tag).output()).isEmpty();
    assertThat(Shell.run("pgrep", "-af", "socat TCP-LISTEN:5672,bind=" + TestFleet.GATEWAY).output()).isEmpty();
    assertThat(Path.of("/run/berth-fleet", tag)).doesNotExist();
  }
}
