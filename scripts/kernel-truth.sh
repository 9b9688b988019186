#!/usr/bin/env bash
# kernel-truth.sh [--live] OUTDIR: make a fresh real capture plus the kernel's own TIME-WAIT view of it.
#
# --live: capture with `teardown live` itself instead of tcpdump (its --write file becomes
# capture.pcap; it is stopped with SIGTERM after the ss snapshot) and also write
#   OUTDIR/live.csv  the rows teardown live wrote while capturing
#   OUTDIR/live.out  its summary (ends with libpcap's received/dropped counts)
#   OUTDIR/live.rc   its exit code
# It runs "$TEARDOWN_JAVA" -cp "$TEARDOWN_CP" dev.teardown.cli.Main (defaults: java and
# target/teardown-cli.jar next to this script's directory).
#
# In a private network namespace (td-kt-<pid>, loopback only) it starts nginx (keepalive_timeout 2s)
# and small python servers (scripts/tdnet.py), captures lo with tcpdump, and drives clients that
# close each way:
#   curl HTTP/1.1 (client closes)              curl --http1.0 and curl -H 'Connection: close'
#   ab -n 1, HTTP/1.0, reads to EOF (server)   (server closes, but curl may race nginx's FIN)
#   SO_LINGER 0 client (RST, none)             server closing with unread data (RST, none)
#   keep-alive client left idle until nginx's 2 s keepalive_timeout closes it (server)
#   3 requests on one connection to a server with keepalive_requests 2 (port 8081): nginx says
#   Connection: close on the 2nd response and closes (server); the 3rd request goes on a new
#   connection that the client closes (client)
#   half-close (client FIN, server keeps sending, client holds TIME-WAIT)
#   simultaneous close: FINs crossed with a tbf qdisc on lo (both), or two racing processes
# Then, once every connection has finished closing, it snapshots `ss -tanH state time-wait` and
# writes:
#   OUTDIR/capture.pcap  the capture (pcap, Ethernet/DLT 1, microsecond)
#   OUTDIR/ss.txt        ss -tanH state time-wait (Recv-Q Send-Q Local Peer)
#   OUTDIR/expect.txt    client_port=P time_wait_side=client|server|both|none [http_requests=N]
#                        [close_reason=R], one line per client connection in the capture (SYN
#                        source ports via tcpdump -r); side from ss.txt; http_requests = nginx's
#                        own count ($connection_requests in its access log) for that client port;
#                        close_reason from the holder plus the last exchange's headers (rules:
#                        "CLOSE REASON" in scripts/tdnet.py); not-http for the tdnet protocols.
#                        Lines starting with # are comments (what nginx logged per connection).
#   OUTDIR/access.log    nginx's access log (port= conn= n= req_proto= req_conn= status= "request")
#   OUTDIR/clients.txt   client_port=P scenario=NAME (which client made which connection)
# The expected holders come from the kernel, not from a rule: where a client races the server
# (curl --http1.0, Connection: close) expect.txt says what actually happened, and so does
# close_reason (client-close or simultaneous when curl's FIN came first or crossed nginx's).
#
# Needs root (ip netns). Exit codes: 0 ok, 1 run failed (message on stderr), 2 missing tool/usage.
# Runtime: about 4 s (bounded well under 30 s). Cleans up the netns and every process it started on any exit.
set -euo pipefail

