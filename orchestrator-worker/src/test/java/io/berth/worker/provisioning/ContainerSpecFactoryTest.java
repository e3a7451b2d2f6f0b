package io.berth.worker.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.worker.config.EnvConfigLoader;
import io.berth.worker.docker.ContainerSpec;
import io.berth.worker.docker.Labels;
import io.berth.worker.docker.ManagedContainer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerSpecFactoryTest {
  private static final TranscoderKey KEY = new TranscoderKey("acme", "tx-1");
  private static final CommandRef REQUEST = new CommandRef("req-1", "TranscoderRequested",
      Instant.parse("2026-12-05T10:00:00Z"));

  private static ContainerSpecFactory factory(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of("BERTH_HOST_ID", "host-a", "BERTH_NETWORK_DRIVER", "macvlan",
        "BERTH_NETWORK_PARENT", "eth9", "BERTH_NETWORK_SUBNET", "192.0.2.0/24", "BERTH_NETWORK_GATEWAY", "192.0.2.1",
        "BERTH_NETWORK_IP_RANGE", "192.0.2.64/26"));
    env.putAll(extra);
    return new ContainerSpecFactory(new EnvConfigLoader(env, name -> name.equals("eth9")).load());
  }

  private static ManagedContainer made(ContainerSpecFactory factory, ContainerSpecFactory.Desired desired) {
    ContainerSpec spec = factory.spec(desired, "192.0.2.64", REQUEST);
    return new ManagedContainer("c1", spec.name(), "running", spec.labels());
  }

  @Test
  void whatTheRequestDecidesChangesTheSpecAndTheHostsSettingsDoNot() {
    ContainerSpecFactory factory = factory(Map.of());
    ContainerSpecFactory.Desired desired = factory.desired(KEY, "room", null, null);
    ManagedContainer running = made(factory, desired);
    assertThat(factory.matches(running, desired)).isTrue();
    assertThat(factory.matches(running, factory.desired(KEY, "other-room", null, null))).isFalse();
    assertThat(factory.matches(running, factory.desired(KEY, "room", null,
        new io.berth.events.Resources(2.0, 2048)))).isFalse();

    // An operator raising the host's pids limit must not recreate (and cut the sessions of) every transcoder at its
    // next duplicate request: the limit applies to new containers.
    ContainerSpecFactory raised = factory(Map.of("BERTH_PIDS_LIMIT", "777"));
    assertThat(raised.matches(running, raised.desired(KEY, "room", null, null))).isTrue();
  }

  @Test
  void aContainerLabelledByAnEarlierVersionStillMatches() {
    ContainerSpecFactory factory = factory(Map.of());
    ContainerSpecFactory.Desired desired = factory.desired(KEY, "room", null, null);
    Map<String, String> labels = new HashMap<>(made(factory, desired).labels());
    labels.put(Labels.SPEC_HASH, factory.legacySpecHash(desired)); // the hash that included the pids limit
    assertThat(factory.matches(new ManagedContainer("c1", "berth-acme-tx-1", "running", labels), desired)).isTrue();
  }

  @Test
  void theRequestAndItsTimeAreLabelled() {
    ContainerSpecFactory factory = factory(Map.of());
    ManagedContainer c = made(factory, factory.desired(KEY, "room", null, null));
    assertThat(c.label(Labels.REQUEST)).isEqualTo("req-1");
    assertThat(c.requestedAt()).contains(REQUEST.time());
  }
}
