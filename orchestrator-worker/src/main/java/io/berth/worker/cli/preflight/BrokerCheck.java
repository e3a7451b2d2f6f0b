package io.berth.worker.cli.preflight;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;
import io.berth.worker.config.EnvNames;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;

/** The broker answers the worker's URI and lets it in. */
final class BrokerCheck implements Check {

  @Override
  public String name() {
    return "broker";
  }

  @Override
  public List<CheckResult> run(PreflightContext context) {
    Attempt<BrokerProbe.Session> broker = context.broker();
    String where = context.env().broker().describe();
    if (broker.ok()) {
      return List.of(CheckResult.ok(name(), broker.value().server().trim() + " at " + where + " lets the worker in"));
    }
    Exception e = context.brokerError().orElseThrow();
    return List.of(CheckResult.fail(name(), where + ": " + describe(e), fix(e)));
  }

  /** The AMQP client's exception in words; never the URI, which may hold a password. */
  static String describe(Exception e) {
    if (e instanceof AuthenticationFailureException) {
      return "the broker refused the user name or password (ACCESS_REFUSED)";
    }
    if (e instanceof PossibleAuthenticationFailureException) {
      return "the broker closed the connection while logging in (wrong user name or password, most likely)";
    }
    String refusal = connectionRefusal(e);
    if (refusal != null) {
      return "the broker refused the connection: " + refusal;
    }
    Throwable root = rootCause(e);
    if (root instanceof ConnectException) {
      return "nothing accepts connections there (" + root.getMessage() + ")";
    }
    if (root instanceof UnknownHostException) {
      return "unknown host " + root.getMessage();
    }
    if (root instanceof SocketTimeoutException || root instanceof java.util.concurrent.TimeoutException) {
      return "no answer within 5 s (a firewall, or not a broker)";
    }
    if (e instanceof java.net.URISyntaxException || e instanceof IllegalArgumentException
        || e instanceof java.security.GeneralSecurityException) {
      return EnvNames.AMQP_URI + " is not a usable amqp:// or amqps:// URI";
    }
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }

  static String fix(Exception e) {
    if (e instanceof PossibleAuthenticationFailureException) {
      return "check the user name and password in " + EnvNames.AMQP_URI + " (rabbitmqctl list_users; the guest user"
          + " may connect only from localhost)";
    }
    String refusal = connectionRefusal(e);
    if (refusal != null) {
      return "create the vhost and let the user use it (rabbitmqctl add_vhost <vhost>; rabbitmqctl set_permissions"
          + " -p <vhost> <user> '.*' '.*' '.*'), or correct the vhost in " + EnvNames.AMQP_URI + " (%2F is /)";
    }
    return "start RabbitMQ, or correct host and port in " + EnvNames.AMQP_URI + " (amqp://user:password@host:5672/"
        + "vhost), and check that a firewall lets the worker through";
  }

  /** The broker's own reply when it closed the connection (e.g. 530 NOT_ALLOWED for a vhost), else null. */
  private static String connectionRefusal(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ShutdownSignalException s && s.getReason() instanceof AMQP.Connection.Close close) {
        return close.getReplyCode() + " " + close.getReplyText();
      }
    }
    return null;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
