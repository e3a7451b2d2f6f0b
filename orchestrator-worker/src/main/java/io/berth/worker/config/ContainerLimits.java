package io.berth.worker.config;

/**
 * Resource limits: the defaults a request gets and the ceiling a request may ask for; and the bound on each
 * container's log (Docker's json-file driver keeps everything unless told otherwise).
 *
 * @param logMaxSize json-file {@code max-size}: a number with k, m or g (any case, optional b; kept as 10m)
 * @param logMaxFiles json-file {@code max-file}: how many rotated files are kept
 */
public record ContainerLimits(double defaultCpus, int defaultMemoryMb, double maxCpus, int maxMemoryMb, long pidsLimit,
    String logMaxSize, int logMaxFiles) {

  public ContainerLimits(double defaultCpus, int defaultMemoryMb, double maxCpus, int maxMemoryMb, long pidsLimit) {
    this(defaultCpus, defaultMemoryMb, maxCpus, maxMemoryMb, pidsLimit, "10m", 3);
  }

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
    if (logMaxSize == null || !logMaxSize.matches("(?i)[1-9][0-9]{0,5}[kmg]b?")) {
      throw new ConfigException(EnvNames.CONTAINER_LOG_MAX_SIZE,
          "must be a size such as 10m (a number and k, m or g, any case, b optional), got '" + logMaxSize + "'");
    }
    // As Docker reads it (10M = 10m = 10mb), written one way so the container's log config reads the same everywhere.
    logMaxSize = logMaxSize.toLowerCase(java.util.Locale.ROOT).replace("b", "");
    if (logMaxFiles < 1 || logMaxFiles > 100) {
      throw new ConfigException(EnvNames.CONTAINER_LOG_MAX_FILES, "must be 1 to 100, got " + logMaxFiles);
    }
  }
}
