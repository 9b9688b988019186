#!/usr/bin/env python3
"""HTTP/2 in cleartext for samples/make-samples.sh: a server that answers `Upgrade: h2c` (nginx does not) and a
client that idles on a prior-knowledge connection until the server closes it. Both use the `h2` library (Debian's
python3-h2: a real HTTP/2 implementation, independent of teardown); everything else is the standard library.

Run inside a network namespace (ip netns exec NS python3 tdh2.py ...). Every loop is bounded in count and time;
every socket call has a timeout.

Subcommands
  server --port P [--bind ADDR] [--log FILE] [--idle S] [--timeout S] [--body N]
      Accepts connections (one thread each). A connection must begin with an HTTP/1.1 request carrying
      `Upgrade: h2c` and `HTTP2-Settings` (RFC 7540 section 3.2): the server answers 101 Switching Protocols,
      then speaks HTTP/2, answering the upgrading request on stream 1 and every later request (200, a short
      body, END_STREAM on DATA; --body N: N bytes, in DATA frames as long as the client's SETTINGS_MAX_FRAME_SIZE
      allows, at most 60,000 so that flow control never waits). A connection idle for --idle seconds (default 0:
      never) gets a GOAWAY (NO_ERROR)
      and is closed by the server. Access log: one line per request in the shape of tdnet.py's ACCESS LOGS,
      `port=P conn=ID n=N req_proto=HTTP/1.1|HTTP/2.0 req_conn="..." status=200 "METHOD PATH PROTO"`.
  upgrade --port P [--host ADDR] [--max-frame N]
      An HTTP/1.1 GET with `Upgrade: h2c` whose HTTP2-Settings the h2 library encodes from the client's settings,
      SETTINGS_MAX_FRAME_SIZE N (default 32768) among them (RFC 7540 section 3.2.1); after the 101 the preface and
      SETTINGS, then reads until stream 1 (the answer to the GET) ended, then closes.
  concurrent --port P [--host ADDR] [--streams N] [--first PATH]
      Prior knowledge: the preface and N GETs (streams 1, 3, ...; the first for PATH) in one write, before the
      server's SETTINGS is read, so a server whose SETTINGS_MAX_CONCURRENT_STREAMS is lower refuses the extra
      streams (RST_STREAM REFUSED_STREAM, RFC 9113 section 8.7). Reads until every stream ended or was reset,
      then sends each refused request again, one at a time on new streams (section 8.7 allows it), and closes.
      Prints `refused=K` and `requests=M` (streams the server answered) on stderr.
  client --port P [--host ADDR] [--requests N] [--then close|goaway|idle] [--idle-max S]
      Prior knowledge (RFC 9113 section 3.3): the preface, then N GETs one after the other on streams 1, 3, ...,
      each read to its END_STREAM. When the server's GOAWAY ends the connection before the last (a request
      budget), the client reads to the server's FIN, closes, and goes on with a new connection. After the last
      response: close at once (--then close, the default), send a GOAWAY and close 0.2 s later (goaway), or idle
      until the server closes (idle, at most --idle-max s), then close.
"""
import argparse
import itertools
import socket
import sys
import threading
import time

import h2.config
import h2.connection
import h2.errors
import h2.events
import h2.exceptions
import h2.settings


def log(*a):
    print("tdh2:", *a, file=sys.stderr, flush=True)


BODY = b"hello from tdh2\n"


def respond(conn, stream, body=BODY):
    conn.send_headers(stream, [(":status", "200"), ("content-length", str(len(body))),
                               ("content-type", "text/plain")])
    # As long a DATA frame as the client allows (its SETTINGS_MAX_FRAME_SIZE, from HTTP2-Settings on an upgrade).
    step = conn.max_outbound_frame_size
    for at in range(0, len(body), step):
        conn.send_data(stream, body[at:at + step], end_stream=at + step >= len(body))


def read_head(s, limit_s=5.0):
    buf = b""
    end = time.monotonic() + limit_s
    while b"\r\n\r\n" not in buf and len(buf) < 65536 and time.monotonic() < end:
        d = s.recv(4096)
        if not d:
            break
        buf += d
    head, _, rest = buf.partition(b"\r\n\r\n")
    return head.decode("latin-1"), rest


