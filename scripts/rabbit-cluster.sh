#!/usr/bin/env bash
# A 3-node RabbitMQ cluster on this machine, next to its own RabbitMQ, for chaos tests (quorum queues, a node
# killed mid-stream and brought back).
#
#   scripts/rabbit-cluster.sh up           (re)create the cluster: cleans up whatever a previous run left, starts
#                                          c1..c3, joins c2 and c3 to c1, waits for 3 running nodes, adds berth/berth
#   scripts/rabbit-cluster.sh down         kill all three, delete /tmp/berth-rabbit-cluster; idempotent
#   scripts/rabbit-cluster.sh kill N       SIGKILL node N's Erlang VM (N = 1..3); it stays dead until `start N`
#   scripts/rabbit-cluster.sh start N      start node N again on its data and wait until the cluster runs it
#   scripts/rabbit-cluster.sh status       one line per node, then the cluster's running nodes; exit 1 if no
#                                          node answers
#   scripts/rabbit-cluster.sh ctl N ARG..  rabbitmqctl ARG.. against node N, with the cluster's cookie
#
# Node i (1..3): berth-c<i>@localhost, AMQP 127.0.0.1:568<i> (BERTH_RABBIT_CLUSTER_BIND to listen elsewhere),
# Erlang distribution 127.0.0.1:2568<i>, no plugins, everything under /tmp/berth-rabbit-cluster/c<i>
# (mnesia, log, rabbitmq.conf, enabled_plugins, pid). Users: berth/berth (all permissions on /, may log in from
# anywhere) and guest/guest (loopback only, as usual). AMQP URI: amqp://berth:berth@127.0.0.1:5681/%2F
#
# Never touches the machine's own node (rabbit@localhost, 5672/25672): different node names and ports, its
# /etc/rabbitmq files are not read, and the cluster has a cookie of its own (see "cookie" below), so even a
# mistaken `-n rabbit@localhost` from this script could not reach it.
#
# Runs the nodes as the invoking user (root in CI), not as `rabbitmq`: see "user" below. Needs
# rabbitmq-server (scripts/setup-infra.sh installs it); epmd is shared with the machine's node (started by
# the first node if none runs, and left running).
set -euo pipefail

BASE=/tmp/berth-rabbit-cluster
NODES=(1 2 3)
BIND="${BERTH_RABBIT_CLUSTER_BIND:-127.0.0.1}"
WAIT="${BERTH_RABBIT_CLUSTER_WAIT_SECONDS:-90}"
# The CLI is an Erlang node too. By default every rabbitmqctl on the machine takes a distribution port from
# 35672..35682; the tests of the machine's own broker call rabbitmqctl all the time, so ours take their own range.
CTL_DIST_MIN=35690
CTL_DIST_MAX=35709
# A marker on each node's command line: 3.10 sets the node name at run time, so it is not in `ps`; with the
# marker the node's VM can be told apart from every other beam.smp (and never be the machine's own node's).
MARKER=-berth_rabbit_cluster

T0=$SECONDS
log() { echo "[berth-rabbit-cluster +$((SECONDS - T0))s] $*" >&2; }
die() { echo "[berth-rabbit-cluster] ERROR: $*" >&2; exit 1; }

usage() {
    sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

# Debian's /usr/sbin/rabbitmq-server and rabbitmqctl are a wrapper that `su`s to the rabbitmq user (HOME reset
# to /var/lib/rabbitmq) and sends the server's output to /var/log/rabbitmq/startup_log of the machine's node;
# the real scripts are in /usr/lib/rabbitmq/bin.
RABBIT_BIN=/usr/lib/rabbitmq/bin
if [ ! -x "$RABBIT_BIN/rabbitmq-server" ]; then
    RABBIT_BIN="$(dirname "$(readlink -f "$(command -v rabbitmq-server || echo /nonexistent)")")"
fi

node_name() { echo "berth-c$1@localhost"; }
amqp_port() { echo $((5680 + $1)); }
dist_port() { echo $((25680 + $1)); }
node_dir() { echo "$BASE/c$1"; }

check_n() {
    case "${1:-}" in 1|2|3) ;; *) die "node number must be 1, 2 or 3 (got '${1:-}')" ;; esac
}

