package io.berth.worker.config;

/** Resource limits: the defaults a request gets and the ceiling a request may ask for. */
public record ContainerLimits(double defaultCpus, int defaultMemoryMb, double maxCpus, int maxMemoryMb, long pidsLimit) {

  public ContainerLimits {
    if (!(defaultCpus > 0)) {
      throw new ConfigException(EnvNames.DEFAULT_CPUS, "must be > 0, got " + defaultCpus);
    }
    if (defaultMemoryMb < 64) {
      throw new ConfigException(EnvNames.DEFAULT_MEMORY_MB, "must be >= 64, got " + defaultMemoryMb);
    }
    if (maxCpus < defaultCpus) {
      throw new ConfigException(EnvNames.MAX_CPUS, "must be >= " + EnvNames.DEFAULT_CPUS + " (" + defaultCpus + "), got " + maxCpus);
    }
    if (maxMemoryMb < defaultMemoryMb) {
      throw new ConfigException(EnvNames.MAX_MEMORY_MB,
          "must be >= " + EnvNames.DEFAULT_MEMORY_MB + " (" + defaultMemoryMb + "), got " + maxMemoryMb);
    }
    if (pidsLimit < 16) {
      throw new ConfigException(EnvNames.PIDS_LIMIT, "must be >= 16, got " + pidsLimit);
    }
  }
}
