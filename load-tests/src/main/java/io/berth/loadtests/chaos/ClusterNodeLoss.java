package io.berth.loadtests.chaos;

/**
 * Scenario 2: a 3-node RabbitMQ cluster on this machine, one node killed mid-stream and brought back. Filled in once
 * the cluster fixture lands; until then it reports itself as not run.
 */
public final class ClusterNodeLoss implements Scenario {
  @Override
  public String name() {
    return "cluster-node-loss";
  }

  @Override
  public ChaosResult run(Size size) {
    throw new UnsupportedOperationException("cluster-node-loss: the cluster fixture is not in yet");
  }
}
