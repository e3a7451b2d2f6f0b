#!/usr/bin/env bash
# A real fleet on one machine, for integration tests: N Docker hosts on one LAN, each a network namespace with
# a dockerd of its own, plus an etcd server, a LAN client and the local RabbitMQ reachable from the LAN.
#
#   scripts/fleet.sh up [N] [TAG]         N hosts (default 3, at most 40); TAG is 1-8 of [a-z0-9] (default dev)
#   scripts/fleet.sh down [TAG]           remove everything of the fleet; idempotent, also after a half-made up
#   scripts/fleet.sh status [TAG]         what is up; exit 1 when the fleet does not exist
#   scripts/fleet.sh cut HOSTN [TAG]      cut host N off the LAN (its bridge-side veth down)
#   scripts/fleet.sh restore HOSTN [TAG]  link up again
#   scripts/fleet.sh kill HOSTN [TAG]     the host dies: SIGKILL to every process in its namespace (dockerd,
#                                         containerd, shims, whatever was started there) and to its containers,
#                                         its containers' addresses vanish, link down. Stays dead until down.
#   scripts/fleet.sh etcd-stop [TAG]      stop the fleet's etcd (SIGTERM)
#   scripts/fleet.sh etcd-start [TAG]     start it again on the same data dir and port (its data survives)
#   HOSTN is 2 or h2.
#
# What `up N t` makes (host i = 1..N):
#   LAN          bridge bf<t>; the root namespace has 203.0.113.1/24 on it (also the "gateway" of docker networks
#                on the LAN; nothing is routed)
#   host i       netns berth-fleet-<t>-h<i>; eth0 203.0.113.(10+i)/24 (veth, bridge side bf<t>h<i>);
#                dockerd -H unix:///run/berth-fleet/<t>/h<i>/docker.sock, started with nsenter --net (not
#                `ip netns exec`: that remounts /sys and hides the cgroup mounts), state under
#                /run/berth-fleet/<t>/h<i>, containerd namespace berth-<t>-h<i> (a system containerd, if one runs,
#                would otherwise be shared and every engine would list every container), cgroup parent
#                berth-fleet-<t>-h<i>, log /var/log/berth-fleet-<t>-h<i>.log; the images of BERTH_FLEET_IMAGES
#                (default berth/wcs-standin:latest) copied from the machine's main dockerd
#   LAN client   netns berth-fleet-<t>-lan, eth0 203.0.113.254/24 (veth bf<t>c)
#   etcd         /usr/bin/etcd (Debian etcd-server, installed when missing) in the root namespace; clients
#                http://203.0.113.1:<p> and http://127.0.0.1:<p>, p the first free of 23790..23799; peers
#                127.0.0.1:<p+100>; data /run/berth-fleet/<t>/etcd; log /var/log/berth-fleet-<t>-etcd.log
#   broker       socat 203.0.113.1:5672 -> 127.0.0.1:5672 in the root namespace: RabbitMQ sees a local peer, so
#                guest (loopback-only) may log in from the hosts; log /var/log/berth-fleet-<t>-socat.log
#   iptables     FORWARD -i bf<t> -o bf<t> -j ACCEPT (comment berth-fleet-<t>): with br_netfilter on, bridged
#                traffic would meet the FORWARD policy DROP that the main dockerd sets
#   /run/berth-fleet/<t>/fleet.env describes all of it (KEY=value lines) for tests and tools.
#
# Only 203.0.113.0/24 (documentation), only links and namespaces this script creates; one fleet at a time per
# machine (the root namespace's 203.0.113.1 is unique). Logs are kept by `down`; cleanup-test-leftovers.sh
# removes them with any fleet leftovers. Needs root.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN_ROOT=/run/berth-fleet
LOG_DIR=/var/log
PREFIX=203.0.113
GATEWAY=$PREFIX.1
CLIENT_ADDRESS=$PREFIX.254
AMQP_PORT=5672
IMAGES="${BERTH_FLEET_IMAGES-berth/wcs-standin:latest}"
DOCKER_WAIT="${BERTH_FLEET_DOCKER_WAIT_SECONDS:-60}"

