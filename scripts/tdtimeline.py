#!/usr/bin/env python3
"""Load and sampling helpers for scripts/kernel-timeline.sh (stdlib only; HTTP helpers from tdnet.py).

Run inside a network namespace (ip netns exec NS python3 tdtimeline.py ...). Every loop is bounded in
count and time; every socket call has a timeout.

Subcommands
  burst --server ADDR:PORT ... --client ADDR ... --count N [--spread S] [--idle-max S]
        [--reuse-from ADDR:PORT [--reuse-count N]]
      N HTTP connections spread evenly over S seconds, to the servers and from the client addresses in
      turn (each bound to ADDR, port chosen by the kernel), of these kinds in a fixed cycle:
        client-close  one HTTP/1.1 request, read the response, close (the client's FIN first)
        keepalive3    three HTTP/1.1 requests on one connection, then close (the client's FIN first)
        conn-close    HTTP/1.1 with Connection: close, read to the server's FIN, close (server first)
        http10        HTTP/1.0 request, read to the server's FIN, close (server first)
        idle          one HTTP/1.1 request, then idle until the server's keepalive_timeout closes it,
                      close at its FIN (server first); these are waited for after the others
      With --reuse-from, then per server N connections one after the other from that one address and port
      (SO_REUSEADDR), each HTTP/1.0 read to the server's FIN: every SYN but the first lands on the server's
      TIME-WAIT of the connection before, which Linux cuts short to accept it (tcp_timewait_state_process,
      TCP_TW_SYN), so one server TIME-WAIT per server is left.
      Prints one line "kind=K n=N" per kind on stdout.
  ticker --server ADDR:PORT [--every S] [--max S]
      One keep-alive connection with a request every S seconds until SIGTERM or --max seconds: it
      gives the capture a packet every S seconds, so the timeline has instants until the end.
  sample --out FILE [--every S] [--max S] [--stop-file F]
      Every S seconds (a fixed cadence), `ss -tanoH state time-wait` appended to FILE after a line
        @ T_BEFORE T_AFTER ROWS M_BEFORE M_AFTER
      (CLOCK_REALTIME in nanoseconds just before ss started and just after it ended, the clock
      tcpdump stamps packets with; then CLOCK_MONOTONIC read the same way, the clock the kernel's
      TIME-WAIT timers run on, so a reader can tell when the two moved apart). Ends after --max seconds, on SIGTERM, or at the first sample
      without TIME-WAIT rows once F exists (the load is over and every TIME-WAIT has gone).
"""
import argparse
import os
import select
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tdnet import http_req, read_http_response, recv_all  # noqa: E402

KINDS = ["client-close", "conn-close", "idle", "client-close", "http10", "keepalive3", "conn-close",
         "client-close"]


def log(*a):
    print("tdtimeline:", *a, file=sys.stderr, flush=True)


def addr_port(spec):
    host, _, port = spec.rpartition(":")
    return host, int(port)


def connect_from(client, server):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(5)
    s.bind((client, 0))
    s.connect(server)
    return s


