#!/usr/bin/env bash
# kernel-timeline.sh OUTDIR: a real capture of TIME-WAIT rising and draining, with the kernel's own view of the
# population sampled over time, for `teardown analyze --timeline` to be checked against (KernelTimelineTest).
#
# In a private network namespace (td-ktl-<pid>, loopback only) it starts nginx with two load endpoints,
# 127.0.0.1:8080 and 127.0.0.2:8081 (keepalive_timeout 2s), and a third, 127.0.0.1:8090, for a ticker: one
# keep-alive connection with a request every 0.5 s, so the capture (and the timeline, which ends at the last
# packet) lasts until every TIME-WAIT has gone. It captures lo with tcpdump and drives $BURSTS bursts, $GAP s
# of quiet apart, each of:
#   scripts/tdtimeline.py burst: $COUNT connections over 2.5 s from 127.0.0.10-.13 (bound, so each side's
#     TIME-WAIT is told apart by address too), to both endpoints in turn: HTTP/1.1 closed by the client,
#     3 keep-alive requests closed by the client, Connection: close and HTTP/1.0 read to the server's FIN,
#     and idle keep-alive connections closed by nginx's 2 s keepalive_timeout; then, per endpoint, 4 HTTP/1.0
#     connections from one address:port (127.0.0.15:4000N), each SYN landing on nginx's TIME-WAIT of the one
#     before, which Linux cuts short to accept it
#   meanwhile: ab -n 40 -c 4 (HTTP/1.0, nginx closes), ab -k -n 30 -c 3 (ab closes its 3 connections),
#     curl with 3 URLs on one connection (curl closes) and curl --http1.0 (nginx closes; may race curl's FIN)
# Every 0.5 s from before the first burst until no TIME-WAIT is left it appends `ss -tanoH state time-wait`
# to the samples, each after a line "@ T_BEFORE T_AFTER ROWS M_BEFORE M_AFTER" (CLOCK_REALTIME ns around the
# ss run: the clock tcpdump stamps packets with; then CLOCK_MONOTONIC, the clock of the kernel's timers, so a
# step or slew of the real-time clock during the run can be taken out). `-o` gives each socket's remaining time: Linux removes an expired
# TIME-WAIT socket up to about 2 s after its 60 s (its timer sits in a coarse timer-wheel slot), showing
# 0 meanwhile, so a reader must count a socket whose timer shows 0 as gone.
#
# Writes:
#   OUTDIR/capture.pcap         the capture (pcap, DLT 1, microseconds)
#   OUTDIR/ss-samples.txt.gz    the samples (gzip)
#   OUTDIR/load-packets.txt     the time (epoch seconds, tcpdump -tt) of every packet but the ticker's
#   OUTDIR/endpoints.txt        "load ADDR:PORT" twice, "ticker ADDR:PORT"
#   OUTDIR/bursts.txt           per burst: start and end (epoch seconds) and what each client made
#   OUTDIR/tcpdump.txt          tcpdump's own counts (captured, dropped by kernel)
#
# Needs root (ip netns). Exit codes: 0 ok, 1 run failed (message on stderr), 2 missing tool/usage.
# Runtime: about 2 minutes (the last burst's TIME-WAITs drain for 60-62 s), capped at $CAP s of sampling.
# Cleans up the netns and every process it started on any exit.
# Knobs (environment): TD_BURSTS (default 4), TD_COUNT (240 per burst), TD_GAP (10 s), TD_CAP (140 s).
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
OUT=$1
BURSTS=${TD_BURSTS:-4}
COUNT=${TD_COUNT:-240}
GAP=${TD_GAP:-10}
CAP=${TD_CAP:-140}

HERE=$(cd "$(dirname "$0")" && pwd)
TDTL=$HERE/tdtimeline.py
# shellcheck source=nginx-conf.sh
. "$HERE/nginx-conf.sh"
# shellcheck source=td-lib.sh
. "$HERE/td-lib.sh"
td_init kernel-timeline

