#!/usr/bin/env bash
# bench/make-capture.sh OUT.pcap [TARGET_PACKETS]
# SHAPE=churn bench/make-capture.sh OUT.pcap [TARGET_PACKETS]
#
# Builds a large pcap from real HTTP traffic on the loopback interface of a
# private network namespace: nginx serves static files, tcpdump captures
# (64 MiB or more of kernel buffer) and wrk/ab generate load in bounded
# phases until TARGET_PACKETS have been captured (tcpdump -c stops the
# capture at exactly TARGET_PACKETS). Two traffic shapes (SHAPE):
#
# default: long keep-alive connections, IPv4, snaplen 128, one 612-byte file,
#   3,000,000 packets by default. Phases, cycled in the order of $PHASES:
#   keepalive : wrk -t2 -c50 -d10s                         (nginx closes each
#               connection after keepalive_requests=100; when wrk exits its
#               remaining 50 connections are closed by the client)
#   ab        : ab -n 20000 -c 20, no -k (HTTP/1.0, nginx closes)
#   close     : wrk -t2 -c50 -d10s -H 'Connection: close'  (one request per
#               connection, nginx closes -> many short connections, TIME_WAIT)
#   On the reference machine (2 cores) a keepalive phase yields ~1.9M packets,
#   ab ~0.24M and a close phase ~1.9M, so the default 3M capture is
#   keepalive + ab + the first ~half of a close phase.
#
# churn: a busy web server's capture: short connections (about 11 packets
#   each), whole packets (snaplen 0) with HTTP bodies of 612, 2048 and 6144
#   bytes, IPv4 and IPv6, and clients reusing their ports while the server
#   still holds the tuple in TIME_WAIT; 3,500,000 packets by default.
#   nginx listens on 127.0.0.1 and [::1], keepalive_requests=5, tcp_nopush on;
#   the namespace's ephemeral ports are narrowed to 40000-41999 and
#   tcp_tw_reuse is 1. Phases of 4 s (the same phase names; a trailing 6
#   sends the load to [::1] instead of 127.0.0.1), default order
#   "keepalive close6 ab keepalive6 ab6 close":
#   keepalive : wrk -t2 -c50 -d4s, each request for the next of the three
#               files (wrk Lua script); nginx closes after 5 requests
#   close     : the same with -H 'Connection: close' (nginx closes)
#   ab        : ab -n 30000 -c 20, no -k (HTTP/1.0, nginx closes); each ab
#               phase asks for the next of the three files
#
# If OUT already exists it is reused (delete it to rebuild). The capture is
# written to OUT.part and renamed only if the capturer reports 0 packets dropped
# by the kernel and tshark finds no lost segments. OUT.meta records how the
# capture was made and what it holds (SYNs, IPv4/IPv6 packets and SYNs,
# packets per connection).
#
# Environment knobs (all optional; the defaults depend on SHAPE):
#   SHAPE=default      or churn
#   PHASES="keepalive ab close"  phase order (cycled); each of keepalive, close,
#                      ab, or the same with a 6 (IPv6)
#   PHASE_SECS=10      duration of each wrk phase (churn: 4)
#   AB_REQUESTS=20000  requests per ab phase (churn: 30000)
#   MAX_SECS=600       hard bound on the whole load loop
#   CAPTURER=tcpdump   or teardown: capture with `teardown live --count TARGET --write OUT.part`
#                      instead (bench/live.sh); its rows go to OUT.live.csv and its summary, with
#                      libpcap's received/dropped counts, to OUT.live.out
#   PORT=8080          nginx port inside the namespace
#   VERIFY=1           0 skips the tshark lost-segment check
#   SNAPLEN=128        bytes kept per packet (0 = whole packets, so HTTP heads are complete; churn: 0)
#   PORT_RANGE="1024 65000"   the namespace's net.ipv4.ip_local_port_range (churn: "40000 41999")
#   KEEPALIVE_REQUESTS=100    nginx keepalive_requests (churn: 5)
#   BUFFER_KIB=65536   the capturer's kernel buffer in KiB (churn: 262144)
set -euo pipefail

