package io.berth.worker.cli.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.worker.config.EnvConfigLoader;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsumerTimeoutCheckTest {
  private final ConsumerTimeoutCheck check = new ConsumerTimeoutCheck();

  @Test
  void theLongestHoldAddsTheBoundedWaitsOfOneCommand() throws Exception {
    Fakes fakes = new Fakes();
    HoldBudget single = HoldBudget.of(new EnvConfigLoader(fakes.env, name -> true).load());
    // readiness 120 s + stop 10 s + 5 rounds x (5 attempts + 1) x 5 s = 280 s; publish retry 10 min
    assertThat(single.total()).isEqualTo(Duration.ofSeconds(280 + 600));
    assertThat(single.explain()).isEqualTo("14m40s (provisioning 4m40s + publish retry 10m)");

    fakes.env.put("BERTH_ETCD_ENDPOINTS", "http://127.0.0.1:2379");
    HoldBudget fleet = HoldBudget.of(new EnvConfigLoader(fakes.env, name -> true).load());
    assertThat(fleet.explain()).isEqualTo("24m40s (coordination wait 10m + provisioning 4m40s + publish retry 10m)");
  }

  @Test
  void aTimeoutLongerThanTheHoldIsOk() throws Exception {
    Fakes fakes = new Fakes();
    assertThat(fakes.run(check)).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.OK);
      assertThat(r.detail()).startsWith("consumer_timeout 30m (rabbitmqctl on this host) is longer than the longest"
          + " hold, 14m40s");
    });
    assertThat(fakes.commands.ran).containsExactly("rabbitmqctl -q environment");
  }

  @Test
  void aShorterTimeoutFailsWithTheMinimum() throws Exception {
    Fakes fakes = new Fakes();
    fakes.commands.answer("rabbitmqctl", new CommandRunner.Result(0, "{consumer_timeout,600000},"));
    assertThat(fakes.run(check)).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.detail()).contains("consumer_timeout 10m").contains("spend one of its deliveries");
      assertThat(r.fix()).startsWith("set consumer_timeout above 880000 ms (14m40s) in rabbitmq.conf");
    });
  }

  @Test
  void aTimeoutSwitchedOffIsOk() throws Exception {
    Fakes fakes = new Fakes();
    fakes.commands.answer("rabbitmqctl", new CommandRunner.Result(0, "{consumer_timeout,infinity}"));
    assertThat(fakes.run(check).get(0).status()).isEqualTo(CheckStatus.OK);
  }

  @Test
  void whatCannotBeReadIsAWarningWithTheMinimum() throws Exception {
    Fakes fakes = new Fakes();
    fakes.commands.answers.clear(); // rabbitmqctl not installed
    assertThat(fakes.run(check)).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.WARN);
      assertThat(r.fix()).contains("must be above 880000 ms (14m40s)");
    });
    fakes.env.put("BERTH_AMQP_URI", "amqp://berth:pw@rabbit.example.com:5672/%2F");
    assertThat(fakes.run(check)).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.WARN);
      assertThat(r.detail()).contains("the broker is on another host");
    });
  }

  @Test
  void readsTheSettingFromRabbitmqctlEnvironment() {
    assertThat(ConsumerTimeoutCheck.parse("[{rabbit,\n   [{consumer_timeout,1800000},\n {x,1}]}]"))
        .contains(Optional.of(Duration.ofMinutes(30)));
    assertThat(ConsumerTimeoutCheck.parse("{consumer_timeout, false}")).contains(Optional.empty());
    assertThat(ConsumerTimeoutCheck.parse("[{rabbit,[]}]")).isEmpty();
    assertThat(ConsumerTimeoutCheck.loopback(broker("amqp://guest:guest@localhost:5672/%2F"))).isTrue();
    assertThat(ConsumerTimeoutCheck.loopback(broker("amqp://guest:guest@127.0.0.1/%2F"))).isTrue();
    assertThat(ConsumerTimeoutCheck.loopback(broker("amqps://rabbit.example.com/%2F"))).isFalse();
    // With the nodes of a cluster the URI's host is not used: every node must be this machine.
    assertThat(ConsumerTimeoutCheck.loopback(broker("amqps://rabbit.example.com/%2F", "127.0.0.1:5681", "localhost")))
        .isTrue();
    assertThat(ConsumerTimeoutCheck.loopback(broker("amqp://guest:guest@localhost/%2F", "127.0.0.1", "rmq2:5672")))
        .isFalse();
  }

  private static io.berth.worker.messaging.BrokerEndpoint broker(String uri, String... nodes) {
    return new io.berth.worker.messaging.BrokerEndpoint(io.berth.worker.config.Secret.of(uri), java.util.List.of(nodes));
  }
}
