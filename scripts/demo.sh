#!/usr/bin/env bash
# Berth end to end on this machine: broker + Docker + a LAN of our own (veth pair, the far end in a network
# namespace with 203.0.113.254), the worker on macvlan, one transcoder requested, reached from the LAN at its static
# address, then released. Leaves nothing behind. Run as root (it creates links and namespaces).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "[berth-demo] $*"; }
LAN_NS=berth-test-demo
PARENT=btdemoa
PEER=btdemob
NETWORK=berth-test-demo
WORKER_PID=

cleanup() {
  set +e
  [ -n "$WORKER_PID" ] && kill -TERM "$WORKER_PID" 2>/dev/null && wait "$WORKER_PID" 2>/dev/null
  docker ps -aq --filter "label=io.berth.network=$NETWORK" | xargs -r docker rm -f >/dev/null
  docker network rm "$NETWORK" >/dev/null 2>&1
  ip netns del "$LAN_NS" 2>/dev/null
  ip link del "$PARENT" 2>/dev/null
  rm -rf "${SECRETS:-/nonexistent}"
}
trap cleanup EXIT

bash scripts/setup-infra.sh
say "building the worker jar"
mvn -B -q -DskipTests package -pl event-schemas,orchestrator-worker
JAR=orchestrator-worker/target/orchestrator-worker.jar

cleanup
say "LAN: $PARENT (macvlan parent) <-> $PEER in namespace $LAN_NS (203.0.113.254/24)"
ip link add "$PARENT" type veth peer name "$PEER"
ip link set "$PARENT" up
ip netns add "$LAN_NS"
ip link set "$PEER" netns "$LAN_NS"
ip -n "$LAN_NS" addr add 203.0.113.254/24 dev "$PEER"
ip -n "$LAN_NS" link set "$PEER" up

SECRETS=$(mktemp -d)
echo "demo-password" > "$SECRETS/password"
chmod 600 "$SECRETS/password"

say "starting the worker (log: /tmp/berth-demo-worker.log)"
env BERTH_AMQP_URI='amqp://guest:guest@127.0.0.1:5672/%2F' \
  BERTH_HOST_ID=demo-host \
  BERTH_NETWORK_NAME="$NETWORK" BERTH_NETWORK_DRIVER=macvlan BERTH_NETWORK_PARENT="$PARENT" \
  BERTH_NETWORK_SUBNET=203.0.113.0/24 BERTH_NETWORK_GATEWAY=203.0.113.1 BERTH_NETWORK_IP_RANGE=203.0.113.64/26 \
  BERTH_IMAGE=berth/wcs-standin:latest BERTH_WCS_PASSWORD_FILE="$SECRETS/password" \
  BERTH_DEFAULT_MEMORY_MB=128 BERTH_EXTRA_LABEL=io.berth.test=true BERTH_STATE_DIR="$SECRETS/state" \
  java -jar "$JAR" worker > /tmp/berth-demo-worker.log 2>&1 &
WORKER_PID=$!
for _ in $(seq 1 60); do
  grep -q "worker started" /tmp/berth-demo-worker.log && break
  kill -0 "$WORKER_PID" 2>/dev/null || { cat /tmp/berth-demo-worker.log; exit 1; }
  sleep 0.5
done

say "publishing TranscoderRequested demo/tx-1 and waiting for its lifecycle event"
OUT=$(java -jar "$JAR" publish TranscoderRequested tenantId=demo transcoderId=tx-1 roomId=lobby --await 1)
echo "$OUT"
IP=$(echo "$OUT" | sed -n 's/.*"ipAddress":"\([0-9.]*\)".*/\1/p')
[ -n "$IP" ] || { say "no TranscoderStarted"; exit 1; }

say "from the LAN namespace: GET http://$IP:8081/rest-api/status"
timeout 5 ip netns exec "$LAN_NS" busybox wget -q -O - "http://$IP:8081/rest-api/status"; echo

say "publishing TranscoderReleased demo/tx-1"
java -jar "$JAR" publish TranscoderReleased tenantId=demo transcoderId=tx-1 --await 1
say "done: containers left on $NETWORK: $(docker ps -aq --filter "label=io.berth.network=$NETWORK" | wc -l)"
