#!/usr/bin/env bash
# Issue 9's benchmark in one command: builds the worker jar and the load tests, then runs the benchmark under the
# shared infrastructure lock. Needs Docker, RabbitMQ and the stand-in image (scripts/setup-infra.sh).
#   load-tests/run-benchmark.sh            # full run (~12 min on 2 cores): docs/BENCHMARKS.md and its charts
#   load-tests/run-benchmark.sh --quick    # tiny sizes, < 2 min, report in load-tests/target/benchmark/
#   load-tests/run-benchmark.sh --help     # the options (sizes, concurrency, output, ...)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export BERTH_TEST_AMQP_URI="${BERTH_TEST_AMQP_URI:-amqp://guest:guest@127.0.0.1:5672/%2F}"
# Online by default: a machine that never ran the dependency plugin has nothing to build the classpath offline with
# (a silent exit 1 before). BERTH_BENCH_OFFLINE=1 once everything is in the local repository.
OFFLINE=()
[ "${BERTH_BENCH_OFFLINE:-0}" = 1 ] && OFFLINE=(-o)
mvn -B -q "${OFFLINE[@]}" install -DskipTests
CP_FILE="$ROOT/load-tests/target/benchmark.classpath"
mvn -B -q "${OFFLINE[@]}" -pl load-tests dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null \
  || { echo "run-benchmark.sh: could not build the benchmark's classpath (offline without the dependency plugin?)" >&2; exit 1; }
CP="$ROOT/load-tests/target/classes:$(cat "$CP_FILE")"
# The lock is taken here, after the build: compiles need none, Docker and the broker do.
exec flock /tmp/berth-infra.lock java -Djava.awt.headless=true -cp "$CP" io.berth.loadtests.bench.Benchmark "$@"