# ---------------------------------------------------------------- environment
# cookie: the nodes and the CLI must agree on one. HOME=$BASE/home holds a cookie made by `up`, read by the nodes
# and by rabbitmqctl alike (both look in $HOME/.erlang.cookie). Not the machine's /var/lib/rabbitmq/.erlang.cookie:
# it exists only once the machine's node has run, a node started as root with HOME=/var/lib/rabbitmq would create
# it root-owned when missing (the machine's node could not read it any more), and a separate cookie keeps
# this cluster and the machine's node from ever talking to each other.
#
# user: the invoking user (root in CI). As `rabbitmq` we would need su/runuser (which resets HOME), chown of the
# state directory and the Debian wrapper's shared log; as ourselves nothing of that, and every file is under $BASE.
#
# RABBITMQ_CONF_ENV_FILE and RABBITMQ_CONFIG_FILE(S) point into $BASE: the machine's /etc/rabbitmq/rabbitmq-env.conf
# (NODENAME=rabbit@localhost, ...) and rabbitmq.conf (listeners.tcp.local = 127.0.0.1:5672) are for its own node.
common_env() {
    ENV=(
        HOME="$BASE/home"
        RABBITMQ_CONF_ENV_FILE="$BASE/rabbitmq-env.conf"
        RABBITMQ_CTL_DIST_PORT_MIN="$CTL_DIST_MIN"
        RABBITMQ_CTL_DIST_PORT_MAX="$CTL_DIST_MAX"
        ERL_EPMD_ADDRESS=127.0.0.1
    )
}

node_env() {
    local n=$1 d
    d="$(node_dir "$n")"
    common_env
    ENV+=(
        RABBITMQ_NODENAME="$(node_name "$n")"
        RABBITMQ_NODE_IP_ADDRESS="$BIND"
        RABBITMQ_NODE_PORT="$(amqp_port "$n")"
        RABBITMQ_DIST_PORT="$(dist_port "$n")"
        RABBITMQ_MNESIA_BASE="$d/mnesia"
        RABBITMQ_LOG_BASE="$d/log"
        RABBITMQ_CONFIG_FILE="$d/rabbitmq.conf"
        RABBITMQ_CONFIG_FILES="$d/conf.d"
        RABBITMQ_ADVANCED_CONFIG_FILE="$d/advanced.config"
        RABBITMQ_ENABLED_PLUGINS_FILE="$d/enabled_plugins"
        RABBITMQ_PID_FILE="$d/pid"
        # distribution on loopback only, like the machine's node; the marker for kill/down
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1} $MARKER c$n"
    )
}

# rabbitmqctl against node N (with a timeout: a CLI call to a dying node can hang)
ctl() {
    local n=$1; shift
    common_env
    (cd "$BASE" && timeout 60 env "${ENV[@]}" "$RABBIT_BIN/rabbitmqctl" -n "$(node_name "$n")" "$@")
}

# ctl, its output shown only when it fails (join_cluster prints harmless "[error] Failed to create a tracked
# connection table ... node_not_running" lines for the node whose app is stopped)
ctl_quiet() {
    local out
    out="$(ctl "$@" 2>&1)" || { echo "$out" >&2; die "rabbitmqctl -n $(node_name "$1") ${*:2} failed"; }
}

