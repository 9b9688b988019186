#!/usr/bin/env python3
"""Browser-like HTTP/1.1 clients for scripts/whatif-check.sh (stdlib only; run inside its network namespace).

  whatif-clients.py --port P --seed N --clients C --schedule S --end E

C clients, client i on its own address 127.0.0.(10+i), each a thread. The schedule is drawn from --seed
alone, so two runs with the same seed make the same requests after the same think times whatever the
server does. A client:
  - starts at a random offset in [0, 3) s, then repeats: 1 to 3 GETs one after the other, then a think time
    drawn log-uniformly from 0.3 s to 40 s; it starts no new action after --schedule seconds;
  - keeps its connection between actions, and while thinking watches it: when the server closes it (EOF or
    RST) it closes its socket at once, as browsers do;
  - opens a new connection (bound to its own address) when it has none; a request that crosses the
    server's close (no response, EOF or RST) is sent once more on a new connection;
  - after its last action waits, still watching, until the server closes or --end seconds from the start,
    then closes.
Prints one line per client: client=IP connections=N requests=M retries=R. Every socket call has a timeout;
every loop is bounded by --end.
"""
import argparse
import math
import random
import select
import socket
import sys
import threading
import time

REQUEST = b"GET / HTTP/1.1\r\nHost: whatif\r\n\r\n"


def schedule(rng, span):
    """(offset, [(requests, think), ...]) drawn from rng: actions until span seconds of thinking."""
    t = rng.uniform(0, 3)
    offset = t
    actions = []
    while t < span:
        n = rng.randint(1, 3)
        think = math.exp(rng.uniform(math.log(0.3), math.log(40)))
        actions.append((n, think))
        t += think
    return offset, actions


def read_response(s, deadline):
    """Reads one response with Content-Length; True when complete, False on EOF/RST/timeout first."""
    buf = b""
    while True:
        head_end = buf.find(b"\r\n\r\n")
        if head_end >= 0:
            length = 0
            for line in buf[:head_end].split(b"\r\n")[1:]:
                k, _, v = line.partition(b":")
                if k.strip().lower() == b"content-length":
                    length = int(v.strip())
            if len(buf) >= head_end + 4 + length:
                return True
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        s.settimeout(left)
        try:
            chunk = s.recv(65536)
        except OSError:
            return False
        if not chunk:
            return False
        buf += chunk


class Client:
    def __init__(self, ip, port, offset, actions, t0, end):
        self.ip, self.port, self.offset, self.actions = ip, port, offset, actions
        self.t0, self.end = t0, end
        self.sock = None
        self.connections = self.requests = self.retries = 0

    def close(self):
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
            self.sock = None

    def watch_until(self, when):
        """Waits until monotonic time `when`, closing the socket as soon as the server closes it."""
        while True:
            left = when - time.monotonic()
            if left <= 0:
                return
            if self.sock is None:
                time.sleep(min(left, 0.5))
                continue
            r, _, _ = select.select([self.sock], [], [], min(left, 0.5))
            if r:
                try:
                    data = self.sock.recv(65536)
                except OSError:
                    data = b""
                if not data:
                    self.close()

    def connect(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(5)
        s.bind((self.ip, 0))
        s.connect(("127.0.0.1", self.port))
        self.sock = s
        self.connections += 1

    def get(self):
        for attempt in range(2):
            if self.sock is None:
                self.connect()
            try:
                self.sock.sendall(REQUEST)
                ok = read_response(self.sock, time.monotonic() + 5)
            except OSError:
                ok = False
            if ok:
                self.requests += 1
                return
            self.close()
            if attempt == 0:
                self.retries += 1
        raise RuntimeError(f"{self.ip}: request failed twice")

    def run(self):
        self.watch_until(self.t0 + self.offset)
        for n, think in self.actions:
            for _ in range(n):
                self.get()
            self.watch_until(min(time.monotonic() + think, self.t0 + self.end))
            if time.monotonic() >= self.t0 + self.end:
                break
        # The last think time may run past the schedule: keep watching until the server closes or the end.
        while self.sock is not None and time.monotonic() < self.t0 + self.end:
            self.watch_until(min(time.monotonic() + 0.5, self.t0 + self.end))
        self.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--clients", type=int, default=40)
    p.add_argument("--schedule", type=float, default=70)
    p.add_argument("--end", type=float, default=90)
    a = p.parse_args()
    if not 1 <= a.clients <= 200:
        sys.exit("--clients must be 1..200")
    rng = random.Random(a.seed)
    plans = [schedule(rng, a.schedule) for _ in range(a.clients)]
    t0 = time.monotonic()
    clients = [Client(f"127.0.0.{10 + i}", a.port, off, acts, t0, a.end) for i, (off, acts) in enumerate(plans)]
    errors = []

    def run(c):
        try:
            c.run()
        except Exception as e:  # reported below; the thread must not die silently
            errors.append(f"{c.ip}: {e}")
            c.close()

    threads = [threading.Thread(target=run, args=(c,), daemon=True) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(1, a.end + 15 - (time.monotonic() - t0)))
    for c in clients:
        print(f"client={c.ip} connections={c.connections} requests={c.requests} retries={c.retries}")
    if errors or any(t.is_alive() for t in threads):
        sys.exit("whatif-clients: " + "; ".join(errors or ["a client did not finish"]))


if __name__ == "__main__":
    main()
