#!/bin/sh
# One connection on the WebSocket port 8080 (run by `nc -ll -e`).
# A WebSocket upgrade request gets a valid RFC 6455 handshake (101), after
# which incoming frames are read and discarded until the client closes.
# Any other HTTP request gets a small 200 text answer. Raw TCP connects that
# send nothing are simply held open (until the client goes away).

export PATH=/bin
CR=$(printf '\r')

read -r -t 30 METHOD TARGET VERSION || exec cat >/dev/null
KEY=
while read -r -t 10 line; do
    line="${line%"$CR"}"
    [ -z "$line" ] && break
    case "$line" in
        [Ss][Ee][Cc]-[Ww][Ee][Bb][Ss][Oo][Cc][Kk][Ee][Tt]-[Kk][Ee][Yy]:*)
            KEY="${line#*:}"; KEY="${KEY# }"; KEY="${KEY# }" ;;
    esac
done

if [ -n "$KEY" ]; then
    echo "[wcs-standin] ws upgrade ${TARGET%%\?*}" >&2
    ACCEPT=$(printf '%s' "${KEY}258EAFA5-E914-47DA-95CA-C5AB0DC85B11" \
        | sha1sum | cut -d' ' -f1 | xxd -r -p | base64)
    printf 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n' "$ACCEPT"
    exec cat >/dev/null
fi

body="berth-wcs-standin websocket port
"
printf 'HTTP/1.1 200 OK\r\nServer: berth-wcs-standin\r\nContent-Type: text/plain\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' "${#body}" "$body"
exit 0
