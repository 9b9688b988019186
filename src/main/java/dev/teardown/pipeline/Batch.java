package dev.teardown.pipeline;

import dev.teardown.decode.TcpSegment;
import dev.teardown.http.HeadScan;
import dev.teardown.http.HttpLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * A run of consecutive decoded segments handed from the reader to every worker of a parallel analysis, then to
 * the merger: each segment's header fields, its captured payload, its global packet index and the worker that
 * owns its connection; and what each worker made of the run ({@link WorkerOutput}).
 *
 * <p>Batches are made once and reused, so reading allocates nothing per packet. Memory: {@link #SEGMENTS}
 * segments (a relay's or a team's as {@link TcpSegment} objects, {@link #decoded}; a shard's packed as twelve longs,
 * two ints and two bytes each, with the tunnel layers of tunnelled segments, at most
 * {@link dev.teardown.decode.Tunnel#MAX_DEPTH} longs each), and the payload bytes (about {@link #PAYLOAD_BUDGET},
 * more for one long one).
 */
final class Batch {
    /** Segments per batch: enough that the hand-offs cost nothing per packet, few enough to stay in cache. */
    static final int SEGMENTS = 4096;
    /** Payload bytes after which a batch is handed on even if it has room for more segments. */
    static final int PAYLOAD_BUDGET = 1 << 20;
    /** Longs of header fields per segment. */
    private static final int STRIDE = 8;
    /**
     * The header longs after the addresses (ports, window, flags and IP version; sequence numbers; timestamps;
     * lengths): all of a segment but its time that the TIME_WAIT stage reads.
     */
    static final int STAGE_FIELDS = 4;
    static final int STAGE_FIELD_COUNT = 4;

    /** The owner of a slot that is no segment but a time advance of a quiet live capture ({@link #advance}). */
    static final byte MARKER = -1;

    final long[] time = new long[SEGMENTS];
    final long[] index = new long[SEGMENTS];
    final byte[] owner = new byte[SEGMENTS];
    private final long[] fields = new long[SEGMENTS * STRIDE];
    private final int[] payloadAt = new int[SEGMENTS];
    /** Each segment's tunnel context, and where its tunnel layers begin in {@link #layers} (their count in {@link #depth}). */
    private final long[] tunnelId = new long[SEGMENTS];
    private final int[] layersAt = new int[SEGMENTS];
    private final byte[] depth = new byte[SEGMENTS];
    private long[] layers = new long[64];
    private int layersSize;
    private byte[] payload = new byte[PAYLOAD_BUDGET / 4];
    private int payloadSize;
    int count;
    /** Input files begun in this batch: the global index of each one's first packet, and its name. */
    final List<Long> fileStarts = new ArrayList<>();
    final List<String> fileNames = new ArrayList<>();
    /** The end of the input: workers finish their connections into this batch's outputs. */
    boolean last;
    /**
     * With {@link #last}: the heap ran out on the reading side, so the connections held after this batch are dropped,
     * unwritten, instead of finished, as one thread drops what it holds then ({@link Pipeline#discardHeld}).
     */
    boolean discard;
    /** Each worker's output for this batch. */
    final WorkerOutput[] outputs;
    /**
     * A live status asked for the figures at the end of this batch ({@link LiveFigures}): the request's number, else
     * 0; with how many server endpoints its view lists and how many its rows name.
     */
    long figuresWanted;
    int figuresTop;
    int figuresNames;
    /** Released once by each worker when its output is complete. */
    final Semaphore done = new Semaphore(0);

    /**
     * The segments decoded in place, in a relay's or a team's batch: the reading thread decodes each frame straight
     * into its slot's segment and the thread that analyses it hands that segment on as it is (a team's merger reads it
     * too, after its worker), so nobody copies the header fields; nothing writes to them after the reading thread.
     * Null in a shard's batch, whose segments go packed into the arrays above (a shard's log carries them so).
     */
    final TcpSegment[] decoded;
    /** Slot by slot, the head lines a relay's reading thread parsed ahead ({@link #scanHead}); null until the first. */
    private HeadScan[] scans;
    /** The scans this batch has made so far, reused from one filling to the next; the first {@link #scansUsed} hold. */
    private final List<HeadScan> scanPool = new ArrayList<>();
    private int scansUsed;

    Batch(int workers) {
        this(workers, false);
    }

    /** A batch for {@code workers} workers; {@code inPlace}: its segments are decoded in place ({@link #decoded}). */
    Batch(int workers, boolean inPlace) {
        outputs = new WorkerOutput[workers];
        for (int k = 0; k < workers; k++) outputs[k] = new WorkerOutput();
        if (inPlace) {
            decoded = new TcpSegment[SEGMENTS];
            for (int i = 0; i < SEGMENTS; i++) decoded[i] = new TcpSegment();
        } else {
            decoded = null;
        }
    }

    /** The segment the next frame decodes into, in a batch decoded in place. */
    TcpSegment next() {
        return decoded[count];
    }

    /**
     * Keeps the segment just decoded into {@link #next()}, of global packet {@code at}, owned by worker {@code worker}:
     * its payload is copied into the batch (the frame's buffer is reused by the next read) and the segment points at
     * the copy.
     */
    void keep(long at, int worker) {
        int i = count++;
        TcpSegment s = decoded[i];
        time[i] = s.timeNanos;
        index[i] = at;
        owner[i] = (byte) worker;
        int copied = copyPayload(i, s);
        // An earlier segment of the batch may point at the array before it grew: it still holds that segment's bytes.
        s.data = payload;
        s.payloadOffset = copied;
    }

    /** Copies the captured payload of {@code s}, slot {@code i}'s segment, into the batch; returns where it begins. */
    private int copyPayload(int i, TcpSegment s) {
        int captured = s.capturedPayloadLength;
        if (payloadSize + captured > payload.length) {
            payload = java.util.Arrays.copyOf(payload, Math.max(2 * payload.length, payloadSize + captured));
        }
        System.arraycopy(s.data, s.payloadOffset, payload, payloadSize, captured);
        int at = payloadSize;
        payloadAt[i] = at;
        payloadSize += captured;
        return at;
    }

    /**
     * Parses ahead the head lines the segment just kept ({@link #keep}) begins with, if its payload starts like a
     * message: for a relay, whose reading thread has time to spare while the analysing thread's is the run's.
     */
    void scanHead() {
        int i = count - 1;
        TcpSegment s = decoded[i];
        // A start line begins with a method or "HTTP/": upper-case letters in practice. Anything else (a body) is
        // not scanned at all; a stricter test than the parser's only leaves more to it.
        if (s.payloadLength <= 0 || s.capturedPayloadLength <= 0) return;
        byte first = s.data[s.payloadOffset];
        if (first < 'A' || first > 'Z') return;
        if (scans == null) scans = new HeadScan[SEGMENTS];
        if (scansUsed == scanPool.size()) scanPool.add(new HeadScan(HttpLimits.defaults()));
        HeadScan h = scanPool.get(scansUsed);
        if (h.scan(s)) {
            scans[i] = h;
            scansUsed++;
        }
    }

    /** Slot {@code i}'s head lines parsed ahead by {@link #scanHead}, or null. */
    HeadScan scan(int i) {
        return scans == null ? null : scans[i];
    }

    /** Empties the batch for reuse. */
    void clear() {
        if (scans != null) java.util.Arrays.fill(scans, 0, count, null);
        scansUsed = 0;
        count = 0;
        payloadSize = 0;
        layersSize = 0;
        fileStarts.clear();
        fileNames.clear();
        last = false;
        discard = false;
        figuresWanted = 0;
    }

    /** Whether the batch should be handed on now. */
    boolean full() {
        return count == SEGMENTS || payloadSize >= PAYLOAD_BUDGET;
    }

    /** The input file {@code name} begins at global packet index {@code at}. */
    void fileStarted(long at, String name) {
        fileStarts.add(at);
        fileNames.add(name);
    }

    /**
     * Appends {@code s}, the segment of global packet {@code at}, owned by worker {@code worker}, packed into the arrays
     * (a shard's batch); copies its payload.
     */
    void add(TcpSegment s, long at, int worker) {
        int i = count++;
        time[i] = s.timeNanos;
        index[i] = at;
        owner[i] = (byte) worker;
        int f = i * STRIDE;
        fields[f] = s.srcHi;
        fields[f + 1] = s.srcLo;
        fields[f + 2] = s.dstHi;
        fields[f + 3] = s.dstLo;
        fields[f + 4] = (long) s.srcPort << 48 | (long) s.dstPort << 32 | (long) s.window << 16 | s.flags << 8
            | s.ipVersion << 2 | (s.badChecksum ? 2 : 0) | (s.hasTimestamp ? 1 : 0);
        fields[f + 5] = (long) s.seq << 32 | (s.ack & 0xffff_ffffL);
        fields[f + 6] = (long) s.tsVal << 32 | (s.tsEcr & 0xffff_ffffL);
        fields[f + 7] = (long) s.payloadLength << 32 | s.capturedPayloadLength;
        copyPayload(i, s);
        tunnelId[i] = s.tunnelId;
        depth[i] = (byte) s.tunnelDepth;
        layersAt[i] = layersSize;
        if (s.tunnelDepth > 0) {
            if (layersSize + s.tunnelDepth > layers.length) layers = java.util.Arrays.copyOf(layers, 2 * layers.length);
            System.arraycopy(s.tunnelLayers, 0, layers, layersSize, s.tunnelDepth);
            layersSize += s.tunnelDepth;
        }
    }

    /**
     * Appends a time advance at global index {@code at} (a number of its own, between the packets): a quiet live
     * capture lets packet time pass to {@code nanos} there, as {@link Pipeline#advanceTo} does on one thread.
     */
    void advance(long nanos, long at) {
        int i = count++;
        time[i] = nanos;
        index[i] = at;
        owner[i] = MARKER;
        payloadAt[i] = payloadSize;
        depth[i] = 0;
        layersAt[i] = layersSize;
    }

    /** The header longs of segment {@code i} that the TIME_WAIT stage reads, into {@code to} (for a shard's log). */
    void stageFields(int i, long[] to) {
        System.arraycopy(fields, i * STRIDE + STAGE_FIELDS, to, 0, STAGE_FIELD_COUNT);
    }

    /** Sets those header longs of segment {@code i} (a merge fills its batch from the shards' logs; no payload). */
    void setStageFields(int i, long[] from) {
        System.arraycopy(from, 0, fields, i * STRIDE + STAGE_FIELDS, STAGE_FIELD_COUNT);
    }

    /**
     * Segment {@code i} as the decoder gave it, its payload pointing into this batch: the segment itself when decoded
     * in place, else {@code scratch} filled from the packed arrays.
     */
    TcpSegment segment(int i, TcpSegment scratch) {
        if (decoded != null) return decoded[i];
        fill(i, scratch);
        return scratch;
    }

    /** Fills {@code s} with segment {@code i} from the packed arrays. */
    private void fill(int i, TcpSegment s) {
        int f = i * STRIDE;
        s.timeNanos = time[i];
        s.srcHi = fields[f];
        s.srcLo = fields[f + 1];
        s.dstHi = fields[f + 2];
        s.dstLo = fields[f + 3];
        long bits = fields[f + 4];
        s.srcPort = (int) (bits >>> 48);
        s.dstPort = (int) (bits >>> 32) & 0xffff;
        s.window = (int) (bits >>> 16) & 0xffff;
        s.flags = (int) (bits >>> 8) & 0xff;
        s.ipVersion = (int) (bits >>> 2) & 0x3f;
        s.badChecksum = (bits & 2) != 0;
        s.hasTimestamp = (bits & 1) != 0;
        s.seq = (int) (fields[f + 5] >>> 32);
        s.ack = (int) fields[f + 5];
        s.tsVal = (int) (fields[f + 6] >>> 32);
        s.tsEcr = (int) fields[f + 6];
        s.payloadLength = (int) (fields[f + 7] >>> 32);
        s.capturedPayloadLength = (int) fields[f + 7];
        s.data = payload;
        s.payloadOffset = payloadAt[i];
        s.tunnelId = tunnelId[i];
        s.tunnelDepth = depth[i];
        System.arraycopy(layers, layersAt[i], s.tunnelLayers, 0, s.tunnelDepth);
    }
}
