#!/usr/bin/env python3
"""Small stdlib-only helpers for samples/make-samples.sh and scripts/kernel-truth.sh.

Run inside a network namespace (ip netns exec NS python3 tdnet.py ...). Every loop is bounded in
count and time; every socket call has a timeout.

Subcommands
  server MODE --port P [--bind ADDR] [--count N] [--timeout S]
      close-first  read the request, send a reply, close (server FIN first)
      half-close   read to EOF (the client's FIN), then send several chunks, then close
      unread-rst   wait until request bytes are queued, close WITHOUT reading them (-> RST)
      pyhttp       what `python3 -m http.server` runs (ThreadingHTTPServer + SimpleHTTPRequestHandler,
                   --protocol HTTP/1.0 by default, --dir DIR), plus an access log (--log FILE) whose
                   lines name the client port and count the requests per connection (see ACCESS LOGS)
  client MODE --port P [--host ADDR] [...]
      linger-rst   send an HTTP request, read the reply, SO_LINGER(1,0), close (-> RST)
      half-close   send a request, shutdown(SHUT_WR), read to EOF, close
      send-expect-rst  send data, wait for the peer's RST (ECONNRESET) or EOF
      port-reuse   bind --sport, connect, read to EOF, close; repeat --repeat times
      idle         --requests N (default 1) HTTP/1.1 GETs one after the other on one connection,
                   then idle until the server closes (max --idle-max s), close
      http         HTTP/1.1 or 1.0 GET (--http10, --conn-close), read reply (--wait-eof: then
                   read until the server's FIN), close
      keepalive    --requests N HTTP/1.1 GETs one after the other on one connection; when a response
                   says Connection: close, read to the server's FIN, close, and go on with a new
                   connection; after the last response close (the client closes). One port per line.
      pipeline     --requests N GETs written in ONE send(), read the N responses, then one more GET
                   with Connection: close, read it and wait for the server's FIN, close
      --src ADDR   (any mode) bind this local address (a client host of its own on loopback: 127.0.0.3)
      --path P     (http) the request's path
      --tls        (any mode) speak TLS: python's ssl module (the system OpenSSL), no certificate check,
                   SNI --sni NAME, ALPN http/1.1, --tls-max 1.2 to stop at TLS 1.2. Python's close() sends
                   no close_notify: the client's FIN is its only goodbye.
  simclose --port P [--tbf] [--tries N]
      A listening socket and a client in one process; both sides shutdown(SHUT_WR) "at once".
      With --tbf a slow tbf qdisc is put on lo and a UDP filler datagram queued first, so both FINs
      are built before either is delivered: the FINs cross deterministically.
  expect --pcap FILE --ss FILE [--access-log FILE ...] [--persistent-server-close REASON]
         [--not-http-port P ...] [--encrypted]
      One line per client connection: client_port=P time_wait_side=client|server|both|none.
      Connections are enumerated from the capture's SYNs (tcpdump -r), the holder from the ss
      snapshot (ss -tanH state time-wait). With --access-log the line also gets
      http_requests=N (the server's own count of requests on that connection) and close_reason=
      (see CLOSE REASON), and a comment line with what the server logged for that connection.
  crossed --pcap FILE
      Exit 0 if the capture holds a connection whose two FINs do not acknowledge each other.

ACCESS LOGS
  One line per request, fields key=value separated by spaces, the request line in double quotes:
    port=<client port>  n=<requests on this connection so far, 1-based> or k=<0-based (lighttpd %k)>
    conn=<server's connection id, optional>  req_proto=  req_conn=<request's Connection or ->
    resp_proto=, resp_conn= (optional: the response's version and Connection, if the server can log them)
  nginx:    log_format td 'port=$remote_port conn=$connection n=$connection_requests '
                          'req_proto=$server_protocol req_conn="$http_connection" status=$status "$request"';
            (no $sent_http_connection: nginx 1.22 clears r->keepalive before its log phase, so it
            logs "close" for every response, also for the keep-alive ones)
  lighttpd: accesslog.format = "port=%{remote}p k=%k req_proto=%H req_conn=\"%{Connection}i\"
                                resp_conn=\"%{Connection}o\" status=%>s \"%r\""
            (lighttpd 1.4.69 has %{remote}p for the client port and %k, the number of earlier
            keep-alive requests on the connection; it buffers the log until it stops)
  pyhttp:   written by this script in the same shape (conn= is the handler instance).
  A port's connection starts again where conn= changes or n=1 (k=0); http_requests is the
  largest n of the port's LAST connection (the Java tests also compare the last row per port).

CLOSE REASON (the CSV column close_reason; from the holder in ss and the server's log)
  side=both -> simultaneous; side=client -> client-close; side=none -> client-abort or
  server-abort by the sender of the connection's first RST (tcpdump), when a RST came before any
  FIN; side=server -> by the LAST logged exchange on that connection (the request's version and
  Connection from the server's log, the response's from the capture: tcpdump -A, the last status
  line the server sent and its Connection header), in the order of
  src/main/java/dev/teardown/http/package-info.java, the request first (servers echo it):
  Connection: close in the request -> client-requested-close; HTTP/1.0 request without keep-alive
  -> http10-close (both even when the response says close too); Connection: close in the response
  -> server-close-announced; HTTP/1.0 response without keep-alive -> http10-close; else the
  connection was persistent -> --persistent-server-close (e.g. server-idle-timeout), or no
  close_reason if not given. Connections are found by their SYNs, so teardown's begun-before-capture
  (no handshake captured) never arises here.
  Ports given as --not-http-port: close_reason=not-http, no http_requests. --server-close PORT=REASON gives
  the reason for persistent connections the server on PORT closed (instead of --persistent-server-close):
  HTTP/2, where the log cannot tell a GOAWAY for a request budget (server-goaway) from an idle close.
  --encrypted (HTTPS: teardown sees no request, only encrypted turns): the line gets exchanges=N (the
  server's request count: one exchange per request, nothing pipelined) instead of http_requests, and
  side=server maps to what can be known without keys: a request that said Connection: close (server
  log) -> server-close-encrypted (the reason is in the encrypted headers); else
  --persistent-server-close when given (the idle scenarios: the client waited, the server's timer
  closed); else client-close-notify (a keep-alive connection the client ended: curl sends its TLS
  close_notify when it exits, and the server closes its side at once). side=none after the server's FIN
  came first (a RST then ended it) and a request that said Connection: close -> server-close-encrypted.
  A connection the log does not know gets no http_requests and no close_reason.
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


def read_http_response_buf(s, buf, limit_s=5.0):
    """Read one response (Content-Length framing) from buf + socket; returns (response, rest)."""
    end = time.monotonic() + limit_s
    while b"\r\n\r\n" not in buf and time.monotonic() < end:
        s.settimeout(max(0.05, end - time.monotonic()))
        d = s.recv(65536)
        if not d:
            return b"", buf
        buf += d
    head, sep, body = buf.partition(b"\r\n\r\n")
    if not sep:
        return b"", buf
    m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    n = int(m.group(1)) if m else 0
    while len(body) < n and time.monotonic() < end:
        s.settimeout(max(0.05, end - time.monotonic()))
        d = s.recv(65536)
        if not d:
            break
        body += d
    return head + b"\r\n\r\n" + body[:n], body[n:]


def announces_close(resp):
    head = resp.split(b"\r\n\r\n", 1)[0]
    return any(b"close" in [t.strip().lower() for t in m.split(b",")]
               for m in re.findall(rb"(?im)^connection:\s*([^\r\n]*)", head))


def http_req(host, port, path="/", http10=False, close=False):
    v = "HTTP/1.0" if http10 else "HTTP/1.1"
    h = "[%s]" % host if ":" in host else host
    r = "GET %s %s\r\nHost: %s:%d\r\nUser-Agent: tdnet\r\n" % (path, v, h, port)
    if close:
        r += "Connection: close\r\n"
    return (r + "\r\n").encode()


# ---------------------------------------------------------------- servers

def cmd_pyhttp(a):
    """python3 -m http.server's classes and defaults, with a per-connection access log."""
    import functools
    import http.server
    import itertools
    ids = itertools.count(1)
    logf = open(a.log, "a", buffering=1) if a.log else None

    class Handler(http.server.SimpleHTTPRequestHandler):
        def setup(self):
            super().setup()
            self.td_conn = next(ids)
            self.td_n = 0

        def handle_one_request(self):
            self.td_code = None
            self.td_resp_conn = "-"
            super().handle_one_request()
            if self.td_code is not None and logf:
                self.td_n += 1
                logf.write('port=%d conn=%d n=%d req_proto=%s req_conn="%s" resp_proto=%s resp_conn="%s" '
                           'status=%s "%s"\n' % (
                               self.client_address[1], self.td_conn, self.td_n, self.request_version,
                               (self.headers.get("Connection", "-") if self.headers else "-"),
                               self.protocol_version, self.td_resp_conn, self.td_code, self.requestline))

        def send_header(self, keyword, value):
            if keyword.lower() == "connection":
                self.td_resp_conn = value
            super().send_header(keyword, value)

        def log_request(self, code="-", size="-"):
            self.td_code = int(code) if str(code).isdigit() else code
            super().log_request(code, size)

    Handler.protocol_version = a.protocol
    fam = family_of(a.bind)
    http.server.ThreadingHTTPServer.address_family = fam
    handler = functools.partial(Handler, directory=a.dir)
    with http.server.ThreadingHTTPServer((a.bind, a.port), handler) as httpd:
        httpd.timeout = 1.0
        end = time.monotonic() + a.timeout
        while time.monotonic() < end:   # bounded: serve until --timeout (or SIGTERM)
            httpd.handle_request()


