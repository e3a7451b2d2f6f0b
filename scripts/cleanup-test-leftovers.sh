#!/usr/bin/env bash
# Remove whatever Berth's tests may have left behind on this machine:
#   - containers labelled io.berth.test=true or io.berth.managed=true (forced;
#     note: every container of the berth/wcs-standin image inherits the
#     image label io.berth.test=true)
#   - Docker networks labelled io.berth.test=true or named berth-test-*
#   - network namespaces named berth-test-* (processes still inside are killed)
#   - links whose name starts with "bt" (veth, and the macvlan/ipvlan/dummy/
#     bridge links tests may hang off them); nothing else is touched
#   - fleets of scripts/fleet.sh, every tag (`fleet.sh down <tag>`: their
#     dockerds and containers, etcd, socat, namespaces berth-fleet-*, links
#     bf<tag>*, the FORWARD rule, /run/berth-fleet), then their logs
#     /var/log/berth-fleet-*.log
#   - compose projects of ComposeIT (named berth-compose-*): their containers, networks, volumes and built
#     worker images (by the com.docker.compose.project label and the image name), the containers and networks
#     their workers made (label io.berth.compose-project), namespaces berth-compose-*, links bcmp*, temp dirs;
#     the stand-in base images berth-local/* are a cache and stay (scripts/compose-stand-ins.sh --rebuild)
#   - the 3-node RabbitMQ cluster of scripts/rabbit-cluster.sh (`rabbit-cluster.sh down`: its nodes
#     berth-c1..3@localhost and /tmp/berth-rabbit-cluster); the machine's own RabbitMQ is not touched
#
# Idempotent: "nothing to remove" is success. Exit code 1 only if something
# matching could not be removed. Needs root for netns/link removal.
set -euo pipefail

say() { echo "[berth-cleanup] $*"; }
warn() { echo "[berth-cleanup] WARN: $*" >&2; }

FAILED=0
N_CONTAINERS=0 N_NETWORKS=0 N_NETNS=0 N_LINKS=0 N_FLEETS=0 N_RABBIT_CLUSTERS=0 N_COMPOSE=0
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

SUDO=()
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
fi
priv() { "${SUDO[@]}" "$@"; }

DOCKER=(docker)
docker_ok() { command -v docker >/dev/null 2>&1 && timeout 20 "${DOCKER[@]}" info >/dev/null 2>&1; }

# ---------------------------------------------------------------- docker
cleanup_docker() {
    if ! docker_ok; then
        if [ "${#SUDO[@]}" -gt 0 ] && command -v docker >/dev/null 2>&1; then DOCKER=(sudo -n docker); fi
        if ! docker_ok; then
            say "docker engine not reachable: skipping containers and networks"
            return
        fi
    fi

    local ids id name
    ids="$( { "${DOCKER[@]}" ps -aq --no-trunc --filter label=io.berth.test=true
              "${DOCKER[@]}" ps -aq --no-trunc --filter label=io.berth.managed=true; } | sort -u )"
    for id in $ids; do
        name="$("${DOCKER[@]}" inspect -f '{{.Name}}' "$id" 2>/dev/null || echo "$id")"
        if "${DOCKER[@]}" rm -f -v "$id" >/dev/null 2>&1; then
            N_CONTAINERS=$((N_CONTAINERS + 1))
        elif "${DOCKER[@]}" inspect "$id" >/dev/null 2>&1; then
            warn "could not remove container ${name#/} ($id)"
            FAILED=1
        fi
    done

    local nets net attached c
    # `--filter name=` matches substrings, so check the prefix ourselves
    nets="$( { "${DOCKER[@]}" network ls -q --no-trunc --filter label=io.berth.test=true
               "${DOCKER[@]}" network ls --no-trunc --format '{{.ID}} {{.Name}}' \
                   | awk '$2 ~ /^berth-test-/ { print $1 }'; } | sort -u )"
    for net in $nets; do
        name="$("${DOCKER[@]}" network inspect -f '{{.Name}}' "$net" 2>/dev/null || echo "$net")"
        # containers of other origin still attached would block the removal
        attached="$("${DOCKER[@]}" network inspect -f '{{range $k, $v := .Containers}}{{$k}} {{end}}' "$net" 2>/dev/null || true)"
        for c in $attached; do
            "${DOCKER[@]}" network disconnect -f "$net" "$c" >/dev/null 2>&1 || true
        done
        if "${DOCKER[@]}" network rm "$net" >/dev/null 2>&1; then
            N_NETWORKS=$((N_NETWORKS + 1))
        elif "${DOCKER[@]}" network rm "$net" 2>&1 | grep -q 'has active endpoints' \
                && [ -z "$("${DOCKER[@]}" network inspect -f '{{range $k, $v := .Containers}}{{$k}}{{end}}' "$net" 2>/dev/null)" ]; then
            # Docker 20.10's stale endpoint count: only a daemon restart clears it (its log: "Fixing inconsistent
            # endpoint_cnt"); a test network left like this would block its subnet for every later run
            warn "docker network $name has an endpoint count no container explains: restarting dockerd"
            if bash "$SCRIPT_DIR/dockerd-restart.sh" && "${DOCKER[@]}" network rm "$net" >/dev/null 2>&1; then
                N_NETWORKS=$((N_NETWORKS + 1))
            else
                warn "could not remove docker network $name, even after a dockerd restart"
                FAILED=1
            fi
        elif "${DOCKER[@]}" network inspect "$net" >/dev/null 2>&1; then
            warn "could not remove docker network $name"
            FAILED=1
        fi
    done
}