td_need ip ss tcpdump nginx curl ab gzip
[ -f "$TDTL" ] && [ -f "$HERE/tdnet.py" ] || { echo "kernel-timeline: missing $TDTL or tdnet.py" >&2; exit 2; }
td_need_root

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
NS=td-ktl-$$
WORK=$(mktemp -d /tmp/td-ktl.XXXXXX)
PIDS=()      # servers and background clients, stopped with TERM
CAP_PID=""
T_START=$(date +%s)

cleanup() {
    local rc=$? p
    trap - EXIT INT TERM
    [ -n "$CAP_PID" ] && stop_pid INT "$CAP_PID"
    for p in "${PIDS[@]:-}"; do [ -n "$p" ] && stop_pid TERM "$p"; done
    td_netns_del "$NS"
    rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT
trap 'echo "kernel-timeline: interrupted" >&2; exit 1' INT TERM

nsx() { ip netns exec "$NS" "$@"; }   # foreground only; background jobs use ip netns exec directly
now() { date +%s.%N; }

ip netns add "$NS" || die "ip netns add $NS failed"
nsx ip link set lo up

wait_listen() {  # ADDR:PORT, max 5 s
    local i
    for i in $(seq 50); do
        [ -n "$(nsx ss -ltnH "( src $1 )")" ] && return 0
        sleep 0.1
    done
    die "nothing listens on $1"
}

# ---------------------------------------------------------------- servers
A=127.0.0.1:8080; B=127.0.0.2:8081; TICK=127.0.0.1:8090
td_nginx_conf "$WORK/nginx" 2s "" "$A" "$B" "$TICK keepalive_timeout 300s; keepalive_requests 100000;"
# Room for a burst's idle connections (the shared config allows 64).
sed -i 's/worker_connections [0-9]*;/worker_connections 2048;/' "$WORK/nginx/nginx.conf"
ip netns exec "$NS" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/logs/error.log" \
    </dev/null >"$WORK/nginx/logs/stdout" 2>&1 &
PIDS+=($!)
wait_listen $A; wait_listen $B; wait_listen $TICK
printf 'load %s\nload %s\nticker %s\n' "$A" "$B" "$TICK" > "$OUT/endpoints.txt"

# ---------------------------------------------------------------- capture, ticker, sampler
ip netns exec "$NS" tcpdump -i lo -Z root -B 65536 --immediate-mode -U -w "$WORK/capture.pcap" tcp \
    </dev/null >/dev/null 2>"$WORK/tcpdump.err" &
CAP_PID=$!
for i in $(seq 50); do grep -q "listening on" "$WORK/tcpdump.err" && break; sleep 0.1; done
grep -q "listening on" "$WORK/tcpdump.err" || die "tcpdump did not start: $(cat "$WORK/tcpdump.err")"
sleep 0.2

ip netns exec "$NS" "$PY" "$TDTL" ticker --server $TICK --every 0.5 --max $((CAP + 20)) \
    </dev/null >/dev/null 2>>"$WORK/py.log" &
TICK_PID=$!
PIDS+=($TICK_PID)
ip netns exec "$NS" "$PY" "$TDTL" sample --out "$WORK/ss-samples.txt" --every 0.5 --max "$CAP" \
    --stop-file "$WORK/load-done" </dev/null >/dev/null 2>>"$WORK/py.log" &
SAMPLER_PID=$!
PIDS+=($SAMPLER_PID)
sleep 1.5   # a few samples (and ticks) before the first burst

# ---------------------------------------------------------------- bursts
: > "$OUT/bursts.txt"
for b in $(seq "$BURSTS"); do
    t0=$(now)
    ip netns exec "$NS" "$PY" "$TDTL" burst --server $A --server $B --client 127.0.0.10 --client 127.0.0.11 \
        --client 127.0.0.12 --client 127.0.0.13 --count "$COUNT" --spread 2.5 --idle-max 10 \
        --reuse-from 127.0.0.15:$((40000 + b)) --reuse-count 4 \
        </dev/null >"$WORK/burst.out" 2>>"$WORK/py.log" &
    BURST_PID=$!
    PIDS+=($BURST_PID)
    nsx ab -q -n 40 -c 4 "http://$A/" >/dev/null 2>>"$WORK/ab.log" || die "ab failed: $(cat "$WORK/ab.log")"
    nsx ab -q -k -n 30 -c 3 "http://$B/" >/dev/null 2>>"$WORK/ab.log" || die "ab -k failed: $(cat "$WORK/ab.log")"
    for i in 1 2 3 4; do
        nsx curl -sS -o /dev/null -o /dev/null -o /dev/null --max-time 5 --interface 127.0.0.14 \
            "http://$A/" "http://$A/" "http://$A/" || die "curl failed"
        nsx curl -sS -o /dev/null --max-time 5 --http1.0 --interface 127.0.0.14 "http://$B/" || die "curl --http1.0 failed"
    done
    wait $BURST_PID || die "burst $b failed: $(tail -5 "$WORK/py.log")"
    # The reused tuples: one server TIME-WAIT each is left (the kernel accepted every later SYN on it).
    n=$(nsx ss -tanH state time-wait "( dst 127.0.0.15:$((40000 + b)) )" | grep -c . || true)
    [ "$n" = 2 ] || die "burst $b: $n TIME-WAITs toward 127.0.0.15:$((40000 + b)), expected 2 (one per endpoint)"
    echo "burst=$b start=$t0 end=$(now) $(tr '\n' ' ' < "$WORK/burst.out")ab=40 ab_k=3 curl3=4 curl10=4" >> "$OUT/bursts.txt"
    [ "$b" -lt "$BURSTS" ] && sleep "$GAP"
done
touch "$WORK/load-done"

# ---------------------------------------------------------------- drain
# The sampler ends at its first sample without TIME-WAIT (or at $CAP s).
for i in $(seq $(( (CAP + 10) * 10 ))); do kill -0 $SAMPLER_PID 2>/dev/null || break; sleep 0.1; done
kill -0 $SAMPLER_PID 2>/dev/null && die "sampler still running after $CAP s"
wait $SAMPLER_PID || die "sampler failed: $(tail -5 "$WORK/py.log")"
last=$(grep '^@' "$WORK/ss-samples.txt" | tail -1)
[ "$(echo "$last" | awk '{print $4}')" = 0 ] || die "TIME-WAIT still held after $CAP s of sampling (last sample: $last)"
left=$(nsx ss -tanH state connected exclude time-wait | grep -v ":${TICK##*:}" || true)
[ -z "$left" ] || die "connections left besides the ticker's: $left"
sleep 0.6   # one more tick after the last sample, so the timeline reaches it

stop_pid INT "$CAP_PID"; CAP_PID=""
grep -E "packets (captured|received|dropped)" "$WORK/tcpdump.err" > "$OUT/tcpdump.txt" || true
grep -q "^0 packets dropped by kernel" "$OUT/tcpdump.txt" || die "tcpdump dropped packets (its buffer, -B, is too small): $(tr "\n" " " < "$OUT/tcpdump.txt")"
cp "$WORK/capture.pcap" "$OUT/capture.pcap"
gzip -c "$WORK/ss-samples.txt" > "$OUT/ss-samples.txt.gz"
tcpdump -r "$OUT/capture.pcap" -tt -n "tcp and not port ${TICK##*:}" 2>/dev/null | awk '{print $1}' > "$OUT/load-packets.txt"
[ -s "$OUT/load-packets.txt" ] || die "no load packets in the capture"

nsamples=$(grep -c '^@' "$WORK/ss-samples.txt")
peak=$(awk '/^@/{if ($4 > m) m = $4} END{print m+0}' "$WORK/ss-samples.txt")
echo "kernel-timeline: $BURSTS bursts, $nsamples samples, peak $peak TIME-WAIT sockets, $(( $(date +%s) - T_START )) s; wrote $OUT/{capture.pcap,ss-samples.txt.gz,load-packets.txt,endpoints.txt,bursts.txt}" >&2