def cmd_server(a):
    if a.mode == "pyhttp":
        return cmd_pyhttp(a)
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

def connect(host, port, sport=0, reuse=False, tls=None, src=None):
    fam = family_of(host)
    s = socket.socket(fam, socket.SOCK_STREAM)
    if reuse:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if sport or src:
        s.bind((src or host, sport))
    s.settimeout(5)
    s.connect((host, port))
    if tls is not None:
        s = tls.wrap_socket(s, server_hostname=TLS_SNI)
    return s


TLS_SNI = None


def tls_context(a):
    """A client context for a throw-away self-signed server: no verification, SNI and ALPN as given."""
    import ssl
    global TLS_SNI
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    if a.tls_max == "1.2":
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_alpn_protocols(["http/1.1"])
    TLS_SNI = a.sni
    return ctx


def cmd_client(a):
    tls = tls_context(a) if a.tls else None
    for i in range(a.repeat):
        s = connect(a.host, a.port, a.sport, reuse=bool(a.sport), tls=tls, src=a.src)
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
            for k in range(a.requests):
                s.sendall(http_req(a.host, a.port, path="/?idle=%d" % (k + 1)))
                read_http_response(s)
            t0 = time.monotonic()
            try:
                rest = recv_all(s, limit_s=a.idle_max)
                log("idle client: server closed after %.2fs idle (%d extra bytes)" % (time.monotonic() - t0, len(rest)))
            except (ConnectionResetError, OSError) as e:   # ssl.SSLError is an OSError: a FIN without close_notify
                log("idle client: %s after %.2fs" % (type(e).__name__, time.monotonic() - t0))
            s.close()
        elif a.mode == "keepalive":
            done = 0
            while True:
                resp = b""
                while done < a.requests:
                    done += 1
                    s.sendall(http_req(a.host, a.port, path="/?req=%d" % done))
                    resp = read_http_response(s)
                    if not resp:
                        raise SystemExit("keepalive client: no response to request %d" % done)
                    if announces_close(resp):
                        break
                if announces_close(resp):
                    recv_all(s, limit_s=5.0)   # wait for the server's FIN: the server closes first
                s.close()
                print(lp, flush=True)
                if done >= a.requests:
                    break
                s = connect(a.host, a.port, tls=tls, src=a.src)
                lp = s.getsockname()[1]
            continue
        elif a.mode == "pipeline":
            s.sendall(b"".join(http_req(a.host, a.port, path="/?pipelined=%d" % (k + 1)) for k in range(a.requests)))
            buf = b""
            for k in range(a.requests):
                resp, buf = read_http_response_buf(s, buf)
                if not resp:
                    raise SystemExit("pipeline client: response %d missing" % (k + 1))
            s.sendall(http_req(a.host, a.port, path="/?last=1", close=True))
            resp, buf = read_http_response_buf(s, buf)
            if not resp:
                raise SystemExit("pipeline client: no response to the Connection: close request")
            recv_all(s, limit_s=5.0)   # to the server's FIN
            s.close()
        elif a.mode == "http":
            s.sendall(http_req(a.host, a.port, path=a.path, http10=a.http10, close=a.conn_close))
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


