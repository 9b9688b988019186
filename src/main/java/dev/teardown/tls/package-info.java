/**
 * TLS without keys: the record layer of each direction, the cleartext hellos, and the request/response turns of
 * the encrypted application data, for the HTTP stage to use on connections that turn out to be TLS.
 *
 * <h2>Records (RFC 8446 section 5.1, RFC 5246 section 6.2)</h2>
 * Each direction is framed from its in-order stream by 5-byte headers (content type, legacy version, 16-bit
 * length); records may span segments and segments may hold many records. A header is valid when its type is
 * 20-24, its version 3.0-3.4, its length at most 2^14 + 2048 (RFC 5246 section 6.2.3), and only application data
 * is empty. A direction whose header is invalid, or that loses bytes outside a record body, is lost: it resumes at
 * the next delivered chunk (in practice the next segment) that begins with a valid header of the version its
 * records had. A hole inside a body of known length costs nothing but what it held. Bytes sent while lost are not
 * records and count for nothing.
 *
 * <h2>Hellos</h2>
 * The client's first handshake message must be a ClientHello, the server's a ServerHello (or a HelloRetryRequest,
 * then the next one); each is kept while it arrives, at most 16 KiB, and parsed strictly ({@code Hellos}): the
 * SNI {@code host_name}, the offered ALPN protocols and versions, the session id and the resumption extensions;
 * from the ServerHello the version (its {@code supported_versions} first), the selected ALPN (TLS 1.2 and
 * earlier only: TLS 1.3 sends it in the encrypted EncryptedExtensions) and whether it resumed. Wire text keeps
 * printable ASCII; other bytes, backslash and comma become {@code \xNN}; at most 256 characters a field.
 *
 * <h2>Not TLS</h2>
 * Until a hello has been parsed or a side has framed two records, an invalid header or a first handshake message of
 * the wrong type means the bytes were not TLS after all: the session says {@code NOT_TLS}. After that they are
 * anomalies ({@link dev.teardown.tls.TlsProblem}) and the direction resynchronises.
 *
 * <h2>Exchanges and alerts</h2>
 * See {@link dev.teardown.tls.TlsSession}: a client application-data burst answered by a server one is an
 * exchange. An estimate: HTTP/1.1 pipelining, HTTP/2's interleaved frames, a client certificate in TLS 1.3 or
 * a server that pushes data unasked can make it differ from the requests. Alerts are records of type 21 up to TLS
 * 1.2 (readable only before the sender's ChangeCipherSpec; after it, {@code encrypted}); TLS 1.3 sends them as
 * application data, so what an alert said is never known there, and whether a record was one only by its size.
 */
package dev.teardown.tls;
