package dev.teardown.http;

import dev.teardown.teardown.Side;

/**
 * The initial sequence numbers of a connection that has carried no payload yet: all the HTTP stage keeps
 * for it, so handshakes, scans and empty connections cost a few bytes rather than a conversation.
 */
final class SynAnchors {
    boolean clientSyn;
    boolean serverSyn;
    int clientIsn;
    int serverIsn;

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