LOGKV = re.compile(r'(\w+)=("[^"]*"|\S+)')


def parse_access_log(path):
    """{client_port: [connection, ...]}; a connection is a list of request dicts, in log order."""
    conns = {}
    for ln in open(path, errors="replace"):
        req_line = ""
        m = re.search(r'"([A-Z]+ [^"]*)"\s*$', ln)
        if m:
            req_line = m.group(1)
            ln = ln[:m.start()]
        d = {k: v.strip('"') for k, v in LOGKV.findall(ln)}
        if "port" not in d or not d["port"].isdigit():
            continue
        if "n" in d:
            n = int(d["n"])
        elif "k" in d:
            n = int(d["k"]) + 1
        else:
            continue
        d["n"] = n
        d["request"] = req_line
        lst = conns.setdefault(int(d["port"]), [])
        new_conn = not lst or n == 1 or ("conn" in d and d.get("conn") != lst[-1][-1].get("conn"))
        if new_conn:
            lst.append([d])
        else:
            lst[-1].append(d)
    return conns


def tokens(v):
    return [t.strip().lower() for t in (v or "").split(",") if t.strip() and t.strip() != "-"]


def server_close_reason(last, persistent_reason):
    """Why the server closed after its LAST logged exchange (package-info.java's order: the request's
    reasons first, so a close the client asked for stays the client's when the server echoes it)."""
    if "close" in tokens(last.get("req_conn")):
        return "client-requested-close"
    if last.get("req_proto") == "HTTP/1.0" and "keep-alive" not in tokens(last.get("req_conn")):
        return "http10-close"
    if "close" in tokens(last.get("resp_conn")):
        return "server-close-announced"
    if last.get("resp_proto") == "HTTP/1.0" and "keep-alive" not in tokens(last.get("resp_conn")):
        return "http10-close"
    return persistent_reason


