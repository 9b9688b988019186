#!/usr/bin/env bash
# bench/make-capture.sh OUT.pcap [TARGET_PACKETS]
#
# Builds a large pcap from real HTTP traffic on the loopback interface of a
# private network namespace: nginx serves a small static file, tcpdump
# captures (snaplen 128, 64 MiB kernel buffer) and wrk/ab generate load in
# bounded phases until TARGET_PACKETS (default 3,000,000) have been captured.
#
# Phases, cycled in the order of $PHASES until the target is reached
# (tcpdump -c stops the capture at exactly TARGET_PACKETS):
#   keepalive : wrk -t2 -c50 -d10s                         (nginx closes each
#               connection after keepalive_requests=100; when wrk exits its
#               remaining 50 connections are closed by the client)
#   ab        : ab -n 20000 -c 20, no -k (HTTP/1.0, nginx closes)
#   close     : wrk -t2 -c50 -d10s -H 'Connection: close'  (one request per
#               connection, nginx closes -> many short connections, TIME_WAIT)
# On the reference machine (2 cores) a keepalive phase yields ~1.9M packets,
# ab ~0.24M and a close phase ~1.9M, so the default 3M capture is
# keepalive + ab + the first ~half of a close phase.
#
# If OUT already exists it is reused (delete it to rebuild). The capture is
# written to OUT.part and renamed only if tcpdump reports 0 packets dropped
# by the kernel and tshark finds no lost segments. OUT.meta records how the
# capture was made.
#
# Environment knobs (all optional):
#   PHASES="keepalive ab close"  phase order (cycled)
#   PHASE_SECS=10      duration of each wrk phase
#   AB_REQUESTS=20000  requests per ab phase
#   MAX_SECS=600       hard bound on the whole load loop
#   CAPTURER=tcpdump   or teardown: capture with `teardown live --count TARGET --write OUT.part`
#                      instead (bench/live.sh); its rows go to OUT.live.csv and its summary, with
#                      libpcap's received/dropped counts, to OUT.live.out
#   PORT=8080          nginx port inside the namespace
#   VERIFY=1           0 skips the tshark lost-segment check
#   SNAPLEN=128        bytes kept per packet (0 = whole packets, so HTTP heads are complete)
set -euo pipefail

usage() { echo "usage: $0 OUT.pcap [TARGET_PACKETS]" >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || usage
OUT=$1
TARGET=${2:-3000000}
[[ $TARGET =~ ^[0-9]+$ && $TARGET -gt 0 ]] || { echo "TARGET_PACKETS must be a positive integer" >&2; exit 2; }
PHASE_SECS=${PHASE_SECS:-10}
AB_REQUESTS=${AB_REQUESTS:-20000}
MAX_SECS=${MAX_SECS:-600}
PORT=${PORT:-8080}
PHASES=${PHASES:-"keepalive ab close"}
VERIFY=${VERIFY:-1}
SNAPLEN=${SNAPLEN:-128}
CAPTURER=${CAPTURER:-tcpdump}
case $CAPTURER in tcpdump|teardown) ;; *) echo "CAPTURER must be tcpdump or teardown" >&2; exit 2 ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
read -ra PHASE_LIST <<< "$PHASES"
for p in "${PHASE_LIST[@]}"; do
    case $p in keepalive|close|ab) ;; *) echo "unknown phase in PHASES: $p" >&2; exit 2 ;; esac
done

if [[ -s $OUT ]]; then
    echo "make-capture: reusing existing $OUT (delete it to rebuild)" >&2
    exit 0
fi

[[ $(id -u) -eq 0 ]] || { echo "make-capture: needs root (ip netns, tcpdump)" >&2; exit 1; }
capturer_cmd=tcpdump; [[ $CAPTURER == teardown ]] && capturer_cmd=/usr/bin/time
for c in ip nginx "$capturer_cmd" wrk ab capinfos timeout; do
    command -v "$c" >/dev/null || { echo "make-capture: missing command: $c" >&2; exit 1; }
done

mkdir -p "$(dirname "$OUT")"
OUT=$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")
PART=$OUT.part

NS=teardown-bench-$$
TMP=$(mktemp -d /tmp/teardown-bench.XXXXXX)
NGINX_PID=
CAP_PID=
LOAD_PID=

