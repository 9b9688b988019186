#!/usr/bin/env bash
# tunnel-truth.sh OUTDIR: a real VXLAN capture with the kernel's own TIME-WAIT view of the connections inside it.
#
# Two network namespaces of its own (td-tun-a-<pid>, td-tun-b-<pid>) joined by a veth pair, the underlay
# 192.0.2.1 <-> 192.0.2.2. Over it two Linux VXLAN devices per side (UDP 4789): VNI 42 carries 10.42.0.0/24,
# VNI 43 carries 10.43.0.0/24. nginx listens in B on port 8080; clients in A:
#   curl HTTP/1.1 over VNI 42 and over VNI 43 (the client closes: it holds TIME-WAIT)
#   curl --http1.0 over VNI 43 (nginx closes after the response; curl may race its FIN: ss decides)
# tcpdump captures the underlay (A's veth), so every TCP packet in the capture is inside VXLAN. Once every
# connection has finished closing it snapshots `ss -tanH state time-wait` in both namespaces and writes:
#   OUTDIR/capture.pcap  the underlay capture (pcap, Ethernet)
#   OUTDIR/ss.txt        both snapshots, each line prefixed with its side (client: / server:)
#   OUTDIR/expect.txt    client_port=P time_wait_side=client|server|both|none tunnel=vxlan:VNI, one line per
#                        connection (client ports from the SYNs, via tcpdump -r; the VNI from the overlay
#                        address the client reached)
# Needs root (ip netns), the vxlan kernel module, nginx, curl, tcpdump, ss. Exit codes: 0 ok, 1 run failed,
# 2 missing tool. Runtime: a few seconds (every wait is bounded). Cleans up both namespaces and every process it
# started on any exit.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
OUT=$1
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=nginx-conf.sh
. "$HERE/nginx-conf.sh"
# shellcheck source=td-lib.sh
. "$HERE/td-lib.sh"
td_init tunnel-truth
td_need ip ss tcpdump nginx curl
td_need_root

A=td-tun-a-$$
B=td-tun-b-$$
NGINX_PID=""
TCPDUMP_PID=""
D=$(mktemp -d)

cleanup() {
    [ -n "$TCPDUMP_PID" ] && stop_pid TERM "$TCPDUMP_PID"
    [ -n "$NGINX_PID" ] && stop_pid TERM "$NGINX_PID"
    td_netns_del "$A"
    td_netns_del "$B"
    rm -rf "$D"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$OUT"
ip netns add "$A"
ip netns add "$B"
ip -n "$A" link set lo up
ip -n "$B" link set lo up
ip -n "$A" link add ua type veth peer name ub netns "$B"
ip -n "$A" addr add 192.0.2.1/24 dev ua
ip -n "$B" addr add 192.0.2.2/24 dev ub
ip -n "$A" link set ua up
ip -n "$B" link set ub up
for vni in 42 43; do
    ip -n "$A" link add vx$vni type vxlan id $vni dstport 4789 local 192.0.2.1 remote 192.0.2.2 dev ua \
        || die "cannot make a VXLAN device (is the vxlan module available?)"
    ip -n "$B" link add vx$vni type vxlan id $vni dstport 4789 local 192.0.2.2 remote 192.0.2.1 dev ub
    ip -n "$A" addr add 10.$vni.0.1/24 dev vx$vni
    ip -n "$B" addr add 10.$vni.0.2/24 dev vx$vni
    ip -n "$A" link set vx$vni up
    ip -n "$B" link set vx$vni up
done

td_nginx_conf "$D/nginx" 75s "" "0.0.0.0:8080"
ip netns exec "$B" nginx -p "$D/nginx" -c "$D/nginx/nginx.conf" -e "$D/nginx/logs/error.log" </dev/null \
    >"$D/nginx.out" 2>&1 &
NGINX_PID=$!
for _ in $(seq 50); do
    ip netns exec "$B" ss -Htln 'sport = :8080' | grep -q . && break
    sleep 0.1
done
ip netns exec "$B" ss -Htln 'sport = :8080' | grep -q . || die "nginx did not listen: $(cat "$D/nginx.out")"

ip netns exec "$A" tcpdump -i ua -U --immediate-mode -n -s 0 -w "$OUT/capture.pcap" 2>"$D/tcpdump.err" &
TCPDUMP_PID=$!
for _ in $(seq 50); do grep -q "listening on" "$D/tcpdump.err" && break; sleep 0.1; done
grep -q "listening on" "$D/tcpdump.err" || die "tcpdump did not start: $(cat "$D/tcpdump.err")"

: >"$D/reached"
client() {  # client VNI curl-options...: one curl from A to nginx over VNI's overlay
    local vni=$1
    shift
    ip netns exec "$A" curl -s -o /dev/null --max-time 5 "$@" "http://10.$vni.0.2:8080/" \
        || die "curl over VNI $vni failed"
}
client 42
client 43
client 43 --http1.0

# Until no connection is left but LISTEN and TIME-WAIT on either side (at most 10 s).
for _ in $(seq 100); do
    busy=$( (ip netns exec "$A" ss -Htan; ip netns exec "$B" ss -Htan) | grep -vE '^(LISTEN|TIME-WAIT)' || true)
    [ -z "$busy" ] && break
    sleep 0.1
done
sleep 0.3 # the last ACKs reach tcpdump
{
    ip netns exec "$A" ss -tanH state time-wait | sed 's/^/client: /'
    ip netns exec "$B" ss -tanH state time-wait | sed 's/^/server: /'
} >"$OUT/ss.txt"
stop_pid TERM "$TCPDUMP_PID"
TCPDUMP_PID=""

# One line per client SYN: its port and overlay (VNI), the holder from the two snapshots.
: >"$OUT/expect.txt"
tcpdump -n -r "$OUT/capture.pcap" 'udp port 4789' 2>/dev/null | grep -E 'Flags \[S\],' \
    | sed -E 's/.* 10\.(4[23])\.0\.1\.([0-9]+) > 10\.4[23]\.0\.2\.8080: .*/\1 \2/' | while read -r vni port; do
    client_tw=$(grep -cE "^client: .* 10\.$vni\.0\.1:$port +10\.$vni\.0\.2:8080" "$OUT/ss.txt" || true)
    server_tw=$(grep -cE "^server: .* 10\.$vni\.0\.2:8080 +10\.$vni\.0\.1:$port" "$OUT/ss.txt" || true)
    side=none
    [ "$client_tw" -gt 0 ] && side=client
    [ "$server_tw" -gt 0 ] && side=server
    [ "$client_tw" -gt 0 ] && [ "$server_tw" -gt 0 ] && side=both
    echo "client_port=$port time_wait_side=$side tunnel=vxlan:$vni" >>"$OUT/expect.txt"
done
[ -s "$OUT/expect.txt" ] || die "no SYN in the capture"
cat "$OUT/expect.txt"