HDR = re.compile(r"IP6? (\S+)\.(\d+) > (\S+)\.(\d+): Flags \[([^\]]*)\]")
STATUS = re.compile(r"(HTTP/1\.[01]) [1-5]\d\d[ .]")
CONNHDR = re.compile(r"^connection:[ \t]*(.*)$", re.I)


def wire_facts(pcap):
    """From the capture (tcpdump -A, not teardown's parser), per (client_port, server_port), for the
    last connection on that tuple: 'close' = (who, 'F'|'R') of its first FIN or RST, and 'resp' =
    {'resp_proto', 'resp_conn'} of the last response status line the server sent (its Connection
    header, '-' if none). Good enough for small, in-order loopback captures."""
    out = {}
    syn_clients = set()
    out_txt = subprocess.run(["tcpdump", "-r", pcap, "-nn", "-A"], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True, errors="replace", timeout=30).stdout
    cur = None   # (key, who) of the packet whose payload lines follow
    for ln in out_txt.splitlines():
        m = HDR.search(ln)
        if m and re.match(r"^\d\d:\d\d:\d\d\.\d+ IP", ln):
            flags = m.group(5)
            sp, dp = int(m.group(2)), int(m.group(4))
            if "S" in flags and "." not in flags:
                syn_clients.add((m.group(1), sp))
                out[(sp, dp)] = {"close": None, "resp": None}   # a new connection on this tuple
                cur = None
                continue
            if (m.group(1), sp) in syn_clients:
                key, who = (sp, dp), "client"
            else:
                key, who = (dp, sp), "server"
            st = out.setdefault(key, {"close": None, "resp": None})
            if ("F" in flags or "R" in flags) and st["close"] is None:
                st["close"] = (who, "R" if "R" in flags else "F")
            cur = (key, who)
            continue
        if cur is None or cur[1] != "server":
            continue
        st = out[cur[0]]
        sm = STATUS.search(ln)
        if sm:
            st["resp"] = {"resp_proto": sm.group(1), "resp_conn": "-"}
            continue
        cm = CONNHDR.match(ln)
        if cm and st["resp"] is not None:
            v = cm.group(1)
            st["resp"]["resp_conn"] = v[:-1] if v.endswith(".") else v   # tcpdump -A prints CR as '.'
    return out


