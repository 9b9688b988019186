/**
 * The HTTP/1.x stage: per connection, an in-order stream of each direction, an incremental, bounded
 * message-head parser, request/response pairing, and the reason the connection ended; for connections whose
 * first bytes are TLS, on any port, the same streams fed to the TLS record layer ({@code dev.teardown.tls}); and
 * for connections that speak HTTP/2 in cleartext, the streams handed to its frame layer ({@code dev.teardown.h2}).
 *
 * <h2>Pipeline contract</h2>
 * {@link dev.teardown.http.HttpTracker#onSegment} is called with every segment, after the teardown stage
 * applied it to its {@link dev.teardown.teardown.Connection}; the state lives in the connection's own
 * {@link dev.teardown.http.HttpConnection}, made by {@link dev.teardown.http.HttpTracker#open} when the
 * tracker opens the connection. The stage finishes itself as soon as the connection is finished (both FINs
 * acknowledged, or a RST: no byte of that lifetime is still to come, RFC 9293 section 3.6), and later segments
 * (strays during TIME_WAIT) change nothing; when the connection is handed on, the pipeline calls
 * {@link dev.teardown.http.HttpTracker#finish} (it delivers data still held behind a hole and ends a body
 * delimited by the server's close; a no-op if already done), then {@link dev.teardown.http.HttpTracker#outcome},
 * which classifies and changes nothing.
 *
 * <h2>Streams</h2>
 * In-order payload is parsed in place in the frame buffer. Retransmitted and overlapping bytes are parsed
 * once (wrap-safe sequence numbers). Out-of-order segments are copied and held (default 4 segments, 64 KiB
 * per direction); the hole before them becomes a {@code STREAM_GAP} when that bound is passed, when the
 * peer acknowledged past the hole (the capture missed bytes the receiver got), or at the end. Bytes cut
 * off by the snapshot length are a gap too. A gap inside a body of known length keeps the framing; any
 * other gap, and any malformed message ({@code BAD_MESSAGE}, {@code LINE_TOO_LONG}, {@code HEAD_TOO_LARGE}),
 * makes the direction skip until a segment that starts like a message ({@code METHOD SP target} in upper
 * case, or {@code HTTP/1.x NNN}). A lost stretch of responses also forgets the requests waiting for them.
 * Only the part of a line that is split across segments is copied; bodies are skipped by length.
 *
 * <h2>Messages (RFC 9112)</h2>
 * Body length by RFC 9112 section 6.3: responses to HEAD, 1xx, 204 and 304 have none; {@code 101} and a
 * 2xx answer to CONNECT end HTTP parsing; chunked wins over Content-Length; a response with neither runs
 * until the server closes. 1xx other than 101 are interim (counted apart, not paired). Pipelined requests
 * pair with final responses in order; a final response seen before its request (capture order across
 * directions) pairs with the next request that arrives. The first bytes of each side decide "not HTTP":
 * a client must begin with a method token and a space, a server with {@code HTTP/1.}; a side's first line
 * failing to parse as a start line means the same. Either makes the connection {@code not-http} and ends
 * all work on it. The exception is a first line that began strictly like a message start and only outgrew
 * the line or head limit (a megabyte URL): that is HTTP, counted as {@code LINE_TOO_LONG} or
 * {@code HEAD_TOO_LARGE}, and the direction resynchronises as after any malformed message. A side whose capture began mid-stream (or whose first bytes were lost) is not judged by
 * its first bytes: it resynchronises, and is {@code not-http} only if a segment starting with a TLS record
 * header (type 20-24, version 3.x) comes before any HTTP start line.
 *
 * <h2>TLS</h2>
 * When the bytes that made a connection {@code not-http} began like TLS (a side's first bytes a handshake record,
 * content type 22 and version 3.x as far as they go; or, where the capture joined midway, a segment starting with
 * a record header), and neither side's HTTP start line ever parsed, the HTTP conversation is dropped and a {@code TlsConversation}
 * takes the connection from the segment in hand: the same stream assembly, feeding a
 * {@link dev.teardown.tls.TlsSession}. If its records then show it was not TLS after all, the connection is
 * {@code not-http}. A TLS connection's outcome has empty HTTP fields, its {@link dev.teardown.tls.TlsOutcome}, the
 * idle time from the last record that was not an alert, and the close reason below; its record-layer problems are
 * {@code STREAM_GAP}, {@code TLS_BAD_RECORD}, {@code TLS_BAD_HELLO} and {@code TLS_HELLO_TOO_LARGE}.
 *
 * <h2>HTTP/2 in cleartext</h2>
 * The HTTP/1.x decoders hand a direction's bytes on to a {@link dev.teardown.h2.H2Session} (they "tunnel"): from
 * the client's first line when it is the preface's {@code PRI * HTTP/2.0} (the line is buffered across segments like
 * any other, so the preface is found wherever the segments split it) and from the server's first byte when it begins
 * a SETTINGS frame, while neither side has parsed an HTTP/1.x start line (RFC 9113 section 3.3); and right after
 * the head of a {@code 101} whose {@code Upgrade} names {@code h2c} (RFC 7540 section 3.2), the client's bytes after
 * its request. If the session then finds the bytes were not HTTP/2, the connection is {@code not-http}. The
 * outcome counts streams as requests and responses, idle time from the last frame of a stream, and the close
 * reasons below.
 *
 * <h2>Persistence (RFC 9112 section 9.3)</h2>
 * After each exchange, the first of these that applies: {@code close} in the request's Connection header;
 * an HTTP/1.0 request without {@code keep-alive}; {@code close} in the response's Connection header; an
 * HTTP/1.0 response without {@code keep-alive}; a response body delimited by the close; otherwise the
 * connection persists. The request's reasons come first because servers repeat them: nginx and lighttpd
 * answer both a request's {@code Connection: close} and an HTTP/1.0 request with {@code Connection: close},
 * and the close is still what the client asked for. {@code persistent_expected} is the last exchange's answer
 * (the order does not change it).
 *
 * <h2>close_reason</h2>
 * The close initiator and type come from {@link dev.teardown.teardown.Teardown}. {@code idle} is the time
 * from the end of the last HTTP message, in either direction, to the first FIN or RST. The first rule that
 * matches gives the value:
 * <ol>
 * <li>{@code not-http}: a side's first bytes are neither HTTP/1.x, HTTP/2 nor TLS (SSH, SMTP...).
 * <li>{@code not-closed}: no FIN and no RST (close type {@code none}).
 * <li>{@code client-abort} / {@code server-abort}: a RST ended the connection before any FIN (close type
 *     {@code rst}); the side is the RST's sender. This includes a close with unread data (Linux sends RST
 *     instead of FIN) and a request crossing a server's idle close.
 * <li>{@code upgraded}: the connection switched protocols (101) or became a CONNECT tunnel.
 * <li>{@code close-mid-message}: at the end a request or response head was partial, a body was short of
 *     its length or last chunk, or a request had no final response; whoever closed. A body delimited by
 *     the close is complete when the server's FIN was seen.
 * <li>{@code begun-before-capture} / {@code no-exchange}: no request/response exchange completed (no
 *     payload at all, or none the parser could place, e.g. a capture that began inside a body).
 *     {@code begun-before-capture} when the capture missed the connection's handshake ({@code handshake}
 *     {@code midstream}: neither SYN seen), so exchanges before the capture began are unknown: typically an
 *     idle keep-alive connection open when the capture started, closed later by the server's idle timeout.
 *     {@code no-exchange} otherwise: the handshake was seen (a capture that began at the SYN-ACK missed only
 *     the SYN, which carries no request), so the connection really carried none.
 * <li>{@code simultaneous}: the FINs crossed (initiator {@code both}).
 * <li>{@code client-close}: the client closed first; {@code persistent_expected} tells whether it closed
 *     a persistent connection or won the race to close a non-persistent one; the idle time is its own
 *     column.
 * <li>The server closed first, by the last exchange's persistence (the order above: the request first, so
 *     the client's intent wins when the server repeats it):
 *   <ul>
 *   <li>{@code client-requested-close}: the request said {@code Connection: close}, whatever the response
 *       said.
 *   <li>{@code http10-close}: the request was HTTP/1.0 without keep-alive, whatever the response said; or
 *       the client asked to persist and the response was HTTP/1.0 without keep-alive.
 *   <li>{@code server-close-announced}: the client asked to persist (HTTP/1.1 without {@code close}, or
 *       HTTP/1.0 with {@code keep-alive}), and the response said {@code Connection: close} or its body ran
 *       until the close: the server decided (a request budget, an error, a shutdown).
 *   <li>{@code server-idle-timeout}: persistent, and idle at least the timeout floor: the advertised
 *       {@code Keep-Alive: timeout=N} minus 1 s (coarse timers, e.g. lighttpd checks once a second), or 1 s
 *       when no timeout was advertised.
 *   <li>{@code server-close-unannounced}: persistent, and idle shorter than that floor (or unknown): the
 *       server closed a connection its last response promised to keep, too soon to be its idle timeout
 *       (a restart, a request limit it did not announce, a crash). A real idle timeout under 1 s, when not
 *       advertised, is reported here.
 *   </ul>
 * </ol>
 * On TLS, where requests and headers are encrypted, the same order with what is known without keys: the rules up
 * to {@code client-close}, where {@code close-mid-message} means the client's last application data went
 * unanswered and an exchange is an encrypted turn; then, the server having closed first:
 * <ul>
 * <li>{@code client-close-notify}: the client's closing alert came before any of the server's (TLS close_notify;
 *     the server closed its side at once);
 * <li>{@code server-idle-timeout}: idle at least 1 s (nothing is advertised in clear);
 * <li>{@code server-close-encrypted}: otherwise: the server closed soon after a response, for a reason in the
 *     encrypted headers.
 * </ul>
 *
 * On HTTP/2 (cleartext), the same order from its frames: the rules up to {@code client-close}, where
 * {@code close-mid-message} means a client stream still waited for the server's END_STREAM and an exchange is a
 * request; then, the server having closed first:
 * <ul>
 * <li>{@code client-goaway}: the client's GOAWAY came before any of the server's;
 * <li>{@code server-idle-timeout}: idle at least 1 s (HTTP/2 advertises no timeout);
 * <li>{@code server-goaway}: the server's GOAWAY came first, sooner than that (a request budget, a shutdown);
 * <li>{@code server-close-unannounced}: neither.
 * </ul>
 *
 * <h2>Memory per connection</h2>
 * Nothing until a SYN; the initial sequence numbers until the first payload; then a conversation of about
 * 1 KiB (a TLS conversation: two streams and a session of a few hundred bytes, plus a hello of at most 16 KiB
 * per direction while it arrives), plus per direction a line buffer only while a line is split across segments
 * (at most {@code maxLineBytes}; a buffer grown past 1 KiB is dropped after its line) and at most
 * {@code maxHeldSegments}/{@code maxHeldBytes} of out-of-order data. Once the conversation is finished (most
 * connections held are waiting out TIME_WAIT) its decoders, streams and buffers are dropped and only the facts for
 * the outcome stay, about 150 bytes. A connection found not to be HTTP keeps one shared marker.
 *
 * <h2>Untrusted text</h2>
 * The only wire text kept is Connection tokens and Keep-Alive parameters: tchar bytes (tokens and names
 * lower-cased), '=' and ',' only, at most {@code maxValueChars} (64) characters each.
 */
package dev.teardown.http;
