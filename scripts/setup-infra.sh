#!/usr/bin/env bash
# Prepare a machine for Berth's integration tests (contributors and CI).
#
#   bash scripts/setup-infra.sh
#
# Idempotent: every step first checks and only acts when something is missing.
#   1. Docker engine reachable (installs docker.io / starts dockerd if needed)
#   2. static busybox (busybox-static) for the FROM-scratch test image
#   3. iproute2 with working `ip netns` and macvlan
#   4. RabbitMQ on 127.0.0.1:5672 (guest/guest), quorum queues usable
#   5. Java 17+ and Maven for `mvn -B verify`
#   5b. etcd 3.4 (etcd-server, etcd-client) and socat for the fleet tests; no etcd service is left running
#   5c. Chromium (Debian's chromium) for the fleet page's browser test (FleetPageBrowserIT)
#   5d. docker-compose (compose v1, Debian's package) and debootstrap for the compose test (ComposeIT)
#   6. builds the WCS stand-in image (images/wcs-standin/build.sh)
#   6b. builds the compose stack's local base images from Debian packages (scripts/compose-stand-ins.sh; skipped
#       when already tagged)
#   7. prints a summary
#
# Needs root (or password-less sudo) for installing packages, starting daemons
# and network namespaces. Only Debian/Ubuntu (apt) installs are automated.
#
# Environment (all optional):
#   BERTH_DOCKERD_ARGS        extra arguments for a dockerd started by this script
#   BERTH_DOCKER_WAIT_SECONDS how long to wait for dockerd (default 60)
#   BERTH_RABBIT_WAIT_SECONDS how long to wait for RabbitMQ (default 90)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DOCKERD_LOG=/var/log/berth-dockerd.log
RABBIT_START_LOG=/var/log/berth-rabbitmq-start.log
if [ "$(id -u)" = 0 ]; then APT_LOG=/var/log/berth-setup-apt.log; else APT_LOG="${TMPDIR:-/tmp}/berth-setup-apt.$(id -u).log"; fi
DOCKER_WAIT="${BERTH_DOCKER_WAIT_SECONDS:-60}"
RABBIT_WAIT="${BERTH_RABBIT_WAIT_SECONDS:-90}"
AMQP_HOST=127.0.0.1
AMQP_PORT=5672
STANDIN_TAG=berth/wcs-standin:latest

say() { echo "[berth-setup] $*"; }
die() { echo "[berth-setup] ERROR: $*" >&2; exit 1; }

# ---------------------------------------------------------------- privileges
SUDO=()
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO=(sudo -n)
        say "not root: using sudo for privileged steps"
    else
        die "must run as root (or with password-less sudo): installs packages, starts daemons, creates network namespaces"
    fi
fi
priv() { "${SUDO[@]}" "$@"; }
# the docker CLI may need sudo too when the user is not in the docker group
DOCKER=(docker)

# ---------------------------------------------------------------- apt helper
APT_UPDATED=false
apt_install() {
    command -v apt-get >/dev/null 2>&1 \
        || die "need to install '$*' but apt-get is not available; install it by hand"
    if [ "$APT_UPDATED" = false ]; then
        say "apt-get update (log: $APT_LOG)"
        if ! priv apt-get update >>"$APT_LOG" 2>&1 </dev/null; then
            tail -n 20 "$APT_LOG" >&2 || true
            die "apt-get update failed"
        fi
        APT_UPDATED=true
    fi
    say "apt-get install -y $* (log: $APT_LOG)"
    if ! priv env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" >>"$APT_LOG" 2>&1 </dev/null; then
        tail -n 20 "$APT_LOG" >&2 || true
        die "apt-get install $* failed"
    fi
    hash -r
}

# ---------------------------------------------------------------- 1. docker
docker_ok() { timeout 20 "${DOCKER[@]}" info >/dev/null 2>&1; }

dockerd_alive() {
    local pid
    pid="$(cat /var/run/docker.pid 2>/dev/null || true)"
    if [ -n "$pid" ] && priv kill -0 "$pid" 2>/dev/null; then return 0; fi
    command -v pidof >/dev/null 2>&1 && pidof dockerd >/dev/null 2>&1
}