usage() { echo "usage: $0 OUT.pcap [TARGET_PACKETS]" >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || usage
OUT=$1
SHAPE=${SHAPE:-default}
case $SHAPE in
    default) d_target=3000000 d_phases="keepalive ab close" d_phase_secs=10 d_ab=20000 d_snaplen=128
             d_port_range="1024 65000" d_keepalive_requests=100 d_buffer_kib=65536 ;;
    churn)   d_target=3500000 d_phases="keepalive close6 ab keepalive6 ab6 close" d_phase_secs=4 d_ab=30000
             d_snaplen=0 d_port_range="40000 41999" d_keepalive_requests=5 d_buffer_kib=262144 ;;
    *) echo "SHAPE must be default or churn" >&2; exit 2 ;;
esac
TARGET=${2:-$d_target}
[[ $TARGET =~ ^[0-9]+$ && $TARGET -gt 0 ]] || { echo "TARGET_PACKETS must be a positive integer" >&2; exit 2; }
PHASE_SECS=${PHASE_SECS:-$d_phase_secs}
AB_REQUESTS=${AB_REQUESTS:-$d_ab}
MAX_SECS=${MAX_SECS:-600}
PORT=${PORT:-8080}
PHASES=${PHASES:-$d_phases}
VERIFY=${VERIFY:-1}
SNAPLEN=${SNAPLEN:-$d_snaplen}
PORT_RANGE=${PORT_RANGE:-$d_port_range}
KEEPALIVE_REQUESTS=${KEEPALIVE_REQUESTS:-$d_keepalive_requests}
BUFFER_KIB=${BUFFER_KIB:-$d_buffer_kib}
[[ $PORT_RANGE =~ ^[0-9]+\ [0-9]+$ ]] || { echo "PORT_RANGE must be \"LOW HIGH\"" >&2; exit 2; }
[[ $KEEPALIVE_REQUESTS =~ ^[0-9]+$ && $BUFFER_KIB =~ ^[0-9]+$ && $SNAPLEN =~ ^[0-9]+$ ]] \
    || { echo "KEEPALIVE_REQUESTS, BUFFER_KIB and SNAPLEN must be integers" >&2; exit 2; }
CAPTURER=${CAPTURER:-tcpdump}
case $CAPTURER in tcpdump|teardown) ;; *) echo "CAPTURER must be tcpdump or teardown" >&2; exit 2 ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
read -ra PHASE_LIST <<< "$PHASES"
IPV6=0
for p in "${PHASE_LIST[@]}"; do
    case $p in keepalive|close|ab) ;; keepalive6|close6|ab6) IPV6=1 ;; *) echo "unknown phase in PHASES: $p" >&2; exit 2 ;; esac
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
if [[ $SHAPE == churn ]]; then
    # A narrow ephemeral range (it applies to IPv6 too) makes the clients come back to the same ports
    # within a fraction of a second, while the server still holds those tuples in TIME_WAIT: the new
    # SYN reopens the tuple (RFC 6191, Linux tcp_timewait_state_process). tcp_tw_reuse=1 lets a client
    # reuse a port it holds in TIME_WAIT itself (wrk's closes at the end of a phase) after 1 s.
    in_ns sysctl -qw net.ipv4.ip_local_port_range="$PORT_RANGE"
    in_ns sysctl -qw net.ipv4.tcp_tw_reuse=1
else
    # Plenty of ephemeral ports; loopback TIME_WAIT reuse is the kernel default (2).
    in_ns sysctl -qw net.ipv4.ip_local_port_range="$PORT_RANGE"
fi
if (( IPV6 )); then
    in_ns sysctl -qw net.ipv6.conf.lo.disable_ipv6=0
    # ::1 is usable once duplicate address detection is done (immediate on lo; bounded wait anyway).
    for _ in $(seq 50); do in_ns ip -6 addr show dev lo | grep -q '::1/128' && break; sleep 0.1; done
fi

# --- nginx -------------------------------------------------------------------
mkdir -p "$TMP/html" "$TMP/logs"
chmod 755 "$TMP" "$TMP/html"    # nginx workers run as nobody
head -c 612 /dev/zero | tr '\0' 'x' > "$TMP/html/index.html"   # small static file
BODIES=612
PATHS=(/index.html)
if [[ $SHAPE == churn ]]; then
    # Bodies of a few sizes, so that the tools parse (or skip) payload of several lengths.
    head -c 2048 /dev/zero | tr '\0' 'y' > "$TMP/html/2k.html"
    head -c 6144 /dev/zero | tr '\0' 'z' > "$TMP/html/6k.html"
    BODIES="612 2048 6144"
    PATHS=(/index.html /2k.html /6k.html)
    # wrk asks for the next file on each request (each wrk thread keeps its own counter).
    cat > "$TMP/paths.lua" <<'LUA'
