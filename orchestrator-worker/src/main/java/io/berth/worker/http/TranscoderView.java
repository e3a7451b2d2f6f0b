package io.berth.worker.http;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the fleet page shows, as {@code /api/transcoders} serves it: every field named here and nothing else — no
 * labels wholesale, no environment, no container ids — so nothing a request or the configuration carries can leak
 * through it. Absent facts are null, so a script can rely on the shape.
 *
 * @param at when the view was assembled: uptimes and "ago" are relative to it, not to the browser's clock
 * @param hostId the worker serving the page
 * @param mode {@code single} or {@code fleet}
 * @param countingSince when this worker started: the restart counts are its own, kept in memory since then
 * @param hosts this host alone, or every live member of the fleet
 * @param problems what could not be read just now (Docker, etcd), one line each
 */
public record TranscoderView(Instant at, String hostId, String mode, Instant countingSince, List<Host> hosts,
    List<Transcoder> transcoders, List<String> problems) {

  public TranscoderView {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(hostId, "hostId");
    hosts = List.copyOf(hosts);
    transcoders = List.copyOf(transcoders);
    problems = List.copyOf(problems);
  }

  /**
   * @param leaseSecondsLeft fleet: seconds until etcd expires its lease unless renewed; null when not known
   * @param here the worker serving the page
   */
  public record Host(String hostId, long transcoders, Long leaseSecondsLeft, boolean here) {}

  /**
   * One transcoder.
   *
   * @param address its static address; null when not known (a fleet transcoder mid-provision)
   * @param adminUrl {@code https://<address>:8444/}, WCS's own web admin; only for a well-formed IPv4 address
   * @param hostId where it runs; null for a fleet orphan nobody holds yet
   * @param state Docker's state when it runs here (running, exited, ...); the fleet's (held, claimed, orphan) otherwise
   * @param here it runs on the host serving the page: only then are uptime, restarts and crashes known
   * @param uptimeSeconds since it last started, while it runs here
   * @param restarts restarts after a crash counted by this worker since {@code countingSince}; null when not here
   * @param lastCrashAt its last crash as this worker saw it; null when none or not here
   * @param lastExitCode Docker's exit code while it is stopped here
   * @param alert why the page highlights it (crash-looped, exited, crashed recently); null when it need not
   * @param note anything else worth a glance (tenant suspended, last started elsewhere, waiting for a host)
   */
  public record Transcoder(String tenantId, String transcoderId, String roomId, String address, String adminUrl,
      String hostId, String state, boolean here, Long uptimeSeconds, Integer restarts, Instant lastCrashAt,
      Integer lastExitCode, boolean oomKilled, String alert, String note) {}
}
