/**
 * HTTP/2 in cleartext without decoding headers: the frame layer of each direction, the client's streams as requests,
 * the server's ends of them as responses, and GOAWAY, for the HTTP stage to use on connections that speak HTTP/2 with
 * prior knowledge or switch to it by {@code Upgrade: h2c}.
 *
 * <h2>Frames (RFC 9113 section 4)</h2>
 * The client's stream begins with the 24-byte connection preface, then each direction is framed by 9-byte headers
 * (24-bit length, type, flags, a reserved bit and a 31-bit stream id); frames may span segments and segments may hold
 * many frames. Each side's first frame must be SETTINGS (section 3.4). A header is valid when its length is within
 * the limit the receiver set (16,384 unless its SETTINGS_MAX_FRAME_SIZE raised it, at most 2^24 - 1) and, for the ten
 * known types, its stream id and length are what section 6 requires, the length holding the fields the PADDED and
 * PRIORITY flags add; unknown types are extensions and pass (section 5.5). A direction whose header is invalid, whose preface is not one, or that loses bytes outside a payload is lost:
 * it resumes at the next delivered chunk (in practice the next segment) that begins with a plausible header (a known
 * type, only its defined flags, the reserved bit clear). A hole inside a payload of known length costs nothing but
 * what it held.
 *
 * <h2>Not HTTP/2</h2>
 * Until the client's preface arrived whole (or the server's 101 switched the connection), an invalid header or
 * preface means the bytes were not HTTP/2: the session says {@code NOT_H2}. After that they are anomalies
 * ({@link dev.teardown.h2.H2Problem}) and the direction resynchronises.
 *
 * <h2>What is not known</h2>
 * Header blocks are HPACK-compressed (RFC 7541) against a table each side builds over the connection; they are not
 * decoded, so methods, paths, status codes and header fields are not known. A capture that joined a connection
 * midway, without the preface, is not taken for HTTP/2.
 */
package dev.teardown.h2;
