#!/usr/bin/env bash
# Restarts this machine's main dockerd (not the test fleet's, which listen under /run/berth-fleet) with the arguments
# it runs with, and waits until it answers again. Test infrastructure only: Docker 20.10 sometimes leaves a network
# whose endpoint count no container explains ("has active endpoints" with none attached); only a daemon restart
# fixes that ("Fixing inconsistent endpoint_cnt" in its log). Every container of the main engine stops with it.
#
#   scripts/dockerd-restart.sh [WAIT_SECONDS]     (default 60)
set -euo pipefail
WAIT="${1:-60}"
LOG=/var/log/berth-dockerd.log
say() { echo "[berth-dockerd-restart] $*"; }

pid=""
for p in $(pgrep -x dockerd || true); do
    if ! tr '\0' ' ' < "/proc/$p/cmdline" | grep -q 'berth-fleet'; then
        pid="$p"
        break
    fi
done
[ -n "$pid" ] || { say "no main dockerd runs; nothing to restart" >&2; exit 1; }
mapfile -d '' cmd < "/proc/$pid/cmdline"
say "stopping dockerd (pid $pid): ${cmd[*]}"
kill -TERM "$pid"
for _ in $(seq 1 "$WAIT"); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
done
if kill -0 "$pid" 2>/dev/null; then
    say "dockerd did not stop within ${WAIT}s; killing it"
    kill -KILL "$pid"
    sleep 1
fi
printf -v quoted '%q ' "${cmd[@]}"
# dockerd must inherit no descriptor of ours (a caller's flock, a CI pipe): it would hold them for its whole life
for fd in /proc/$$/fd/*; do
    n="${fd##*/}"
    [ "$n" -gt 2 ] 2>/dev/null && eval "exec $n>&-" 2>/dev/null || true
done
setsid -f sh -c "exec $quoted >>'$LOG' 2>&1 </dev/null"
for _ in $(seq 1 "$WAIT"); do
    if docker info >/dev/null 2>&1; then
        say "dockerd answers again"
        exit 0
    fi
    sleep 1
done
say "dockerd did not answer within ${WAIT}s; last lines of $LOG:" >&2
tail -n 20 "$LOG" >&2
exit 1