def serve_one(c, peer, conn_id, a, logf, lock):
    c.settimeout(1.0)
    n = 0

    def access(proto, method, path, req_conn):
        nonlocal n
        n += 1
        if logf:
            with lock:
                logf.write('port=%d conn=%d n=%d req_proto=%s req_conn="%s" status=200 "%s %s %s"\n'
                           % (peer[1], conn_id, n, proto, req_conn, method, path, proto))

    head, rest = read_head(c)
    lines = head.split("\r\n")
    fields = {}
    for ln in lines[1:]:
        k, _, v = ln.partition(":")
        fields[k.strip().lower()] = v.strip()
    method, path, proto = (lines[0].split(" ") + ["", "", ""])[:3]
    if fields.get("upgrade", "").lower() != "h2c" or "http2-settings" not in fields:
        c.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        c.close()
        return
    conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=False))
    conn.initiate_upgrade_connection(fields["http2-settings"])
    access(proto, method, path, fields.get("connection", "-"))
    respond(conn, 1, b"x" * min(a.body, 60000) if a.body else BODY)
    # The 101 and the first frames in one write: the answer on stream 1 leaves before the client's preface can.
    c.sendall(b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"
              + conn.data_to_send())
    pending = rest
    last = time.monotonic()
    end = last + a.timeout
    while time.monotonic() < end:
        if pending:
            data, pending = pending, b""
        else:
            try:
                data = c.recv(65536)
            except socket.timeout:
                if a.idle and time.monotonic() - last >= a.idle:
                    conn.close_connection()   # GOAWAY, NO_ERROR, last stream id = the highest processed
                    c.sendall(conn.data_to_send())
                    break
                continue
            if not data:
                break
        last = time.monotonic()
        for ev in conn.receive_data(data):
            if isinstance(ev, h2.events.RequestReceived):
                hd = {k.decode() if isinstance(k, bytes) else k: v.decode() if isinstance(v, bytes) else v
                      for k, v in ev.headers}
                access("HTTP/2.0", hd.get(":method", "?"), hd.get(":path", "?"), "-")
                respond(conn, ev.stream_id)
            elif isinstance(ev, h2.events.ConnectionTerminated):
                end = 0
        out = conn.data_to_send()
        if out:
            c.sendall(out)
    # Drain what the client still sends, so that no unread byte turns the FIN into a RST.
    c.shutdown(socket.SHUT_WR)
    try:
        while c.recv(65536):
            pass
    except OSError:
        pass
    c.close()


def cmd_server(a):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((a.bind, a.port))
    ls.listen(16)
    ls.settimeout(1.0)
    logf = open(a.log, "a", buffering=1) if a.log else None
    lock = threading.Lock()
    ids = itertools.count(1)
    end = time.monotonic() + a.timeout
    while time.monotonic() < end:
        try:
            c, peer = ls.accept()
        except socket.timeout:
            continue
        threading.Thread(target=serve_one, args=(c, peer, next(ids), a, logf, lock), daemon=True).start()
    ls.close()


def h2_connect(a):
    s = socket.create_connection((a.host, a.port), timeout=5)
    conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True))
    conn.initiate_connection()
    s.sendall(conn.data_to_send())
    return s, conn


def pump(s, conn, until, limit_s):
    """Reads and answers frames until until(event) holds for one (True), the server's GOAWAY or EOF (False)."""
    end = time.monotonic() + limit_s
    while time.monotonic() < end:
        data = s.recv(65536)
        if not data:
            return False
        got = False
        gone = False
        try:
            events = conn.receive_data(data)
        except h2.exceptions.ProtocolError:
            # The h2 library closes its side at the server's GOAWAY and refuses the frames after it (here the
            # response to the last stream the GOAWAY still admits): the connection is over either way.
            events = []
            gone = True
        for ev in events:
            if isinstance(ev, h2.events.DataReceived):
                conn.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
            if until(ev):
                got = True
            if isinstance(ev, h2.events.ConnectionTerminated):
                gone = True
        out = conn.data_to_send()
        if out:
            s.sendall(out)
        if got:
            return True
        if gone:
            return False
    raise SystemExit("tdh2: no answer within %.0f s" % limit_s)


def wait_close(s, conn, limit_s):
    """Reads until the server's FIN (its GOAWAY is read on the way), at most limit_s seconds; then closes."""
    s.settimeout(limit_s)
    t0 = time.monotonic()
    try:
        while time.monotonic() - t0 < limit_s:
            data = s.recv(65536)
            if not data:
                break
            try:
                conn.receive_data(data)
            except h2.exceptions.ProtocolError:
                pass   # frames after the server's GOAWAY (see pump)
    except socket.timeout:
        log("client: the server did not close within %.0f s" % limit_s)
    s.close()
    return time.monotonic() - t0


def get(conn, sid, a, path):
    """A GET for PATH on stream SID, its request complete (END_STREAM)."""
    conn.send_headers(sid, [(":method", "GET"), (":path", path), (":scheme", "http"),
                            (":authority", "%s:%d" % (a.host, a.port))], end_stream=True)


