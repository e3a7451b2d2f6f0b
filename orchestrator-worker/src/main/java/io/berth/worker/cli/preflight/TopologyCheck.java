package io.berth.worker.cli.preflight;

import io.berth.worker.config.EnvNames;
import io.berth.worker.messaging.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * The broker holds Berth's exchanges and queues with the arguments this worker declares them with. Arguments cannot be
 * changed by redeclaring, so a queue declared by an older version, or by a worker with another
 * {@code BERTH_DELIVERY_LIMIT}, is the classic upgrade trap: the worker then cannot start (or, for the entities it
 * tolerates, runs without the bounds), and nothing but this check says so before it happens.
 */
final class TopologyCheck implements Check {

  @Override
  public String name() {
    return "topology";
  }

  @Override
  public List<CheckResult> run(PreflightContext context) throws Exception {
    PreflightEnv env = context.env();
    Attempt<BrokerProbe.Session> broker = context.broker();
    if (!broker.ok()) {
      return List.of(CheckResult.skip(name(), "needs the broker (see broker)"));
    }
    if (env.hostId().isEmpty() || env.deliveryLimit().isEmpty()) {
      return List.of(CheckResult.skip(name(), "needs " + EnvNames.HOST_ID + " and " + EnvNames.DELIVERY_LIMIT
          + " (see config)"));
    }
    List<CheckResult> results = new ArrayList<>();
    int same = 0;
    int absent = 0;
    for (Topology.Entity entity : Topology.entities(env.hostId().get(), env.deliveryLimit().get())) {
      BrokerProbe.Comparison found = broker.value().compare(entity);
      switch (found.kind()) {
        case SAME -> same++;
        case ABSENT -> absent++;
        case DIFFERENT -> results.add(different(entity, found.brokerSays(), env.deliveryLimit().get()));
      }
    }
    if (results.isEmpty()) {
      int total = same + absent;
      results.add(CheckResult.ok(name(), same + " of " + total + " exchanges and queues as this worker declares them"
          + (absent == 0 ? "" : "; " + absent + " not there yet (the worker declares " + (absent == 1 ? "it" : "them")
          + " at start)")));
    }
    return results;
  }

  private CheckResult different(Topology.Entity entity, String brokerSays, int deliveryLimit) {
    String what = entity.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + entity.name();
    if (entity.tolerated()) {
      return CheckResult.warn(name(), what + " exists with other arguments than this worker declares ("
          + brokerSays + "); the worker keeps it as it is and logs an ERROR", entity.policy().orElseThrow());
    }
    String fix;
    if (brokerSays.contains("x-delivery-limit")) {
      fix = "every worker must declare it alike: set " + EnvNames.DELIVERY_LIMIT + " to the value the broker holds"
          + " (this worker says " + deliveryLimit + "), or, with every worker stopped and the queue drained, "
          + "rabbitmqctl delete_queue " + entity.name();
    } else if (entity.kind() == Topology.Entity.Kind.QUEUE) {
      fix = "with every worker stopped, move or drain what it holds, then rabbitmqctl delete_queue " + entity.name()
          + "; the worker declares it again at start";
    } else {
      fix = "with every worker stopped, delete the exchange (management UI, or rabbitmqadmin delete exchange name="
          + entity.name() + "); the workers declare it again at start, other consumers must bind to it again";
    }
    return CheckResult.fail(name(), what + " exists with other arguments than this worker declares ("
        + brokerSays + "): the worker cannot use it", fix);
  }
}
