#!/usr/bin/env python3
"""Small stdlib-only helpers for samples/make-samples.sh and scripts/kernel-truth.sh.

Run inside a network namespace (ip netns exec NS python3 tdnet.py ...). Every loop is bounded in
count and time; every socket call has a timeout.

Subcommands
  server MODE --port P [--bind ADDR] [--count N] [--timeout S]
      close-first  read the request, send a reply, close (server FIN first)
      half-close   read to EOF (the client's FIN), then send several chunks, then close
      unread-rst   wait until request bytes are queued, close WITHOUT reading them (-> RST)
  client MODE --port P [--host ADDR] [...]
      linger-rst   send an HTTP request, read the reply, SO_LINGER(1,0), close (-> RST)
      half-close   send a request, shutdown(SHUT_WR), read to EOF, close
      send-expect-rst  send data, wait for the peer's RST (ECONNRESET) or EOF
      port-reuse   bind --sport, connect, read to EOF, close; repeat --repeat times
      idle         HTTP/1.1 GET, read the reply, then idle until the server closes, close
      http         HTTP/1.1 or 1.0 GET (--http10, --conn-close), read reply (--wait-eof: then
                   read until the server's FIN), close
  simclose --port P [--tbf] [--tries N]
      A listening socket and a client in one process; both sides shutdown(SHUT_WR) "at once".
      With --tbf a slow tbf qdisc is put on lo and a UDP filler datagram queued first, so both FINs
      are built before either is delivered: the FINs cross deterministically.
  expect --pcap FILE --ss FILE
      One line per client connection: client_port=P time_wait_side=client|server|both|none.
      Connections are enumerated from the capture's SYNs (tcpdump -r), the holder from the ss
      snapshot (ss -tanH state time-wait).
  crossed --pcap FILE
      Exit 0 if the capture holds a connection whose two FINs do not acknowledge each other.
"""
import argparse
import errno
import os
import re
import select
import socket
import struct
import subprocess
import sys
import time


def log(*a):
    print("tdnet:", *a, file=sys.stderr, flush=True)


