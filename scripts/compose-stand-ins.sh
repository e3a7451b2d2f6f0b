#!/usr/bin/env bash
# Local stand-ins for the base images of docker-compose.yml, built from Debian packages (nothing is pulled):
#
#   berth-local/jre:17       Debian minbase + openjdk-17-jre-headless (+ bash): the worker's RUNTIME_IMAGE
#   berth-local/rabbitmq:3   Debian minbase + rabbitmq-server with the management plugin, in the foreground,
#                            guest allowed from anywhere (as the official rabbitmq image): BERTH_RABBITMQ_IMAGE
#
#   bash scripts/compose-stand-ins.sh [--rebuild] [jre|rabbitmq ...]     (default: both)
#
# A build is skipped when its tag already exists (--rebuild: build anyway). debootstrap uses this machine's own
# Debian mirror (the first URI in /etc/apt/sources.list*, or BERTH_DEBIAN_MIRROR) and suite (VERSION_CODENAME, or
# BERTH_DEBIAN_SUITE); downloaded .debs are kept in BERTH_STAND_IN_CACHE (default /var/cache/berth-stand-ins) for the
# next build. Each build runs in its own mount and pid namespace, so nothing a package starts or mounts survives it.
# The images are labelled io.berth.stand-in=true. Needs root (debootstrap, chroot), debootstrap and docker.
set -euo pipefail

JRE_TAG="${BERTH_JRE_STAND_IN:-berth-local/jre:17}"
RABBITMQ_TAG="${BERTH_RABBITMQ_STAND_IN:-berth-local/rabbitmq:3}"
CACHE="${BERTH_STAND_IN_CACHE:-/var/cache/berth-stand-ins}"

say() { echo "[berth-stand-ins] $*"; }
die() { echo "[berth-stand-ins] ERROR: $*" >&2; exit 1; }

REBUILD=false
WANT=()
for arg in "$@"; do
    case "$arg" in
        --rebuild) REBUILD=true ;;
        jre|rabbitmq) WANT+=("$arg") ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) die "unknown argument '$arg' (jre, rabbitmq, --rebuild)" ;;
    esac
