package io.berth.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvConfigLoaderTest {

  private static Map<String, String> valid() {
    Map<String, String> env = new HashMap<>();
    env.put("BERTH_HOST_ID", "host-a");
    env.put("BERTH_NETWORK_DRIVER", "macvlan");
    env.put("BERTH_NETWORK_PARENT", "eth9");
    env.put("BERTH_NETWORK_SUBNET", "192.0.2.0/24");
    env.put("BERTH_NETWORK_GATEWAY", "192.0.2.1");
    env.put("BERTH_NETWORK_IP_RANGE", "192.0.2.64/26");
    return env;
  }

  private static WorkerConfig load(Map<String, String> env) {
    return new EnvConfigLoader(env, name -> name.equals("eth9")).load();
  }

  @Test
  void validEnvironmentGivesDocumentedDefaults() {
    WorkerConfig config = load(valid());
    assertThat(config.hostId()).isEqualTo("host-a");
    assertThat(config.image()).isEqualTo("flashphoner/webcallserver:latest");
    assertThat(config.allowedImages()).containsExactly("flashphoner/webcallserver:latest");
    assertThat(config.maxTranscoders()).isEqualTo(20);
    assertThat(config.concurrency()).isEqualTo(EnvConfigLoader.DEFAULT_CONCURRENCY);
    assertThat(config.prefetch()).isEqualTo(EnvConfigLoader.DEFAULT_PREFETCH);
    assertThat(config.hostPrefetch()).isEqualTo(EnvConfigLoader.DEFAULT_HOST_PREFETCH);
    assertThat(config.network().driver()).isEqualTo(NetworkDriver.MACVLAN);
    assertThat(config.network().mode()).isEqualTo("bridge");
    assertThat(config.network().ipRange()).hasToString("192.0.2.64/26");
    assertThat(config.wcsPassword()).isEmpty();
  }

  @Test
  void aHostShimAddressMustBeAFreeAddressOfTheSubnetOutsideTheRangeAndTurnsReadinessToHttp() {
    assertThat(load(valid()).network().hostShim()).isEmpty();
    assertThat(load(valid()).readiness().mode()).isEqualTo(ReadinessConfig.Mode.EXEC);

    Map<String, String> env = valid();
    env.put("BERTH_NETWORK_HOST_SHIM", "192.0.2.250");
    WorkerConfig config = load(env);
    assertThat(config.network().hostShim()).contains(Ipv4.parse("192.0.2.250"));
    assertThat(config.readiness().mode()).isEqualTo(ReadinessConfig.Mode.HTTP);
    env.put("BERTH_READINESS_PROBE", "exec");
    assertThat(load(env).readiness().mode()).as("an explicit probe is kept").isEqualTo(ReadinessConfig.Mode.EXEC);

    for (String bad : java.util.List.of("198.51.100.5", "192.0.2.1", "192.0.2.255", "192.0.2")) {
      env.put("BERTH_NETWORK_HOST_SHIM", bad);
      assertThatThrownBy(() -> load(env)).as(bad).isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("BERTH_NETWORK_HOST_SHIM:");
    }
  }

  @Test
  void rangeOutsideSubnetNamesTheVariable() {
    Map<String, String> env = valid();
    env.put("BERTH_NETWORK_IP_RANGE", "198.51.100.0/26");
    assertThatThrownBy(() -> load(env)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("BERTH_NETWORK_IP_RANGE:").hasMessageContaining("outside the subnet");
  }

  @Test
  void aRangeMayHoldTheGatewayAndTheHostShimNeitherIsHandedOut() {
    Map<String, String> env = valid();
    env.put("BERTH_NETWORK_IP_RANGE", "192.0.2.0/24");
    env.put("BERTH_NETWORK_HOST_SHIM", "192.0.2.2");
    WorkerConfig config = load(env);
    io.berth.worker.ipam.AddressAllocator allocator = new io.berth.worker.ipam.AddressAllocator(config.network());
    assertThat(allocator.assignableCount()).isEqualTo(252); // 256 - network, broadcast, gateway, shim
    assertThat(allocator.pick(java.util.Set.of())).contains("192.0.2.3");
    assertThat(allocator.isAssignable("192.0.2.1")).isFalse();
    assertThat(allocator.isAssignable("192.0.2.2")).isFalse();
  }

  @Test
  void gatewayOutsideSubnetIsRefused() {
    Map<String, String> env = valid();
    env.put("BERTH_NETWORK_GATEWAY", "203.0.113.1");
    assertThatThrownBy(() -> load(env)).hasMessageStartingWith("BERTH_NETWORK_GATEWAY:");
  }

  @Test
  void unknownDriverIsRefused() {
    Map<String, String> env = valid();
    env.put("BERTH_NETWORK_DRIVER", "bridge");
    assertThatThrownBy(() -> load(env)).hasMessage("BERTH_NETWORK_DRIVER: must be ipvlan or macvlan, got 'bridge'");
  }

  @Test
  void missingParentInterfaceIsRefused() {
    Map<String, String> env = valid();
    env.put("BERTH_NETWORK_PARENT", "nope0");
    assertThatThrownBy(() -> load(env)).hasMessage("BERTH_NETWORK_PARENT: no network interface named 'nope0' on this host");
  }

  @Test
  void requiredVariablesAreNamed() {
    Map<String, String> env = valid();
    env.remove("BERTH_NETWORK_SUBNET");
    assertThatThrownBy(() -> load(env)).hasMessage("BERTH_NETWORK_SUBNET: is required");
  }

  @Test
  void wrongIpvlanModeIsRefused() {
    Map<String, String> env = valid();
    env.put("BERTH_NETWORK_DRIVER", "ipvlan");
    env.put("BERTH_IPVLAN_MODE", "bridge");
    assertThatThrownBy(() -> load(env)).hasMessageStartingWith("BERTH_IPVLAN_MODE:");
  }

  @Test
  void malformedNumbersAndAddressesNameTheVariable() {
    Map<String, String> env = valid();
    env.put("BERTH_MAX_TRANSCODERS", "many");
    assertThatThrownBy(() -> load(env)).hasMessage("BERTH_MAX_TRANSCODERS: must be a whole number, got 'many'");
    Map<String, String> env2 = valid();
    env2.put("BERTH_NETWORK_SUBNET", "192.0.2.0");
    assertThatThrownBy(() -> load(env2)).hasMessageStartingWith("BERTH_NETWORK_SUBNET:");
  }

  @Test
  void allowListMustContainTheDefaultImage() {
    Map<String, String> env = valid();
    env.put("BERTH_ALLOWED_IMAGES", "other:1");
    assertThatThrownBy(() -> load(env)).hasMessageStartingWith("BERTH_ALLOWED_IMAGES:");
  }

  @Test
  void secretsAreReadFromFilesAndNeverPrinted(@TempDir Path dir) throws Exception {
    Path password = Files.writeString(dir.resolve("password"), "s3cr3t-pass\n");
    Map<String, String> env = valid();
    env.put("BERTH_WCS_PASSWORD_FILE", password.toString());
    env.put("BERTH_AMQP_URI", "amqp://user:hunter2@broker:5672/%2F");
    WorkerConfig config = load(env);
    assertThat(config.wcsPassword()).get().extracting(Secret::reveal).isEqualTo("s3cr3t-pass");
    assertThat(config.toString()).doesNotContain("s3cr3t-pass").doesNotContain("hunter2");
  }

  @Test
  void unreadableSecretFileIsRefusedWithoutItsContent(@TempDir Path dir) {
    Map<String, String> env = valid();
    env.put("BERTH_WCS_LICENSE_FILE", dir.resolve("missing").toString());
    assertThatThrownBy(() -> load(env)).hasMessageStartingWith("BERTH_WCS_LICENSE_FILE: cannot read file");
  }

  @Test
  void brokerAddressesAreAListOfHostsWithOptionalPorts() {
    Map<String, String> env = valid();
    env.put("BERTH_AMQP_ADDRESSES", " rmq1:5672, rmq2 ,10.0.0.3:5673,");
    assertThat(load(env).amqpAddresses()).containsExactly("rmq1:5672", "rmq2", "10.0.0.3:5673");
    env.remove("BERTH_AMQP_ADDRESSES");
    assertThat(load(env).amqpAddresses()).isEmpty();
    env.put("BERTH_AMQP_ADDRESSES", "rmq1:5672;rmq2:5672");
    assertThatThrownBy(() -> load(env)).hasMessageStartingWith("BERTH_AMQP_ADDRESSES: 'rmq1:5672;rmq2:5672'");
    env.put("BERTH_AMQP_ADDRESSES", "rmq1:70000");
    assertThatThrownBy(() -> load(env)).hasMessageStartingWith("BERTH_AMQP_ADDRESSES:");
  }

  @Test
  void badHostIdIsRefused() {
    Map<String, String> env = valid();
    env.put("BERTH_HOST_ID", "Host_A");
    assertThatThrownBy(() -> load(env)).hasMessageStartingWith("BERTH_HOST_ID:");
  }

  @Test
  void singleHostByDefaultFleetWithEtcdEndpoints() {
    WorkerConfig single = load(valid());
    org.assertj.core.api.Assertions.assertThat(single.coordination().fleet()).isFalse();
    org.assertj.core.api.Assertions.assertThat(single.coordination().stateDir()).hasToString("/var/lib/berth");
    org.assertj.core.api.Assertions.assertThat(single.coordination().failover()).isEqualTo(java.time.Duration.ofSeconds(10));
    Map<String, String> env = valid();
    env.put("BERTH_ETCD_ENDPOINTS", " http://198.51.100.5:2379, https://198.51.100.6:2379 ");
    env.put("BERTH_FAILOVER_SECONDS", "6");
    WorkerConfig fleet = load(env);
    org.assertj.core.api.Assertions.assertThat(fleet.coordination().fleet()).isTrue();
    org.assertj.core.api.Assertions.assertThat(fleet.coordination().etcdEndpoints()).hasSize(2);
    org.assertj.core.api.Assertions.assertThat(fleet.coordination().failover()).isEqualTo(java.time.Duration.ofSeconds(6));
  }

  @Test
  void badFleetSettingsNameTheVariable() {
    Map<String, String> env = valid();
    env.put("BERTH_ETCD_ENDPOINTS", "198.51.100.5:2379");
    assertThatThrownBy(() -> load(env)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("BERTH_ETCD_ENDPOINTS: each endpoint must be http(s)://host:port");
    Map<String, String> ttl = valid();
    ttl.put("BERTH_FAILOVER_SECONDS", "2");
    assertThatThrownBy(() -> load(ttl)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("BERTH_FAILOVER_SECONDS: must be a whole number of seconds >= 3");
    Map<String, String> fraction = valid();
    fraction.put("BERTH_FAILOVER_SECONDS", "4.5");
    assertThatThrownBy(() -> load(fraction)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("BERTH_FAILOVER_SECONDS");
    Map<String, String> prefix = valid();
    prefix.put("BERTH_ETCD_PREFIX", "berth/");
    assertThatThrownBy(() -> load(prefix)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("BERTH_ETCD_PREFIX");
  }

  @Test
  void httpPortAndLogFormatDefaults() {
    WorkerConfig config = load(valid());
    assertThat(config.observability().httpPort()).isEqualTo(9464);
    assertThat(config.observability().httpEnabled()).isTrue();
    assertThat(config.observability().logFormat()).isEqualTo(ObservabilityConfig.LogFormat.TEXT);
  }

  @Test
  void httpPortZeroTurnsTheEndpointOff() {
    Map<String, String> env = valid();
    env.put("BERTH_HTTP_PORT", "0");
    assertThat(load(env).observability().httpEnabled()).isFalse();
    env.put("BERTH_HTTP_PORT", "8080");
    assertThat(load(env).observability().httpPort()).isEqualTo(8080);
  }

  @Test
  void hostPrefetchIsItsOwnAndChecked() {
    Map<String, String> env = valid();
    env.put("BERTH_PREFETCH", "4");
    env.put("BERTH_HOST_PREFETCH", "64");
    WorkerConfig config = load(env);
    assertThat(config.prefetch()).isEqualTo(4);
    assertThat(config.hostPrefetch()).isEqualTo(64);
    env.put("BERTH_HOST_PREFETCH", "0");
    assertThatThrownBy(() -> load(env)).isInstanceOf(ConfigException.class)
        .hasMessage("BERTH_HOST_PREFETCH: must be 1 to 1000, got 0");
  }

  @Test
  void badHttpPortNamesTheVariable() {
    Map<String, String> env = valid();
    env.put("BERTH_HTTP_PORT", "65536");
    assertThatThrownBy(() -> load(env)).isInstanceOf(ConfigException.class)
        .hasMessage("BERTH_HTTP_PORT: must be 1 to 65535, or 0 for none, got 65536");
    env.put("BERTH_HTTP_PORT", "-1");
    assertThatThrownBy(() -> load(env)).hasMessageStartingWith("BERTH_HTTP_PORT: must be 1 to 65535");
    env.put("BERTH_HTTP_PORT", "metrics");
    assertThatThrownBy(() -> load(env)).hasMessage("BERTH_HTTP_PORT: must be a whole number, got 'metrics'");
  }

  @Test
  void logFormatIsTextOrJsonSpelledExactly() {
    Map<String, String> env = valid();
    env.put("BERTH_LOG_FORMAT", "json");
    assertThat(load(env).observability().logFormat()).isEqualTo(ObservabilityConfig.LogFormat.JSON);
    env.put("BERTH_LOG_FORMAT", "text");
    assertThat(load(env).observability().logFormat()).isEqualTo(ObservabilityConfig.LogFormat.TEXT);
    // logback would find no appender for these and write nothing at all: refused at start instead
    for (String bad : new String[] {"xml", "JSON", " json", ""}) {
      env.put("BERTH_LOG_FORMAT", bad);
      assertThatThrownBy(() -> load(env)).isInstanceOf(ConfigException.class)
          .hasMessage("BERTH_LOG_FORMAT: must be text or json, got '" + bad + "'");
    }
  }

  @Test
  void logLevelIsOneLogbackKnows() {
    Map<String, String> env = valid();
    for (String good : new String[] {"DEBUG", "info", "Warn", "ERROR", "TRACE", "OFF"}) {
      env.put("BERTH_LOG_LEVEL", good);
      assertThat(load(env)).isNotNull();
    }
    // logback reads anything else as DEBUG: a typo would flood the log instead of failing
    for (String bad : new String[] {"verbose", " INFO", "", "WARNING"}) {
      env.put("BERTH_LOG_LEVEL", bad);
      assertThatThrownBy(() -> load(env)).isInstanceOf(ConfigException.class)
          .hasMessage("BERTH_LOG_LEVEL: must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, got '" + bad + "'");
    }
  }

  /** Docker reads 10M, 10m and 10mb alike; Berth wrote only 10m and refused the rest. */
  @Test
  void containerLogSizesReadAsDockerReadsThem() {
    Map<String, String> env = valid();
    for (String[] pair : new String[][] {{"10M", "10m"}, {"512k", "512k"}, {"2G", "2g"}, {"20mb", "20m"}, {"1KB", "1k"}}) {
      env.put("BERTH_CONTAINER_LOG_MAX_SIZE", pair[0]);
      assertThat(load(env).limits().logMaxSize()).as(pair[0]).isEqualTo(pair[1]);
    }
    for (String bad : new String[] {"10", "0m", "10 m", "10t", "-1m", "10mib"}) {
      env.put("BERTH_CONTAINER_LOG_MAX_SIZE", bad);
      assertThatThrownBy(() -> load(env)).as(bad).isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("BERTH_CONTAINER_LOG_MAX_SIZE: must be a size such as 10m");
    }
  }
}