def cmd_client(a):
    s, conn = h2_connect(a)
    for i in range(a.requests):
        sid = conn.get_next_available_stream_id()
        get(conn, sid, a, "/?r=%d" % (i + 1))
        s.sendall(conn.data_to_send())
        answered = pump(s, conn, lambda ev, sid=sid: isinstance(ev, h2.events.StreamEnded) and ev.stream_id == sid, 5)
        if not answered and i + 1 < a.requests:
            # The server's GOAWAY (a request budget): read to its FIN, close, go on with a new connection.
            wait_close(s, conn, 5)
            s, conn = h2_connect(a)
    if a.then == "idle":
        # Idle until the server closes (its GOAWAY, then its FIN), then close.
        log("client: closed after %.1f s idle" % wait_close(s, conn, a.idle_max))
        return
    if a.then == "goaway":
        conn.close_connection()   # the client's GOAWAY, NO_ERROR
        s.sendall(conn.data_to_send())
        time.sleep(0.2)
    s.close()


def cmd_upgrade(a):
    conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True))
    conn.local_settings = h2.settings.Settings(client=True, initial_values={
        h2.settings.SettingCodes.MAX_FRAME_SIZE: a.max_frame})
    conn.max_inbound_frame_size = a.max_frame
    header = conn.initiate_upgrade_connection().decode("ascii").rstrip("=")
    s = socket.create_connection((a.host, a.port), timeout=5)
    s.sendall(("GET /?upgrade HTTP/1.1\r\nHost: %s:%d\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
               "HTTP2-Settings: %s\r\n\r\n" % (a.host, a.port, header)).encode("ascii"))
    head, rest = read_head(s)
    if not head.startswith("HTTP/1.1 101"):
        raise SystemExit("tdh2: no 101 for the upgrade: %r" % head[:40])
    s.sendall(conn.data_to_send())
    ended = lambda ev: isinstance(ev, h2.events.StreamEnded) and ev.stream_id == 1
    got = any(ended(ev) for ev in conn.receive_data(rest)) if rest else False
    out = conn.data_to_send()
    if out:
        s.sendall(out)
    if not got and not pump(s, conn, ended, 5):
        raise SystemExit("tdh2: stream 1 did not end")
    log("upgrade: HTTP2-Settings %s, stream 1 ended" % header)
    s.close()


def cmd_concurrent(a):
    s, conn = h2_connect(a)
    waiting = set()
    for i in range(a.streams):
        sid = conn.get_next_available_stream_id()
        get(conn, sid, a, a.first if i == 0 else "/?c=%d" % (i + 1))
        waiting.add(sid)
    s.sendall(conn.data_to_send())
    refused = []
    answered = [0]

    def settle(ev):
        if isinstance(ev, h2.events.StreamEnded) and ev.stream_id in waiting:
            waiting.discard(ev.stream_id)
            answered[0] += 1
        if isinstance(ev, h2.events.StreamReset) and ev.stream_id in waiting:
            waiting.discard(ev.stream_id)
            if ev.error_code == h2.errors.ErrorCodes.REFUSED_STREAM:
                refused.append(ev.stream_id)
        return not waiting

    if not pump(s, conn, settle, 10):
        raise SystemExit("tdh2: the connection ended before every stream was settled")
    for old in refused:
        sid = conn.get_next_available_stream_id()
        get(conn, sid, a, "/?again=%d" % old)
        s.sendall(conn.data_to_send())
        if pump(s, conn, lambda ev, sid=sid: isinstance(ev, h2.events.StreamEnded) and ev.stream_id == sid, 5):
            answered[0] += 1
    log("concurrent: refused=%d requests=%d" % (len(refused), answered[0]))
    s.close()


def main():
    p = argparse.ArgumentParser()
    sp = p.add_subparsers(dest="cmd", required=True)
    s = sp.add_parser("server")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--bind", default="127.0.0.1")
    s.add_argument("--log", default="")
    s.add_argument("--idle", type=float, default=0)
    s.add_argument("--timeout", type=float, default=60)
    s.add_argument("--body", type=int, default=0)
    c = sp.add_parser("client")
    c.add_argument("--port", type=int, required=True)
    c.add_argument("--host", default="127.0.0.1")
    c.add_argument("--requests", type=int, default=1)
    c.add_argument("--idle-max", type=float, default=10)
    c.add_argument("--then", choices=["close", "goaway", "idle"], default="close")
    u = sp.add_parser("upgrade")
    u.add_argument("--port", type=int, required=True)
    u.add_argument("--host", default="127.0.0.1")
    u.add_argument("--max-frame", type=int, default=32768)
    k = sp.add_parser("concurrent")
    k.add_argument("--port", type=int, required=True)
    k.add_argument("--host", default="127.0.0.1")
    k.add_argument("--streams", type=int, default=4)
    k.add_argument("--first", default="/")
    a = p.parse_args()
    {"server": cmd_server, "client": cmd_client, "concurrent": cmd_concurrent, "upgrade": cmd_upgrade}[a.cmd](a)


if __name__ == "__main__":
    main()
