#!/usr/bin/env bash
# nat-clocks.sh OUTDIR: real captures of TCP timestamp clocks behind a NAT, for the timestamp-clock part.
#
# Network namespaces (td-nc-<pid>-{srv,rtr,a,b,c,d}), all removed on exit:
#   a 10.99.1.2 --+                                   +-- srv 10.99.2.2 (python server on :8080 that closes first,
#   b 10.99.3.2 --+-- rtr (nft masquerade of a and b  |   so the server holds TIME_WAIT; tcpdump on its eth)
#   c 10.99.4.2 --+    to 10.99.2.1; c, d routed) ----+
#   d 10.99.5.2 --+
# Clocks: a, b and c run net.ipv4.tcp_timestamps=2 (timestamps without a random offset: the raw millisecond clock,
# the same on every namespace of this kernel). To make b a second host, an nft rule in b's namespace flips bit 30
# of its TSval on the way out and of the TSecr on the way back (a fixed offset of +-2^30 ticks, so b's clock is
# another line, and b's own stack never sees the change). d keeps tcp_timestamps=1, the kernel's default: a random
# offset per (source, destination) since Linux 4.11, per connection since 165573e41f2f (2026).
# Schedule: a and b alternate (6 connections each, 0.4 s apart), then c and d make 6 each. Then a second capture
# holds 5 connections of a alone.
# Writes:
#   OUTDIR/nat.pcap     the server's capture of everything above (pcap, Ethernet)
#   OUTDIR/alone.pcap   the server's capture of a alone
#   OUTDIR/clients.txt  name=a|b|c|d source=<address the server sees> connections=N (N made in nat.pcap)
# Needs root, iproute2, nft (nftables), tcpdump, python3. Exit codes: 0 ok, 1 run failed, 2 missing tool/usage.
# Runtime: about 15 s, bounded (every client and server has a timeout).
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
OUT=$1
HERE=$(cd "$(dirname "$0")" && pwd)
TDNET=$HERE/tdnet.py
# shellcheck source=td-lib.sh
. "$HERE/td-lib.sh"
td_init nat-clocks
td_need ip nft tcpdump
td_need_root
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

P=td-nc-$$
NAMES=(srv rtr a b c d)
PIDS=()
CAP_PID=""

cleanup() {
    local rc=$? p n
    trap - EXIT INT TERM
    [ -n "$CAP_PID" ] && stop_pid INT "$CAP_PID"
    for p in "${PIDS[@]:-}"; do [ -n "$p" ] && stop_pid TERM "$p"; done
    for n in "${NAMES[@]}"; do td_netns_del "$P-$n"; done
    exit $rc
}
trap cleanup EXIT
trap 'echo "nat-clocks: interrupted" >&2; exit 1' INT TERM

nsx() { local n=$1; shift; ip netns exec "$P-$n" "$@"; }

for n in "${NAMES[@]}"; do ip netns add "$P-$n" || die "ip netns add $P-$n failed"; nsx "$n" ip link set lo up; done

link() {  # link NS ADDR/24 RTR_ADDR/24: a veth pair between NS (eth0) and rtr
    local n=$1 addr=$2 raddr=$3
    ip link add "nc$$$n" type veth peer name eth0 netns "$P-$n"
    ip link set "nc$$$n" netns "$P-rtr"
    nsx rtr ip link set "nc$$$n" name "to-$n"
    nsx rtr ip addr add "$raddr" dev "to-$n"
    nsx rtr ip link set "to-$n" up
    nsx "$n" ip addr add "$addr" dev eth0
    nsx "$n" ip link set eth0 up
    nsx "$n" ip route add default via "${raddr%/*}"
}
link srv 10.99.2.2/24 10.99.2.1/24
link a 10.99.1.2/24 10.99.1.1/24
link b 10.99.3.2/24 10.99.3.1/24
link c 10.99.4.2/24 10.99.4.1/24
link d 10.99.5.2/24 10.99.5.1/24
nsx rtr sysctl -qw net.ipv4.ip_forward=1
nsx rtr nft -f - <<'EOF' || die "nft masquerade failed"
table ip nat {
  chain post { type nat hook postrouting priority srcnat; policy accept;
    oifname "to-srv" ip saddr { 10.99.1.0/24, 10.99.3.0/24 } masquerade
  }
}
EOF
for n in a b c; do nsx "$n" sysctl -qw net.ipv4.tcp_timestamps=2; done
nsx d sysctl -qw net.ipv4.tcp_timestamps=1
nsx b nft -f - <<'EOF' || die "nft timestamp rewrite failed"
table inet clock {
  chain out { type filter hook output priority 0; policy accept;
    tcp option timestamp tsval set tcp option timestamp tsval ^ 0x40000000
  }
  chain in { type filter hook input priority 0; policy accept;
    tcp option timestamp tsecr set tcp option timestamp tsecr ^ 0x40000000
  }
}
EOF

TOTAL=29   # 6 + 6 + 6 + 6 + 5 connections
ip netns exec "$P-srv" "$PY" "$TDNET" server close-first --port 8080 --bind 10.99.2.2 --count $TOTAL --timeout 60 \
    >/dev/null 2>&1 &
PIDS+=($!)
for i in $(seq 50); do nsx srv ss -ltnH '( sport = :8080 )' | grep -q . && break; sleep 0.1; done
nsx srv ss -ltnH '( sport = :8080 )' | grep -q . || die "the server does not listen"

capture() {  # capture FILE: tcpdump on the server's interface until stop_capture
    ip netns exec "$P-srv" tcpdump -i eth0 -U -s 200 -w "$1" 'tcp port 8080' >/dev/null 2>&1 &
    CAP_PID=$!
    sleep 1
}
stop_capture() { sleep 0.5; stop_pid INT "$CAP_PID"; CAP_PID=""; }
connect() {  # connect NS: one HTTP exchange; the server closes first, the client reads to its FIN
    nsx "$1" timeout 10 "$PY" "$TDNET" client http --host 10.99.2.2 --port 8080 --wait-eof >/dev/null \
        || die "client $1 failed"
}

capture "$OUT/nat.pcap"
for i in $(seq 6); do connect a; sleep 0.4; connect b; sleep 0.4; done
for i in $(seq 6); do connect c; sleep 0.2; connect d; sleep 0.2; done
stop_capture
capture "$OUT/alone.pcap"
for i in $(seq 5); do connect a; sleep 0.3; done
stop_capture

cat >"$OUT/clients.txt" <<EOF
name=a source=10.99.2.1 connections=6
name=b source=10.99.2.1 connections=6
name=c source=10.99.4.2 connections=6
name=d source=10.99.5.2 connections=6
EOF
echo "nat-clocks: wrote $OUT/nat.pcap $OUT/alone.pcap $OUT/clients.txt"