wait_for_docker() {
    local deadline=$((SECONDS + DOCKER_WAIT))
    while ! docker_ok; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            say "dockerd did not answer within ${DOCKER_WAIT}s; last lines of $DOCKERD_LOG:"
            priv tail -n 30 "$DOCKERD_LOG" >&2 2>/dev/null || true
            die "docker engine not reachable"
        fi
        sleep 1
    done
}

setup_docker() {
    if docker_ok; then
        say "1/7 docker: engine reachable, nothing to do"
        return
    fi
    if [ "${#SUDO[@]}" -gt 0 ] && command -v docker >/dev/null 2>&1 && timeout 20 sudo -n docker info >/dev/null 2>&1; then
        DOCKER=(sudo -n docker)
        say "1/7 docker: engine reachable through sudo"
        return
    fi
    say "1/7 docker: engine not reachable, preparing it"
    if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
        apt_install docker.io
    fi
    [ "${#SUDO[@]}" -gt 0 ] && DOCKER=(sudo -n docker)
    # a package post-install script or an init system may have started it already
    if dockerd_alive; then
        say "dockerd process exists, waiting up to ${DOCKER_WAIT}s for it to answer"
    else
        say "starting dockerd in the background (log: $DOCKERD_LOG)"
        # setsid: own session, survives this script; no fd shared with our caller
        # shellcheck disable=SC2086
        priv setsid -f sh -c "exec dockerd ${BERTH_DOCKERD_ARGS:-} >>'$DOCKERD_LOG' 2>&1 </dev/null"
    fi
    wait_for_docker
    say "docker: engine is up (server $("${DOCKER[@]}" version -f '{{.Server.Version}}' 2>/dev/null))"
}

# ---------------------------------------------------------------- 2. busybox
busybox_static() {
    local bb out
    bb="$(command -v busybox 2>/dev/null)" || return 1
    bb="$(readlink -f "$bb")"
    if command -v file >/dev/null 2>&1; then
        out="$(file -L "$bb")"
        case "$out" in
            *"statically linked"*|*"static-pie linked"*) return 0 ;;
            *"dynamically linked"*) return 1 ;;
        esac
    fi
    out="$(LC_ALL=C ldd "$bb" 2>&1 || true)"
    case "$out" in *"not a dynamic executable"*|*"statically linked"*) return 0 ;; esac
    return 1
}

setup_busybox() {
    if busybox_static; then
        say "2/7 busybox: static busybox at $(command -v busybox), nothing to do"
        return
    fi
    say "2/7 busybox: missing or not static, installing busybox-static"
    apt_install busybox-static
    busybox_static || die "busybox is still not static after installing busybox-static ($(command -v busybox || echo none))"
}

# ---------------------------------------------------------------- 3. iproute2
setup_iproute() {
    if ! command -v ip >/dev/null 2>&1; then
        say "3/7 network: 'ip' missing, installing iproute2"
        apt_install iproute2
    fi
    local ns=berth-test-setupcheck
    priv ip netns delete "$ns" 2>/dev/null || true
    priv ip netns add "$ns" || die "'ip netns add' does not work (need root and CONFIG_NET_NS)"
    priv ip netns delete "$ns" || die "'ip netns delete' does not work"
    # macvlan on a throw-away veth (names follow the test convention: bt*)
    priv ip link delete btsetup0 2>/dev/null || true
    priv ip link add btsetup0 type veth peer name btsetup1 || die "cannot create veth links"
    local macvlan=ok ipvlan="not available (kernel)"
    priv ip link add btsetupm0 link btsetup0 type macvlan mode bridge 2>/dev/null || macvlan=missing
    priv ip link delete btsetupm0 2>/dev/null || true
    if priv ip link add btsetupi0 link btsetup0 type ipvlan mode l2 2>/dev/null; then
        ipvlan=ok
        priv ip link delete btsetupi0 2>/dev/null || true
    fi
    priv ip link delete btsetup0 2>/dev/null || true
    [ "$macvlan" = ok ] || die "kernel has no macvlan support (modprobe macvlan?)"
    say "3/7 network: ip $(ip -V 2>/dev/null | sed -n 's/.*iproute2-\([^ ,]*\).*/\1/p'), netns ok, veth ok, macvlan ok, ipvlan $ipvlan"
}