def cmd_expect(a):
    rows = ss_rows(a.ss)
    conns = syn_conns(a.pcap)
    logs = {}
    for path in a.access_log or []:
        for port, lst in parse_access_log(path).items():
            logs.setdefault(port, []).extend(lst)
    not_http = set(a.not_http_port or [])
    per_port = {int(k): v for k, v in (x.split("=", 1) for x in a.server_close or [])}
    wire = wire_facts(a.pcap) if a.access_log else {}
    done = set()
    for (_cip, cport, _sip, sport) in conns:
        if (cport, sport) in done:
            continue  # same 4-tuple used again (port reuse): one line per client port
        done.add((cport, sport))
        client = (cport, sport) in rows
        server = (sport, cport) in rows
        side = "both" if client and server else "client" if client else "server" if server else "none"
        line = "client_port=%d time_wait_side=%s" % (cport, side)
        if sport in not_http:
            line += " close_reason=not-http"
        elif a.access_log:
            lst = logs.get(cport)
            if not lst:
                print("# client port %d: the server logged no request" % cport)
                log("expect: client port %d: no access-log line" % cport)
            else:
                last_conn = lst[-1]
                last = dict(last_conn[-1])
                w = wire.get((cport, sport)) or {}
                logged_resp = (last.get("resp_proto", ""), last.get("resp_conn", ""))
                if w.get("resp") and not a.encrypted:
                    last.update(w["resp"])   # the response's headers as sent (see ACCESS LOGS)
                nreq = max(r["n"] for r in last_conn)
                if nreq != len(last_conn):
                    log("expect: client port %d: %d log lines but n up to %d" % (cport, len(last_conn), nreq))
                reason = None
                if side == "both":
                    reason = "simultaneous"
                elif side == "client":
                    reason = "client-close"
                elif side == "server" and a.encrypted:
                    reason = ("server-close-encrypted" if "close" in tokens(last.get("req_conn"))
                              else a.persistent_server_close or "client-close-notify")
                elif side == "server":
                    reason = server_close_reason(last, per_port.get(sport, a.persistent_server_close))
                else:
                    c = w.get("close")
                    if c and c[1] == "R":
                        reason = c[0] + "-abort"
                    elif c == ("server", "F") and a.encrypted and "close" in tokens(last.get("req_conn")):
                        # The server's FIN came first, then a RST took its TIME-WAIT (curl's close_notify
                        # reaching nginx's closed socket): the close is still the server's.
                        reason = "server-close-encrypted"
                print('# client port %d: the server logged %d request(s) on this connection, the last "%s" '
                      "(Connection: %s); its response (capture): %s, Connection: %s%s; kernel: TIME-WAIT held by %s"
                      % (cport, nreq, last.get("request", ""),
                         last.get("req_conn", "-") or "-", last.get("resp_proto", "?"),
                         last.get("resp_conn", "-") or "-",
                         "" if not logged_resp[1] or logged_resp[1] == last.get("resp_conn") else
                         " (server log: %s)" % logged_resp[1],
                         {"none": "nobody", "both": "both sides"}.get(side, "the " + side)))
                line += (" exchanges=%d" if a.encrypted else " http_requests=%d") % nreq
                if reason:
                    line += " close_reason=%s" % reason
        print(line)


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
    s.add_argument("--protocol", default="HTTP/1.0")
    s.add_argument("--dir", default=".")
    s.add_argument("--log", default="")
    c = sp.add_parser("client")
    c.add_argument("mode")
    c.add_argument("--port", type=int, required=True)
    c.add_argument("--host", default="127.0.0.1")
    c.add_argument("--sport", type=int, default=0)
    c.add_argument("--src", default=None)
    c.add_argument("--path", default="/")
    c.add_argument("--repeat", type=int, default=1)
    c.add_argument("--gap", type=float, default=0.2)
    c.add_argument("--idle-max", type=float, default=10)
    c.add_argument("--http10", action="store_true")
    c.add_argument("--conn-close", action="store_true")
    c.add_argument("--wait-eof", action="store_true")
    c.add_argument("--requests", type=int, default=1)
    c.add_argument("--tls", action="store_true")
    c.add_argument("--sni", default=None)
    c.add_argument("--tls-max", default=None, choices=["1.2"])
    m = sp.add_parser("simclose")
    m.add_argument("--port", type=int, required=True)
    m.add_argument("--host", default="127.0.0.1")
    m.add_argument("--tbf", action="store_true")
    m.add_argument("--race", action="store_true")
    m.add_argument("--tries", type=int, default=1)
    e = sp.add_parser("expect")
    e.add_argument("--pcap", required=True)
    e.add_argument("--ss", required=True)
    e.add_argument("--access-log", action="append")
    e.add_argument("--persistent-server-close", default=None)
    e.add_argument("--not-http-port", type=int, action="append")
    e.add_argument("--encrypted", action="store_true")
    e.add_argument("--server-close", action="append")
    x = sp.add_parser("crossed")
    x.add_argument("--pcap", required=True)
    a = p.parse_args()
    {"server": cmd_server, "client": cmd_client, "simclose": cmd_simclose,
     "expect": cmd_expect, "crossed": cmd_crossed}[a.cmd](a)


if __name__ == "__main__":
    main()
