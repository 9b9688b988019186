package dev.teardown.http;

import dev.teardown.teardown.Side;

/**
 * The HTTP stage's state of one connection: the initial sequence numbers until the first payload, then the
 * HTTP/1.x conversation, or the TLS one when the first bytes were TLS, until the connection proves to be neither
 * or is finished.
 *
 * <p>One small object per connection: handshakes, scans and empty connections never get a conversation, and
 * a connection found not to be HTTP drops its conversation at once.
 */
public final class HttpConnection {
    boolean clientSyn;
    boolean serverSyn;
    int clientIsn;
    int serverIsn;
    /** Null until the first payload, and again once the connection left HTTP. */
    Conversation conversation;
    /** Set, and {@link #conversation} dropped, when the bytes that were not HTTP began like TLS. */
    TlsConversation tls;
    /** A side's first bytes were neither HTTP/1.x nor TLS: nothing more is done. */
    boolean notHttp;
    /** {@link HttpTracker#finish} ran: the outcome may be read, and nothing changes any more. */
    boolean finished;

    HttpConnection() { }

    void onSyn(Side side, int seq) {
        if (side == Side.CLIENT && !clientSyn) {
            clientSyn = true;
            clientIsn = seq;
        } else if (side == Side.SERVER && !serverSyn) {
            serverSyn = true;
            serverIsn = seq;
        }
    }
}