# ---------------------------------------------------------------- 4. rabbitmq
amqp_open() { timeout 3 bash -c "exec 3<>/dev/tcp/$AMQP_HOST/$AMQP_PORT" 2>/dev/null; }

rabbit_log_tail() {
    local f
    priv tail -n 20 "$RABBIT_START_LOG" >&2 2>/dev/null || true
    for f in /var/log/rabbitmq/*.log; do
        [ -f "$f" ] || continue
        echo "--- $f" >&2
        priv tail -n 20 "$f" >&2 || true
    done
}

ensure_quorum_queues() {
    command -v rabbitmqctl >/dev/null 2>&1 || { say "rabbitmqctl not on PATH; cannot check feature flags (assuming quorum queues are usable)"; return; }
    local state
    state="$(priv timeout 60 rabbitmqctl -q list_feature_flags name state 2>/dev/null | awk '$1 == "quorum_queue" { print $2 }' || true)"
    case "$state" in
        enabled) ;;
        "") say "could not read feature flags (is this user allowed to run rabbitmqctl?); assuming quorum queues are usable" ;;
        *)
            say "enabling RabbitMQ feature flag quorum_queue (was: $state)"
            priv timeout 60 rabbitmqctl -q enable_feature_flag quorum_queue || die "cannot enable quorum_queue feature flag"
            ;;
    esac
}

setup_rabbitmq() {
    if amqp_open; then
        ensure_quorum_queues
        say "4/7 rabbitmq: $AMQP_HOST:$AMQP_PORT accepts connections, quorum queues usable"
        return
    fi
    say "4/7 rabbitmq: $AMQP_HOST:$AMQP_PORT not reachable, preparing it"
    if ! command -v rabbitmq-server >/dev/null 2>&1; then
        apt_install rabbitmq-server
    fi
    # the package's post-install script may have started it already
    if ! amqp_open && ! priv timeout 20 rabbitmqctl -q ping >/dev/null 2>&1; then
        say "starting rabbitmq-server -detached (log: $RABBIT_START_LOG)"
        priv setsid -f sh -c "exec rabbitmq-server -detached >>'$RABBIT_START_LOG' 2>&1 </dev/null"
    fi
    local start=$SECONDS
    while ! amqp_open; do
        if [ "$((SECONDS - start))" -ge "$RABBIT_WAIT" ]; then
            rabbit_log_tail
            die "RabbitMQ did not open $AMQP_HOST:$AMQP_PORT within ${RABBIT_WAIT}s"
        fi
        sleep 2
    done
    priv timeout "$RABBIT_WAIT" rabbitmqctl -q await_startup >/dev/null 2>&1 || true
    ensure_quorum_queues
    say "rabbitmq: up on $AMQP_HOST:$AMQP_PORT after ~$((SECONDS - start))s"
}

# ---------------------------------------------------------------- 5. java/maven
java_major() {
    java -XshowSettings:properties -version 2>&1 \
        | awk -F'= ' '/java.specification.version/ { print $2; exit }' | cut -d. -f1
}

setup_java() {
    local major=""
    command -v java >/dev/null 2>&1 && major="$(java_major || true)"
    if [ -z "$major" ] || [ "$major" -lt 17 ] 2>/dev/null || ! command -v mvn >/dev/null 2>&1; then
        say "5/7 java/maven: need Java 17+ and mvn (found java '${major:-none}', mvn '$(command -v mvn || echo none)'), installing"
        apt_install openjdk-17-jdk-headless maven
        major="$(java_major || true)"
        [ -n "$major" ] && [ "$major" -ge 17 ] || die "java on PATH is still not 17+ (check update-alternatives --config java)"
        command -v mvn >/dev/null 2>&1 || die "mvn still not on PATH"
    fi
    say "5/7 java/maven: java $major, $(mvn -v 2>/dev/null | sed -n '1{s/\x1b\[[0-9;]*m//g;p}')"
}

# ---------------------------------------------------------------- 5b. etcd
setup_etcd() {
    local missing=()
    [ -x /usr/bin/etcd ] || missing+=(etcd-server)
    command -v etcdctl >/dev/null 2>&1 || missing+=(etcd-client)
    command -v socat >/dev/null 2>&1 || missing+=(socat)
    if [ ${#missing[@]} -gt 0 ]; then
        say "5b/7 etcd: installing ${missing[*]}"
        apt_install "${missing[@]}"
    fi
    # Tests start etcd servers of their own; a packaged service on 2379 would only be in the way.
    if pgrep -x etcd >/dev/null 2>&1 && ! pgrep -af 'etcd.*berth' >/dev/null 2>&1; then
        priv pkill -x etcd 2>/dev/null || true
    fi
    say "5b/7 etcd: $(/usr/bin/etcd --version 2>/dev/null | head -n 1)"
}

# ---------------------------------------------------------------- 5c. chromium
setup_chromium() {
    if ! command -v chromium >/dev/null 2>&1; then
        say "5c/7 chromium: missing, installing chromium (headless, for the fleet page's browser test)"
        apt_install chromium
    fi
    say "5c/7 chromium: $(chromium --version 2>/dev/null | head -n 1)"
}

# ---------------------------------------------------------------- 5d. compose
setup_compose() {
    local missing=()
    command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
    command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
    if [ ${#missing[@]} -gt 0 ]; then
        say "5d/7 compose: installing ${missing[*]}"
        apt_install "${missing[@]}"
    fi
    local v2="not installed"
    "${DOCKER[@]}" compose version >/dev/null 2>&1 && v2="$("${DOCKER[@]}" compose version --short 2>/dev/null)"
    say "5d/7 compose: $(docker-compose version --short 2>/dev/null) (v1), docker compose: $v2; debootstrap $(dpkg-query -W -f '${Version}' debootstrap 2>/dev/null)"
}

# ---------------------------------------------------------------- 6. stand-in
build_standin() {
    say "6/7 image: building $STANDIN_TAG"
    if [ "${DOCKER[0]}" = sudo ]; then
        priv env PATH="$PATH" bash "$REPO_ROOT/images/wcs-standin/build.sh" "$STANDIN_TAG"
    else
        bash "$REPO_ROOT/images/wcs-standin/build.sh" "$STANDIN_TAG"
    fi
}

# ---------------------------------------------------------------- 6b. compose base images
build_compose_stand_ins() {
    local start=$SECONDS
    say "6b/7 compose base images: scripts/compose-stand-ins.sh"
    priv env PATH="$PATH" bash "$REPO_ROOT/scripts/compose-stand-ins.sh" || die "building the compose stand-in images failed"
    say "6b/7 compose base images ready in $((SECONDS - start))s"
}

# ---------------------------------------------------------------- main
say "preparing test infrastructure for $REPO_ROOT"
setup_docker
setup_busybox
setup_iproute
setup_rabbitmq
setup_java
setup_etcd
setup_chromium
setup_compose
build_standin
build_compose_stand_ins

server="$("${DOCKER[@]}" version -f '{{.Server.Version}}' 2>/dev/null || echo '?')"
driver="$("${DOCKER[@]}" info -f '{{.Driver}}' 2>/dev/null || echo '?')"
image="$("${DOCKER[@]}" image inspect -f '{{.Id}}' "$STANDIN_TAG" 2>/dev/null || echo '?')"
amqp=FAIL; amqp_open && amqp=OK
say "7/7 summary: docker server $server (storage $driver); rabbitmq $AMQP_HOST:$AMQP_PORT $amqp; $STANDIN_TAG $image"
[ "$driver" = vfs ] && say "note: docker uses the slow vfs storage driver (overlay2 not available here)"
[ "$amqp" = OK ] || die "RabbitMQ went away"
say "done"
