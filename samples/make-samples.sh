#!/usr/bin/env bash
# (Re)create the real captures in samples/, each with the kernel's own TIME_WAIT view.
#
# Every scenario runs in its own network namespace (td-s-<name>) so that `ss -tanH state time-wait`
# inside it shows only that scenario's sockets. Per scenario: server(s) started in the netns with
# their own config in a temp dir, a capture on lo filtered to the scenario's ports, the clients,
# a wait until every connection has finished closing, a snapshot of `ss -tanH state time-wait`
# into <name>.ss.txt (ground truth), then capture and servers are stopped by PID, and
# <name>.expect is derived from the capture's SYNs plus the ss snapshot (scripts/tdnet.py expect).
# HTTP scenarios also keep the server's own access log (<name>.access.log: client port and requests
# per connection, Connection headers; see "ACCESS LOGS" in scripts/tdnet.py) and their .expect lines
# get http_requests=N from it and close_reason=... from it plus the ss holder.
#
# Usage: sudo samples/make-samples.sh [scenario ...]     (default: all; needs root for ip netns)
#        samples/make-samples.sh --readme                (only rewrite README.md from the files)
# HTTPS scenarios (tls-*) run nginx with TLS on a throw-away self-signed certificate made here with openssl;
# their .expect lines count exchanges (see --encrypted in scripts/tdnet.py).
# HTTP/2 scenarios (h2c-*, h2-tls) run nginx with http2 (nginx 1.22: `listen ... http2`) and scripts/tdh2.py, which
# needs the h2 library (Debian: apt-get install python3-h2); reverse-proxy runs nginx in front of tdnet.py's python
# servers on 127.0.0.2, with the clients on 127.0.0.3.
# Requires: ip, ss, tc, tcpdump, dumpcap, nginx (with http_ssl_module and http_v2_module), lighttpd, curl, ab,
# openssl, python3 (with python3-h2).
set -euo pipefail

SAMPLES=$(cd "$(dirname "$0")" && pwd)
TDNET=$(cd "$SAMPLES/../scripts" && pwd)/tdnet.py
# shellcheck source=../scripts/nginx-conf.sh
. "$SAMPLES/../scripts/nginx-conf.sh"
if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=$(command -v python3); fi

for t in ip ss tc tcpdump dumpcap nginx lighttpd curl ab openssl "$PY"; do
    command -v "$t" >/dev/null 2>&1 || { echo "make-samples: missing tool: $t" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "make-samples: must run as root (ip netns)" >&2; exit 2; }
[ -f "$TDNET" ] || { echo "make-samples: missing $TDNET" >&2; exit 2; }
TDH2=$(cd "$SAMPLES/../scripts" && pwd)/tdh2.py
"$PY" -c "import h2" 2>/dev/null || { echo "make-samples: $PY lacks the h2 library (apt-get install python3-h2)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/td-samples.XXXXXX)
NS=""
CAP_PID=""
SRV_PIDS=()

log() { echo "make-samples: $*" >&2; }

stop_pid() {  # stop_pid SIGNAL PID: signal one PID we started, wait at most 5 s, then SIGKILL it.
    local sig=$1 pid=$2 i
    [ -n "$pid" ] || return 0
    kill -"$sig" "$pid" 2>/dev/null || return 0
    for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || true
}

ns_down() {
    if [ -n "$CAP_PID" ]; then stop_pid INT "$CAP_PID"; CAP_PID=""; fi
    local p
    for p in "${SRV_PIDS[@]:-}"; do [ -n "$p" ] && stop_pid TERM "$p"; done
    SRV_PIDS=()
    if [ -n "$NS" ]; then
        # Safety net: anything of ours still running inside our netns, by PID.
        for p in $(ip netns pids "$NS" 2>/dev/null); do stop_pid TERM "$p"; done
        ip netns del "$NS" 2>/dev/null || true; NS=""
    fi
}

cleanup() {
    local rc=$?
    ns_down
    rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# nsx: run in the scenario netns (foreground only: for background jobs use `ip netns exec` directly
# so that $! is the program's own PID; ip netns exec execs it).
nsx() { ip netns exec "$NS" "$@"; }

ns_up() {  # ns_up NAME
    NAME=$1
    NS=td-s-$NAME
    ip netns del "$NS" 2>/dev/null || true   # leftover of an earlier, killed run of this script
    ip netns add "$NS"
    nsx ip link set lo up
    D=$WORK/$NAME
    mkdir -p "$D"
}

wait_listen() {  # wait_listen PORT: until something listens on PORT in the netns (max 5 s)
    local i
    for i in $(seq 50); do
        [ -n "$(nsx ss -ltnH "( sport = :$1 )")" ] && return 0
        sleep 0.1
    done
    log "$NAME: nothing listens on port $1"; return 1
}

wait_closed() {  # until no TCP socket is left except LISTEN and TIME-WAIT (max ${1:-15} s)
    local i n=$(( ${1:-15} * 10 ))
    for i in $(seq "$n"); do
        [ -z "$(nsx ss -tanH state connected exclude time-wait)" ] && { sleep 0.3; return 0; }
        sleep 0.1
    done
    log "$NAME: connections still not closed:"; nsx ss -tanH state connected >&2; return 1
}

start_nginx() {  # start_nginx PORT KEEPALIVE_TIMEOUT [LISTEN_ADDR [EXTRA_HTTP_DIRECTIVES]]
    local port=$1 ka=$2 addr=${3:-127.0.0.1} extra=${4:-}
    td_nginx_conf "$D/nginx" "$ka" "$extra" "$addr:$port"
    ip netns exec "$NS" nginx -p "$D/nginx" -c "$D/nginx/nginx.conf" -e "$D/nginx/logs/error.log" \
        </dev/null >"$D/nginx/logs/stdout" 2>&1 &
    SRV_PIDS+=($!)
    wait_listen "$port"
}

start_nginx_tls() {  # start_nginx_tls PORT KEEPALIVE_TIMEOUT [http2]: nginx with TLS 1.2 and 1.3 on 127.0.0.1:PORT
    local port=$1 ka=$2 h2=${3:-}
    mkdir -p "$D/tls"
    # A throw-away certificate for the name the clients send as SNI; it never leaves the temp dir.
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=tls.test \
        -addext subjectAltName=DNS:tls.test -keyout "$D/tls/key.pem" -out "$D/tls/cert.pem" 2>/dev/null
    # nginx 1.22 offers TLS 1.3 only when asked (its default became 1.2 and 1.3 in 1.23.4).
    td_nginx_conf "$D/nginx" "$ka" "" "127.0.0.1:$port ssl_certificate $D/tls/cert.pem; ssl_certificate_key $D/tls/key.pem; ssl_protocols TLSv1.2 TLSv1.3;"
    sed -i "s|listen 127.0.0.1:$port;|listen 127.0.0.1:$port ssl${h2:+ http2};|" "$D/nginx/nginx.conf"
    ip netns exec "$NS" nginx -p "$D/nginx" -c "$D/nginx/nginx.conf" -e "$D/nginx/logs/error.log" \
        </dev/null >"$D/nginx/logs/stdout" 2>&1 &
    SRV_PIDS+=($!)
    wait_listen "$port"
}

start_nginx_h2c() {  # start_nginx_h2c KEEPALIVE_TIMEOUT SERVER...: nginx whose servers ("ADDR:PORT directives")
                     # speak HTTP/2 in cleartext: nginx 1.22's `listen ... http2` without ssl, prior knowledge only
    local ka=$1 spec; shift
    td_nginx_conf "$D/nginx" "$ka" "" "$@"
    local ports=()
    for spec in "$@"; do
        sed -i "s|listen ${spec%% *};|listen ${spec%% *} http2;|" "$D/nginx/nginx.conf"
        spec=${spec%% *}; ports+=("${spec##*:}")
    done
    launch_nginx "${ports[@]}"
}

launch_nginx() {  # launch_nginx PORT...: start the nginx configured in $D/nginx, wait until it listens on each PORT
    local port
    ip netns exec "$NS" nginx -p "$D/nginx" -c "$D/nginx/nginx.conf" -e "$D/nginx/logs/error.log" \
        </dev/null >"$D/nginx/logs/stdout" 2>&1 &
    SRV_PIDS+=($!)
    for port in "$@"; do wait_listen "$port"; done
}

start_lighttpd() {  # start_lighttpd PORT IDLE
    local port=$1 idle=$2
    mkdir -p "$D/lighttpd/www"
    echo "hello from lighttpd" > "$D/lighttpd/www/index.html"
    cat > "$D/lighttpd/lighttpd.conf" <<EOF
server.document-root = "$D/lighttpd/www"
server.bind = "127.0.0.1"
server.port = $port
server.errorlog = "$D/lighttpd/error.log"
server.max-keep-alive-idle = $idle
server.modules += ( "mod_accesslog" )
accesslog.filename = "$D/lighttpd/access.log"
# %{remote}p: the client port; %k: earlier keep-alive requests on this connection (0 for the first).
# lighttpd buffers this log and writes it at the latest when it stops.
accesslog.format = "port=%{remote}p k=%k req_proto=%H req_conn=\\"%{Connection}i\\" resp_conn=\\"%{Connection}o\\" status=%>s \\"%r\\""
index-file.names = ( "index.html" )
mimetype.assign = ( ".html" => "text/html" )
EOF
    ip netns exec "$NS" lighttpd -D -f "$D/lighttpd/lighttpd.conf" </dev/null >"$D/lighttpd/stdout" 2>&1 &
    SRV_PIDS+=($!)
    wait_listen "$port"
}

start_pyserver() {  # start_pyserver MODE PORT [args...]
    local mode=$1 port=$2; shift 2
    ip netns exec "$NS" "$PY" "$TDNET" server "$mode" --port "$port" "$@" </dev/null >>"$D/pyserver.log" 2>&1 &
    SRV_PIDS+=($!)
    wait_listen "$port"
}

start_pyhttp() {  # start_pyhttp PORT PROTOCOL: python3 -m http.server's classes, with a per-connection log
    local port=$1 proto=$2
    mkdir -p "$D/pyhttp/www"
    echo "hello from python http.server" > "$D/pyhttp/www/index.html"
    ip netns exec "$NS" "$PY" "$TDNET" server pyhttp --port "$port" --protocol "$proto" --dir "$D/pyhttp/www" \
        --log "$D/pyhttp/access.log" --timeout 120 </dev/null >>"$D/pyhttp/stderr.log" 2>&1 &
    SRV_PIDS+=($!)
    wait_listen "$port"
}

start_capture() {  # start_capture KIND OUTFILE FILTER
    local kind=$1 out=$2 filter=$3 i
    case $kind in
        pcap)  ip netns exec "$NS" tcpdump -i lo -Z root --immediate-mode -U -w "$out" "$filter" </dev/null >/dev/null 2>"$D/cap.err" & ;;
        nano)  ip netns exec "$NS" tcpdump -i lo -Z root --immediate-mode -U --time-stamp-precision=nano -w "$out" "$filter" </dev/null >/dev/null 2>"$D/cap.err" & ;;
        sll2)  ip netns exec "$NS" tcpdump -i any -y LINUX_SLL2 -Z root --immediate-mode -U -w "$out" "$filter" </dev/null >/dev/null 2>"$D/cap.err" & ;;
        sll)   ip netns exec "$NS" tcpdump -i any -y LINUX_SLL -Z root --immediate-mode -U -w "$out" "$filter" </dev/null >/dev/null 2>"$D/cap.err" & ;;
        pcapng) ip netns exec "$NS" dumpcap -q -n -i lo -f "$filter" -w "$out" </dev/null >/dev/null 2>"$D/cap.err" & ;;
        *) log "bad capture kind $kind"; return 1 ;;
    esac
    CAP_PID=$!
    for i in $(seq 50); do
        grep -qE "listening on|Capturing on|File:" "$D/cap.err" 2>/dev/null && break
        sleep 0.1
    done
    grep -qE "listening on|Capturing on|File:" "$D/cap.err" || { log "$NAME: capture did not start"; cat "$D/cap.err" >&2; return 1; }
    sleep 0.3
}