local paths = { "/index.html", "/2k.html", "/6k.html" }
local i = 0
request = function()
    i = i % #paths + 1
    return wrk.format(nil, paths[i])
end
LUA
fi
LISTEN="listen 127.0.0.1:$PORT backlog=4096;"
(( IPV6 )) && LISTEN="$LISTEN
        listen [::1]:$PORT backlog=4096;"
NOPUSH=
# Debian's stock nginx.conf sets tcp_nopush with sendfile: head and body leave in one segment.
[[ $SHAPE == churn ]] && NOPUSH="
    tcp_nopush on;"
cat > "$TMP/nginx.conf" <<EOF
worker_processes 1;
daemon off;
master_process on;
pid $TMP/nginx.pid;
error_log $TMP/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;$NOPUSH
    keepalive_timeout 5s;
    keepalive_requests $KEEPALIVE_REQUESTS;
    client_body_temp_path $TMP/body;
    proxy_temp_path $TMP/proxy;
    fastcgi_temp_path $TMP/fastcgi;
    uwsgi_temp_path $TMP/uwsgi;
    scgi_temp_path $TMP/scgi;
    server {
        $LISTEN
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
if (( IPV6 )); then
    for _ in $(seq 50); do
        in_ns bash -c "exec 3<>/dev/tcp/::1/$PORT" 2>/dev/null && break
        sleep 0.1
    done
    in_ns bash -c "exec 3<>/dev/tcp/::1/$PORT" 2>/dev/null \
        || { echo "make-capture: nginx is not listening on [::1]:$PORT" >&2; cat "$TMP/logs/error.log" >&2; exit 1; }
fi

# --- tcpdump -----------------------------------------------------------------
# -c stops the capture exactly at TARGET packets; -B is in KiB (default shape: 64 MiB).
if [[ $CAPTURER == teardown ]]; then
    # The same kernel buffer as tcpdump's -B; snaplen 0 means tcpdump's default, 262144.
    # /usr/bin/time records teardown's own CPU time (the launcher execs java), for its headroom.
    ip netns exec "$NS" /usr/bin/time -f '%U %S' -o "$OUT.live.time" "$ROOT/teardown" live -i lo -f "tcp port $PORT" --count "$TARGET" \
        --snaplen $(( SNAPLEN == 0 ? 262144 : SNAPLEN )) --buffer-size $(( BUFFER_KIB << 10 )) \
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
    ip netns exec "$NS" tcpdump -i lo -n -s "$SNAPLEN" -B "$BUFFER_KIB" -Z root -c "$TARGET" -w "$PART" "tcp port $PORT" \
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
ab_round=0
while kill -0 "$CAP_PID" 2>/dev/null; do
    elapsed=$(( $(date +%s) - START ))
    if (( elapsed >= MAX_SECS )); then
        echo "make-capture: MAX_SECS=$MAX_SECS reached before $TARGET packets" >&2
        exit 1
    fi
    name=${PHASE_LIST[round % ${#PHASE_LIST[@]}]}
    host=127.0.0.1; [[ $name == *6 ]] && host=[::1]
    if [[ $SHAPE == churn ]]; then
        script=(-s "$TMP/paths.lua"); target=http://$host:$PORT/
        ab_url=http://$host:$PORT${PATHS[ab_round % ${#PATHS[@]}]}
    else
        script=(); target=http://$host:$PORT/index.html; ab_url=$target
    fi
    case ${name%6} in
        keepalive) cmd=(wrk -t2 -c50 -d"${PHASE_SECS}s" "${script[@]}" "$target") ;;
        close)     cmd=(wrk -t2 -c50 -d"${PHASE_SECS}s" "${script[@]}" -H 'Connection: close' "$target") ;;
        ab)        cmd=(ab -q -r -n "$AB_REQUESTS" -c 20 "$ab_url"); ab_round=$(( ab_round + 1 )) ;;
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

lost=unchecked; refused_syn_flags=unchecked
syns=unchecked; resets=unchecked; v4=unchecked; v6=unchecked; syns4=unchecked; syns6=unchecked
if [[ $VERIFY == 1 ]]; then
    echo "make-capture: verifying with tshark (lost segments, SYN/RST counts, IPv4/IPv6)..." >&2
    # One pass (HTTP is not dissected: only TCP is asked). The io,stat row is
    # | 0.000 <> D | frames | bytes | per column; the columns: SYNs, RSTs, IPv4 packets, IPv6 packets,
    # IPv4 SYNs, IPv6 SYNs. The packets listed (-Y; the io,stat taps still see every packet) are those
    # tshark flags as following or acknowledging a segment not captured, and SYNs it calls retransmissions.
    syn='tcp.flags.syn==1&&tcp.flags.ack==0'
    tshark -n -r "$PART" --disable-protocol http \
        -Y "tcp.analysis.lost_segment||tcp.analysis.ack_lost_segment||($syn&&tcp.analysis.retransmission)" \
        -T fields -e tcp.stream -e tcp.flags.syn -e tcp.flags.ack -e tcp.seq -e tcp.ack -e tcp.len \
        -e tcp.analysis.lost_segment -e tcp.analysis.ack_lost_segment \
        -z "io,stat,0,$syn,tcp.flags.reset==1,ip,ipv6,$syn&&ip,$syn&&ipv6" 2>/dev/null > "$TMP/verify.out" || true
    read -r syns resets v4 v6 syns4 syns6 < <(awk -F'|' '/<>/ {gsub(/ /,""); print $3, $5, $7, $9, $11, $13}' "$TMP/verify.out")
    # A flag on a handshake packet (the SYN-ACK, or the ACK of it) in a stream whose SYN was sent
    # again is no loss: on a reused tuple the first SYN met what was left of the old connection, which
    # refused it with a bare ACK in the old sequence space (Linux tcp_timewait_state_process; RFC 9293
    # MAY-2 lets a TIME-WAIT accept or refuse it); the client reset that and sent its SYN again, and
    # tshark measured the new handshake against the old ACK. Every other flag counts as a lost segment.
    read -r lost refused_syn_flags < <(awk -F'\t' '
        NF >= 8 && $0 !~ /<>/ {
            if ($2 == "1" && $3 == "0" && $7 == "" && $8 == "") { retried[$1] = 1; next }
            if ($7 == "" && $8 == "") next
            handshake = ($2 == "1") || ($6 == "0" && $4 == "1" && $5 == "1")
            if (handshake && ($1 in retried)) explained++; else hard++
        }
        END { print hard + 0, explained + 0 }' "$TMP/verify.out")
    if [[ -z $syns6 || -z $lost ]]; then
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
    echo "handshake_flags_after_a_resent_syn=$refused_syn_flags"
    echo "syn_packets=$syns"
    echo "connections=$syns"
    echo "packets_per_connection=$( [[ $syns =~ ^[0-9]+$ && $syns -gt 0 ]] && awk -v p="$packets" -v c="$syns" 'BEGIN {printf "%.2f", p/c}' || echo unchecked)"
    echo "ipv4_packets=$v4"
    echo "ipv6_packets=$v6"
    echo "ipv4_connections=$syns4"
    echo "ipv6_connections=$syns6"
    echo "rst_packets=$resets"
    echo "shape=$SHAPE"
    echo "phases=${phases_run[*]}"
    echo "phase_seconds=$PHASE_SECS"
    echo "ab_requests=$AB_REQUESTS"
    echo "bodies=$BODIES"
    echo "keepalive_requests=$KEEPALIVE_REQUESTS"
    echo "port_range=$PORT_RANGE"
    echo "buffer_kib=$BUFFER_KIB"
    echo "made=$(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -r), nginx $(nginx -v 2>&1 | sed 's/.*\///')"
} > "$OUT.meta"
echo "make-capture: wrote $OUT ($packets packets, $(du -h "$OUT" | cut -f1), 0 dropped, $lost lost segments, load $(( END - START ))s, total $(( $(date +%s) - START ))s)" >&2