def cmd_burst(a):
    servers = [addr_port(x) for x in a.server]
    counts = {k: 0 for k in KINDS}
    idle = []
    start = time.monotonic()
    for i in range(a.count):
        due = start + a.spread * i / max(1, a.count)
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        kind = KINDS[i % len(KINDS)]
        host, port = servers[i % len(servers)]
        s = connect_from(a.client[(i // len(servers)) % len(a.client)], (host, port))
        counts[kind] += 1
        if kind in ("client-close", "keepalive3", "idle"):
            for _ in range(3 if kind == "keepalive3" else 1):
                s.sendall(http_req(host, port))
                if not read_http_response(s):
                    raise SystemExit("no response from %s:%d" % (host, port))
            if kind == "idle":
                idle.append(s)
                continue
        else:
            s.sendall(http_req(host, port, http10=kind == "http10", close=kind == "conn-close"))
            if not recv_all(s, limit_s=5.0):  # to the server's FIN
                raise SystemExit("no response from %s:%d" % (host, port))
        s.close()
    if a.reuse_from:
        host, sport = addr_port(a.reuse_from)
        for server in servers:
            for _ in range(a.reuse_count):
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.settimeout(5)
                s.bind((host, sport))
                s.connect(server)
                s.sendall(http_req(server[0], server[1], http10=True))
                if not recv_all(s, limit_s=5.0):
                    raise SystemExit("no response from %s:%d" % server)
                s.close()
                counts["reuse"] = counts.get("reuse", 0) + 1
                time.sleep(0.05)  # our side's LAST-ACK is over: the tuple is free on this side
    # The idle ones: each closed at the server's FIN (keepalive_timeout), bounded by --idle-max.
    end = time.monotonic() + a.idle_max
    while idle and time.monotonic() < end:
        ready, _, _ = select.select(idle, [], [], max(0.01, end - time.monotonic()))
        for s in ready:
            try:
                d = s.recv(65536)
            except OSError:
                d = b""
            if not d:
                s.close()
                idle.remove(s)
    if idle:
        raise SystemExit("%d idle connections were not closed by the server within %.0f s" % (len(idle), a.idle_max))
    for k in sorted(counts):
        print("kind=%s n=%d" % (k, counts[k]))


STOP = False


def on_term(signum, frame):
    global STOP
    STOP = True


def cmd_ticker(a):
    signal.signal(signal.SIGTERM, on_term)
    host, port = addr_port(a.server)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect((host, port))
    end = time.monotonic() + a.max
    while not STOP and time.monotonic() < end:
        s.sendall(http_req(host, port))
        if not read_http_response(s):
            raise SystemExit("ticker: the server closed")
        time.sleep(a.every)
    s.close()


def cmd_sample(a):
    signal.signal(signal.SIGTERM, on_term)
    start = time.monotonic()
    n = 0
    with open(a.out, "w") as out:
        while not STOP and time.monotonic() - start < a.max:
            m0 = time.monotonic_ns()
            t0 = time.time_ns()
            rows = subprocess.run(["ss", "-tanoH", "state", "time-wait"], check=True, capture_output=True,
                                  text=True, timeout=10).stdout
            t1 = time.time_ns()
            m1 = time.monotonic_ns()
            lines = [r for r in rows.splitlines() if r.strip()]
            out.write("@ %d %d %d %d %d\n" % (t0, t1, len(lines), m0, m1))
            for r in lines:
                out.write(r + "\n")
            out.flush()
            n += 1
            if not lines and a.stop_file and os.path.exists(a.stop_file):
                break
            due = start + n * a.every
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
    log("%d samples in %.1f s" % (n, time.monotonic() - start))


def main():
    p = argparse.ArgumentParser()
    sp = p.add_subparsers(dest="cmd", required=True)
    b = sp.add_parser("burst")
    b.add_argument("--server", action="append", required=True)
    b.add_argument("--client", action="append", required=True)
    b.add_argument("--count", type=int, required=True)
    b.add_argument("--spread", type=float, default=2.0)
    b.add_argument("--idle-max", type=float, default=10.0)
    b.add_argument("--reuse-from", default="")
    b.add_argument("--reuse-count", type=int, default=4)
    t = sp.add_parser("ticker")
    t.add_argument("--server", required=True)
    t.add_argument("--every", type=float, default=0.5)
    t.add_argument("--max", type=float, default=200.0)
    s = sp.add_parser("sample")
    s.add_argument("--out", required=True)
    s.add_argument("--every", type=float, default=0.5)
    s.add_argument("--max", type=float, default=150.0)
    s.add_argument("--stop-file", default="")
    a = p.parse_args()
    {"burst": cmd_burst, "ticker": cmd_ticker, "sample": cmd_sample}[a.cmd](a)


if __name__ == "__main__":
    main()