finish() {  # finish CAPFILE [ACCESS_LOG [tdnet expect options...]]: snapshot ss, stop capture and
          # servers, derive .expect (with an access log: plus http_requests and close_reason)
    local cap=$1 alog=${2:-}
    shift $(( $# > 1 ? 2 : 1 ))
    wait_closed 15
    nsx ss -tanH state time-wait > "$SAMPLES/$NAME.ss.txt"
    stop_pid INT "$CAP_PID"; CAP_PID=""
    cp "$D/$(basename "$cap")" "$SAMPLES/$cap"
    chmod 644 "$SAMPLES/$cap"
    ns_down   # servers stopped: lighttpd has flushed its access log
    if [ -n "$alog" ]; then
        [ -s "$alog" ] || { log "$NAME: the server wrote no access log ($alog)"; exit 1; }
        cp "$alog" "$SAMPLES/$NAME.access.log"; chmod 644 "$SAMPLES/$NAME.access.log"
        "$PY" "$TDNET" expect --pcap "$SAMPLES/$cap" --ss "$SAMPLES/$NAME.ss.txt" \
            --access-log "$SAMPLES/$NAME.access.log" "$@" > "$SAMPLES/$NAME.expect"
    else
        "$PY" "$TDNET" expect --pcap "$SAMPLES/$cap" --ss "$SAMPLES/$NAME.ss.txt" > "$SAMPLES/$NAME.expect"
    fi
    # A capture that lost a connection's close cannot be checked against ss: tcpdump -i any on lo was seen
    # to drop a FIN about one run in six here. Refuse it, so the sample is made again.
    local port
    for port in $(sed -n 's/^client_port=\([0-9]*\).*/\1/p' "$SAMPLES/$NAME.expect"); do
        if [ "$(tcpdump -r "$SAMPLES/$cap" -nn "tcp port $port and (tcp[tcpflags] & (tcp-fin|tcp-rst) != 0)" 2>/dev/null | wc -l)" -eq 0 ]; then
            echo "make-samples: $NAME: the capture holds no FIN or RST for client port $port (lost by tcpdump); run it again" >&2
            exit 1
        fi
    done
    log "$NAME: $(grep -v '^#' "$SAMPLES/$NAME.expect" | tr '\n' ' ')"
}

curl_get() { nsx curl -sS -o /dev/null --max-time 5 "$@"; }
# curl to the TLS server by name, so that it sends SNI (curl sends none for an address): -k, the name resolved
# to 127.0.0.1, one -o per URL so that every URL's body is discarded.
curl_tls() { nsx curl -sS -k --max-time 5 --resolve tls.test:8443:127.0.0.1 "$@"; }

# ------------------------------------------------------------------ scenarios

sc_http10_server_close() {
    ns_up http10-server-close
    start_nginx 8080 75s
    start_capture pcap "$D/http10-server-close.pcap" "tcp port 8080"
    # Clients that read to EOF (ab without -k; tdnet = what urllib does): the server's FIN always
    # comes first. curl --http1.0 closes as soon as it has Content-Length bytes and races the
    # server's FIN: see http10-close-race.
    nsx ab -q -n 3 -c 1 http://127.0.0.1:8080/ >/dev/null
    nsx "$PY" "$TDNET" client http --http10 --wait-eof --port 8080 >/dev/null
    finish http10-server-close.pcap
}

sc_http10_close_race() {
    # curl --http1.0 x8: nginx's FIN and curl's close race on loopback. Keep a run in which the
    # kernel shows at least one outcome other than "server" (max 4 runs).
    local try
    for try in 1 2 3 4; do
        ns_up http10-close-race
        start_nginx 8080 75s
        start_capture pcap "$D/http10-close-race.pcap" "tcp port 8080"
        local i
        for i in 1 2 3 4 5 6 7 8; do curl_get --http1.0 http://127.0.0.1:8080/; done
        finish http10-close-race.pcap
        grep -qE "side=(client|both)" "$SAMPLES/http10-close-race.expect" && return 0
        log "http10-close-race: server closed first every time on run $try, retrying"
    done
}

sc_http11_client_close() {
    ns_up http11-client-close
    start_nginx 8080 75s
    start_capture pcap "$D/http11-client-close.pcap" "tcp port 8080"
    local i
    for i in 1 2 3; do curl_get http://127.0.0.1:8080/; done
    finish http11-client-close.pcap
}

sc_rst_abort() {
    ns_up rst-abort
    start_nginx 8080 75s
    start_pyserver unread-rst 9000 --count 1
    start_capture pcap "$D/rst-abort.pcap" "tcp port 8080 or tcp port 9000"
    nsx "$PY" "$TDNET" client linger-rst --port 8080 >/dev/null        # client SO_LINGER(1,0) -> RST
    nsx "$PY" "$TDNET" client send-expect-rst --port 9000 >/dev/null   # server closes with unread data -> RST
    finish rst-abort.pcap
}

sc_half_close() {
    ns_up half-close
    start_pyserver half-close 9000 --count 1 --chunks 4
    start_capture pcap "$D/half-close.pcap" "tcp port 9000"
    nsx "$PY" "$TDNET" client half-close --port 9000 >/dev/null
    finish half-close.pcap
}

sc_ipv6() {
    ns_up ipv6
    start_nginx 8080 75s "[::1]"
    start_capture pcap "$D/ipv6.pcap" "tcp port 8080"
    nsx "$PY" "$TDNET" client http --http10 --wait-eof --host ::1 --port 8080 >/dev/null  # server closes
    curl_get -g 'http://[::1]:8080/'               # client closes
    finish ipv6.pcap
}

sc_any() {  # sc_any NAME KIND
    ns_up "$1"
    start_nginx 8080 75s
    start_capture "$2" "$D/$1.pcap" "tcp port 8080"
    nsx ab -q -n 1 http://127.0.0.1:8080/ >/dev/null   # HTTP/1.0, reads to EOF: server closes
    curl_get http://127.0.0.1:8080/                # client closes
    finish "$1.pcap"
}

sc_pcapng() {
    ns_up pcapng
    start_nginx 8080 75s
    start_capture pcapng "$D/pcapng.pcapng" "tcp port 8080"
    nsx ab -q -n 1 http://127.0.0.1:8080/ >/dev/null   # HTTP/1.0, reads to EOF: server closes
    curl_get http://127.0.0.1:8080/                    # HTTP/1.1 keep-alive: curl closes
    finish pcapng.pcapng
}

sc_nanosecond() {
    ns_up nanosecond
    start_nginx 8080 75s
    start_capture nano "$D/nanosecond.pcap" "tcp port 8080"
    nsx ab -q -n 1 http://127.0.0.1:8080/ >/dev/null   # HTTP/1.0, reads to EOF: server closes
    curl_get http://127.0.0.1:8080/                    # HTTP/1.1 keep-alive: curl closes
    finish nanosecond.pcap
}

sc_port_reuse() {
    ns_up port-reuse
    start_pyserver close-first 9000 --count 2
    start_capture pcap "$D/port-reuse.pcap" "tcp port 9000"
    # Same source port twice; the server closed first, so the 4-tuple is in TIME-WAIT on the
    # server when the second SYN arrives.
    nsx "$PY" "$TDNET" client port-reuse --port 9000 --sport 40000 --repeat 2 --gap 0.3 >/dev/null
    finish port-reuse.pcap
    { echo "# both connections used client port 40000; ss shows the TIME-WAIT of the second one:"
      echo "# the first connection's server TIME-WAIT was ended when its SYN was accepted."
      cat "$SAMPLES/port-reuse.expect"; } > "$WORK/pr.expect" && mv "$WORK/pr.expect" "$SAMPLES/port-reuse.expect"
}

sc_simultaneous_close() {
    local try
    for try in 1 2 3 4 5 6; do
        ns_up simultaneous-close
        start_capture pcap "$D/simultaneous-close.pcap" "tcp port 9000"
        if [ "$try" -le 5 ]; then
            # Two processes spin to the same instant, then both shutdown(SHUT_WR).
            nsx "$PY" "$TDNET" simclose --port 9000 --race >/dev/null
            SIM_METHOD="two processes released at the same instant call shutdown(SHUT_WR) (try $try)"
        else
            # Fallback: a slow tbf qdisc on lo holds both FINs until both are built.
            nsx "$PY" "$TDNET" simclose --port 9000 --tbf >/dev/null
            SIM_METHOD="both shutdown(SHUT_WR) while a tbf qdisc on lo delays delivery"
        fi
        finish simultaneous-close.pcap
        if "$PY" "$TDNET" crossed --pcap "$SAMPLES/simultaneous-close.pcap" >&2; then
            { echo "# method: $SIM_METHOD"; cat "$SAMPLES/simultaneous-close.expect"; } > "$WORK/sc.expect"
            mv "$WORK/sc.expect" "$SAMPLES/simultaneous-close.expect"
            return 0
        fi
        log "simultaneous-close: FINs did not cross on try $try, retrying"
    done
    log "simultaneous-close: could not make the FINs cross"
    { echo "# method: FAILED to make the FINs cross; this capture is an ordinary close"; cat "$SAMPLES/simultaneous-close.expect"; } > "$WORK/sc.expect"
    mv "$WORK/sc.expect" "$SAMPLES/simultaneous-close.expect"
}

sc_keepalive_idle_timeout() {
    ns_up keepalive-idle-timeout
    start_lighttpd 8080 2
    start_capture pcap "$D/keepalive-idle-timeout.pcap" "tcp port 8080"
    nsx "$PY" "$TDNET" client idle --port 8080 --idle-max 10 >/dev/null
    finish keepalive-idle-timeout.pcap "$D/lighttpd/access.log" --persistent-server-close server-idle-timeout
}

# ------------------------------------------------------------------ HTTP close reasons
# Each .expect line also carries http_requests (nginx's $connection_requests, lighttpd's %k + 1, or
# tdnet pyhttp's count, for that client port's last connection) and close_reason, derived by
# tdnet.py expect from the holder in ss and the server's log of the last exchange (its header).
# Clients that race the server's FIN (curl after a Connection: close or HTTP/1.0 response) get
# whatever the kernel showed: client-close when the client's FIN came first.

sc_nginx_keepalive_requests() {
    # nginx keepalive_requests 3: the 3rd response on a connection says Connection: close and nginx
    # closes. tdnet keepalive (5 GETs; reads to the server's FIN after the close: deterministic) and
    # curl with 5 URLs on one command line (reuses the connection; closes itself after the
    # Connection: close response, racing nginx's FIN; then exits, closing the 2nd connection).
    ns_up nginx-keepalive-requests
    start_nginx 8080 75s 127.0.0.1 "keepalive_requests 3;"
    start_capture pcap "$D/nginx-keepalive-requests.pcap" "tcp port 8080"
    nsx "$PY" "$TDNET" client keepalive --requests 5 --port 8080 >/dev/null
    nsx curl -sS --max-time 5 -o /dev/null -o /dev/null -o /dev/null -o /dev/null -o /dev/null \
        "http://127.0.0.1:8080/?curl=[1-5]"
    finish nginx-keepalive-requests.pcap "$D/nginx/logs/access.log"
}

sc_curl_connection_close() {
    ns_up curl-connection-close
    start_nginx 8080 75s
    start_capture pcap "$D/curl-connection-close.pcap" "tcp port 8080"
    local i
    for i in 1 2 3; do curl_get -H 'Connection: close' "http://127.0.0.1:8080/?close=$i"; done
    finish curl-connection-close.pcap "$D/nginx/logs/access.log"
}

sc_ab_http10() {
    ns_up ab-http10
    start_nginx 8080 75s
    start_capture pcap "$D/ab-http10.pcap" "tcp port 8080"
    nsx ab -q -n 5 -c 1 http://127.0.0.1:8080/ >/dev/null   # HTTP/1.0, no keep-alive, reads to EOF
    finish ab-http10.pcap "$D/nginx/logs/access.log"
}

sc_ab_keepalive() {
    ns_up ab-keepalive
    start_nginx 8080 75s
    start_capture pcap "$D/ab-keepalive.pcap" "tcp port 8080"
    # HTTP/1.0 with Connection: Keep-Alive; nginx answers keep-alive; ab closes when done.
    nsx ab -q -k -n 6 -c 2 http://127.0.0.1:8080/ >/dev/null
    finish ab-keepalive.pcap "$D/nginx/logs/access.log"
}

sc_python_http_server() {
    # HTTP/1.0 server (python3 -m http.server's default): it answers HTTP/1.1 requests with
    # "HTTP/1.0 200 OK" and no Connection header, then closes. tdnet http reads to EOF (the server
    # closes first: http10-close); 3x curl closes as soon as it has Content-Length bytes and
    # races the server's FIN (ss decides).
    ns_up python-http-server
    start_pyhttp 8000 HTTP/1.0
    start_capture pcap "$D/python-http-server.pcap" "tcp port 8000"
    nsx "$PY" "$TDNET" client http --wait-eof --port 8000 >/dev/null
    local i
    for i in 1 2 3; do curl_get "http://127.0.0.1:8000/?curl=$i"; done
    finish python-http-server.pcap "$D/pyhttp/access.log"
}

sc_python_http11_close() {
    # The same server with --protocol HTTP/1.1: a request's Connection: close is NOT echoed in the
    # response, so the only announcement is the client's (client-requested-close when the server
    # closes first). tdnet http --conn-close reads to EOF; 2x curl -H 'Connection: close' race it.
    ns_up python-http11-close
    start_pyhttp 8000 HTTP/1.1
    start_capture pcap "$D/python-http11-close.pcap" "tcp port 8000"
    nsx "$PY" "$TDNET" client http --conn-close --wait-eof --port 8000 >/dev/null
    local i
    for i in 1 2; do curl_get -H 'Connection: close' "http://127.0.0.1:8000/?curl=$i"; done
    finish python-http11-close.pcap "$D/pyhttp/access.log"
}

sc_pipelined() {
    # Raw socket: 3 GETs in one send(), 3 responses read, then a 4th GET with Connection: close,
    # its response, and a read to the server's FIN (the server closes first).
    ns_up pipelined
    start_nginx 8080 75s
    start_capture pcap "$D/pipelined.pcap" "tcp port 8080"
    nsx "$PY" "$TDNET" client pipeline --requests 3 --port 8080 >/dev/null
    finish pipelined.pcap "$D/nginx/logs/access.log"
}

sc_nginx_idle_timeout() {
    # nginx keepalive_timeout 2s (no Keep-Alive header sent); tdnet idle: 2 GETs, then idle until
    # nginx closes (~2 s), then close.
    ns_up nginx-idle-timeout
    start_nginx 8080 2s
    start_capture pcap "$D/nginx-idle-timeout.pcap" "tcp port 8080"
    nsx "$PY" "$TDNET" client idle --requests 2 --port 8080 --idle-max 10 >/dev/null
    finish nginx-idle-timeout.pcap "$D/nginx/logs/access.log" --persistent-server-close server-idle-timeout
}

# ------------------------------------------------------------------ HTTPS (exchanges without keys)
# nginx with TLS on 8443; SNI tls.test. The .expect lines carry exchanges=N (nginx's $connection_requests: one
# exchange per request, no pipelining) and the close reason knowable without keys (tdnet.py expect --encrypted).

sc_tls_keepalive() {
    # Keep-alive: several requests on one connection, the client closes when it exits. (1) TLS 1.3, ALPN
    # http/1.1 only; (2) the same at TLS 1.2, whose alerts are records of their own; (3) TLS 1.2 with curl's
    # default ALPN offer h2,http/1.1: nginx (no http2 here) selects http/1.1, in the clear ServerHello.
    ns_up tls-keepalive
    start_nginx_tls 8443 75s
    start_capture pcap "$D/tls-keepalive.pcap" "tcp port 8443"
    curl_tls --http1.1 -o /dev/null -o /dev/null -o /dev/null "https://tls.test:8443/?k13=[1-3]"
    curl_tls --http1.1 --tls-max 1.2 -o /dev/null -o /dev/null -o /dev/null "https://tls.test:8443/?k12=[1-3]"
    curl_tls --tls-max 1.2 -o /dev/null -o /dev/null "https://tls.test:8443/?alpn=[1-2]"
    finish tls-keepalive.pcap "$D/nginx/logs/access.log" --encrypted
}

sc_tls_connection_close() {
    # Connection: close on every request: one connection each, nginx closes after its response. curl keeps the
    # TLS session between them: at TLS 1.3 the 2nd and 3rd resume it (pre_shared_key).
    ns_up tls-connection-close
    start_nginx_tls 8443 75s
    start_capture pcap "$D/tls-connection-close.pcap" "tcp port 8443"
    curl_tls --http1.1 -H 'Connection: close' -o /dev/null -o /dev/null -o /dev/null "https://tls.test:8443/?c13=[1-3]"
    curl_tls --http1.1 --tls-max 1.2 -H 'Connection: close' -o /dev/null -o /dev/null -o /dev/null \
        "https://tls.test:8443/?c12=[1-3]"
    finish tls-connection-close.pcap "$D/nginx/logs/access.log" --encrypted
}

sc_tls_idle_timeout() {
    # nginx keepalive_timeout 2s over TLS: tdnet idle --tls, two GETs then idle until nginx closes (TLS 1.3),
    # then one GET at TLS 1.2 the same way. The idle-timeout inference must find nginx's 2 s.
    ns_up tls-idle-timeout
    start_nginx_tls 8443 2s
    start_capture pcap "$D/tls-idle-timeout.pcap" "tcp port 8443"
    nsx "$PY" "$TDNET" client idle --tls --sni tls.test --requests 2 --port 8443 --idle-max 10 >/dev/null
    nsx "$PY" "$TDNET" client idle --tls --sni tls.test --tls-max 1.2 --requests 1 --port 8443 --idle-max 10 >/dev/null
    finish tls-idle-timeout.pcap "$D/nginx/logs/access.log" --encrypted --persistent-server-close server-idle-timeout
}

# ------------------------------------------------------------------ HTTP/2 in cleartext, and over TLS
# nginx 1.22 speaks h2c only with prior knowledge, on a `listen ... http2` port without ssl; `Upgrade: h2c` is
# answered by scripts/tdh2.py (python's h2 library). The .expect lines carry http_requests=N from the server's log
# (nginx's $connection_requests counts a connection's streams).

sc_h2c_prior_knowledge() {
    # (1) 2x curl --http2-prior-knowledge, one URL each (curl 7.88.1 fails to reuse a prior-knowledge connection for a
    # second URL: "Error in the HTTP2 framing layer"); curl closes when it exits. (2) tdh2 client: 3 GETs on one
    # connection, then close. (3) tdh2 client: 1 GET, then its own GOAWAY, then close.
    ns_up h2c-prior-knowledge
    start_nginx_h2c 75s 127.0.0.1:8080
    start_capture pcap "$D/h2c-prior-knowledge.pcap" "tcp port 8080"
    local i
    for i in 1 2; do curl_get --http2-prior-knowledge "http://127.0.0.1:8080/?curl=$i"; done
    nsx "$PY" "$TDH2" client --port 8080 --requests 3 >/dev/null
    nsx "$PY" "$TDH2" client --port 8080 --requests 1 --then goaway >/dev/null
    finish h2c-prior-knowledge.pcap "$D/nginx/logs/access.log"
}

sc_h2c_goaway() {
    # nginx closes h2c connections with a GOAWAY: on 8080 `keepalive_requests 2` (the GOAWAY comes with the 2nd
    # request; tdh2 goes on with a new connection for its 3rd, then closes); on 8081 `keepalive_timeout 2s` (tdh2
    # sends 2 GETs, then idles until nginx's GOAWAY and FIN, then closes).
    ns_up h2c-goaway
    start_nginx_h2c 2s "127.0.0.1:8080 keepalive_requests 2;" 127.0.0.1:8081
    start_capture pcap "$D/h2c-goaway.pcap" "tcp port 8080 or tcp port 8081"
    nsx "$PY" "$TDH2" client --port 8080 --requests 3 >/dev/null
    nsx "$PY" "$TDH2" client --port 8081 --requests 2 --then idle --idle-max 10 >/dev/null
    finish h2c-goaway.pcap "$D/nginx/logs/access.log" --server-close 8080=server-goaway \
        --server-close 8081=server-idle-timeout
}

sc_h2c_upgrade() {
    # `curl --http2 http://...`: an HTTP/1.1 GET with Upgrade: h2c and HTTP2-Settings; tdh2's server answers 101, then
    # HTTP/2 (the response to the GET on stream 1). (1) 2 URLs on one connection (the 2nd on stream 3); (2) 1 URL.
    # curl closes when it exits.
    ns_up h2c-upgrade
    ip netns exec "$NS" "$PY" "$TDH2" server --port 8081 --log "$D/tdh2.log" --timeout 60 </dev/null \
        >>"$D/tdh2.err" 2>&1 &
    SRV_PIDS+=($!)
    wait_listen 8081
    start_capture pcap "$D/h2c-upgrade.pcap" "tcp port 8081"
    curl_get --http2 -o /dev/null "http://127.0.0.1:8081/?u=[1-2]"
    curl_get --http2 "http://127.0.0.1:8081/?single"
    finish h2c-upgrade.pcap "$D/tdh2.log"
}

sc_h2c_refused() {
    # nginx refuses the streams over its `http2_max_concurrent_streams 1` with RST_STREAM REFUSED_STREAM (RFC 9113
    # section 8.7): tdh2 sends 4 GETs at once before reading the server's SETTINGS, the first for a 100 KiB file
    # (more than the initial 64 KiB flow-control window, so its stream stays open until tdh2 reads), so streams 3,
    # 5 and 7 are refused; tdh2 then sends each again, one at a time on streams 9, 11 and 13, and closes. nginx
    # logs the 4 requests it processed, not the refused ones.
    ns_up h2c-refused
    start_nginx_h2c 75s "127.0.0.1:8080 http2_max_concurrent_streams 1;"
    head -c 102400 /dev/zero > "$D/nginx/big.bin"
    start_capture pcap "$D/h2c-refused.pcap" "tcp port 8080"
    nsx "$PY" "$TDH2" concurrent --port 8080 --streams 4 --first /big.bin >/dev/null
    finish h2c-refused.pcap "$D/nginx/logs/access.log"
}

sc_h2c_upgrade_settings() {
    # RFC 7540 section 3.2.1: the upgrading request's HTTP2-Settings are the client's first settings. tdh2's client
    # (python's h2 library) asks for SETTINGS_MAX_FRAME_SIZE 32768 there; tdh2's server (h2 too) applies it and
    # answers stream 1 right after the 101, before the client's preface and SETTINGS, with a 30,000-byte body in one
    # DATA frame, longer than the default 16,384 limit. The client closes with the server's SETTINGS ACK unread: its
    # kernel resets.
    ns_up h2c-upgrade-settings
    ip netns exec "$NS" "$PY" "$TDH2" server --port 8081 --log "$D/tdh2.log" --timeout 60 --body 30000 </dev/null \
        >>"$D/tdh2.err" 2>&1 &
    SRV_PIDS+=($!)
    wait_listen 8081
    start_capture pcap "$D/h2c-upgrade-settings.pcap" "tcp port 8081"
    nsx "$PY" "$TDH2" upgrade --port 8081 --max-frame 32768 >/dev/null
    finish h2c-upgrade-settings.pcap "$D/tdh2.log"
}

sc_h2_tls() {
    # nginx with TLS and http2 on 8443 (ALPN h2); curl --http2 -k with 3 URLs at TLS 1.3, then at TLS 1.2 (where the
    # ServerHello shows ALPN h2 in clear). curl sends its close_notify when it exits.
    ns_up h2-tls
    start_nginx_tls 8443 75s http2
    start_capture pcap "$D/h2-tls.pcap" "tcp port 8443"
    curl_tls --http2 -o /dev/null -o /dev/null -o /dev/null "https://tls.test:8443/?h13=[1-3]"
    curl_tls --http2 --tls-max 1.2 -o /dev/null -o /dev/null -o /dev/null "https://tls.test:8443/?h12=[1-3]"
    finish h2-tls.pcap "$D/nginx/logs/access.log" --encrypted
    # The exchange estimate counts HTTP/2's opening SETTINGS round as one turn more than the requests (README,
    # observations): the server's count stays in a comment, and the holder and close reason are checked.
    sed -i -E 's/^(client_port=[0-9]+ .*) exchanges=([0-9]+)(.*)$/# nginx: \2 requests on the next connection\n\1\3/' \
        "$SAMPLES/h2-tls.expect"
}

# ------------------------------------------------------------------ reverse proxy

sc_reverse_proxy() {
    # nginx on 127.0.0.1:8080 in front of two python upstreams on 127.0.0.2 (tdnet pyhttp): /h10/ is proxied the
    # default way (HTTP/1.0, a new upstream connection per request) to :9000 (HTTP/1.0 server: it closes after
    # each response, racing nginx); /h11/ with `proxy_http_version 1.1` and an upstream keepalive pool
    # (`keepalive 4; keepalive_timeout 1s`) to :9001 (HTTP/1.1 server), whose idle connection nginx closes after 1 s.
    # Clients on 127.0.0.3 (tdnet client http --conn-close --wait-eof: nginx closes each inbound connection). So
    # 127.0.0.1 is the server of its clients and the client of its upstreams: inbound TIME_WAIT on :8080, outbound
    # toward 127.0.0.2.
    ns_up reverse-proxy
    mkdir -p "$D/up"
    echo "hello from the upstream" > "$D/up/index.html"
    local p proto
    for p in 9000:HTTP/1.0 9001:HTTP/1.1; do
        proto=${p#*:}; p=${p%%:*}
        ip netns exec "$NS" "$PY" "$TDNET" server pyhttp --bind 127.0.0.2 --port "$p" --protocol "$proto" \
            --dir "$D/up" --log "$D/up/access-$p.log" --timeout 120 </dev/null >>"$D/up/stderr.log" 2>&1 &
        SRV_PIDS+=($!)
        wait_listen "$p"
    done
    td_nginx_conf "$D/nginx" 75s "upstream up11 { server 127.0.0.2:9001; keepalive 4; keepalive_timeout 1s; }" \
        "127.0.0.1:8080 location /h10/ { proxy_pass http://127.0.0.2:9000/; proxy_bind 127.0.0.1; }
        location /h11/ { proxy_pass http://up11/; proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_bind 127.0.0.1; }"
    launch_nginx 8080
    start_capture pcap "$D/reverse-proxy.pcap" "tcp port 8080 or tcp port 9000 or tcp port 9001"
    local i
    for i in 1 2 3; do
        nsx "$PY" "$TDNET" client http --conn-close --wait-eof --src 127.0.0.3 --port 8080 --path "/h10/?r=$i" >/dev/null
        nsx "$PY" "$TDNET" client http --conn-close --wait-eof --src 127.0.0.3 --port 8080 --path "/h11/?r=$i" >/dev/null
    done
    cat "$D/up/access-9000.log" "$D/up/access-9001.log" > "$D/up/upstreams.log" 2>/dev/null || true
    finish reverse-proxy.pcap "$D/nginx/logs/access.log" --access-log "$D/up/upstreams.log" \
        --server-close 9001=server-idle-timeout
}

# ------------------------------------------------------------------ README

linktype() {
    local lt; lt=$(tcpdump -r "$1" -c 1 2>&1 >/dev/null | sed -n 's/.*link-type \([^,]*\).*/\1/p' | head -1)
    case $lt in
        EN10MB*) echo "$lt = 1";; LINUX_SLL2*) echo "$lt = 276";; LINUX_SLL*) echo "$lt = 113";;
        RAW*) echo "$lt = 101";; *) echo "$lt";;
    esac
}
format_of() {
    local m; m=$(od -A n -t x1 -N 4 "$1" | tr -d ' ')
    case $m in
        d4c3b2a1) echo "pcap, little-endian, microsecond (a1b2c3d4)";;
        4d3cb2a1) echo "pcap, little-endian, nanosecond (a1b23c4d)";;
        0a0d0d0a) echo "pcapng";;
        *) echo "magic $m";;
    esac
}
holders() { grep -v '^#' "$1" | sed 's/^client_port=\([0-9]*\) time_wait_side=\([a-z]*\).*/\1:\2/' | tr '\n' ' '; }
http_of() {  # per connection "port: N req, reason" (HTTPS: "N exch") from an .expect with http_requests/close_reason
    grep -q 'close_reason=\|http_requests=\|exchanges=' "$1" || { echo "-"; return; }
    grep -v '^#' "$1" | awk '{p="";n="?";u="req";r="?"; for(i=1;i<=NF;i++){split($i,kv,"=");
        if(kv[1]=="client_port")p=kv[2]; if(kv[1]=="http_requests")n=kv[2];
        if(kv[1]=="exchanges"){n=kv[2];u="exch"} if(kv[1]=="close_reason")r=kv[2]}
        printf "%s: %s %s, %s; ", p, n, u, r}' | sed 's/; $//'
}