# ---------------------------------------------------------------- compose projects of ComposeIT
# IDs of KIND (container, network, volume) whose label KEY has a value starting with berth-compose-
compose_objects() {
    local kind="$1" key="$2" labels=.Labels all=() id
    [ "$kind" = container ] && labels=.Config.Labels all=(-a)
    for id in $("${DOCKER[@]}" "$kind" ls -q "${all[@]}" --filter "label=$key" 2>/dev/null); do
        case "$("${DOCKER[@]}" "$kind" inspect -f "{{index $labels \"$key\"}}" "$id" 2>/dev/null)" in
            berth-compose-*) echo "$id" ;;
        esac
    done
}

cleanup_compose() {
    docker_ok || return 0
    local kind id img
    # containers first (the project's and the transcoders its worker made), then what they were attached to
    for kind in container network volume; do
        for id in $( { compose_objects "$kind" com.docker.compose.project
                       [ "$kind" = volume ] || compose_objects "$kind" io.berth.compose-project; } | sort -u ); do
            if [ "$kind" = container ]; then
                "${DOCKER[@]}" rm -f -v "$id" >/dev/null 2>&1
            else
                "${DOCKER[@]}" "$kind" rm "$id" >/dev/null 2>&1
            fi
            if "${DOCKER[@]}" "$kind" inspect "$id" >/dev/null 2>&1; then
                warn "could not remove compose test $kind $id"
                FAILED=1
            else
                N_COMPOSE=$((N_COMPOSE + 1))
            fi
        done
    done
    # the worker image each project built: <project>_worker (compose v1) or <project>-worker (v2)
    for img in $("${DOCKER[@]}" image ls --format '{{.Repository}}:{{.Tag}}' 2>/dev/null \
                   | grep -E '^berth-compose-[a-z0-9]+[-_]worker:' || true); do
        if "${DOCKER[@]}" rmi "$img" >/dev/null 2>&1; then
            N_COMPOSE=$((N_COMPOSE + 1))
        else
            warn "could not remove compose test image $img"
            FAILED=1
        fi
    done
    local tmp="${TMPDIR:-/tmp}"
    rm -rf "$tmp"/berth-compose-it-* /var/tmp/berth-stand-in.* 2>/dev/null || true
}

# ---------------------------------------------------------------- netns
cleanup_netns() {
    command -v ip >/dev/null 2>&1 || { say "'ip' not found: skipping netns and links"; return; }
    local ns pids
    for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }' | grep -E '^berth-(test|compose)-' || true); do
        pids="$(priv ip netns pids "$ns" 2>/dev/null || true)"
        if [ -n "$pids" ]; then
            # shellcheck disable=SC2086
            priv kill -TERM $pids 2>/dev/null || true
            sleep 0.5
            # shellcheck disable=SC2086
            priv kill -KILL $pids 2>/dev/null || true
        fi
        if priv ip netns delete "$ns" 2>/dev/null; then
            N_NETNS=$((N_NETNS + 1))
        elif ip netns list 2>/dev/null | awk '{ print $1 }' | grep -qx "$ns"; then
            warn "could not delete network namespace $ns"
            FAILED=1
        fi
    done
}

# ---------------------------------------------------------------- links
cleanup_links() {
    command -v ip >/dev/null 2>&1 || return 0
    local type link
    # dependent links (macvlan/ipvlan on a bt* parent) first, then veth
    # (deleting one veth end removes its peer), then the rest
    for type in macvlan ipvlan veth dummy bridge; do
        for link in $(ip -o link show type "$type" 2>/dev/null \
                        | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | grep -E '^(bt|bcmp)' || true); do
            ip link show dev "$link" >/dev/null 2>&1 || continue   # peer already gone
            if priv ip link delete dev "$link" 2>/dev/null; then
                N_LINKS=$((N_LINKS + 1))
            elif ip link show dev "$link" >/dev/null 2>&1; then
                warn "could not delete link $link"
                FAILED=1
            fi
        done
    done
}

