package io.berth.worker.cli.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.AMQImpl;
import io.berth.worker.cli.AmqpUris;
import java.io.IOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class BrokerCheckTest {
  private final BrokerCheck check = new BrokerCheck();

  @Test
  void aBrokerThatLetsTheWorkerInIsOkAndThePasswordIsNeverShown() throws Exception {
    Fakes fakes = new Fakes();
    assertThat(fakes.run(check)).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.OK);
      assertThat(r.detail()).isEqualTo("RabbitMQ 3.13.7 at amqp://guest@127.0.0.1:5672/%2F lets the worker in");
    });
  }

  @Test
  void refusalsArePutInWordsWithTheirFix() throws Exception {
    Fakes fakes = new Fakes();
    fakes.broker.refusal = new AuthenticationFailureException("ACCESS_REFUSED - Login was refused");
    assertThat(fakes.run(check)).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
      assertThat(r.detail()).endsWith("the broker refused the user name or password (ACCESS_REFUSED)")
          .doesNotContain("secret-password");
      assertThat(r.fix()).contains("rabbitmqctl list_users");
    });

    fakes.broker.refusal = new IOException(new ConnectException("Connection refused"));
    assertThat(fakes.run(check).get(0).detail()).endsWith("nothing accepts connections there (Connection refused)");

    AMQP.Connection.Close close = new AMQImpl.Connection.Close(530, "NOT_ALLOWED - vhost nope not found", 0, 0);
    fakes.broker.refusal = new IOException(new ShutdownSignalException(true, false, close, null));
    assertThat(fakes.run(check).get(0)).satisfies(r -> {
      assertThat(r.detail()).endsWith("the broker refused the connection: 530 NOT_ALLOWED - vhost nope not found");
      assertThat(r.fix()).startsWith("create the vhost");
    });
  }

  @Test
  void urisAreShownWithoutTheirPassword() {
    assertThat(AmqpUris.redacted("amqp://berth:s3cr3t@rabbit:5672/prod")).isEqualTo("amqp://berth@rabbit:5672/prod");
    assertThat(AmqpUris.redacted("amqp://rabbit")).isEqualTo("amqp://rabbit");
    assertThat(AmqpUris.redacted("::not a uri s3cr3t")).isEqualTo("BERTH_AMQP_URI");
  }
}
