package dev.teardown.pipeline;

import dev.teardown.report.FlowRecord;
import dev.teardown.report.RecordSink;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The thread that hands a {@link Relay}'s records to the sinks (formatting and writing the rows, counting the
 * summary), in the order the analysing thread finished them, which hands them over in chunks ({@link #add},
 * {@link #handOn}). Records are immutable, so another thread may read them once the chunk is passed.
 *
 * <p>Once the run is being abandoned (a sink failed, the heap ran out), it writes nothing more and counts what it is
 * handed as unwritten. Memory: at most {@link #CHUNKS} chunks of {@link #ROWS} records.
 */
final class RowWriter implements Runnable {
    /** Records per chunk: a hand-off per this many rows (or per batch walked) costs nothing per row. */
    static final int ROWS = 1024;
    /** Chunks in flight: the analysing thread waits when the writer is this far behind. */
    static final int CHUNKS = 8;

    /** A run of records handed over at once; {@code last} ends the writer. */
    private static final class Chunk {
        final FlowRecord[] rows = new FlowRecord[ROWS];
        /** The packet time at which each record was finished. */
        final long[] nanos = new long[ROWS];
        int count;
        /** The first record finished after the input ended (the last connections written), else MAX_VALUE. */
        int endFrom = Integer.MAX_VALUE;
        boolean last;
    }

    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(CHUNKS);
    private final BlockingQueue<Chunk> free = new ArrayBlockingQueue<>(CHUNKS);
    /** An array, walked by index: the launcher's C1 compiler would allocate an iterator per record. */
    private final RecordSink[] sinks;
    private final RunState state;
    /** The chunk being filled, on the analysing thread. */
    private Chunk filling;
    /** Whether the input ended: the records added from now on are the connections held then ({@link #inputEnded()}). */
    private boolean inputEnded;
    private volatile long written;
    private volatile long now = dev.teardown.capture.PacketTime.UNSET;
    private volatile long unwritten;

    RowWriter(List<? extends RecordSink> sinks, RunState state) {
        this.sinks = sinks.toArray(new RecordSink[0]);
        this.state = state;
        for (int i = 0; i < CHUNKS - 1; i++) free.add(new Chunk());
        filling = new Chunk();
    }

    /** Adds {@code r}, finished at packet time {@code nowNanos}, to the chunk being filled (analysing thread); a full chunk is handed on. */
    void add(FlowRecord r, long nowNanos) {
        Chunk c = filling;
        if (inputEnded && c.endFrom == Integer.MAX_VALUE) c.endFrom = c.count;
        c.nanos[c.count] = nowNanos;
        c.rows[c.count++] = r;
        if (c.count == ROWS) handOn();
    }

    /** The input ended: the records added from now on are those of the connections still held (analysing thread). */
    void inputEnded() {
        inputEnded = true;
    }

    /** Hands on the records added since the last hand-off, if any (analysing thread). */
    void handOn() {
        if (filling.count == 0) return;
        Team.put(full, filling);
        filling = Team.take(free);
    }

    /** Hands on what is left as the last chunk: the writer ends after it (analysing thread, once). */
    void end() {
        filling.last = true;
        Team.put(full, filling);
        filling = null;
    }

    @Override
    public void run() {
        boolean last = false;
        while (!last) {
            Chunk c = Team.take(full);
            last = c.last;
            int i = 0;
            int failedAt = -1;
            try {
                RecordSink[] all = sinks;
                for (; i < c.count && !state.stopping(); i++) {
                    FlowRecord r = c.rows[i];
                    now = c.nanos[i];
                    for (int s = 0; s < all.length; s++) all[s].accept(r);
                    written++;
                }
            } catch (OutOfMemoryError e) {
                state.outOfMemory();
                failedAt = i;
            } catch (Throwable e) {
                state.failed(e);
                failedAt = i;
            }
            if (i < c.count) unwritten += c.count - i;
            // As one thread counts the connections it drops: the record a sink failed on was no longer held when it
            // was finished during the run, but still among those held when it was finished at the end of the input.
            if (failedAt >= 0 && failedAt < c.endFrom) unwritten--;
            java.util.Arrays.fill(c.rows, 0, c.count, null);
            c.count = 0;
            c.endFrom = Integer.MAX_VALUE;
            if (!last) free.add(c);
        }
    }

    /** The packet time at which the record being written was finished (as {@link Pipeline#nowNanos}). */
    long now() {
        return now;
    }

    /** Records handed to every sink so far (for progress). */
    long written() {
        return written;
    }

    /** Records not written because the run was being abandoned (final once the writer ended). */
    long unwritten() {
        return unwritten;
    }
}