say() { echo "[berth-fleet] $*"; }
warn() { echo "[berth-fleet] WARN: $*" >&2; }
die() { FAILED_AT=""; echo "[berth-fleet] ERROR: $*" >&2; exit 1; }

usage() {
    sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

set_tag() {
    TAG="${1:-dev}"
    [[ "$TAG" =~ ^[a-z0-9]{1,8}$ ]] || die "TAG must be 1-8 of [a-z0-9], got '$TAG'"
    STATE="$RUN_ROOT/$TAG"
    BRIDGE="bf$TAG"
    CLIENT_NS="berth-fleet-$TAG-lan"
    CLIENT_LINK="bf${TAG}c"
}

host_ns() { echo "berth-fleet-$TAG-h$1"; }
host_link() { echo "bf${TAG}h$1"; }
host_dir() { echo "$STATE/h$1"; }
host_sock() { echo "unix://$STATE/h$1/docker.sock"; }
host_log() { echo "$LOG_DIR/berth-fleet-$TAG-h$1.log"; }
host_address() { echo "$PREFIX.$((10 + $1))"; }

env_value() { [ -f "$STATE/fleet.env" ] && sed -n "s/^$1=//p" "$STATE/fleet.env" | head -n 1 || true; }

parse_host() {
    local h="${1:-}"
    h="${h#h}"
    [[ "$h" =~ ^[0-9]+$ ]] || die "HOSTN must be a number like 2 or h2, got '${1:-}'"
    local n
    n="$(env_value FLEET_HOSTS)"
    [ -n "$n" ] || die "fleet '$TAG' is not up ($STATE/fleet.env missing)"
    [ "$h" -ge 1 ] && [ "$h" -le "$n" ] || die "fleet '$TAG' has hosts 1..$n, not $h"
    HOST=$h
}

need_root() { [ "$(id -u)" = 0 ] || die "must run as root (namespaces, links, iptables, daemons)"; }

# ---------------------------------------------------------------- processes

# a zombie counts as gone: daemons are reparented to PID 1, which may be slow to reap them
alive() {
    [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null || return 1
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
    stat="${stat##*) }"
    [ "${stat%% *}" != Z ]
}

# pid from a pidfile, only if that process still runs the program we started (pids get reused)
pid_of() {
    local pid
    pid="$(cat "$1" 2>/dev/null || true)"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 0
    tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q -- "$2" && echo "$pid"
    return 0
}

# wait until none of the pids is alive; 0 when they are gone in time
wait_gone() {
    local deadline=$((SECONDS + $1)) pid
    shift
    while :; do
        local any=false
        for pid in "$@"; do alive "$pid" && any=true; done
        [ "$any" = false ] && return 0
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.1
    done
}

# SIGTERM, then SIGKILL after $2 seconds
stop_pid() {
    local pid="$1"
    alive "$pid" || return 0
    kill -TERM "$pid" 2>/dev/null || true
    wait_gone "$2" "$pid" || { kill -KILL "$pid" 2>/dev/null || true; wait_gone 5 "$pid" || true; }
}

# every process of host i: those in its namespace (dockerd, containerd, shims, anything started there) and
# their children in namespaces of their own (the containers' init processes; their pid namespaces die with them)
host_pids() {
    local ns pids children
    ns="$(host_ns "$1")"
    [ -e "/run/netns/$ns" ] || return 0
    pids="$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ' || true)"
    [ -n "${pids// /}" ] || return 0
    children="$(pgrep -P "$(echo $pids | tr ' ' ',')" 2>/dev/null | tr '\n' ' ' || true)"
    echo $pids $children | tr ' ' '\n' | sort -un | tr '\n' ' '
}

kill_host_processes() {
    local pids
    pids="$(host_pids "$1")"
    [ -n "${pids// /}" ] || return 0
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    # shellcheck disable=SC2086
    wait_gone 10 $pids || warn "host $1: processes still alive after SIGKILL: $pids"
}

# mounts under a directory, deepest first
mounts_under() {
    findmnt -rn -o TARGET 2>/dev/null | awk -v p="$1/" 'index($0, p) == 1' | sort -r
}

unmount_under() {
    local m
    for m in $(mounts_under "$1"); do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || warn "cannot unmount $m"
    done
}

# a daemon in its own session, pid written first (the program execs into that pid), no fd of ours kept
spawn() {
    local pidfile="$1" log="$2"
    shift 2
    setsid -f sh -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" >>"$log" 2>&1 </dev/null
}

# ---------------------------------------------------------------- packages
APT_UPDATED=false
apt_install() {
    command -v apt-get >/dev/null 2>&1 || die "need '$*' (install by hand: no apt-get)"
    local log=/var/log/berth-fleet-apt.log
    if [ "$APT_UPDATED" = false ]; then
        say "apt-get update (log: $log)"
        apt-get update >>"$log" 2>&1 </dev/null || { tail -n 20 "$log" >&2; die "apt-get update failed"; }
        APT_UPDATED=true
    fi
    say "apt-get install -y $* (log: $log)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" >>"$log" 2>&1 </dev/null \
        || { tail -n 20 "$log" >&2; die "apt-get install $* failed"; }
    hash -r
}

ensure_tools() {
    local t
    for t in ip nsenter dockerd docker iptables findmnt setsid timeout flock ss; do
        command -v "$t" >/dev/null 2>&1 || die "'$t' not found (run scripts/setup-infra.sh first)"
    done
    command -v socat >/dev/null 2>&1 || apt_install socat
    if ! command -v etcd >/dev/null 2>&1 || ! command -v etcdctl >/dev/null 2>&1; then
        local before
        before="$(pgrep -x etcd | tr '\n' ' ' || true)"
        apt_install etcd-server etcd-client
        # the package may start a system etcd on 2379 (systemd or init.d); the fleet uses its own, stop that one
        local pid
        for pid in $(pgrep -x etcd || true); do
            case " $before " in *" $pid "*) continue ;; esac
            say "stopping the etcd the package started (pid $pid)"
            if [ -d /run/systemd/system ]; then
                systemctl stop etcd 2>/dev/null || true
                systemctl disable etcd 2>/dev/null || true
            else
                /etc/init.d/etcd stop >/dev/null 2>&1 || true
            fi
            stop_pid "$pid" 10
        done
    fi
}

# ---------------------------------------------------------------- up
port_free() { [ -z "$(ss -Htln "sport = :$1" 2>/dev/null)" ]; }

write_env() {
    local i f="$STATE/fleet.env"
    {
        echo "FLEET_TAG=$TAG"
        echo "FLEET_HOSTS=$N"
        echo "FLEET_BRIDGE=$BRIDGE"
        echo "FLEET_SUBNET=$PREFIX.0/24"
        echo "FLEET_GATEWAY=$GATEWAY"
        echo "FLEET_ETCD_CLIENT_PORT=$ETCD_PORT"
        echo "FLEET_ETCD_PEER_PORT=$ETCD_PEER_PORT"
        echo "FLEET_ETCD_ENDPOINTS=http://$GATEWAY:$ETCD_PORT"
        echo "FLEET_ETCD_LOCAL_ENDPOINTS=http://127.0.0.1:$ETCD_PORT"
        echo "FLEET_AMQP_ADDRESS=$GATEWAY:$AMQP_PORT"
        echo "FLEET_LAN_CLIENT_NETNS=$CLIENT_NS"
        echo "FLEET_LAN_CLIENT_ADDRESS=$CLIENT_ADDRESS"
        for i in $(seq 1 "$N"); do
            echo "HOST${i}_NETNS=$(host_ns "$i")"
            echo "HOST${i}_NETNS_PATH=/run/netns/$(host_ns "$i")"
            echo "HOST${i}_LINK=$(host_link "$i")"
            echo "HOST${i}_PARENT=eth0"
            echo "HOST${i}_ADDRESS=$(host_address "$i")"
            echo "HOST${i}_DOCKER_HOST=$(host_sock "$i")"
            echo "HOST${i}_LOG=$(host_log "$i")"
        done
    } >"$f.tmp"
    mv "$f.tmp" "$f"
}

# namespace with eth0 = the inner end of a veth whose outer end is a port of the LAN bridge
make_lan_member() {
    local ns="$1" link="$2" address="$3"
    ip netns add "$ns"
    ip link add "$link" type veth peer name "${link}n"
    ip link set "${link}n" netns "$ns"
    ip -n "$ns" link set "${link}n" name eth0
    ip -n "$ns" addr add "$address/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
    ip link set "$link" master "$BRIDGE"
    ip link set "$link" up
}

start_dockerd() {
    local i="$1" d
    d="$(host_dir "$i")"
    mkdir -p "$d/data" "$d/exec"
    echo '{}' >"$d/daemon.json"   # not /etc/docker/daemon.json: nothing of the main engine's settings
    echo "=== $(date -u +%FT%TZ) fleet $TAG host $i" >>"$(host_log "$i")"
    # dockerd.pid is ours (written before dockerd runs: nsenter execs it); docker.pid is dockerd's own
    spawn "$d/dockerd.pid" "$(host_log "$i")" nsenter --net="/run/netns/$(host_ns "$i")" -- dockerd \
        --config-file "$d/daemon.json" \
        --data-root "$d/data" \
        --exec-root "$d/exec" \
        --pidfile "$d/docker.pid" \
        -H "$(host_sock "$i")" \
        --bridge=none --iptables=false --ip-masq=false \
        --containerd-namespace "berth-$TAG-h$i" \
        --containerd-plugins-namespace "berth-$TAG-h$i-plugins" \
        --cgroup-parent "berth-fleet-$TAG-h$i"
}

wait_dockerd() {
    local i="$1" deadline=$((SECONDS + DOCKER_WAIT)) sock pid
    sock="$(host_sock "$i")"
    until timeout 5 docker -H "$sock" version >/dev/null 2>&1; do
        pid="$(pid_of "$(host_dir "$i")/dockerd.pid" dockerd)"
        if [ "$SECONDS" -ge "$deadline" ] || [ -z "$pid" ]; then
            tail -n 20 "$(host_log "$i")" >&2 || true
            die "host $i: dockerd did not answer on $sock within ${DOCKER_WAIT}s (log: $(host_log "$i"))"
        fi
        sleep 0.2
    done
}

start_etcd() {
    local port peer data="$STATE/etcd/data" log="$LOG_DIR/berth-fleet-$TAG-etcd.log"
    port="$(env_value FLEET_ETCD_CLIENT_PORT)"
    peer="$(env_value FLEET_ETCD_PEER_PORT)"
    [ -n "$port" ] && [ -n "$peer" ] || die "fleet '$TAG' has no etcd ports in $STATE/fleet.env"
    if [ -n "$(pid_of "$STATE/etcd/etcd.pid" etcd)" ]; then
        say "etcd already running"
        return
    fi
    mkdir -p "$data"
    chmod 700 "$STATE/etcd" "$data"
    echo "=== $(date -u +%FT%TZ) fleet $TAG etcd" >>"$log"
    # env -i: no ETCD_* variables of the caller leak into the configuration
    spawn "$STATE/etcd/etcd.pid" "$log" env -i PATH="$PATH" etcd \
        --name "berth-fleet-$TAG" \
        --data-dir "$data" \
        --listen-client-urls "http://$GATEWAY:$port,http://127.0.0.1:$port" \
        --advertise-client-urls "http://$GATEWAY:$port" \
        --listen-peer-urls "http://127.0.0.1:$peer" \
        --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
        --initial-cluster "berth-fleet-$TAG=http://127.0.0.1:$peer" \
        --initial-cluster-token "berth-fleet-$TAG" \
        --initial-cluster-state new \
        --logger zap --log-outputs stderr
    local deadline=$((SECONDS + 30))
    until ETCDCTL_API=3 timeout 3 etcdctl --endpoints="http://127.0.0.1:$port" endpoint health >/dev/null 2>&1; do
        if [ "$SECONDS" -ge "$deadline" ] || [ -z "$(pid_of "$STATE/etcd/etcd.pid" etcd)" ]; then
            tail -n 20 "$log" >&2 || true
            die "etcd did not become healthy on 127.0.0.1:$port (log: $log)"
        fi
        sleep 0.2
    done
}

stop_etcd() {
    stop_pid "$(pid_of "$STATE/etcd/etcd.pid" etcd)" 10
    rm -f "$STATE/etcd/etcd.pid"
}

start_socat() {
    local log="$LOG_DIR/berth-fleet-$TAG-socat.log"
    spawn "$STATE/socat.pid" "$log" socat \
        "TCP-LISTEN:$AMQP_PORT,bind=$GATEWAY,reuseaddr,fork" "TCP:127.0.0.1:$AMQP_PORT"
    local deadline=$((SECONDS + 10))
    until ss -Htln "sport = :$AMQP_PORT" 2>/dev/null | grep -q "$GATEWAY:$AMQP_PORT"; do
        [ "$SECONDS" -lt "$deadline" ] && [ -n "$(pid_of "$STATE/socat.pid" socat)" ] \
            || { tail -n 5 "$log" >&2 || true; die "socat did not listen on $GATEWAY:$AMQP_PORT (log: $log)"; }
        sleep 0.1
    done
}

up_failed() {
    [ "$1" != 0 ] || return 0
    [ -z "${FAILED_AT:-}" ] || warn "failed at $FAILED_AT"
    if [ "${BERTH_FLEET_KEEP_ON_FAILURE:-}" = 1 ]; then
        warn "up failed; the half-made fleet is kept (fleet.sh down $TAG removes it)"
    else
        warn "up failed, removing the half-made fleet"
        cmd_down "$TAG" >&2 || true
    fi
}

cmd_up() {
    need_root
    N="${1:-3}"
    set_tag "${2:-}"
    [[ "$N" =~ ^[0-9]+$ ]] && [ "$N" -ge 1 ] && [ "$N" -le 40 ] || die "N must be 1..40, got '$N'"
    local start=$SECONDS i
    ensure_tools
    local image
    for image in $IMAGES; do
        timeout 20 docker image inspect "$image" >/dev/null 2>&1 \
            || die "image $image is not in the main docker engine (run scripts/setup-infra.sh)"
    done
    # two ups at once would both find 203.0.113.1 free; the lock is released before any daemon starts (they
    # would inherit it)
    exec 9>/run/lock/berth-fleet.lock
    flock -w 60 9 || die "another fleet.sh up holds /run/lock/berth-fleet.lock"
    if [ -e "$STATE" ] || ip link show dev "$BRIDGE" >/dev/null 2>&1; then
        die "fleet '$TAG' exists already (fleet.sh down $TAG first)"
    fi
    if ip -o -4 addr show | awk '{ print $4 }' | grep -q "^$GATEWAY/"; then
        die "$GATEWAY is already assigned in the root namespace ($(ip -o -4 addr show | awk -v g="$GATEWAY/" 'index($4, g) == 1 { print $2 }')): another fleet is up? (fleet.sh status TAG)"
    fi

    # from here on a failure removes what was made (BERTH_FLEET_KEEP_ON_FAILURE=1 keeps it for a look)
    set -E   # the ERR trap also in functions
    trap 'FAILED_AT="line $LINENO: $BASH_COMMAND"' ERR
    trap 'up_failed $?' EXIT
    mkdir -p "$STATE"
    chmod 700 "$RUN_ROOT" "$STATE"
    ETCD_PORT=""
    for p in $(seq 23790 23799); do
        if port_free "$p" && port_free "$((p + 100))"; then ETCD_PORT=$p; break; fi
    done
    [ -n "$ETCD_PORT" ] || die "no free port in 23790..23799 (with +100 for peers) for etcd"
    ETCD_PEER_PORT=$((ETCD_PORT + 100))
    write_env

    ip link add "$BRIDGE" type bridge
    ip link set "$BRIDGE" up
    ip addr add "$GATEWAY/24" dev "$BRIDGE"
    exec 9>&-
    iptables -I FORWARD -i "$BRIDGE" -o "$BRIDGE" -m comment --comment "berth-fleet-$TAG" -j ACCEPT
    for i in $(seq 1 "$N"); do
        make_lan_member "$(host_ns "$i")" "$(host_link "$i")" "$(host_address "$i")"
    done
    make_lan_member "$CLIENT_NS" "$CLIENT_LINK" "$CLIENT_ADDRESS"

    # the engines start in parallel; etcd and socat meanwhile
    for i in $(seq 1 "$N"); do start_dockerd "$i"; done
    start_etcd
    start_socat
    timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$AMQP_PORT" 2>/dev/null \
        || warn "nothing listens on 127.0.0.1:$AMQP_PORT: the forward has no broker behind it"
    for i in $(seq 1 "$N"); do wait_dockerd "$i"; done

    if [ -n "${IMAGES// /}" ]; then
        # shellcheck disable=SC2086
        docker save -o "$STATE/images.tar" $IMAGES
        local pids=() failed=0
        for i in $(seq 1 "$N"); do
            docker -H "$(host_sock "$i")" load -q -i "$STATE/images.tar" >/dev/null &
            pids+=($!)
        done
        for i in "${!pids[@]}"; do wait "${pids[$i]}" || { warn "host $((i + 1)): image load failed"; failed=1; }; done
        rm -f "$STATE/images.tar"
        [ "$failed" = 0 ] || die "loading $IMAGES into the fleet's engines failed"
    fi

    # the LAN works: every host reaches etcd and the broker forward over it
    for i in $(seq 1 "$N"); do
        nsenter --net="/run/netns/$(host_ns "$i")" -- env ETCDCTL_API=3 timeout 5 \
            etcdctl --endpoints="http://$GATEWAY:$ETCD_PORT" endpoint health >/dev/null 2>&1 \
            || die "host $i cannot reach etcd at $GATEWAY:$ETCD_PORT over the LAN"
        nsenter --net="/run/netns/$(host_ns "$i")" -- timeout 3 bash -c "exec 3<>/dev/tcp/$GATEWAY/$AMQP_PORT" \
            2>/dev/null || die "host $i cannot reach $GATEWAY:$AMQP_PORT over the LAN"
    done
    trap - EXIT ERR
    say "fleet '$TAG' up in $((SECONDS - start))s: $N host(s), etcd http://$GATEWAY:$ETCD_PORT, broker $GATEWAY:$AMQP_PORT"
    cat "$STATE/fleet.env"
}

# ---------------------------------------------------------------- down
# host numbers known from any trace: state dirs, namespaces, links
known_hosts() {
    {
        local d
        for d in "$STATE"/h*; do [ -d "$d" ] && echo "${d##*/h}"; done
        ip netns list 2>/dev/null | awk '{ print $1 }' | sed -n "s/^berth-fleet-$TAG-h\([0-9][0-9]*\)$/\1/p"
        ip -o link show 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' \
            | sed -n "s/^bf${TAG}h\([0-9][0-9]*\)n\{0,1\}$/\1/p"
    } | sort -un
}

down_host() {
    local i="$1" d sock pid ids
    d="$(host_dir "$i")"
    sock="$(host_sock "$i")"
    pid="$(pid_of "$d/dockerd.pid" dockerd)"
    if [ -n "$pid" ] && [ -S "$d/docker.sock" ] && timeout 5 docker -H "$sock" version >/dev/null 2>&1; then
        ids="$(timeout 10 docker -H "$sock" ps -aq 2>/dev/null || true)"
        # shellcheck disable=SC2086
        [ -z "$ids" ] || timeout 30 docker -H "$sock" rm -f -v $ids >/dev/null 2>&1 || true
        stop_pid "$pid" 15   # dockerd stops its own containerd
    fi
    kill_host_processes "$i"
    unmount_under "$d"
}

remove_cgroups() {
    # cgroup v1: one tree per controller; v2: one tree. Only empty groups can go (rmdir), children first
    find /sys/fs/cgroup -maxdepth 4 -depth -type d -path "*/berth-fleet-$TAG-h*" -exec rmdir {} \; 2>/dev/null || true
}

cmd_down() {
    need_root
    set_tag "${1:-}"
    set +e   # best effort: whatever fails, the rest still goes
    local i hosts
    hosts="$(known_hosts)"
    stop_pid "$(pid_of "$STATE/socat.pid" socat)" 5
    stop_etcd
    local pids=()
    for i in $hosts; do down_host "$i" & pids+=($!); done
    for pid in "${pids[@]}"; do wait "$pid" || true; done
    remove_cgroups
    if [ -d "$STATE" ]; then
        unmount_under "$STATE"
        rm -rf --one-file-system "$STATE" || warn "could not remove $STATE"
    fi
    rmdir "$RUN_ROOT" 2>/dev/null || true
    local ns
    for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }' | grep -E "^berth-fleet-$TAG-(h[0-9]+|lan)$" || true); do
        pids_in="$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ' || true)"
        # shellcheck disable=SC2086
        [ -z "${pids_in// /}" ] || { kill -KILL $pids_in 2>/dev/null || true; wait_gone 5 $pids_in || true; }
        ip netns delete "$ns" 2>/dev/null || warn "could not delete netns $ns"
    done
    local link
    for link in $(ip -o link show 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' \
                    | grep -E "^bf${TAG}(h[0-9]+n?|cn?)?$" | sort -r || true); do
        ip link show dev "$link" >/dev/null 2>&1 || continue   # went with its namespace
        ip link delete dev "$link" 2>/dev/null || ! ip link show dev "$link" >/dev/null 2>&1 \
            || warn "could not delete link $link"
    done
    while iptables -D FORWARD -i "$BRIDGE" -o "$BRIDGE" -m comment --comment "berth-fleet-$TAG" -j ACCEPT 2>/dev/null; do :; done
    say "fleet '$TAG' down"
}

# ---------------------------------------------------------------- the rest
cmd_status() {
    set_tag "${1:-}"
    [ -f "$STATE/fleet.env" ] || { say "fleet '$TAG' is not up"; return 1; }
    local n i port state pid engine
    n="$(env_value FLEET_HOSTS)"
    port="$(env_value FLEET_ETCD_CLIENT_PORT)"
    say "fleet '$TAG': bridge $BRIDGE ($(cat "/sys/class/net/$BRIDGE/operstate" 2>/dev/null || echo missing)), LAN client $CLIENT_ADDRESS"
    for i in $(seq 1 "$n"); do
        state="$(cat "/sys/class/net/$(host_link "$i")/operstate" 2>/dev/null || echo missing)"
        pid="$(pid_of "$(host_dir "$i")/dockerd.pid" dockerd)"
        if [ -z "$pid" ]; then
            engine="dockerd dead"
        elif engine="$(timeout 5 docker -H "$(host_sock "$i")" ps -aq 2>/dev/null)"; then
            engine="dockerd $pid, $(echo $engine | wc -w) container(s)"
        else
            engine="dockerd $pid not answering"
        fi
        say "  h$i $(host_address "$i") link $state, $engine"
    done
    state=unhealthy
    ETCDCTL_API=3 timeout 3 etcdctl --endpoints="http://127.0.0.1:$port" endpoint health >/dev/null 2>&1 && state=healthy
    say "  etcd http://$GATEWAY:$port $state (pid $(pid_of "$STATE/etcd/etcd.pid" etcd))"
    say "  broker forward $GATEWAY:$AMQP_PORT (socat pid $(pid_of "$STATE/socat.pid" socat))"
}

cmd_link() {
    need_root
    set_tag "${2:-}"
    parse_host "$1"
    ip link set dev "$(host_link "$HOST")" "$3"
    say "host $HOST link $(host_link "$HOST") $3"
}

cmd_kill() {
    need_root
    set_tag "${2:-}"
    parse_host "$1"
    ip link set dev "$(host_link "$HOST")" down
    kill_host_processes "$HOST"
    # a dead machine answers nothing: drop the containers' network namespaces (docker's bind mounts keep them,
    # with their addresses, alive) so that nothing answers ARP for them when the link comes back
    unmount_under "$(host_dir "$HOST")/exec/netns"
    say "host $HOST killed"
}

case "${1:-}" in
    up) shift; cmd_up "$@" ;;
    down) shift; cmd_down "$@" ;;
    status) shift; cmd_status "$@" ;;
    cut) shift; cmd_link "${1:-}" "${2:-}" down ;;
    restore) shift; cmd_link "${1:-}" "${2:-}" up ;;
    kill) shift; cmd_kill "$@" ;;
    etcd-stop) shift; need_root; set_tag "${1:-}"; stop_etcd; say "etcd stopped" ;;
    etcd-start) shift; need_root; set_tag "${1:-}"; [ -f "$STATE/fleet.env" ] || die "fleet '$TAG' is not up"; start_etcd; say "etcd started" ;;
    *) usage ;;
esac
