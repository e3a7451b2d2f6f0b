#!/usr/bin/env bash
# Build the Berth WCS stand-in image (FROM scratch + static busybox; no pulls).
# Usage: images/wcs-standin/build.sh [tag]     (default berth/wcs-standin:latest)
set -euo pipefail

TAG="${1:-berth/wcs-standin:latest}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

die() { echo "[wcs-standin/build] ERROR: $*" >&2; exit 1; }

command -v docker >/dev/null 2>&1 || die "docker CLI not found (run scripts/setup-infra.sh)"

BUSYBOX="$(command -v busybox 2>/dev/null || true)"
[ -n "$BUSYBOX" ] || die "busybox not found; install a static one: apt-get install -y busybox-static"
BUSYBOX="$(readlink -f "$BUSYBOX")"

# The image is FROM scratch: busybox must not need a dynamic loader or libc.
is_static() {
    local f="$1" out
    if command -v file >/dev/null 2>&1; then
        out="$(file -L "$f")"
        case "$out" in
            *"statically linked"*|*"static-pie linked"*) return 0 ;;
            *"dynamically linked"*) return 1 ;;
        esac
    fi
    if command -v ldd >/dev/null 2>&1; then
        out="$(LC_ALL=C ldd "$f" 2>&1 || true)"
        case "$out" in
            *"not a dynamic executable"*|*"statically linked"*) return 0 ;;
        esac
        return 1
    fi
    die "cannot tell whether $f is static (neither 'file' nor 'ldd' is available)"
}
is_static "$BUSYBOX" || die "$BUSYBOX is dynamically linked; the FROM-scratch image needs a static busybox: apt-get install -y busybox-static"

CTX="$(mktemp -d /tmp/berth-wcs-standin-build.XXXXXX)"
trap 'rm -rf "$CTX"' EXIT

install -m 0755 "$BUSYBOX" "$CTX/busybox"
install -m 0644 "$HERE/Dockerfile" "$CTX/Dockerfile"
for f in entrypoint.sh http-handler.sh ws-handler.sh; do
    install -m 0755 "$HERE/$f" "$CTX/$f"
done

OLD_ID="$(docker image inspect -f '{{.Id}}' "$TAG" 2>/dev/null || true)"
echo "[wcs-standin/build] building $TAG from $HERE (busybox: $BUSYBOX)"
# Legacy builder: works with any engine/CLI combination and never needs buildx.
if ! out="$(DOCKER_BUILDKIT=0 docker build --pull=false -q -t "$TAG" "$CTX" 2>&1)"; then
    echo "$out" >&2
    die "docker build failed"
fi

ID="$(docker image inspect -f '{{.Id}}' "$TAG")"
# drop our own previous build if it is now untagged (never touches other images)
if [ -n "$OLD_ID" ] && [ "$OLD_ID" != "$ID" ] \
   && [ -z "$(docker image inspect -f '{{join .RepoTags ","}}' "$OLD_ID" 2>/dev/null)" ]; then
    docker rmi "$OLD_ID" >/dev/null 2>&1 || true
fi
SIZE="$(docker image inspect -f '{{.Size}}' "$TAG")"
echo "[wcs-standin/build] built $TAG $ID ($((SIZE / 1024)) KiB)"
