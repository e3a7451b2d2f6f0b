package io.berth.loadtests.chaos;

/** One fault, injected under load, counted. */
public interface Scenario {
  /** Short name, also the runner's argument. */
  String name();

  ChaosResult run(Size size) throws Exception;
}
