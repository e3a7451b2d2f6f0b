package io.berth.worker.provisioning;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.events.Resources;
import io.berth.events.TranscoderRequested;
import io.berth.worker.config.ConfigException;
import io.berth.worker.config.EnvConfigLoader;
import io.berth.worker.config.WorkerConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestPolicyTest {

  private static WorkerConfig config(String defaultCpus) {
    Map<String, String> env = new HashMap<>();
    env.put("BERTH_HOST_ID", "host-a");
    env.put("BERTH_NETWORK_DRIVER", "macvlan");
    env.put("BERTH_NETWORK_PARENT", "eth9");
    env.put("BERTH_NETWORK_SUBNET", "192.0.2.0/24");
    env.put("BERTH_NETWORK_GATEWAY", "192.0.2.1");
    env.put("BERTH_NETWORK_IP_RANGE", "192.0.2.64/26");
    env.put("BERTH_DEFAULT_CPUS", defaultCpus);
    return new EnvConfigLoader(env, name -> name.equals("eth9")).load();
  }

  @Test
  void aDefaultCpuLimitDockerWouldReadAsNoLimitStopsTheWorkerNamingTheVariable() {
    // 1e-9 cores is NanoCpus=1: Docker treats it as no limit at all.
    assertThatThrownBy(() -> new RequestPolicy(config("0.000000001")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("BERTH_DEFAULT_CPUS").hasMessageContaining("0.01");
    assertThatCode(() -> new RequestPolicy(config("0.01"))).doesNotThrowAnyException();
  }

  @Test
  void requestsWithinTheContractAndTheHostsCeilingPass() {
    RequestPolicy policy = new RequestPolicy(config("1.0"));
    assertThatCode(() -> policy.check(new TranscoderRequested("acme", "tx-1", "room-1", null,
        new Resources(Resources.MIN_CPUS, Resources.MIN_MEMORY_MB)))).doesNotThrowAnyException();
    assertThatThrownBy(() -> policy.check(new TranscoderRequested("acme", "tx-1", "room-1", null,
        new Resources(8.5, 512)))).hasMessageContaining("exceeds this host's maximum");
  }
}
