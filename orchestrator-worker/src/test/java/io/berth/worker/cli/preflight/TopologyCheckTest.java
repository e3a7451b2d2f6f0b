package io.berth.worker.cli.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class TopologyCheckTest {
  private final TopologyCheck check = new TopologyCheck();

  @Test
  void everythingDeclaredAsTheWorkerDeclaresItIsOk() throws Exception {
    Fakes fakes = new Fakes();
    fakes.broker.entities.put("berth.host.host-a", BrokerProbe.Comparison.absent());
    assertThat(fakes.run(check)).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.OK);
      assertThat(r.detail()).isEqualTo("8 of 9 exchanges and queues as this worker declares them; 1 not there yet (the"
          + " worker declares it at start)");
    });
  }

  @Test
  void aWorkQueueWithAnotherDeliveryLimitFailsWithTheBrokersWords() throws Exception {
    Fakes fakes = new Fakes();
    String says = "PRECONDITION_FAILED - inequivalent arg 'x-delivery-limit' for queue 'berth.requests' in vhost '/':"
        + " received the value '5' of type 'signedint' but current is the value '3' of type 'long'";
    fakes.broker.entities.put("berth.requests", BrokerProbe.Comparison.different(says));
    assertThat(fakes.run(check)).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.detail()).isEqualTo("queue berth.requests exists with other arguments than this worker declares ("
          + says + "): the worker cannot use it");
      assertThat(r.fix()).startsWith("every worker must declare it alike: set BERTH_DELIVERY_LIMIT to the value the"
          + " broker holds (this worker says 5)");
    });
  }

  @Test
  void aQueueDeclaredBeforeItWasBoundedWarnsWithThePolicy() throws Exception {
    Fakes fakes = new Fakes();
    fakes.broker.entities.put("berth.host.host-a", BrokerProbe.Comparison.different("inequivalent arg 'x-expires'"));
    fakes.broker.entities.put("berth.commands", BrokerProbe.Comparison.different("inequivalent arg"
        + " 'alternate-exchange'"));
    assertThat(fakes.run(check)).hasSize(2).allSatisfy(r -> assertThat(r.status()).isEqualTo(CheckStatus.WARN))
        .anySatisfy(r -> assertThat(r.fix()).startsWith("rabbitmqctl set_policy berth-host-queues '^berth\\.host\\.'"))
        .anySatisfy(r -> assertThat(r.fix()).startsWith("rabbitmqctl set_policy berth-commands"));
  }

  @Test
  void withoutABrokerItSkips() throws Exception {
    Fakes fakes = new Fakes();
    fakes.broker.refusal = new ConnectException("Connection refused");
    assertThat(fakes.run(check)).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(CheckStatus.SKIP));
  }
}
