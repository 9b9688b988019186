#!/usr/bin/env bash
# whatif-check.sh OUTDIR: the idle-timeout what-if against real nginx (docs/output.md, "Idle-timeout what-if").
#
# Runs ONE seeded client schedule (scripts/whatif-clients.py: browser-like clients on 127.0.0.10.., think
# times 0.3 s to 40 s) twice against nginx, each run in a fresh network namespace (td-wi-<pid>-<T>, loopback
# only), first with keepalive_timeout 5s, then with 15s, and writes per run T in {5,15}:
#   OUTDIR/capture-T.pcap  tcpdump of the run (port 8080, and the end marker on port 9)
#   OUTDIR/ss-T.txt        one line a second: SECONDS SERVER_TW CLIENT_TW, the TIME-WAIT sockets whose local
#                          port is nginx's (server-held) and whose peer port is (client-held), from
#                          ss -tanH state time-wait, sampled from the start of the clients to the end marker
#   OUTDIR/clients-T.txt   what each client did (connections, requests, retries after a close it crossed)
# Each run lasts END seconds (schedule SCHEDULE s, then the clients wait for the server's idle close); at END a
# connection to port 9, refused, marks the end so both captures end at the same time after their start.
# Env: WHATIF_SEED (1), WHATIF_CLIENTS (40), WHATIF_SCHEDULE (70), WHATIF_END (90).
#
# Needs root (ip netns). Exit codes: 0 ok, 1 run failed (message on stderr), 2 missing tool/usage.
# Runtime: about 2 x END s plus a few seconds. Cleans up the namespaces and every process it started on any exit.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
OUT=$1
HERE=$(cd "$(dirname "$0")" && pwd)
CLIENTS_PY=$HERE/whatif-clients.py
# shellcheck source=nginx-conf.sh
. "$HERE/nginx-conf.sh"
# shellcheck source=td-lib.sh
. "$HERE/td-lib.sh"
td_init whatif-check
SEED=${WHATIF_SEED:-1}
NCLIENTS=${WHATIF_CLIENTS:-40}
SCHEDULE=${WHATIF_SCHEDULE:-70}
END=${WHATIF_END:-90}
PORT=8080

td_need ip ss tcpdump nginx
td_need_root

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d /tmp/td-wi.XXXXXX)
NS=""
PIDS=()
CAP_PID=""
T_START=$(date +%s)

teardown_run() {  # stops what the current run started and deletes its namespace
    local p
    if [ -n "$CAP_PID" ]; then stop_pid INT "$CAP_PID"; CAP_PID=""; fi
    for p in "${PIDS[@]:-}"; do [ -n "$p" ] && stop_pid TERM "$p"; done
    PIDS=()
    td_netns_del "$NS"
    NS=""
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    teardown_run
    rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT
trap 'echo "whatif-check: interrupted" >&2; exit 1' INT TERM

run() {  # run T: one run with keepalive_timeout T seconds
    local ka=$1 i
    NS=td-wi-$$-$ka
    ip netns add "$NS" || die "ip netns add $NS failed"
    ip netns exec "$NS" ip link set lo up
    td_nginx_conf "$WORK/nginx-$ka" "${ka}s" "" "127.0.0.1:$PORT"
    ip netns exec "$NS" nginx -p "$WORK/nginx-$ka" -c "$WORK/nginx-$ka/nginx.conf" -e "$WORK/nginx-$ka/logs/error.log" \
        </dev/null >"$WORK/nginx-$ka/logs/stdout" 2>&1 &
    PIDS+=($!)
    for i in $(seq 50); do
        [ -n "$(ip netns exec "$NS" ss -ltnH "( sport = :$PORT )")" ] && break
        sleep 0.1
    done
    [ -n "$(ip netns exec "$NS" ss -ltnH "( sport = :$PORT )")" ] || die "nginx does not listen (keepalive_timeout $ka)"

    ip netns exec "$NS" tcpdump -i lo -Z root --immediate-mode -U -w "$WORK/capture-$ka.pcap" \
        "tcp port $PORT or tcp port 9" </dev/null >/dev/null 2>"$WORK/tcpdump-$ka.err" &
    CAP_PID=$!
    for i in $(seq 50); do grep -q "listening on" "$WORK/tcpdump-$ka.err" && break; sleep 0.1; done
    grep -q "listening on" "$WORK/tcpdump-$ka.err" || die "tcpdump did not start: $(cat "$WORK/tcpdump-$ka.err")"
    sleep 0.2

    # ss once a second, bounded by END + 5 samples.
    ip netns exec "$NS" bash -c '
        t0=$(date +%s.%N)
        for i in $(seq '"$((END + 5))"'); do
            now=$(date +%s.%N)
            tw=$(ss -tanH state time-wait)
            s=$(printf "%s\n" "$tw" | awk '\''$3 ~ /:'"$PORT"'$/ {n++} END {print n+0}'\'')
            c=$(printf "%s\n" "$tw" | awk '\''$4 ~ /:'"$PORT"'$/ {n++} END {print n+0}'\'')
            echo "$(awk -v a="$now" -v b="$t0" "BEGIN{printf \"%.1f\", a-b}") $s $c"
            sleep 1
        done' </dev/null >"$OUT/ss-$ka.txt" 2>>"$WORK/ss-$ka.err" &
    local sampler=$!
    PIDS+=($sampler)

    local t0
    t0=$(date +%s.%N)
    ip netns exec "$NS" "$PY" "$CLIENTS_PY" --port $PORT --seed "$SEED" --clients "$NCLIENTS" \
        --schedule "$SCHEDULE" --end "$END" </dev/null >"$OUT/clients-$ka.txt" 2>"$WORK/clients-$ka.err" \
        || die "clients failed (keepalive_timeout $ka): $(cat "$WORK/clients-$ka.err")"
    # The end marker at END s after the clients started: a refused connection (SYN, RST) on port 9.
    local left
    left=$(awk -v a="$(date +%s.%N)" -v b="$t0" -v e="$END" 'BEGIN{d=e-(a-b); if (d<0) d=0; printf "%.3f", d}')
    sleep "$left"
    ip netns exec "$NS" "$PY" -c 'import socket
s = socket.socket(); s.settimeout(2)
try: s.connect(("127.0.0.1", 9))
except OSError: pass' || true
    sleep 1.5
    stop_pid TERM "$sampler"
    cp "$WORK/capture-$ka.pcap" "$OUT/capture-$ka.pcap" 2>/dev/null || true
    teardown_run
    [ -s "$OUT/capture-$ka.pcap" ] || die "no capture for keepalive_timeout $ka"
    echo "whatif-check: keepalive_timeout ${ka}s: $(awk '{c+=substr($2,13); r+=substr($4,9)} END {print c+0 " connections, " r+0 " retries"}' "$OUT/clients-$ka.txt"), server TIME-WAIT peak $(awk 'BEGIN{m=0} $2>m{m=$2} END{print m}' "$OUT/ss-$ka.txt") (ss)" >&2
}

run 5
run 15
echo "whatif-check: done in $(( $(date +%s) - T_START )) s; wrote $OUT/{capture,ss,clients}-{5,15}.*" >&2
