package io.berth.worker.config;

/** Bad configuration: the worker refuses to start and prints {@link #getMessage()} as one line naming the variable. */
public final class ConfigException extends RuntimeException {
  private final String variable;

  public ConfigException(String variable, String problem) {
    super(variable + ": " + problem);
    this.variable = variable;
  }

  public String variable() {
    return variable;
  }
}