cleanup() {
    local rc=$?
    set +e
    trap - INT TERM
    if [[ -n $LOAD_PID ]]; then kill "$LOAD_PID" 2>/dev/null; wait "$LOAD_PID" 2>/dev/null; fi
    if [[ -n $CAP_PID ]]; then
        # With CAPTURER=teardown, CAP_PID is /usr/bin/time, which does not pass SIGTERM on: signal java too.
        pkill -TERM -P "$CAP_PID" 2>/dev/null
        kill -TERM "$CAP_PID" 2>/dev/null; wait "$CAP_PID" 2>/dev/null
        grep -E 'captured|dropped' "$TMP/tcpdump.err" 2>/dev/null | sed 's/^/    tcpdump: /' >&2
    fi
    if [[ -n $NGINX_PID ]]; then
        kill -QUIT "$NGINX_PID" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$NGINX_PID" 2>/dev/null
        wait "$NGINX_PID" 2>/dev/null
    fi
    # Anything still alive in our private namespace was started by us.
    local p
    for p in $(ip netns pids "$NS" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
    ip netns delete "$NS" 2>/dev/null
    rm -rf "$TMP"
    rm -f "$PART"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_ns() { ip netns exec "$NS" "$@"; }

ip netns add "$NS"
in_ns ip link set lo up
# Plenty of ephemeral ports; loopback TIME_WAIT reuse is the kernel default (2).
in_ns sysctl -qw net.ipv4.ip_local_port_range="1024 65000"

# --- nginx -------------------------------------------------------------------
mkdir -p "$TMP/html" "$TMP/logs"
chmod 755 "$TMP" "$TMP/html"    # nginx workers run as nobody
head -c 612 /dev/zero | tr '\0' 'x' > "$TMP/html/index.html"   # small static file
cat > "$TMP/nginx.conf" <<EOF
worker_processes 1;
daemon off;
master_process on;
pid $TMP/nginx.pid;
error_log $TMP/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    keepalive_timeout 5s;
    keepalive_requests 100;
    client_body_temp_path $TMP/body;
    proxy_temp_path $TMP/proxy;
    fastcgi_temp_path $TMP/fastcgi;
    uwsgi_temp_path $TMP/uwsgi;
    scgi_temp_path $TMP/scgi;
    server {
        listen 127.0.0.1:$PORT backlog=4096;
        root $TMP/html;
        location / { }
    }
}
EOF
ip netns exec "$NS" nginx -p "$TMP" -c "$TMP/nginx.conf" &
NGINX_PID=$!
for _ in $(seq 50); do
    in_ns bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" 2>/dev/null && break
    sleep 0.1
done
in_ns bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" 2>/dev/null \
    || { echo "make-capture: nginx did not come up" >&2; cat "$TMP/logs/error.log" >&2; exit 1; }
URL=http://127.0.0.1:$PORT/index.html

# --- tcpdump -----------------------------------------------------------------
# -c stops the capture exactly at TARGET packets; -B is in KiB (64 MiB).
if [[ $CAPTURER == teardown ]]; then
    # The same 64 MiB kernel buffer as tcpdump's -B 65536; snaplen 0 means tcpdump's default, 262144.
    # /usr/bin/time records teardown's own CPU time (the launcher execs java), for its headroom.
    ip netns exec "$NS" /usr/bin/time -f '%U %S' -o "$OUT.live.time" "$ROOT/teardown" live -i lo -f "tcp port $PORT" --count "$TARGET" \
        --snaplen $(( SNAPLEN == 0 ? 262144 : SNAPLEN )) --buffer-size $(( 64 << 20 )) \
        --write "$PART" --csv "$OUT.live.csv" > "$OUT.live.out" 2> "$TMP/tcpdump.err" &
    CAP_PID=$!
    # The --write file gets its header once the capture is open (the launcher may build the jar first).
    for _ in $(seq 1200); do
        [[ -s $PART ]] && break
        kill -0 "$CAP_PID" 2>/dev/null || break
        sleep 0.1
    done
    [[ -s $PART ]] || { echo "make-capture: teardown live did not start:" >&2; cat "$TMP/tcpdump.err" >&2; exit 1; }
else
    ip netns exec "$NS" tcpdump -i lo -n -s "$SNAPLEN" -B 65536 -Z root -c "$TARGET" -w "$PART" "tcp port $PORT" \
        2> "$TMP/tcpdump.err" &
    CAP_PID=$!
    for _ in $(seq 100); do
        grep -q 'listening on' "$TMP/tcpdump.err" 2>/dev/null && break
        kill -0 "$CAP_PID" 2>/dev/null || break
        sleep 0.1
    done
    grep -q 'listening on' "$TMP/tcpdump.err" \
        || { echo "make-capture: tcpdump did not start:" >&2; cat "$TMP/tcpdump.err" >&2; exit 1; }
fi

# --- load --------------------------------------------------------------------
echo "make-capture: target $TARGET packets -> $OUT" >&2
START=$(date +%s)
phases_run=()
round=0
while kill -0 "$CAP_PID" 2>/dev/null; do
    elapsed=$(( $(date +%s) - START ))
    if (( elapsed >= MAX_SECS )); then
        echo "make-capture: MAX_SECS=$MAX_SECS reached before $TARGET packets" >&2
        exit 1
    fi
    name=${PHASE_LIST[round % ${#PHASE_LIST[@]}]}
    case $name in
        keepalive) cmd=(wrk -t2 -c50 -d"${PHASE_SECS}s" "$URL") ;;
        close)     cmd=(wrk -t2 -c50 -d"${PHASE_SECS}s" -H 'Connection: close' "$URL") ;;
        ab)        cmd=(ab -q -r -n "$AB_REQUESTS" -c 20 "$URL") ;;
    esac
    round=$(( round + 1 ))
    echo "make-capture: [${elapsed}s] phase $round: $name" >&2
    # Each phase is bounded in time; a phase ends early once tcpdump exits.
    ip netns exec "$NS" timeout -k 5 $(( PHASE_SECS + 20 )) "${cmd[@]}" > "$TMP/load.out" 2>&1 &
    LOAD_PID=$!
    while kill -0 "$LOAD_PID" 2>/dev/null; do
        if ! kill -0 "$CAP_PID" 2>/dev/null; then
            kill "$LOAD_PID" 2>/dev/null || true
            break
        fi
        sleep 0.2
    done
    wait "$LOAD_PID" 2>/dev/null || true
    LOAD_PID=
    phases_run+=("$name")
    grep -E 'Requests/sec|Socket errors|Non-2xx|Failed requests|Complete requests' "$TMP/load.out" \
        | sed 's/^/    /' >&2 || true
done
wait "$CAP_PID" 2>/dev/null || true
CAP_PID=
END=$(date +%s)

if [[ $CAPTURER == teardown ]]; then
    grep -E '^(packets|connections|warning) ' "$OUT.live.out" | sed 's/^/    teardown live: /' >&2 || true
    # "warning  libpcap: R received, D dropped, I dropped by the interface ..."
    dropped=$(sed -n 's/.*libpcap: [0-9,]* received, \([0-9,]*\) dropped, \([0-9,]*\) dropped by the interface.*/\1 \2/p' \
        "$OUT.live.out" | tr -d , | awk '{print $1 + $2}')
else
    cat "$TMP/tcpdump.err" | grep -E 'captured|received|dropped' | sed 's/^/    tcpdump: /' >&2
    dropped=$(sed -n 's/^\([0-9]*\) packets\? dropped by kernel.*/\1/p' "$TMP/tcpdump.err")
fi
if [[ -z $dropped ]]; then
    echo "make-capture: could not read $CAPTURER's drop count; its stderr:" >&2
    cat "$TMP/tcpdump.err" >&2
    exit 1
fi
if (( dropped != 0 )); then
    echo "make-capture: $CAPTURER dropped $dropped packets; capture discarded (lower load or raise the buffer)" >&2
    exit 1
fi

packets=$(capinfos -c -M "$PART" | awk -F: '/Number of packets/ {gsub(/ /,"",$2); print $2}')
if [[ $packets != "$TARGET" ]]; then
    echo "make-capture: capture has $packets packets, expected $TARGET" >&2; exit 1
fi
duration=$(capinfos -u -M "$PART" | awk -F: '/Capture duration/ {gsub(/[ a-z]/,"",$2); print $2}')
time_ordered=$(capinfos -o "$PART" | awk -F: '/Strict time order/ {gsub(/ /,"",$2); print $2}')

lost=unchecked; syns=unchecked; resets=unchecked
if [[ $VERIFY == 1 ]]; then
    echo "make-capture: verifying with tshark (lost segments, SYN/RST counts)..." >&2
    # io,stat row: | 0.000 <> D | lostF | lostB | synF | synB | rstF | rstB |
    read -r lost syns resets < <(tshark -n -r "$PART" -q -z \
        'io,stat,0,tcp.analysis.lost_segment||tcp.analysis.ack_lost_segment,tcp.flags.syn==1&&tcp.flags.ack==0,tcp.flags.reset==1' \
        2>/dev/null | awk -F'|' '/<>/ {gsub(/ /,""); print $3, $5, $7}')
    if [[ -z $lost ]]; then
        echo "make-capture: tshark verification produced no result" >&2; exit 1
    fi
    if (( lost != 0 )); then
        echo "make-capture: tshark reports $lost lost/ack-lost segments; capture discarded" >&2; exit 1
    fi
fi

mv "$PART" "$OUT"
{
    echo "file=$(basename "$OUT")"
    echo "target_packets=$TARGET"
    echo "packets=$packets"
    echo "bytes=$(stat -c %s "$OUT")"
    echo "kernel_drops=$dropped"
    echo "capturer=$CAPTURER"
    echo "snaplen=$SNAPLEN"
    echo "load_seconds=$(( END - START ))"
    echo "capture_duration_seconds=$duration"
    echo "strict_time_order=$time_ordered"
    echo "lost_segments=$lost"
    echo "syn_packets=$syns"
    echo "rst_packets=$resets"
    echo "phases=${phases_run[*]}"
    echo "made=$(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -r), nginx $(nginx -v 2>&1 | sed 's/.*\///')"
} > "$OUT.meta"
echo "make-capture: wrote $OUT ($packets packets, $(du -h "$OUT" | cut -f1), 0 dropped, $lost lost segments, load $(( END - START ))s, total $(( $(date +%s) - START ))s)" >&2
