package dev.teardown.stream;

/**
 * One direction's byte stream cut into length-prefixed records, incrementally: a fixed-size header that gives its
 * body's length, then the body, skipped by length without copying; records may span chunks and chunks may hold many
 * records. TLS records (RFC 8446 section 5.1) and HTTP/2 frames (RFC 9113 section 4.1) are framed this way; a
 * subclass decodes its header, reads what it wants of a body as it passes, and says when a record ended.
 *
 * <p>A header no sender writes, and a hole in the capture outside a body, make the direction lost: it waits for a
 * delivered chunk that begins with a plausible header ({@link #plausibleAt}), in practice the next segment that
 * begins one. A hole inside a body of known length keeps the framing. Bytes sent while lost are not records.
 *
 * <p>A header is decoded straight from the caller's array; only one split across chunks is copied, into a buffer of
 * the header's size made the first time. Memory: a few fields and that buffer.
 */
public abstract class LengthFramedReader implements StreamSink {
    /** Where the framing stands. */
    public enum State {
        /** Expecting (the rest of) a fixed prefix the direction begins with, before any header. */
        PREFIX,
        /** Expecting (the rest of) a header. */
        HEADER,
        /** Inside a body. */
        BODY,
        /** Lost: waiting for a chunk that starts with a plausible header. */
        RESYNC,
        /** Done for good. */
        STOPPED
    }

    /** What broke the framing, for the subclass to report in its own words. */
    protected enum Trouble {
        /** Bytes of the direction were never captured; reported for every hole, also one the framing survives. */
        GAP,
        /** A header no sender writes: the direction is lost. */
        BAD_HEADER
    }

    private final int headerLength;
    private State state;
    /** A header split across chunks, its bytes so far; null until the first split header. */
    private byte[] split;
    private int splitBytes;
    private int remaining;

    /** A reader of {@code headerLength}-byte headers, beginning with a prefix ({@link #prefix}) if {@code prefixed}. */
    protected LengthFramedReader(int headerLength, boolean prefixed) {
        this.headerLength = headerLength;
        this.state = prefixed ? State.PREFIX : State.HEADER;
    }

    /**
     * The header at {@code h[at, at + headerLength)}: the length of the body that follows, or -1 when no sender writes
     * such a header (the direction is then lost, and told {@link Trouble#BAD_HEADER}).
     */
    protected abstract int header(byte[] h, int at);

    /** The next {@code n} bytes of the current body, {@code b[p, p + n)}, as they pass. */
    protected abstract void body(byte[] b, int p, int n);

    /** Some bytes of the current body were never captured; the framing goes on. */
    protected abstract void bodyLost();

    /** The current record ended, its last byte at {@code t}. */
    protected abstract void recordEnd(long t);

    /** The framing met {@code trouble}. */
    protected abstract void trouble(Trouble trouble);

    /** Whether a lost direction may resume at {@code b[at, at + headerLength)}, all of it delivered. */
    protected abstract boolean plausibleAt(byte[] b, int at);

    /** The direction was lost: what it was reading is gone. */
    protected void lost() { }

    /**
     * Reads the prefix from {@code b[p, end)} and returns where it stopped; calls {@link #prefixDone} when the prefix
     * is whole, or {@link #lose} when the bytes are not it. The default has no prefix.
     */
    protected int prefix(byte[] b, int p, int end) {
        prefixDone();
        return p;
    }

    /** The prefix is whole: headers follow. */
    protected final void prefixDone() {
        if (state == State.PREFIX) state = State.HEADER;
    }

    /**
     * Called once, before any data: whether the first byte to come is the first the direction ever sent. When it is
     * not (the capture began mid-connection, or lost the start), the reader starts lost.
     */
    @Override
    public void begin(boolean streamStart) {
        if (!streamStart) lose();
    }

    @Override
    public final void data(byte[] b, int off, int len, long t) {
        if (state == State.STOPPED || len <= 0) return;
        int end = off + len;
        if (state == State.RESYNC) {
            if (!resumesAt(b, off, end)) return;
            state = State.HEADER;
            splitBytes = 0;
        }
        int p = off;
        while (p < end) {
            switch (state) {
                case PREFIX -> p = prefix(b, p, end);
                case HEADER -> p = readHeader(b, p, end, t);
                case BODY -> {
                    int n = Math.min(remaining, end - p);
                    body(b, p, n);
                    if (state == State.STOPPED) return; // what the body said ended the session
                    p += n;
                    remaining -= n;
                    if (remaining == 0) endRecord(t);
                }
                case RESYNC, STOPPED -> p = end;
            }
        }
    }

    /**
     * The next {@code len} bytes of the direction are missing from the capture. Inside a body of known length the
     * framing goes on; anywhere else the direction is lost until a chunk starts with a header.
     */
    @Override
    public final void gap(long len, long t) {
        if (state == State.STOPPED) return;
        trouble(Trouble.GAP);
        if (state == State.BODY && len <= remaining) {
            bodyLost();
            remaining -= (int) len;
            if (remaining == 0) endRecord(t);
            return;
        }
        lose();
    }

    /** Stops for good. */
    public void stop() {
        state = State.STOPPED;
        split = null;
    }

    public final State state() {
        return state;
    }

    /** Lost, until a chunk starts with a plausible header; a stopped reader stays stopped. */
    protected final void lose() {
        if (state == State.STOPPED) return;
        state = State.RESYNC;
        lost();
    }

    /** Whether a lost direction may resume at {@code b[from, to)}: a whole header there, and a plausible one. */
    public final boolean resumesAt(byte[] b, int from, int to) {
        return to - from >= headerLength && plausibleAt(b, from);
    }

    /** Reads (the rest of) a header from {@code b[p, end)}; once whole, starts its record. Returns where it stopped. */
    private int readHeader(byte[] b, int p, int end, long t) {
        byte[] h = b;
        int at = p;
        if (splitBytes == 0 && end - p >= headerLength) {
            p += headerLength;
        } else {
            if (split == null) split = new byte[headerLength];
            int n = Math.min(headerLength - splitBytes, end - p);
            System.arraycopy(b, p, split, splitBytes, n);
            splitBytes += n;
            p += n;
            if (splitBytes < headerLength) return p;
            splitBytes = 0;
            h = split;
            at = 0;
        }
        int length = header(h, at);
        if (length < 0) {
            lose();
            trouble(Trouble.BAD_HEADER);
            return p;
        }
        remaining = length;
        state = State.BODY;
        if (remaining == 0) endRecord(t);
        return p;
    }

    private void endRecord(long t) {
        state = State.HEADER;
        recordEnd(t);
    }
}
