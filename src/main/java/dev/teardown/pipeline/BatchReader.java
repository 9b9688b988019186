package dev.teardown.pipeline;

import dev.teardown.capture.Frame;
import dev.teardown.capture.PacketSource;
import dev.teardown.capture.PacketTime;
import dev.teardown.decode.DecodeStats;
import dev.teardown.decode.FlowHash;
import dev.teardown.decode.PacketDecoder;
import dev.teardown.decode.TcpSegment;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The reading thread's part of a parallel analysis: decodes each frame into its slot of a {@link Batch}, names the
 * worker the flow hash gives each segment, and hands each batch to every worker and, in reading order, to the
 * merger. A file's analysis pulls the frames ({@link #read}); a live one pushes them ({@link #frame}), with its time
 * advances ({@link #advance}) and hand-offs of a partial batch ({@link #handOn}). Allocates nothing per packet.
 *
 * <p>Memory: the one batch being filled; the others are in the team's queues.
 */
final class BatchReader {
    private final int workers;
    private final FlowHash hash;
    private final BlockingQueue<Batch> free;
    private final BlockingQueue<Batch> ordered;
    private final BlockingQueue<Batch>[] inboxes;
    private final RunState state;
    final DecodeStats stats = new DecodeStats();
    private final PacketDecoder decoder;
    private Batch batch;
    /** Whether each segment's head lines are parsed ahead here ({@link Batch#scanHead}): a relay's reader. */
    private final boolean scanHeads;
    /** The global index of the next frame or time advance: numbered from 1, like connections. */
    private long index = 1;
    long first = PacketTime.UNSET;
    long last = PacketTime.UNSET;

    /**
     * Hands batches taken from {@code free}, which must be decoded in place ({@link Batch#decoded}), to {@code workers}
     * inboxes, each segment owned by the worker {@code hash} names (null for one worker, which owns them all), and to
     * {@code ordered} for a merger (null without one).
     */
    BatchReader(int workers, FlowHash hash, BlockingQueue<Batch> free, BlockingQueue<Batch> ordered,
                BlockingQueue<Batch>[] inboxes, RunState state, boolean verifyChecksums) {
        this(workers, hash, free, ordered, inboxes, state, verifyChecksums, false);
    }

    /** As above; {@code scanHeads}: the head lines each segment's payload begins with are parsed ahead here. */
    BatchReader(int workers, FlowHash hash, BlockingQueue<Batch> free, BlockingQueue<Batch> ordered,
                BlockingQueue<Batch>[] inboxes, RunState state, boolean verifyChecksums, boolean scanHeads) {
        this.scanHeads = scanHeads;
        this.decoder = new PacketDecoder(stats, verifyChecksums);
        this.workers = workers;
        this.hash = hash;
        this.free = free;
        this.ordered = ordered;
        this.inboxes = inboxes;
        this.state = state;
        this.batch = Team.take(free);
    }

    /** How reading ended: the I/O error that stopped it (everything before was read), else null; whether asked to stop. */
    record Ended(IOException failure, boolean stopped) {}

    /**
     * Reads {@code source} to the end, or until {@code stop} says so or the run is abandoned, then hands on the last
     * batch whatever happened (the other threads end with it): an I/O error is returned, running out of heap or any
     * other failure is told to the run's state (rethrown by the caller once the threads have ended). Progress figures
     * come from {@code held} and {@code written}.
     */
    Ended readAll(PacketSource source, BooleanSupplier stop, ReadProgress progress, IntSupplier held,
                  LongSupplier written) {
        IOException failure = null;
        boolean stopped = false;
        try {
            stopped = read(source, stop, progress, held, written);
        } catch (IOException e) {
            failure = e; // Keep what was read: finish and write every connection seen so far.
        } catch (OutOfMemoryError e) {
            // What was read is analysed, then what is held is dropped (the last batch says so), as on one thread.
            state.readerOutOfMemory();
        } catch (RuntimeException | Error e) {
            state.failed(e); // As with one thread, it escapes unfinished; but only once no thread writes any more.
        } finally {
            end(state.ranOutOfMemory()); // Always: the threads end with the last batch.
        }
        return new Ended(failure, stopped);
    }

    private boolean read(PacketSource source, BooleanSupplier stop, ReadProgress progress, IntSupplier held,
                 LongSupplier written) throws IOException {
        Frame frame = new Frame();
        String file = null;
        int interval = Math.max(1, progress.packetsBetweenCalls());
        int countdown = interval;
        boolean stopped;
        while (!(stopped = stop.getAsBoolean()) && !state.stopping() && source.next(frame)) {
            // The same String while one file is read: a reference comparison per packet.
            if (source.name() != file) batch.fileStarted(index, file = source.name());
            frame(frame);
            if (--countdown == 0) {
                countdown = interval;
                progress.reached(source.bytesRead(), stats.packets(), held.getAsInt(), written.getAsLong(), file);
            }
        }
        return stopped;
    }

    /** Decodes {@code frame} and adds its segment, if TCP, to the batch; a full batch is handed on. */
    void frame(Frame frame) {
        long t = frame.timeNanos();
        if (t < first || !PacketTime.isSet(first)) first = t;
        if (t > last) last = t;
        // Decoded straight into its slot, kept if TCP; without a hash one worker (a relay's) owns every segment.
        TcpSegment s = batch.next();
        if (decoder.decode(frame, s) == PacketDecoder.Result.TCP) {
            batch.keep(index, hash == null ? 0 : hash.worker(s, workers));
            if (scanHeads) batch.scanHead();
            if (batch.full()) handOn();
        }
        index++;
    }

    /** Packet time passes to {@code nanos} here without a packet (a quiet live capture); a full batch is handed on. */
    void advance(long nanos) {
        batch.advance(nanos, index++);
        if (batch.full()) handOn();
    }

    /** Asks, as request {@code number}, for the live figures at this point: the batch is handed on now. */
    void askFigures(long number, int top, int names) {
        batch.figuresWanted = number;
        batch.figuresTop = top;
        batch.figuresNames = names;
        publish();
        batch = Team.take(free);
    }

    /** Hands the batch on if it holds anything, without waiting for it to fill; waits for a free one if none is. */
    void handOn() {
        if (batch.count == 0 && batch.fileStarts.isEmpty()) return;
        publish();
        batch = Team.take(free);
    }

    /** Hands on what is left as the last batch: the workers then finish every connection they hold. */
    void end() {
        end(false);
    }

    /**
     * Hands on what is left as the last batch; {@code discard}: the heap ran out here, so the threads analyse it and
     * then drop the connections they hold, unwritten ({@link Batch#discard}), instead of finishing them.
     */
    void end(boolean discard) {
        if (batch == null) batch = Team.take(free);
        batch.last = true;
        batch.discard = discard;
        publish();
    }

    /** Hands the batch to every worker and, in reading order, to the merger; none is held after. */
    private void publish() {
        Batch b = batch;
        batch = null;
        for (BlockingQueue<Batch> inbox : inboxes) inbox.add(b);
        if (ordered != null) ordered.add(b); // null: a relay's one worker, no merger
    }
}
