package io.berth.worker.config;

/** Every environment variable the worker reads, in one place so README, loader and errors agree. */
public final class EnvNames {
  private EnvNames() {}

  public static final String AMQP_URI = "BERTH_AMQP_URI";
  public static final String AMQP_ADDRESSES = "BERTH_AMQP_ADDRESSES";
  public static final String DOCKER_HOST = "DOCKER_HOST";
  public static final String HOST_ID = "BERTH_HOST_ID";
  public static final String NETWORK_NAME = "BERTH_NETWORK_NAME";
  public static final String NETWORK_DRIVER = "BERTH_NETWORK_DRIVER";
  public static final String NETWORK_PARENT = "BERTH_NETWORK_PARENT";
  public static final String NETWORK_SUBNET = "BERTH_NETWORK_SUBNET";
  public static final String NETWORK_GATEWAY = "BERTH_NETWORK_GATEWAY";
  public static final String NETWORK_IP_RANGE = "BERTH_NETWORK_IP_RANGE";
  public static final String NETWORK_HOST_SHIM = "BERTH_NETWORK_HOST_SHIM";
  public static final String IPVLAN_MODE = "BERTH_IPVLAN_MODE";
  public static final String MACVLAN_MODE = "BERTH_MACVLAN_MODE";
  public static final String IMAGE = "BERTH_IMAGE";
  public static final String ALLOWED_IMAGES = "BERTH_ALLOWED_IMAGES";
  public static final String MAX_TRANSCODERS = "BERTH_MAX_TRANSCODERS";
  public static final String WCS_PASSWORD_FILE = "BERTH_WCS_PASSWORD_FILE";
  public static final String WCS_LICENSE_FILE = "BERTH_WCS_LICENSE_FILE";
  public static final String DEFAULT_CPUS = "BERTH_DEFAULT_CPUS";
  public static final String DEFAULT_MEMORY_MB = "BERTH_DEFAULT_MEMORY_MB";
  public static final String MAX_CPUS = "BERTH_MAX_CPUS";
  public static final String MAX_MEMORY_MB = "BERTH_MAX_MEMORY_MB";
  public static final String PIDS_LIMIT = "BERTH_PIDS_LIMIT";
  public static final String CONTAINER_LOG_MAX_SIZE = "BERTH_CONTAINER_LOG_MAX_SIZE";
  public static final String CONTAINER_LOG_MAX_FILES = "BERTH_CONTAINER_LOG_MAX_FILES";
  public static final String READINESS_PROBE = "BERTH_READINESS_PROBE";
  public static final String READINESS_PORT = "BERTH_READINESS_PORT";
  public static final String READINESS_PATH = "BERTH_READINESS_PATH";
  public static final String READINESS_TIMEOUT_SECONDS = "BERTH_READINESS_TIMEOUT_SECONDS";
  public static final String STOP_TIMEOUT_SECONDS = "BERTH_STOP_TIMEOUT_SECONDS";
  public static final String CONCURRENCY = "BERTH_CONCURRENCY";
  public static final String PREFETCH = "BERTH_PREFETCH";
  public static final String HOST_PREFETCH = "BERTH_HOST_PREFETCH";
  public static final String DELIVERY_LIMIT = "BERTH_DELIVERY_LIMIT";
  public static final String DOCKER_RETRY_ATTEMPTS = "BERTH_DOCKER_RETRY_ATTEMPTS";
  public static final String DOCKER_RETRY_INITIAL_MS = "BERTH_DOCKER_RETRY_INITIAL_MS";
  public static final String DOCKER_RETRY_MAX_MS = "BERTH_DOCKER_RETRY_MAX_MS";
  public static final String SHUTDOWN_GRACE_SECONDS = "BERTH_SHUTDOWN_GRACE_SECONDS";
  public static final String EXTRA_LABEL = "BERTH_EXTRA_LABEL";
  public static final String RESTART_INITIAL_BACKOFF_MS = "BERTH_RESTART_INITIAL_BACKOFF_MS";
  public static final String RESTART_MAX_BACKOFF_MS = "BERTH_RESTART_MAX_BACKOFF_MS";
  public static final String RESTART_STABLE_SECONDS = "BERTH_RESTART_STABLE_SECONDS";
  public static final String RESTART_MAX = "BERTH_RESTART_MAX";
  public static final String RESTART_WINDOW_SECONDS = "BERTH_RESTART_WINDOW_SECONDS";
  public static final String RECONCILE_SECONDS = "BERTH_RECONCILE_SECONDS";
  public static final String HEARTBEAT_SECONDS = "BERTH_HEARTBEAT_SECONDS";
  public static final String STATE_DIR = "BERTH_STATE_DIR";
  public static final String ETCD_ENDPOINTS = "BERTH_ETCD_ENDPOINTS";
  public static final String ETCD_PREFIX = "BERTH_ETCD_PREFIX";
  public static final String FAILOVER_SECONDS = "BERTH_FAILOVER_SECONDS";
  public static final String HTTP_PORT = "BERTH_HTTP_PORT";
  /** Read by logback (logback.xml) to pick the appender; validated here so a typo stops the worker, not its logs. */
  public static final String LOG_FORMAT = "BERTH_LOG_FORMAT";
  public static final String LOG_LEVEL = "BERTH_LOG_LEVEL";
}
