/**
 * One direction of a TCP connection as an in-order byte stream: what receives it ({@link
 * dev.teardown.stream.StreamSink}), and the incremental framing of length-prefixed records that TLS's record layer
 * and HTTP/2's frame layer share ({@link dev.teardown.stream.LengthFramedReader}).
 *
 * <p>The HTTP stage assembles the streams from TCP segments and hands them to its HTTP/1.x decoders, to a TLS
 * session, or to an HTTP/2 session; this package sits before all three so that each reads the same kind of stream.
 */
package dev.teardown.stream;