write_readme() {
    local V_NGINX V_LIGHTTPD V_CURL V_PY V_TCPDUMP V_DUMPCAP V_AB V_KERNEL
    V_NGINX=$(nginx -v 2>&1 | sed 's/nginx version: //')
    V_LIGHTTPD=$(lighttpd -v 2>&1 | head -1 | cut -d' ' -f1)
    V_CURL=$(curl --version | head -1 | cut -d' ' -f1-2)
    V_PY=$("$PY" --version 2>&1)
    V_TCPDUMP=$(tcpdump --version 2>&1 | head -1)
    V_DUMPCAP=$(dumpcap --version 2>&1 | head -1 | cut -d' ' -f1-3)
    V_AB=$(ab -V 2>&1 | head -1 | sed 's/This is //; s/,.*//')
    V_KERNEL="Linux $(uname -r)"
    local f=$SAMPLES/README.md
    # The hand-written part after the observations (which source backs which golden column) is kept as it is.
    local kept=""
    [ -f "$f" ] && kept=$(sed -n '/^## Which independent source backs each golden column/,$p' "$f")
    {
    cat <<EOF
# Real captures with kernel ground truth

Made by \`samples/make-samples.sh\` (run as root; each scenario in its own network namespace
\`td-s-<name>\`, loopback only). Made with: $V_NGINX, $V_LIGHTTPD, $V_CURL, $V_AB, $V_PY,
$V_TCPDUMP, $V_DUMPCAP, kernel $V_KERNEL.
Python clients/servers: \`scripts/tdnet.py\` (stdlib only).

For each capture \`<name>.pcap|.pcapng\`:
- \`<name>.ss.txt\`: \`ss -tanH state time-wait\` run inside the scenario's netns after every
  connection finished closing (columns: Recv-Q Send-Q Local Peer). This is the kernel's view:
  a row whose Local port is the server port means the server holds TIME-WAIT for the connection
  from the Peer port; a row whose Local port is the client's ephemeral port means the client does.
- \`<name>.expect\`: one line per client connection, \`client_port=P time_wait_side=client|server|both|none\`,
  derived by \`scripts/tdnet.py expect\` from the capture's SYNs (\`tcpdump -r\`) plus the ss snapshot.
  Lines starting with \`#\` are comments.
- HTTP scenarios (the rows with an HTTP column below) also keep \`<name>.access.log\`, the server's
  own access log, and their .expect lines add \`http_requests=N\` (the SERVER's count of requests on
  that connection: nginx \`\$connection_requests\`, lighttpd \`%k\` + 1, tdnet pyhttp's counter; for the
  port's last connection) and \`close_reason=...\`: \`client-close\` when ss shows the client holding
  TIME-WAIT, \`simultaneous\` when both do, and when the server holds it, by the last exchange on that
  connection in the order of src/main/java/dev/teardown/http/package-info.java, the request first
  (server log): \`Connection: close\` -> \`client-requested-close\`; HTTP/1.0 without keep-alive ->
  \`http10-close\` (both even when the response says close too); then the response (as captured; see
  observations): \`Connection: close\` -> \`server-close-announced\`; HTTP/1.0 without keep-alive ->
  \`http10-close\`; persistent -> \`server-idle-timeout\` in the idle scenarios. A \`#\` line above each connection says
  what the server logged and what its last response said. Rules: "ACCESS LOGS" and "CLOSE REASON" in
  scripts/tdnet.py.

Regenerate: \`sudo samples/make-samples.sh\` (all) or \`sudo samples/make-samples.sh half-close ipv6\`.
Ports, ISNs, timestamps change on every run; the holders should not (simultaneous-close: see below).

| file | made by | link type / format | TIME-WAIT holder per kernel (client_port:side) | HTTP per server log + ss (client_port: http_requests, close_reason) |
|---|---|---|---|---|
EOF
    local name cap what
    for name in "${ALL[@]}"; do
        cap=$(ls "$SAMPLES/$name".pcap "$SAMPLES/$name".pcapng 2>/dev/null | head -1) || true
        [ -n "$cap" ] || continue
        case $name in
            http10-server-close) what="nginx (keepalive_timeout 75s); \`ab -n 3 -c 1\` (HTTP/1.0, no -k), then tdnet client http --http10 --wait-eof (reads to EOF like urllib). Server sends FIN first.";;
            http10-close-race) what="nginx; 8x \`curl --http1.0\`. curl closes as soon as it has Content-Length bytes, racing nginx's FIN: the kernel shows server, client and sometimes both (FINs crossed) holders. Kept only if some holder is not the server.";;
            http11-client-close) what="nginx (keepalive_timeout 75s); 3x \`curl\` HTTP/1.1 (keep-alive); curl closes when it exits: client FIN first.";;
            rst-abort) what="(1) tdnet client linger-rst -> nginx: GET, read reply, SO_LINGER(1,0), close -> client RST. (2) tdnet server unread-rst :9000 closes without reading the client's data -> server RST.";;
            half-close) what="tdnet half-close client/server :9000: client sends, shutdown(SHUT_WR); server reads to EOF, sends 4 chunks after the client's FIN, then closes.";;
            ipv6) what="nginx on [::1]:8080; tdnet client http --http10 --wait-eof (server closes), then \`curl\` HTTP/1.1 (client closes).";;
            sll2-any) what="\`tcpdump -i any -y LINUX_SLL2\` (this tcpdump's default for any); nginx, \`ab -n 1\` (HTTP/1.0, server closes) then \`curl\` HTTP/1.1 (client closes).";;
            sll-any) what="\`tcpdump -i any -y LINUX_SLL\` (cooked v1); nginx, \`ab -n 1\` (HTTP/1.0, server closes) then \`curl\` HTTP/1.1 (client closes).";;
            pcapng) what="\`dumpcap -n -i lo\` (pcapng; dumpcap writes if_tsresol=9, nanosecond); nginx, \`ab -n 1\` (HTTP/1.0, server closes) then \`curl\` HTTP/1.1 (client closes).";;
            nanosecond) what="\`tcpdump --time-stamp-precision=nano\`; nginx, \`ab -n 1\` (HTTP/1.0, server closes) then \`curl\` HTTP/1.1 (client closes).";;
            port-reuse) what="tdnet server close-first :9000 (server FIN first); tdnet client binds source port 40000 (SO_REUSEADDR) and connects twice, 0.3 s apart, while the first connection is in TIME-WAIT on the server. Linux accepted the second SYN (SYN-ACK, new connection); only the second connection's TIME-WAIT is in ss.";;
            simultaneous-close) what="tdnet simclose :9000: $(sed -n 's/^# method: //p' "$SAMPLES/$name.expect"). Neither FIN acknowledges the other (checked by \`tdnet.py crossed\`): both sides go CLOSING -> TIME-WAIT.";;
            keepalive-idle-timeout) what="lighttpd with server.max-keep-alive-idle = 2 (and mod_accesslog); tdnet client idle: one HTTP/1.1 GET, then idles until lighttpd closes (~2-3 s), then closes.";;
            nginx-keepalive-requests) what="nginx with \`keepalive_requests 3\`. (1) tdnet client keepalive: 5 GETs on one connection; the 3rd response says Connection: close, the client reads to nginx's FIN (the server closes: deterministic) and sends the 4th and 5th on a new connection, then closes it. (2) \`curl\` with 5 URLs on one command line: the same, but curl closes after the Connection: close response itself, racing nginx's FIN (the holder is what ss showed).";;
            curl-connection-close) what="nginx; 3x \`curl -H 'Connection: close'\`. nginx echoes Connection: close in its response and closes; curl closes once it has the body and races it (ss decides: server, client, or both when the FINs crossed).";;
            ab-http10) what="nginx; \`ab -n 5 -c 1\` (HTTP/1.0 without keep-alive, reads to EOF). nginx answers HTTP/1.1 with Connection: close and closes: the server holds every TIME-WAIT.";;
            ab-keepalive) what="nginx; \`ab -k -n 6 -c 2\` (HTTP/1.0 + Connection: Keep-Alive; nginx answers keep-alive). ab closes both connections when done: the client holds TIME-WAIT.";;
            python-http-server) what="\`tdnet.py server pyhttp\` = python3 -m http.server's classes (ThreadingHTTPServer, SimpleHTTPRequestHandler, HTTP/1.0) plus a per-connection access log. It answers HTTP/1.1 requests with HTTP/1.0 and no Connection header, then closes. (1) tdnet client http reads to EOF (the server closes: http10-close); (2) 3x \`curl\` HTTP/1.1, which closes on its own after Content-Length bytes and races the server (ss decides).";;
            python-http11-close) what="The same server with --protocol HTTP/1.1, which does NOT echo a request's Connection: close: only the client announced the close. (1) tdnet client http --conn-close reads to EOF; (2) 2x \`curl -H 'Connection: close'\` (may race; ss decides).";;
            pipelined) what="nginx; tdnet client pipeline: 3 GETs written in one send(), 3 responses read, then a 4th GET with Connection: close; nginx's response echoes the close and nginx closes; the client reads to EOF.";;
            nginx-idle-timeout) what="nginx with \`keepalive_timeout 2s\` (no Keep-Alive header); tdnet client idle --requests 2: two GETs on one connection, then idles until nginx closes (2.0 s), then closes.";;
            tls-keepalive) what="nginx with TLS (1.2 and 1.3, self-signed certificate for tls.test) on 8443; \`curl -k --http1.1\` with 3 URLs on one connection at TLS 1.3, the same with \`--tls-max 1.2\`, then \`curl -k --tls-max 1.2\` with 2 URLs (ALPN offer h2,http/1.1; nginx selects http/1.1). curl sends its close_notify when it exits; nginx then closes its side at once, racing curl's FIN (ss decides). exch = nginx's \$connection_requests.";;
            tls-connection-close) what="nginx with TLS on 8443; \`curl -k --http1.1 -H 'Connection: close'\` with 3 URLs at TLS 1.3, then the same at TLS 1.2: one connection per request, nginx closes after each response: its close_notify and FIN, then curl's close_notify reaches the closed socket and draws a RST (no TIME-WAIT; on the third connection of each run nginx reset without a FIN). At TLS 1.3 the 2nd and 3rd connections resume the session (pre_shared_key); at TLS 1.2 curl offered no ticket and nginx made full handshakes.";;
            tls-idle-timeout) what="nginx with TLS on 8443 and \`keepalive_timeout 2s\`; tdnet client idle --tls (python ssl, SNI tls.test, ALPN http/1.1): 2 GETs at TLS 1.3, then 1 GET at TLS 1.2, each connection idle until nginx closes it (close_notify, then FIN).";;
            h2c-prior-knowledge) what="nginx with \`listen 127.0.0.1:8080 http2\` (h2c, prior knowledge only); 2x \`curl --http2-prior-knowledge\` (one URL each: curl 7.88.1 fails to reuse such a connection), then scripts/tdh2.py (python's h2 library): 3 GETs on one connection, then close; 1 GET, its own GOAWAY (\`client:0:NO_ERROR\`), then close. The clients close first. req = nginx's \$connection_requests (streams).";;
            h2c-goaway) what="nginx h2c with \`keepalive_requests 2\` on 8080: tdh2 sends 3 GETs; nginx's GOAWAY (last stream 3) comes with the 2nd, nginx closes (\`server-goaway\`), tdh2 sends the 3rd on a new connection and closes; \`keepalive_timeout 2s\` on 8081: 2 GETs, then tdh2 idles until nginx's GOAWAY and FIN (\`server-idle-timeout\`).";;
            h2c-refused) what="nginx h2c with \`http2_max_concurrent_streams 1\`: scripts/tdh2.py (python's h2 library) sends 4 GETs at once before reading nginx's SETTINGS, the first for a 100 KiB file (over the initial 64 KiB window: still open); nginx refuses streams 3, 5 and 7 with RST_STREAM REFUSED_STREAM, tdh2 sends each again on streams 9, 11, 13 and closes. req = nginx's log: the 4 requests processed, not the 3 refused.";;
            h2c-upgrade-settings) what="scripts/tdh2.py on both ends (python's h2 library): the client's \`Upgrade: h2c\` GET carries HTTP2-Settings with SETTINGS_MAX_FRAME_SIZE 32768; the server answers stream 1 right after the 101, before the client's preface and SETTINGS, with a 30,000-byte body in one DATA frame (over the default 16,384 limit); the client closes with the server's SETTINGS ACK unread, so its kernel resets (no TIME-WAIT).";;
            h2c-upgrade) what="scripts/tdh2.py server (python's h2 library) on 8081, which answers \`Upgrade: h2c\`; \`curl --http2 http://...\` with 2 URLs (the GET with Upgrade: h2c, the 101, stream 1 answering it, the 2nd URL on stream 3; curl closes), then 1 URL (curl exits with the server's SETTINGS ACK unread: its kernel resets).";;
            h2-tls) what="nginx with TLS and http2 on 8443; \`curl -k --http2\` with 3 URLs at TLS 1.3, then at TLS 1.2 (ALPN h2 in the clear ServerHello: http_version 2). exchanges is 4 on both (HTTP/2's opening SETTINGS round is a turn) where nginx logged 3 requests: the .expect keeps nginx's count in a comment.";;
            reverse-proxy) what="nginx on 127.0.0.1:8080 in front of python servers on 127.0.0.2 (tdnet pyhttp): /h10/ proxied with HTTP/1.0 to :9000 (an HTTP/1.0 server; a new upstream connection per request), /h11/ with \`proxy_http_version 1.1\` and \`keepalive 4; keepalive_timeout 1s\` to :9001 (one upstream connection for 3 requests, closed by nginx after 1 s idle); clients on 127.0.0.3 (tdnet client http --conn-close --wait-eof: nginx closes each). 127.0.0.1 holds inbound TIME-WAIT on :8080 and outbound toward 127.0.0.2. req for upstream connections = the python servers' logs.";;
            *) what="";;
        esac
        echo "| $(basename "$cap") | $what | $(linktype "$cap"); $(format_of "$cap") | $(holders "$SAMPLES/$name.expect")| $(http_of "$SAMPLES/$name.expect") |"
    done
    cat <<'EOF'

## Observations (what the kernel showed while making these)

- `curl --http1.0` and `curl -H 'Connection: close'` against nginx race nginx's FIN on loopback:
  in 20-request trials 3-4 of 20 ended with the CLIENT holding TIME-WAIT, and once in a while
  the FINs crossed (ss: both; the server's FIN first in capture order, yet the client's FIN does
  not ACK it). http10-close-race.pcap keeps a run with at least one non-server holder (see its
  .expect). Clients that read to EOF (ab without -k, urllib-style) always leave it on the server.
- port-reuse: Linux accepted the second SYN on the 4-tuple the server still held in TIME-WAIT
  (normal SYN-ACK, no bare ACK/RST dance: the new ISN and timestamp were higher); the first
  connection's TIME-WAIT vanished and ss shows one row, for the second connection.
- simultaneous-close: two processes released at the same instant (`tdnet.py simclose --race`)
  crossed the FINs 20 of 20 times on an idle 2-CPU machine, but 0 of 5 while another job kept a
  CPU busy (then one side's FIN was processed before the other was built: an ordinary close).
  The script tries the race 5 times, then uses `--tbf`: a slow tbf qdisc on lo holds the first FIN
  until the second is built, which crosses them every time. The `# method:` line in
  simultaneous-close.expect says which one made the committed file. netem is not in this kernel.
- keepalive-idle-timeout: lighttpd 1.4.69 with max-keep-alive-idle = 2 sent its FIN 2.0-3.0 s
  after the response (it checks idle connections once a second).
- `tcpdump -i any` here defaults to LINUX_SLL2; loopback packets appear once, not twice (libpcap
  drops the outgoing copy on lo).
- rst-abort: both RSTs leave no TIME-WAIT anywhere (ss.txt is empty).
- nginx 1.22 answers every non-persistent exchange with `Connection: close` in the response: to
  HTTP/1.0 without keep-alive (ab-http10) and to a request's `Connection: close` (curl-connection-close,
  pipelined's last request) alike. The documented order takes the request first, so these are
  `http10-close` / `client-requested-close`, the client's intent, not `server-close-announced`, which
  is left for closes nginx decided itself (nginx-keepalive-requests' request budget). python's server
  does not echo: python-http-server (an HTTP/1.0 status line to HTTP/1.1 requests, no Connection
  header: `http10-close`) and python-http11-close (`client-requested-close`, no close in the response).
- nginx's `$sent_http_connection` is NOT usable in the access log: nginx 1.22 clears `r->keepalive`
  before the log phase, so it logs `close` for keep-alive responses too (every line of a
  keepalive_requests run said close). The .expect therefore takes the response's Connection header
  from the capture (`tcpdump -A`: the last status line the server sent) and the request's from the
  server log. lighttpd's `%{Connection}o` and tdnet pyhttp's log agree with the wire.
- lighttpd 1.4.69's mod_accesslog: `%{remote}p` is the client port, `%k` the number of earlier
  keep-alive requests on the connection (0 for the first); the log is buffered and written when
  lighttpd stops, so make-samples.sh reads it after stopping the server.
- nginx `keepalive_requests 3`: the 3rd response says `Connection: close` and nginx closes right after
  it. curl (several URLs on one command line) then closes its side too, racing nginx as
  `curl --http1.0` does. python's http.client also closes its socket as soon as it has read such a
  body, but in 6 of 6 tries nginx's FIN had arrived first (the server held TIME-WAIT). The sample's
  deterministic client is tdnet's, which reads to EOF after a Connection: close response.
- python's HTTP/1.0 server (socketserver: shutdown(SHUT_WR), then close, right after the response)
  races curl: in the committed run of 3 curls the kernel showed client, both, both (FINs crossed);
  tdnet reading to EOF always leaves the TIME-WAIT on the server.
- `ab -k` closes its keep-alive connections itself at the end (the client holds TIME-WAIT); it spread
  the 6 requests 4 + 2 over its 2 connections in the committed run.
- nginx 1.22 offers TLS 1.3 only when `ssl_protocols` names it (its default became TLSv1.2 TLSv1.3 in
  1.23.4); without it every capture here was TLS 1.2.
- Over TLS, nginx answers a client's close_notify by closing its TCP side at once: curl's keep-alive
  connections (tls-keepalive) ended with nginx's FIN first, so nginx held the TIME-WAIT although curl said
  goodbye first (`client-close-notify`). After a Connection: close response nginx sends close_notify and FIN
  (sometimes close_notify alone), curl answers with its own close_notify into the closed socket, and nginx's
  kernel resets: nobody holds TIME-WAIT (tls-connection-close).
- TLS 1.3 alerts are 19-byte application-data records on the wire (2 bytes, the content type, a 16-byte tag):
  every close_notify in these captures has that size.
- nginx 1.22 speaks h2c only with prior knowledge, on a \`listen ... http2\` port without ssl, and counts a
  connection's streams in \`$connection_requests\`. Its GOAWAY for \`keepalive_requests 2\` comes with the 2nd
  request's response (last stream id 3), and nginx closes first; on \`keepalive_timeout\` it sends GOAWAY
  (NO_ERROR) and closes. python's h2 library answers frames after a server's GOAWAY with its own GOAWAY
  (PROTOCOL_ERROR); the first GOAWAY is the server's.
- curl 7.88.1 with \`--http2-prior-knowledge\` and two URLs fails on the second ("Error in the HTTP2 framing layer"),
  so the multi-request h2c clients are tdh2's. curl --http2 on http:// sends \`Upgrade: h2c\`, which nginx ignores.
- Over TLS with ALPN h2, nginx sends its SETTINGS right after the handshake and acknowledges the client's: that
  round is one encrypted turn more than the requests (h2-tls: 4 exchanges for 3 requests on both connections).
- reverse-proxy: nginx's HTTP/1.0 upstream connections race the python server's FIN (the kernel showed nginx
  holding one, the upstream two); the keepalive pool's connection was closed by nginx (\`keepalive_timeout 1s\` in
  the upstream block), so nginx holds that TIME-WAIT as a client.
EOF
    [ -z "$kept" ] || printf '\n%s\n' "$kept"
    } > "$f"
}

ALL=(http10-server-close http10-close-race http11-client-close rst-abort half-close ipv6 sll2-any sll-any pcapng
     nanosecond port-reuse simultaneous-close keepalive-idle-timeout
     nginx-keepalive-requests curl-connection-close ab-http10 ab-keepalive python-http-server
     python-http11-close pipelined nginx-idle-timeout tls-keepalive tls-connection-close tls-idle-timeout
     h2c-prior-knowledge h2c-goaway h2c-refused h2c-upgrade h2c-upgrade-settings h2-tls reverse-proxy)

run_one() {
    case $1 in
        http10-server-close) sc_http10_server_close;;
        http10-close-race) sc_http10_close_race;;
        http11-client-close) sc_http11_client_close;;
        rst-abort) sc_rst_abort;;
        half-close) sc_half_close;;
        ipv6) sc_ipv6;;
        sll2-any) sc_any sll2-any sll2;;
        sll-any) sc_any sll-any sll;;
        pcapng) sc_pcapng;;
        nanosecond) sc_nanosecond;;
        port-reuse) sc_port_reuse;;
        simultaneous-close) sc_simultaneous_close;;
        keepalive-idle-timeout) sc_keepalive_idle_timeout;;
        nginx-keepalive-requests) sc_nginx_keepalive_requests;;
        curl-connection-close) sc_curl_connection_close;;
        ab-http10) sc_ab_http10;;
        ab-keepalive) sc_ab_keepalive;;
        python-http-server) sc_python_http_server;;
        python-http11-close) sc_python_http11_close;;
        pipelined) sc_pipelined;;
        nginx-idle-timeout) sc_nginx_idle_timeout;;
        tls-keepalive) sc_tls_keepalive;;
        tls-connection-close) sc_tls_connection_close;;
        tls-idle-timeout) sc_tls_idle_timeout;;
        h2c-prior-knowledge) sc_h2c_prior_knowledge;;
        h2c-goaway) sc_h2c_goaway;;
        h2c-refused) sc_h2c_refused;;
        h2c-upgrade-settings) sc_h2c_upgrade_settings;;
        h2c-upgrade) sc_h2c_upgrade;;
        h2-tls) sc_h2_tls;;
        reverse-proxy) sc_reverse_proxy;;
        *) log "unknown scenario $1 (known: ${ALL[*]})"; exit 2;;
    esac
}

if [ "${1:-}" = "--readme" ]; then write_readme; exit 0; fi
if [ $# -eq 0 ]; then set -- "${ALL[@]}"; fi
for s in "$@"; do run_one "$s"; done
write_readme
log "done; see $SAMPLES/README.md"