usage() { echo "usage: $0 [--live] OUTDIR" >&2; exit 2; }
LIVE=0
if [ "${1:-}" = --live ]; then LIVE=1; shift; fi
[ $# -eq 1 ] || usage
OUT=$1

HERE=$(cd "$(dirname "$0")" && pwd)
TDNET=$HERE/tdnet.py
# shellcheck source=nginx-conf.sh
. "$HERE/nginx-conf.sh"
# shellcheck source=td-lib.sh
. "$HERE/td-lib.sh"
td_init kernel-truth

td_need ip ss tcpdump nginx curl
[ -f "$TDNET" ] || { echo "kernel-truth: missing $TDNET" >&2; exit 2; }
TEARDOWN_JAVA=${TEARDOWN_JAVA:-java}
TEARDOWN_CP=${TEARDOWN_CP:-$HERE/../target/teardown-cli.jar}
if [ $LIVE = 1 ]; then
    command -v "$TEARDOWN_JAVA" >/dev/null 2>&1 || { echo "kernel-truth: no java ($TEARDOWN_JAVA)" >&2; exit 2; }
    [ -e "${TEARDOWN_CP%%:*}" ] || { echo "kernel-truth: no teardown at $TEARDOWN_CP (mvn package, or set TEARDOWN_CP)" >&2; exit 2; }
fi
td_need_root
HAVE_AB=0; command -v ab >/dev/null 2>&1 && HAVE_AB=1
HAVE_TC=0; command -v tc >/dev/null 2>&1 && HAVE_TC=1

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
NS=td-kt-$$
WORK=$(mktemp -d /tmp/td-kt.XXXXXX)
PIDS=()      # servers and background clients, stopped with TERM
CAP_PID=""
T_START=$(date +%s)

cleanup() {
    local rc=$? p
    trap - EXIT INT TERM
    # tcpdump stops on SIGINT; java does not (a background job's SIGINT is ignored), teardown live on SIGTERM.
    if [ -n "$CAP_PID" ]; then if [ $LIVE = 1 ]; then stop_pid TERM "$CAP_PID"; else stop_pid INT "$CAP_PID"; fi; fi
    for p in "${PIDS[@]:-}"; do [ -n "$p" ] && stop_pid TERM "$p"; done
    td_netns_del "$NS"
    rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT
trap 'echo "kernel-truth: interrupted" >&2; exit 1' INT TERM

nsx() { ip netns exec "$NS" "$@"; }   # foreground only; background jobs use ip netns exec directly

ip netns add "$NS" || die "ip netns add $NS failed"
nsx ip link set lo up

wait_listen() {  # PORT, max 5 s
    local i
    for i in $(seq 50); do
        [ -n "$(nsx ss -ltnH "( sport = :$1 )")" ] && return 0
        sleep 0.1
    done
    die "nothing listens on port $1 (see $WORK, kept only during the run)"
}

# ---------------------------------------------------------------- servers
HTTP=8080; KAREQ=8081; HALF=9000; SIM=9100; UNREAD=9200
td_nginx_conf "$WORK/nginx" 2s "" "127.0.0.1:$HTTP" "127.0.0.1:$KAREQ keepalive_requests 2;"
ip netns exec "$NS" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/logs/error.log" \
    </dev/null >"$WORK/nginx/logs/stdout" 2>&1 &
PIDS+=($!)
ip netns exec "$NS" "$PY" "$TDNET" server half-close --port $HALF --count 1 --timeout 20 </dev/null >>"$WORK/py.log" 2>&1 &
PIDS+=($!)
ip netns exec "$NS" "$PY" "$TDNET" server unread-rst --port $UNREAD --count 1 --timeout 20 </dev/null >>"$WORK/py.log" 2>&1 &
PIDS+=($!)
wait_listen $HTTP; wait_listen $KAREQ; wait_listen $HALF; wait_listen $UNREAD

# ---------------------------------------------------------------- capture
FILTER="tcp port $HTTP or tcp port $KAREQ or tcp port $HALF or tcp port $SIM or tcp port $UNREAD"
if [ $LIVE = 1 ]; then
    ip netns exec "$NS" "$TEARDOWN_JAVA" -cp "$TEARDOWN_CP" dev.teardown.cli.Main live -i lo -f "$FILTER" \
        --csv "$OUT/live.csv" --write "$WORK/capture.pcap" </dev/null >"$OUT/live.out" 2>"$WORK/live.err" &
    CAP_PID=$!
    # The --write file gets its header once the capture is open (flushed within one 100 ms dispatch).
    for i in $(seq 150); do [ -s "$WORK/capture.pcap" ] && break; kill -0 $CAP_PID 2>/dev/null || break; sleep 0.1; done
    [ -s "$WORK/capture.pcap" ] || die "teardown live did not start: $(cat "$WORK/live.err")"
else
    ip netns exec "$NS" tcpdump -i lo -Z root --immediate-mode -U -w "$WORK/capture.pcap" "$FILTER" \
        </dev/null >/dev/null 2>"$WORK/tcpdump.err" &
    CAP_PID=$!
    for i in $(seq 50); do grep -q "listening on" "$WORK/tcpdump.err" && break; sleep 0.1; done
    grep -q "listening on" "$WORK/tcpdump.err" || die "tcpdump did not start: $(cat "$WORK/tcpdump.err")"
fi
sleep 0.2

# ---------------------------------------------------------------- clients
: > "$OUT/clients.txt"
note() { local p; for p in $2; do echo "client_port=$p scenario=$1" >> "$OUT/clients.txt"; done; }
curl1() { nsx curl -sS -o /dev/null --max-time 5 -w '%{local_port}\n' "$@"; }

# Idle keep-alive client first (runs in the background for ~2 s until nginx's keepalive_timeout).
ip netns exec "$NS" "$PY" "$TDNET" client idle --port $HTTP --idle-max 6 </dev/null >"$WORK/idle.port" 2>>"$WORK/py.log" &
IDLE_PID=$!
PIDS+=($IDLE_PID)

note curl-http11-client-closes "$(curl1 http://127.0.0.1:$HTTP/) $(curl1 http://127.0.0.1:$HTTP/)"
note curl-http10-server-closes-may-race "$(curl1 --http1.0 http://127.0.0.1:$HTTP/)"
note curl-connection-close-server-closes-may-race "$(curl1 -H 'Connection: close' http://127.0.0.1:$HTTP/)"
note tdnet-http10-read-to-eof-server-closes "$(nsx "$PY" "$TDNET" client http --http10 --wait-eof --port $HTTP 2>>"$WORK/py.log")"
if [ $HAVE_AB = 1 ]; then
    nsx ab -q -n 1 http://127.0.0.1:$HTTP/ >/dev/null || die "ab failed"   # port: found below
fi
note linger0-client-rst "$(nsx "$PY" "$TDNET" client linger-rst --port $HTTP 2>>"$WORK/py.log")"
note server-unread-data-rst "$(nsx "$PY" "$TDNET" client send-expect-rst --port $UNREAD 2>>"$WORK/py.log")"
note half-close-client-fin-first "$(nsx "$PY" "$TDNET" client half-close --port $HALF 2>>"$WORK/py.log")"
# keepalive_requests 2: first connection closed by nginx after its announced 2nd response (the
# client reads to EOF), the 3rd request on a second connection, closed by the client.
KA_PORTS=$(nsx "$PY" "$TDNET" client keepalive --requests 3 --port $KAREQ 2>>"$WORK/py.log" | tr '\n' ' ')
set -- $KA_PORTS
[ $# -eq 2 ] || die "keepalive-requests client made $# connections ($KA_PORTS), expected 2"
note keepalive-requests-limit-server-closes "$1"
note keepalive-requests-rest-client-closes "$2"
set --

# Simultaneous close: tbf on lo makes the FINs cross deterministically; without tc/tbf fall back
# to two processes racing (usually crosses on >= 2 CPUs; ss records what happened either way).
SIMMODE=--race
if [ $HAVE_TC = 1 ] && nsx tc qdisc add dev lo root tbf rate 100kbit burst 1600 latency 2s 2>/dev/null; then
    nsx tc qdisc del dev lo root
    SIMMODE=--tbf
fi
note "simultaneous-close${SIMMODE/--/-}" "$(nsx "$PY" "$TDNET" simclose --port $SIM $SIMMODE 2>>"$WORK/py.log")"

# Wait for the idle client (bounded by its --idle-max 6 s).
for i in $(seq 80); do kill -0 $IDLE_PID 2>/dev/null || break; sleep 0.1; done
kill -0 $IDLE_PID 2>/dev/null && die "idle client still running after 8 s: nginx keepalive_timeout did not close it"
wait $IDLE_PID || die "idle client failed"
note keepalive-idle-timeout-server-closes "$(cat "$WORK/idle.port")"

# ---------------------------------------------------------------- settle, snapshot
# Done when no TCP socket is left but LISTEN and TIME-WAIT (no ESTAB/FIN-WAIT/CLOSE-WAIT/LAST-ACK).
settled=0
for i in $(seq 100); do
    if [ -z "$(nsx ss -tanH state connected exclude time-wait)" ]; then settled=1; break; fi
    sleep 0.1
done
[ $settled = 1 ] || die "connections did not finish closing within 10 s: $(nsx ss -tanH state connected)"
sleep 0.2
nsx ss -tanH state time-wait > "$OUT/ss.txt"
# A second look 0.3 s later must agree (nothing still moving into or out of TIME-WAIT).
sleep 0.3
nsx ss -tanH state time-wait > "$WORK/ss2.txt"
cmp -s <(awk '{print $3,$4}' "$OUT/ss.txt" | sort) <(awk '{print $3,$4}' "$WORK/ss2.txt" | sort) \
    || die "TIME-WAIT set changed between two snapshots"

if [ $LIVE = 1 ]; then
    # SIGTERM (a background job's SIGINT is ignored): teardown live writes every row and exits 0.
    kill -TERM "$CAP_PID"
    rc=0; wait "$CAP_PID" || rc=$?
    CAP_PID=""
    echo $rc > "$OUT/live.rc"
    [ $rc = 0 ] || die "teardown live exited $rc: $(cat "$WORK/live.err")"
else
    stop_pid INT "$CAP_PID"; CAP_PID=""
fi
cp "$WORK/capture.pcap" "$OUT/capture.pcap"
cp "$WORK/nginx/logs/access.log" "$OUT/access.log"
"$PY" "$TDNET" expect --pcap "$OUT/capture.pcap" --ss "$OUT/ss.txt" --access-log "$OUT/access.log" \
    --persistent-server-close server-idle-timeout \
    --not-http-port $HALF --not-http-port $SIM --not-http-port $UNREAD > "$OUT/expect.txt" 2>>"$WORK/py.log"

# ab does not report its port: it is the one client port in the capture no other client claimed.
for p in $(sed -n 's/^client_port=\([0-9]*\) .*/\1/p' "$OUT/expect.txt"); do
    grep -q "^client_port=$p " "$OUT/clients.txt" && continue
    if [ $HAVE_AB = 1 ]; then note ab-http10-server-closes "$p"; HAVE_AB=2; else note unknown "$p"; fi
done
[ $HAVE_AB != 1 ] || die "no connection from ab in the capture"
[ $HAVE_AB = 2 ] && HAVE_AB=1

# ---------------------------------------------------------------- sanity checks
nconn=$(grep -c '^client_port=' "$OUT/expect.txt" || true)
want=$(( 12 + HAVE_AB ))
[ "$nconn" -eq "$want" ] || die "capture has $nconn client connections, expected $want (see $OUT)"
# Every TIME-WAIT row must belong to a connection in the capture.
ntw_rows=$(grep -c . "$OUT/ss.txt" || true)
ntw_exp=$(awk '/^client_port=.* time_wait_side=(client|server)( |$)/{n++} /^client_port=.* time_wait_side=both( |$)/{n+=2} END{print n+0}' "$OUT/expect.txt")
[ "$ntw_rows" -eq "$ntw_exp" ] || die "ss.txt has $ntw_rows TIME-WAIT rows but expect.txt accounts for $ntw_exp"
# Fixed outcomes that do not race: check them so a broken setup fails loudly.
field_of() {  # field_of PORT KEY: KEY's value on PORT's expect.txt line ("" if absent)
    sed -n "s/^client_port=$1 .*\b$2=\([^ ]*\).*/\1/p" "$OUT/expect.txt"
}
while read -r line; do
    p=${line#client_port=}; p=${p%% *}; sc=${line##*scenario=}
    want_reason=""; want_req=""
    case $sc in
        curl-http11-client-closes) want_side=client; want_reason=client-close; want_req=1;;
        half-close-client-fin-first) want_side=client; want_reason=not-http;;
        tdnet-http10-read-to-eof-server-closes|ab-http10-server-closes)
            # nginx echoes Connection: close to HTTP/1.0 without keep-alive; the request decides.
            want_side=server; want_reason=http10-close; want_req=1;;
        keepalive-idle-timeout-server-closes) want_side=server; want_reason=server-idle-timeout; want_req=1;;
        keepalive-requests-limit-server-closes) want_side=server; want_reason=server-close-announced; want_req=2;;
        keepalive-requests-rest-client-closes) want_side=client; want_reason=client-close; want_req=1;;
        linger0-client-rst) want_side=none; want_reason=client-abort; want_req=1;;
        server-unread-data-rst) want_side=none; want_reason=not-http;;
        simultaneous-close-tbf) want_side=both; want_reason=not-http;;
        simultaneous-close-race) want_side=""; want_reason=not-http;;
        curl-http10-server-closes-may-race|curl-connection-close-server-closes-may-race)
            # The kernel decides the holder; close_reason must follow it.
            want_side=""; want_req=1
            case $(field_of "$p" time_wait_side) in
                server) case $sc in curl-http10-*) want_reason=http10-close;; *) want_reason=client-requested-close;; esac;;
                client) want_reason=client-close;;
                both) want_reason=simultaneous;; *) want_reason=none-expected;;
            esac;;
        unknown) die "client port $p in the capture was made by none of our clients";;
        *) continue;;
    esac
    got=$(field_of "$p" time_wait_side)
    [ -z "$want_side" ] || [ "$got" = "$want_side" ] || die "$sc (client port $p): kernel says '$got', setup expects '$want_side'"
    got=$(field_of "$p" close_reason)
    [ "$got" = "$want_reason" ] || die "$sc (client port $p): close_reason '$got', setup expects '$want_reason'"
    got=$(field_of "$p" http_requests)
    [ "$got" = "$want_req" ] || die "$sc (client port $p): http_requests '$got' (nginx's log), setup expects '$want_req'"
done < "$OUT/clients.txt"

echo "kernel-truth: $nconn connections, $ntw_rows TIME-WAIT rows, $(( $(date +%s) - T_START )) s; wrote $OUT/{capture.pcap,ss.txt,expect.txt,clients.txt,access.log}" >&2