def family_of(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def recv_all(s, limit_s=5.0, maxbytes=1 << 20):
    """Read until EOF or time limit; returns bytes."""
    end = time.monotonic() + limit_s
    buf = b""
    while time.monotonic() < end and len(buf) < maxbytes:
        s.settimeout(max(0.05, end - time.monotonic()))
        try:
            d = s.recv(65536)
        except socket.timeout:
            break
        if not d:
            break
        buf += d
    return buf


def read_http_response(s, limit_s=5.0):
    """Read one HTTP response using Content-Length (no EOF needed)."""
    end = time.monotonic() + limit_s
    buf = b""
    while b"\r\n\r\n" not in buf and time.monotonic() < end:
        s.settimeout(max(0.05, end - time.monotonic()))
        d = s.recv(65536)
        if not d:
            return buf
        buf += d
    head, _, body = buf.partition(b"\r\n\r\n")
    m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    n = int(m.group(1)) if m else 0
    while len(body) < n and time.monotonic() < end:
        s.settimeout(max(0.05, end - time.monotonic()))
        d = s.recv(65536)
        if not d:
            break
        body += d
    return head + b"\r\n\r\n" + body


def http_req(host, port, path="/", http10=False, close=False):
    v = "HTTP/1.0" if http10 else "HTTP/1.1"
    h = "[%s]" % host if ":" in host else host
    r = "GET %s %s\r\nHost: %s:%d\r\nUser-Agent: tdnet\r\n" % (path, v, h, port)
    if close:
        r += "Connection: close\r\n"
    return (r + "\r\n").encode()


# ---------------------------------------------------------------- servers

def cmd_server(a):
    fam = family_of(a.bind)
    ls = socket.socket(fam, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((a.bind, a.port))
    ls.listen(16)
    ls.settimeout(1.0)
    end = time.monotonic() + a.timeout
    served = 0
    while served < a.count and time.monotonic() < end:
        try:
            c, peer = ls.accept()
        except socket.timeout:
            continue
        served += 1
        try:
            if a.mode == "close-first":
                c.settimeout(3)
                req = b""
                while b"\r\n\r\n" not in req and len(req) < 65536:
                    d = c.recv(4096)
                    if not d:
                        break
                    req += d
                body = b"hello from close-first\n"
                c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
                # Server closes first. Drain politely so no unread data turns the FIN into RST.
                c.shutdown(socket.SHUT_WR)
                recv_all(c, limit_s=3.0)
                c.close()
            elif a.mode == "half-close":
                got = recv_all(c, limit_s=5.0)  # until the client's FIN (EOF)
                for i in range(a.chunks):
                    c.sendall(b"chunk %d of %d after your FIN (you sent %d bytes)\n" % (i + 1, a.chunks, len(got)))
                    time.sleep(a.chunk_gap)
                c.close()
            elif a.mode == "unread-rst":
                r, _, _ = select.select([c], [], [], 5.0)
                time.sleep(0.2)          # let all of the client's bytes be queued
                c.close()                # unread data in the receive queue -> RST (TCPAbortOnClose)
            else:
                raise SystemExit("unknown server mode " + a.mode)
        except OSError as e:
            log("server conn from %s: %s" % (peer, e))
            c.close()
    ls.close()
    log("server %s served %d" % (a.mode, served))


# ---------------------------------------------------------------- clients

def connect(host, port, sport=0, reuse=False):
    fam = family_of(host)
    s = socket.socket(fam, socket.SOCK_STREAM)
    if reuse:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if sport:
        s.bind((host, sport))
    s.settimeout(5)
    s.connect((host, port))
    return s


def cmd_client(a):
    for i in range(a.repeat):
        s = connect(a.host, a.port, a.sport, reuse=bool(a.sport))
        lp = s.getsockname()[1]
        if a.mode == "linger-rst":
            s.sendall(http_req(a.host, a.port, http10=False))
            read_http_response(s)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close()
        elif a.mode == "half-close":
            s.sendall(b"REQUEST: please send me your chunks after my FIN\n")
            s.shutdown(socket.SHUT_WR)
            got = recv_all(s, limit_s=10.0)
            log("half-close client got %d bytes" % len(got))
            s.close()
        elif a.mode == "send-expect-rst":
            s.sendall(b"data the server will never read\n" * 4)
            try:
                d = recv_all(s, limit_s=5.0)
                log("send-expect-rst: EOF/no RST (%d bytes)" % len(d))
            except ConnectionResetError:
                log("send-expect-rst: got ECONNRESET (as planned)")
            s.close()
        elif a.mode == "port-reuse":
            s.sendall(http_req(a.host, a.port))
            recv_all(s, limit_s=5.0)   # to EOF: the server closes first
            s.close()
        elif a.mode == "idle":
            t0 = time.monotonic()
            s.sendall(http_req(a.host, a.port))
            read_http_response(s)
            try:
                rest = recv_all(s, limit_s=a.idle_max)
                log("idle client: server closed after %.2fs idle (%d extra bytes)" % (time.monotonic() - t0, len(rest)))
            except ConnectionResetError:
                log("idle client: RST after %.2fs" % (time.monotonic() - t0))
            s.close()
        elif a.mode == "http":
            s.sendall(http_req(a.host, a.port, http10=a.http10, close=a.conn_close))
            read_http_response(s)
            if a.wait_eof:
                recv_all(s, limit_s=5.0)   # like urllib/ab: wait for the server's FIN, then close
            s.close()
        else:
            raise SystemExit("unknown client mode " + a.mode)
        print(lp, flush=True)
        if i + 1 < a.repeat:
            time.sleep(a.gap)


# ---------------------------------------------------------------- simultaneous close

def tc(*args):
    return subprocess.run(["tc"] + list(args), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def cmd_simclose(a):
    """Open a connection, then both ends shutdown(SHUT_WR) back to back."""
    fam = family_of(a.host)
    ls = socket.socket(fam, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((a.host, a.port))
    ls.listen(4)
    ls.settimeout(3)
    ports = []
    for t in range(a.tries):
        c = connect(a.host, a.port)
        srv, _ = ls.accept()
        c.sendall(b"ping\n")
        srv.recv(100)
        srv.sendall(b"pong\n")
        c.recv(100)
        time.sleep(0.05)  # let the pure ACKs go out first
        filler = None
        if a.tbf:
            r = tc("qdisc", "replace", "dev", "lo", "root", "tbf", "rate", "100kbit", "burst", "1600", "latency", "2s")
            if r.returncode != 0:
                raise SystemExit("tc tbf failed: " + r.stderr.strip())
            # Two UDP datagrams (~1.3 KB each): the first empties the bucket, the second waits
            # ~100 ms in the queue; both FINs queue behind it, built before either is delivered.
            ufam = fam
            u_rx = socket.socket(ufam, socket.SOCK_DGRAM)
            u_rx.bind((a.host, 0))
            filler = (socket.socket(ufam, socket.SOCK_DGRAM), u_rx)
            for _ in range(2):
                filler[0].sendto(b"F" * 1300, u_rx.getsockname())
        if a.race:
            # No qdisc help: two processes spin until the same instant, then shutdown(SHUT_WR).
            t_go = time.time() + 0.05
            pid = os.fork()
            if pid == 0:
                while time.time() < t_go:
                    pass
                srv.shutdown(socket.SHUT_WR)
                os._exit(0)
            while time.time() < t_go:
                pass
            c.shutdown(socket.SHUT_WR)
            os.waitpid(pid, 0)
        else:
            c.shutdown(socket.SHUT_WR)
            srv.shutdown(socket.SHUT_WR)
        if a.tbf:
            time.sleep(0.4)
            tc("qdisc", "del", "dev", "lo", "root")
            for f in filler:
                f.close()
        c.settimeout(3)
        srv.settimeout(3)
        recv_all(c, 2.0)
        recv_all(srv, 2.0)
        cp = c.getsockname()[1]
        c.close()
        srv.close()
        ports.append(cp)
        print(cp, flush=True)
        time.sleep(0.1)
    ls.close()


# ---------------------------------------------------------------- capture/ss parsing

LINE = re.compile(r"IP6? (\S+)\.(\d+) > (\S+)\.(\d+): Flags \[([^\]]*)\](?:, seq (\d+)(?::(\d+))?)?(?:, ack (\d+))?")


def tcpdump_lines(pcap):
    out = subprocess.run(["tcpdump", "-r", pcap, "-nn", "-S", "-tt"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True, timeout=30).stdout
    for ln in out.splitlines():
        m = LINE.search(ln)
        if m:
            yield m


def syn_conns(pcap):
    """Ordered unique (client_ip, client_port, server_ip, server_port) from SYNs without ACK."""
    seen = []
    for m in tcpdump_lines(pcap):
        flags = m.group(5)
        if "S" in flags and "." not in flags:
            k = (m.group(1), int(m.group(2)), m.group(3), int(m.group(4)))
            if k not in seen:
                seen.append(k)
    return seen


def ss_rows(path):
    rows = []
    for ln in open(path):
        f = ln.split()
        addrs = [x for x in f if re.match(r"^(\[.*\]|[0-9a-fA-F.:*%]+):\d+$", x) and x.count(":") >= 1]
        if len(addrs) >= 2:
            loc, peer = addrs[-2], addrs[-1]
            rows.append((int(loc.rsplit(":", 1)[1]), int(peer.rsplit(":", 1)[1])))
    return rows


def cmd_expect(a):
    rows = ss_rows(a.ss)
    conns = syn_conns(a.pcap)
    done = set()
    for (_cip, cport, _sip, sport) in conns:
        if (cport, sport) in done:
            continue  # same 4-tuple used again (port reuse): one line per client port
        done.add((cport, sport))
        client = (cport, sport) in rows
        server = (sport, cport) in rows
        side = "both" if client and server else "client" if client else "server" if server else "none"
        print("client_port=%d time_wait_side=%s" % (cport, side))


def cmd_crossed(a):
    """Find connections whose FINs cross: neither FIN's ACK covers the other FIN's seq+1."""
    fins = {}
    for m in tcpdump_lines(a.pcap):
        flags = m.group(5)
        if "F" not in flags or m.group(6) is None:
            continue
        src = (m.group(1), int(m.group(2)))
        dst = (m.group(3), int(m.group(4)))
        key = tuple(sorted([src, dst]))
        seq_end = int(m.group(7)) if m.group(7) else int(m.group(6))  # FIN's seq = end of data
        ack = int(m.group(8)) if m.group(8) else None
        fins.setdefault(key, {}).setdefault(src, (seq_end, ack))  # first FIN per direction
    found = 0
    for key, d in fins.items():
        if len(d) != 2:
            continue
        (pa, (sa, aa)), (pb, (sb, ab)) = list(d.items())
        a_covers_b = aa is not None and ((aa - (sb + 1)) % (1 << 32)) < (1 << 31)
        b_covers_a = ab is not None and ((ab - (sa + 1)) % (1 << 32)) < (1 << 31)
        crossed = not a_covers_b and not b_covers_a
        print("%s:%d <-> %s:%d crossed=%s" % (key[0][0], key[0][1], key[1][0], key[1][1], crossed))
        found += crossed
    sys.exit(0 if found else 1)


def main():
    p = argparse.ArgumentParser()
    sp = p.add_subparsers(dest="cmd", required=True)
    s = sp.add_parser("server")
    s.add_argument("mode")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--bind", default="127.0.0.1")
    s.add_argument("--count", type=int, default=1)
    s.add_argument("--timeout", type=float, default=20)
    s.add_argument("--chunks", type=int, default=4)
    s.add_argument("--chunk-gap", type=float, default=0.05)
    c = sp.add_parser("client")
    c.add_argument("mode")
    c.add_argument("--port", type=int, required=True)
    c.add_argument("--host", default="127.0.0.1")
    c.add_argument("--sport", type=int, default=0)
    c.add_argument("--repeat", type=int, default=1)
    c.add_argument("--gap", type=float, default=0.2)
    c.add_argument("--idle-max", type=float, default=10)
    c.add_argument("--http10", action="store_true")
    c.add_argument("--conn-close", action="store_true")
    c.add_argument("--wait-eof", action="store_true")
    m = sp.add_parser("simclose")
    m.add_argument("--port", type=int, required=True)
    m.add_argument("--host", default="127.0.0.1")
    m.add_argument("--tbf", action="store_true")
    m.add_argument("--race", action="store_true")
    m.add_argument("--tries", type=int, default=1)
    e = sp.add_parser("expect")
    e.add_argument("--pcap", required=True)
    e.add_argument("--ss", required=True)
    x = sp.add_parser("crossed")
    x.add_argument("--pcap", required=True)
    a = p.parse_args()
    {"server": cmd_server, "client": cmd_client, "simclose": cmd_simclose,
     "expect": cmd_expect, "crossed": cmd_crossed}[a.cmd](a)


if __name__ == "__main__":
    main()