# ---------------------------------------------------------------- processes
# pid of node N's VM, only if it is alive and really that node's (the pid file may be stale and the pid reused)
node_pid() {
    local n=$1 pid
    pid="$(cat "$(node_dir "$n")/pid" 2>/dev/null || true)"
    if [ -n "$pid" ] && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q -- "$MARKER c$n "; then
        echo "$pid"
        return
    fi
    # not booted far enough to write the pid file yet: find the VM by its marker
    pgrep -f -- "$MARKER c$n( |\$)" | head -n 1 || true
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

start_node() {
    local n=$1 d
    d="$(node_dir "$n")"
    [ -d "$d" ] || die "node $n has no state in $d: run 'up' first"
    [ -z "$(node_pid "$n")" ] || die "node $n is already running (pid $(node_pid "$n"))"
    local p
    for p in "$(amqp_port "$n")" "$(dist_port "$n")"; do
        ! port_open 127.0.0.1 "$p" || die "port $p is taken by another process: $(ss -ltnpH "sport = :$p" 2>/dev/null || true)"
    done
    rm -f "$d/pid"
    node_env "$n"
    # setsid -f: its own session, so neither this script's caller (a JVM reading our output) nor its signals hold it
    (cd "$BASE" && setsid -f env "${ENV[@]}" "$RABBIT_BIN/rabbitmq-server" >>"$d/log/startup.log" 2>&1 </dev/null)
}

# wait until node N has booted (`rabbitmqctl wait` waits for the pid file, then for the rabbit app)
await_node() {
    local n=$1 deadline=$((SECONDS + WAIT))
    while ! ctl "$n" -q wait --timeout 10 "$(node_dir "$n")/pid" >/dev/null 2>&1; do
        if [ -z "$(node_pid "$n")" ] && [ ! -s "$(node_dir "$n")/pid" ]; then
            # the wrapper may not have started the VM yet; give it a moment before calling it dead
            sleep 1
            [ -n "$(node_pid "$n")" ] || { tail -n 30 "$(node_dir "$n")/log/startup.log" >&2 || true; die "node $n died while starting (logs: $(node_dir "$n")/log)"; }
        fi
        [ "$SECONDS" -lt "$deadline" ] || { tail -n 30 "$(node_dir "$n")/log/startup.log" >&2 || true; die "node $n did not boot within ${WAIT}s (logs: $(node_dir "$n")/log)"; }
    done
}

# the running cluster members as node N sees them, comma-separated and sorted
running_nodes() {
    ctl "$1" -q eval 'io:format("~s~n", [lists:join(",", lists:sort([atom_to_list(N) || N <- rabbit_nodes:all_running()]))]).' 2>/dev/null | head -n 1
}

all_names() { local n out=(); for n in "${NODES[@]}"; do out+=("$(node_name "$n")"); done; (IFS=,; echo "${out[*]}"); }

# wait until node N sees all three running (and so, via mnesia, do the others)
await_cluster() {
    local n=$1 deadline=$((SECONDS + WAIT)) want seen
    want="$(all_names)"
    while seen="$(running_nodes "$n" || true)"; [ "$seen" != "$want" ]; do
        [ "$SECONDS" -lt "$deadline" ] || die "cluster not complete within ${WAIT}s: node $n sees running [$seen], want [$want]"
        sleep 1
    done
}

# kill_node N [quiet]: quiet says nothing about a node that is not running (down)
kill_node() {
    local n=$1 pid
    pid="$(node_pid "$n")"
    if [ -z "$pid" ]; then
        [ -n "${2:-}" ] || log "node $n ($(node_name "$n")) is not running"
        return
    fi
    kill -KILL "$pid" 2>/dev/null || true
    # gone for good before we return: a test measures from here
    local i
    for i in $(seq 1 100); do
        [ -e "/proc/$pid" ] || break
        sleep 0.1
    done
    [ ! -e "/proc/$pid" ] || die "node $n (pid $pid) survived SIGKILL"
    log "killed node $n ($(node_name "$n"), pid $pid)"
}

# ---------------------------------------------------------------- subcommands
cmd_down() {
    local n pid
    # SIGKILL, no graceful stop: the data is deleted anyway, and it also stops half-booted nodes
    for n in "${NODES[@]}"; do
        kill_node "$n" quiet
    done
    # anything else carrying the marker (a node whose state dir was already removed)
    for pid in $(pgrep -f -- "$MARKER c[0-9]" || true); do
        kill -KILL "$pid" 2>/dev/null || true
    done
    rm -rf "$BASE"
    log "down: nodes stopped, $BASE removed"
}

write_node_config() {
    local n=$1 d
    d="$(node_dir "$n")"
    mkdir -p "$d/mnesia" "$d/log" "$d/conf.d"
    echo '[].' >"$d/enabled_plugins"
    # listener, node name and ports come from the environment (node_env); this is the rest
    cat >"$d/rabbitmq.conf" <<EOF
# node $n of scripts/rabbit-cluster.sh
log.console = false
log.file.level = info
# a test machine: do not block publishers over disk or memory alarms that the 4 nodes on it cause together
disk_free_limit.absolute = 50MB
vm_memory_high_watermark.relative = 0.8
EOF
}

cmd_up() {
    command -v "$RABBIT_BIN/rabbitmq-server" >/dev/null 2>&1 \
        || die "rabbitmq-server not found (looked in $RABBIT_BIN); run scripts/setup-infra.sh"
    if [ -e "$BASE" ] || pgrep -f -- "$MARKER c[0-9]" >/dev/null; then
        log "leftovers of an earlier cluster: cleaning up first"
        cmd_down
    fi
    mkdir -p "$BASE/home"
    : >"$BASE/rabbitmq-env.conf"
    # a fresh random cookie; Erlang refuses a cookie file others can read
    (umask 077; head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32 >"$BASE/home/.erlang.cookie")
    chmod 400 "$BASE/home/.erlang.cookie"

    local n
    for n in "${NODES[@]}"; do
        write_node_config "$n"
        start_node "$n"
    done
    for n in "${NODES[@]}"; do
        await_node "$n"
        log "node $n booted ($(node_name "$n"), amqp $BIND:$(amqp_port "$n"))"
    done
    for n in "${NODES[@]:1}"; do
        ctl_quiet "$n" -q stop_app
        ctl_quiet "$n" -q join_cluster "$(node_name 1)"
        ctl_quiet "$n" -q start_app
        log "node $n joined $(node_name 1)"
    done
    await_cluster 1
    # users live in mnesia, so once on c1 is enough
    ctl_quiet 1 -q add_user berth berth
    ctl_quiet 1 -q set_permissions -p / berth '.*' '.*' '.*'
    log "up: $(running_nodes 1); amqp://berth:berth@127.0.0.1:$(amqp_port 1)/%2F (also :$(amqp_port 2), :$(amqp_port 3))"
}

cmd_kill() {
    check_n "$1"
    [ -d "$(node_dir "$1")" ] || die "no cluster in $BASE: run 'up' first"
    kill_node "$1"
}

cmd_start() {
    local n=$1
    check_n "$n"
    start_node "$n"
    await_node "$n"
    # the restarted node reads the membership from its own mnesia and rejoins by itself
    await_cluster "$n"
    log "node $n is running in the cluster again: $(running_nodes "$n")"
}

cmd_status() {
    local n pid any=1 seen=""
    for n in "${NODES[@]}"; do
        pid="$(node_pid "$n")"
        if [ -n "$pid" ] && port_open 127.0.0.1 "$(amqp_port "$n")"; then
            echo "$(node_name "$n") running pid=$pid amqp=$BIND:$(amqp_port "$n") dist=$(dist_port "$n")"
            [ -n "$seen" ] || seen="$(running_nodes "$n" || true)"
            any=0
        elif [ -n "$pid" ]; then
            echo "$(node_name "$n") starting pid=$pid amqp=$BIND:$(amqp_port "$n") dist=$(dist_port "$n")"
        else
            echo "$(node_name "$n") down amqp=$BIND:$(amqp_port "$n") dist=$(dist_port "$n")"
        fi
    done
    echo "running_nodes=$seen"
    return $any
}

case "${1:-}" in
    up) cmd_up ;;
    down) cmd_down ;;
    kill) cmd_kill "${2:-}" ;;
    start) cmd_start "${2:-}" ;;
    status) cmd_status ;;
    ctl) [ $# -ge 3 ] || usage; check_n "$2"; n=$2; shift 2; ctl "$n" "$@" ;;
    *) usage ;;
esac
