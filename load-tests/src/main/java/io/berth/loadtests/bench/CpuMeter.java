package io.berth.loadtests.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of the processes that share the machine's cores during a series, from /proc (utime + stime, clock ticks of
 * 10 ms): the worker, the broker (beam.smp), Docker (dockerd, containerd and the containers' shims), this benchmark,
 * and the whole machine busy. On two cores, what a command costs all of them together is the ceiling of its rate.
 */
final class CpuMeter {
  static final String WORKER = "worker";
  static final String BROKER = "broker";
  static final String DOCKER = "Docker";
  static final String BENCHMARK = "benchmark";
  static final String MACHINE = "machine";
  static final List<String> PARTS = List.of(WORKER, BROKER, DOCKER, BENCHMARK);
  private static final double MS_PER_TICK = 10; // USER_HZ is 100 on Linux

  private CpuMeter() {}

  /** CPU milliseconds so far, by part; the machine's busy time summed over its cores. */
  static Map<String, Double> snapshot(long workerPid) {
    Map<String, Double> ms = new LinkedHashMap<>();
    PARTS.forEach(p -> ms.put(p, 0.0));
    long self = ProcessHandle.current().pid();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
        long pid = Long.parseLong(p.getFileName().toString());
        String[] stat = stat(p);
        if (stat == null) {
          return;
        }
        String comm = stat[0];
        String part = pid == workerPid ? WORKER : pid == self ? BENCHMARK : comm.equals("beam.smp") ? BROKER
            : comm.equals("dockerd") || comm.startsWith("containerd") ? DOCKER : null;
        if (part != null) {
          // stat(): [comm, state, ...], so utime (field 14 of /proc/PID/stat) is [12] and stime [13]
          ms.merge(part, (Long.parseLong(stat[12]) + Long.parseLong(stat[13])) * MS_PER_TICK, Double::sum);
        }
      });
    } catch (IOException | RuntimeException e) {
      return ms; // no /proc: no CPU figures
    }
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < cpu.length && i <= 8; i++) {
        if (i != 4 && i != 5) { // idle and iowait are not busy
          busy += Long.parseLong(cpu[i]);
        }
      }
      ms.put(MACHINE, busy * MS_PER_TICK);
    } catch (IOException | RuntimeException e) {
      // leave it out
    }
    return ms;
  }

  /** [comm, state, ppid, ...]: comm may hold spaces and parentheses, so it is cut at the last ")". */
  private static String[] stat(Path proc) {
    try {
      String s = Files.readString(proc.resolve("stat"));
      int open = s.indexOf('(');
      int close = s.lastIndexOf(')');
      String[] rest = s.substring(close + 2).split(" ");
      String[] out = new String[rest.length + 1];
      out[0] = s.substring(open + 1, close);
      System.arraycopy(rest, 0, out, 1, rest.length);
      return out;
    } catch (IOException | RuntimeException e) {
      return null; // gone meanwhile
    }
  }

  /** CPU milliseconds per command in each part between two snapshots. */
  static Map<String, Double> perCommand(Map<String, Double> before, Map<String, Double> after, int commands) {
    Map<String, Double> out = new LinkedHashMap<>();
    after.forEach((part, ms) -> out.put(part, (ms - before.getOrDefault(part, 0.0)) / Math.max(1, commands)));
    return out;
  }
}