done
[ ${#WANT[@]} -gt 0 ] || WANT=(jre rabbitmq)

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot)"
command -v debootstrap >/dev/null 2>&1 || die "debootstrap missing: apt-get install -y debootstrap (scripts/setup-infra.sh does)"
command -v docker >/dev/null 2>&1 || die "docker CLI missing"

# ---------------------------------------------------------------- mirror and suite of this machine
debian_mirror() {
    if [ -n "${BERTH_DEBIAN_MIRROR:-}" ]; then echo "$BERTH_DEBIAN_MIRROR"; return; fi
    local f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        # one-line style: deb [opts] URI suite ...; deb822 style: URIs: URI ... (the security archive is no base)
        sed -n -e 's/^[[:space:]]*deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\{0,1\}\([^[:space:]]\+\)[[:space:]].*/\2/p' \
               -e 's/^URIs:[[:space:]]*\([^[:space:]]\+\).*/\1/p' "$f"
    done | grep -E '/debian/?$' | grep -v -- '-security' | head -n 1
}

SUITE="${BERTH_DEBIAN_SUITE:-$(. /etc/os-release && echo "${VERSION_CODENAME:-}")}"
[ -n "$SUITE" ] || die "cannot tell this machine's Debian suite; set BERTH_DEBIAN_SUITE (e.g. bookworm)"
MIRROR="$(debian_mirror)"
[ -n "$MIRROR" ] || die "no Debian mirror in /etc/apt/sources.list*; set BERTH_DEBIAN_MIRROR"

WORK_DIR=
trap '[ -z "$WORK_DIR" ] || rm -rf "$WORK_DIR"' EXIT

# ---------------------------------------------------------------- one image
# build_image TAG INCLUDE CONFIGURE-FUNCTION CHECK-COMMAND DOCKER-IMPORT-CHANGES...
build_image() {
    local tag="$1" include="$2" configure="$3" check out
    read -r -a check <<<"$4"
    shift 4
    if [ "$REBUILD" = false ] && docker image inspect "$tag" >/dev/null 2>&1; then
        say "$tag exists, skipping (--rebuild to build it again)"
        return
    fi
    local start=$SECONDS root log
    root="$(mktemp -d /var/tmp/berth-stand-in.XXXXXX)"
    WORK_DIR="$root"
    log="$root.log"
    mkdir -p "$CACHE"
    say "$tag: debootstrap --variant=minbase $SUITE from $MIRROR with $include (log: $log)"
    # Own mount and pid namespaces: the proc/sys mounts debootstrap makes in the target and any daemon a maintainer
    # script might start (debootstrap's policy-rc.d forbids it anyway) go away with the namespace.
    if ! unshare --mount --pid --fork --mount-proc \
            debootstrap --variant=minbase --cache-dir="$CACHE" --include="$include" \
            "$SUITE" "$root/rootfs" "$MIRROR" >"$log" 2>&1 </dev/null; then
        tail -n 30 "$log" >&2
        die "$tag: debootstrap failed (log: $log)"
    fi
    "$configure" "$root/rootfs"
    # Smaller image: no package lists, caches, docs, man pages or translations (dpkg's path-exclude keeps them out
    # of later installs too).
    rm -rf "$root/rootfs"/var/cache/apt/*.bin "$root/rootfs"/var/cache/apt/archives/*.deb \
           "$root/rootfs"/var/lib/apt/lists/* "$root/rootfs"/var/log/*.log "$root/rootfs"/var/log/apt/* \
           "$root/rootfs"/usr/share/doc/* "$root/rootfs"/usr/share/man/* "$root/rootfs"/usr/share/info/* \
           "$root/rootfs"/usr/share/locale/* "$root/rootfs"/tmp/* "$root/rootfs"/dev/*
    mkdir -p "$root/rootfs/etc/dpkg/dpkg.cfg.d"
    printf '%s\n' 'path-exclude=/usr/share/doc/*' 'path-exclude=/usr/share/man/*' 'path-exclude=/usr/share/info/*' \
        'path-exclude=/usr/share/locale/*' > "$root/rootfs/etc/dpkg/dpkg.cfg.d/berth-minimal"
    local changes=() c
    for c in "$@" "LABEL io.berth.stand-in=true"; do changes+=(--change "$c"); done
    local old
    old="$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)"
    tar --numeric-owner -C "$root/rootfs" -c . | docker import "${changes[@]}" \
        -m "berth stand-in: debootstrap $SUITE + $include" - "$tag" >/dev/null
    if [ -n "$old" ] && [ "$old" != "$(docker image inspect -f '{{.Id}}' "$tag")" ] \
       && [ -z "$(docker image inspect -f '{{join .RepoTags ","}}' "$old" 2>/dev/null)" ]; then
        docker rmi "$old" >/dev/null 2>&1 || true    # our own previous build, now untagged
    fi
    if ! out="$(docker run --rm --network none "$tag" "${check[@]}" 2>&1)"; then
        echo "$out" >&2
        docker rmi "$tag" >/dev/null 2>&1 || true
        die "$tag: '${check[*]}' fails in the new image"
    fi
    rm -rf "$root" "$log"
    WORK_DIR=
    say "$tag: built in $((SECONDS - start))s, $(( $(docker image inspect -f '{{.Size}}' "$tag") / 1024 / 1024 )) MiB"
}

configure_jre() {
    [ -x "$1/usr/bin/java" ] || die "no java in the JRE stand-in"
}

configure_rabbitmq() {
    local root="$1"
    # As the official image: guest may connect from anywhere (the worker reaches the broker through a published
    # port), logs on the console, the management UI on 15672. A fixed node name keeps the data directory's node.
    cat > "$root/etc/rabbitmq/rabbitmq.conf" <<'EOF'
loopback_users.guest = false
listeners.tcp.default = 5672
management.tcp.port = 15672
log.console = true
log.console.level = info
log.file = false
EOF
    echo 'NODENAME=rabbit@localhost' > "$root/etc/rabbitmq/rabbitmq-env.conf"
    echo '[rabbitmq_management].' > "$root/etc/rabbitmq/enabled_plugins"
    ls "$root"/usr/lib/rabbitmq/lib/rabbitmq_server-*/plugins | grep -q '^rabbitmq_management-' \
        || die "the Debian rabbitmq-server package has no management plugin"
    # In the foreground as the rabbitmq user, HOME where Debian's wrappers (rabbitmqctl, rabbitmq-diagnostics: they
    # su to rabbitmq) look for the Erlang cookie.
    cat > "$root/usr/local/bin/berth-rabbitmq" <<'EOF'
#!/bin/sh
set -e
chown -R rabbitmq:rabbitmq /var/lib/rabbitmq
cd /var/lib/rabbitmq
exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups env HOME=/var/lib/rabbitmq \
    /usr/lib/rabbitmq/bin/rabbitmq-server "$@"
EOF
    chmod 755 "$root/usr/local/bin/berth-rabbitmq"
}

for what in "${WANT[@]}"; do
    case "$what" in
        jre) build_image "$JRE_TAG" openjdk-17-jre-headless configure_jre 'java -version' \
                 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' 'ENV LANG=C.UTF-8' \
                 'CMD ["java", "-version"]' ;;
        rabbitmq) build_image "$RABBITMQ_TAG" rabbitmq-server configure_rabbitmq 'rabbitmq-plugins list -e -m' \
                 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' 'ENV LANG=C.UTF-8' \
                 'EXPOSE 5672 15672' 'VOLUME /var/lib/rabbitmq' 'CMD ["/usr/local/bin/berth-rabbitmq"]' ;;
    esac
done
