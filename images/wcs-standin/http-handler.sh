#!/bin/sh
# One HTTP/1.x exchange on port 8081 (run by `nc -ll -e`, socket on stdin/stdout).
# Routes (any method; HEAD gets headers only):
#   /rest-api, /rest-api/, /rest-api/status  -> 200 JSON status
#   /rest-api/crash                          -> 200 JSON, then the container exits
#                                               with STANDIN_CRASH_EXIT_CODE
#   /rest-api/*                              -> 404 JSON
#   anything else                            -> 404 text
# Logs one line per request to stderr (the container log).

export PATH=/bin
STATE_DIR="${STANDIN_STATE_DIR:-/run/wcs-standin}"
CR=$(printf '\r')

log() { echo "[wcs-standin] $*" >&2; }

# ---------------------------------------------------------------- request
read -r -t 10 METHOD TARGET VERSION || exit 0
VERSION="${VERSION%"$CR"}"
LEN=0
while read -r -t 10 line; do
    line="${line%"$CR"}"
    [ -z "$line" ] && break
    case "$line" in
        [Cc][Oo][Nn][Tt][Ee][Nn][Tt]-[Ll][Ee][Nn][Gg][Tt][Hh]:*)
            LEN="${line#*:}"; LEN="${LEN# }"; LEN="${LEN# }" ;;
    esac
done
case "$LEN" in ''|*[!0-9]*) LEN=0 ;; esac
# drain a (small) request body so closing the socket does not reset the reply
if [ "$LEN" -gt 0 ] && [ "$LEN" -le 1048576 ]; then
    dd bs=1 count="$LEN" of=/dev/null 2>/dev/null
fi

PATH_ONLY="${TARGET%%\?*}"
log "http $METHOD $PATH_ONLY"

# ---------------------------------------------------------------- response
respond() { # status content-type body
    body="$3
"
    printf 'HTTP/1.1 %s\r\nServer: berth-wcs-standin\r\nContent-Type: %s\r\nContent-Length: %s\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n' \
        "$1" "$2" "${#body}"
    [ "$METHOD" = HEAD ] || printf '%s' "$body"
}

status_json() {
    ip= ip_local= password_set=false license_set=false hostname= started_at=0 crash_exit_code=42
    # shellcheck disable=SC1091
    [ -f "$STATE_DIR/env" ] && . "$STATE_DIR/env"
    ready=false
    [ -f "$STATE_DIR/ready" ] && ready=true
    now=$(date +%s)
    printf '{"server":"berth-wcs-standin","ip":"%s","ip_local":"%s","password_set":%s,"license_set":%s,"ready":%s,"hostname":"%s","uptime_seconds":%s,"ws_port":8080,"http_port":8081,"crash_exit_code":%s}' \
        "$ip" "$ip_local" "$password_set" "$license_set" "$ready" "$hostname" "$((now - started_at))" "$crash_exit_code"
}

case "$PATH_ONLY" in
    /rest-api|/rest-api/|/rest-api/status|/rest-api/status/)
        respond "200 OK" "application/json" "$(status_json)"
        ;;
    /rest-api/crash|/rest-api/crash/)
        . "$STATE_DIR/env" 2>/dev/null
        echo "GET /rest-api/crash" > "$STATE_DIR/crash-reason"
        respond "200 OK" "application/json" "{\"crashing\":true,\"exit_code\":${crash_exit_code:-42}}"
        # signal PID 1 a moment later, detached from the socket so the
        # client sees the complete reply and a clean close first
        main="${STANDIN_MAIN_PID:-1}"
        ( sleep 0.3; kill -USR1 "$main" ) </dev/null >/dev/null 2>&1 &
        ;;
    /rest-api/*)
        respond "404 Not Found" "application/json" '{"error":"not found"}'
        ;;
    *)
        respond "404 Not Found" "text/plain" "not found"
        ;;
esac
exit 0
