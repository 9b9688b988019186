#!/usr/bin/env python3
"""Write a port-scan capture (classic pcap, raw IPv4) for measuring teardown's memory on hostile input.

Stdlib only. Each connection is a SYN from 10.0.0.1 answered by a RST-ACK (a refused port), 1 ms after
the previous connection. Deterministic: the same arguments give the same bytes.

Usage: python3 scripts/make-portscan.py OUT.pcap CONNECTIONS [--one-server] [--heavy-every K]

  default        every connection goes to a different server endpoint (IP 10.128.0.0/9 x ports 1..65535)
  --one-server   the same packets, but every connection goes to 10.0.0.2:80 (client ports and client
                 IPs vary so each 4-tuple is new): the baseline against which the scan's extra memory is
                 measured
  --heavy-every K  every K-th connection goes to 10.0.0.2:80 instead (a busy server among the scan)

Example (bench of docs/output.md, summary table): python3 scripts/make-portscan.py /tmp/scan.pcap 1000000
then /usr/bin/time -v ./teardown analyze -q /tmp/scan.pcap (the summary is printed without -q).
"""
import argparse
import struct
import sys

BASE_TS = 1704067200  # 2024-01-01T00:00:00Z
SYN, RST, ACK = 0x02, 0x04, 0x10
LINKTYPE_RAW = 101


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def packet(src, dst, sport, dport, seq, ack, flags):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535 if flags & SYN else 0, 0, 0)
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + tcp


def record(out, micros, data):
    out.write(struct.pack("<IIII", BASE_TS + micros // 1_000_000, micros % 1_000_000, len(data), len(data)))
    out.write(data)


def main(argv):
    p = argparse.ArgumentParser(description="Write a port-scan capture (see the module docstring).")
    p.add_argument("out")
    p.add_argument("connections", type=int)
    p.add_argument("--one-server", action="store_true")
    p.add_argument("--heavy-every", type=int, default=0)
    a = p.parse_args(argv)
    out_path, n, one_server, heavy_every = a.out, a.connections, a.one_server, a.heavy_every
    scanner = bytes([10, 0, 0, 1])
    server = bytes([10, 0, 0, 2])
    with open(out_path, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, LINKTYPE_RAW))
        for i in range(n):
            t = i * 1000
            isn = (i * 2654435761) & 0xFFFFFFFF
            if one_server or (heavy_every and i % heavy_every == 0):
                # A fresh 4-tuple to the one server: client IP 10.1.x.y, client port 1024..65023.
                client = bytes([10, 1, (i // 64000) >> 8 & 0xFF, (i // 64000) & 0xFF])
                cport, dst, dport = 1024 + i % 64000, server, 80
            else:
                # A fresh server endpoint: port 1..65535 on 10.128.0.0/9, one source port per target.
                host = 0x0A800000 + i // 65535
                client, cport = scanner, 40000 + i % 20000
                dst, dport = struct.pack("!I", host), 1 + i % 65535
            record(out, t, packet(client, dst, cport, dport, isn, 0, SYN))
            record(out, t + 100, packet(dst, client, dport, cport, 0, (isn + 1) & 0xFFFFFFFF, RST | ACK))


if __name__ == "__main__":
    main(sys.argv[1:])