# ---------------------------------------------------------------- fleets
# fleet tags from every trace a fleet leaves: state dirs, namespaces, LAN bridges, FORWARD rules
fleet_tags() {
    {
        local d
        for d in /run/berth-fleet/*/; do [ -d "$d" ] && basename "$d"; done
        ip netns list 2>/dev/null | awk '{ print $1 }' | sed -n 's/^berth-fleet-\([a-z0-9]*\)-\(h[0-9]*\|lan\)$/\1/p'
        ip -o link show type bridge 2>/dev/null | awk -F': ' '{ print $2 }' | sed -n 's/^bf\([a-z0-9]\{1,8\}\)$/\1/p'
        priv iptables -S FORWARD 2>/dev/null | sed -n 's/.*--comment "\{0,1\}berth-fleet-\([a-z0-9]*\).*/\1/p'
    } | grep -E '^[a-z0-9]{1,8}$' | sort -u
}

fleet_traces() {
    [ -e "/run/berth-fleet/$1" ] \
        || ip netns list 2>/dev/null | awk '{ print $1 }' | grep -qE "^berth-fleet-$1-(h[0-9]+|lan)$" \
        || ip link show dev "bf$1" >/dev/null 2>&1
}

cleanup_fleets() {
    command -v ip >/dev/null 2>&1 || return 0
    local tag link
    for tag in $(fleet_tags); do
        if [ ! -f "$SCRIPT_DIR/fleet.sh" ]; then
            warn "fleet '$tag' left over but $SCRIPT_DIR/fleet.sh is missing"
            FAILED=1
            return
        fi
        priv bash "$SCRIPT_DIR/fleet.sh" down "$tag" >/dev/null || true
        if fleet_traces "$tag"; then
            warn "fleet '$tag' could not be removed completely (try: bash scripts/fleet.sh down $tag)"
            FAILED=1
        else
            N_FLEETS=$((N_FLEETS + 1))
        fi
    done
    # links whose tag could not be told apart (a veth left without its bridge)
    for link in $(ip -o link show type veth 2>/dev/null \
                    | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | grep -E '^bf[a-z0-9]+(h[0-9]+n?|cn?)$' || true); do
        ip link show dev "$link" >/dev/null 2>&1 || continue
        if priv ip link delete dev "$link" 2>/dev/null; then
            N_LINKS=$((N_LINKS + 1))
        elif ip link show dev "$link" >/dev/null 2>&1; then
            warn "could not delete link $link"
            FAILED=1
        fi
    done
    priv rm -f /var/log/berth-fleet-*.log 2>/dev/null || true
}

# ---------------------------------------------------------------- rabbit cluster
# what scripts/rabbit-cluster.sh leaves: its state dir, VMs carrying its command-line marker
rabbit_cluster_traces() {
    [ -e /tmp/berth-rabbit-cluster ] || pgrep -f -- '-berth_rabbit_cluster c[0-9]' >/dev/null 2>&1
}

cleanup_rabbit_cluster() {
    rabbit_cluster_traces || return 0
    if [ ! -f "$SCRIPT_DIR/rabbit-cluster.sh" ]; then
        warn "a rabbit cluster is left over but $SCRIPT_DIR/rabbit-cluster.sh is missing"
        FAILED=1
        return
    fi
    priv bash "$SCRIPT_DIR/rabbit-cluster.sh" down >/dev/null 2>&1 || true
    if rabbit_cluster_traces; then
        warn "the rabbit cluster could not be removed completely (try: bash scripts/rabbit-cluster.sh down)"
        FAILED=1
    else
        N_RABBIT_CLUSTERS=1
    fi
}

# ---------------------------------------------------------------- etcd and state of the tests
cleanup_state() {
    # etcd servers started by TestEtcd (named berth-test) that outlived their JVM
    pkill -f -- '--name berth-test --data-dir' 2>/dev/null || true
    local tmp="${TMPDIR:-/tmp}"
    rm -rf "$tmp"/berth-test-state "$tmp"/berth-test-etcd-* "$tmp"/berth-fleet-it-* 2>/dev/null || true
}

cleanup_docker
cleanup_compose
cleanup_netns
cleanup_links
cleanup_fleets
cleanup_rabbit_cluster
cleanup_state

say "removed: $N_CONTAINERS container(s), $N_NETWORKS docker network(s), $N_NETNS netns, $N_LINKS link(s), $N_FLEETS fleet(s), $N_RABBIT_CLUSTERS rabbit cluster(s), $N_COMPOSE compose test object(s)"
if [ "$FAILED" != 0 ]; then
    warn "some leftovers could not be removed (see above)"
    exit 1
fi
