package dev.teardown.pipeline;

import dev.teardown.report.FlowRecord;
import dev.teardown.report.RecordCodec;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.ConnectionSnapshot;
import dev.teardown.teardown.ConnectionView;
import dev.teardown.teardown.Side;
import dev.teardown.teardown.Sides;
import dev.teardown.timewait.TimeWaitStage;
import dev.teardown.timewait.TimeWaitState;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * What one shard of a sharded run made of each batch ({@link WorkerOutput}: events with their sort keys, snapshots
 * and records, connections begun, table sizes), as bytes: a shard writes it, the merge reads every shard's back into
 * the same structures and merges them as the threads' outputs are merged ({@link Merger}).
 *
 * <p>A connection's fixed fields (id, addresses, ports, first packet) go with the first event that names it; the
 * reader keeps them, with the connection's TIME_WAIT state for the merge's stage, until its record, so it holds one
 * entry per connection begun and not yet written. Of a segment event, the header fields the stage reads go along
 * (its time is in the {@link PacketTimes} track), never its payload.
 */
final class ShardLog {
    private ShardLog() {}

    /** Writes {@code o}, a shard's output for batch {@code b}. */
    static void write(DataOutput out, Batch b, WorkerOutput o) throws IOException {
        long[] fields = new long[Batch.STAGE_FIELD_COUNT];
        out.writeInt(o.count);
        for (int e = 0; e < o.count; e++) {
            byte kind = o.kinds[e];
            out.writeByte(kind);
            out.writeLong(o.keys[2 * e]);
            out.writeLong(o.keys[2 * e + 1]);
            out.writeLong(o.nanos[e]);
            out.writeInt(o.details[e]);
            int at = o.figuresAt[e];
            int copies = at < 0 ? 0 : kind == WorkerOutput.TUPLE_REUSED ? 2 : 1;
            out.writeByte(copies);
            for (int i = 0; i < copies * ConnectionSnapshot.LONGS; i++) out.writeLong(o.figures[at + i]);
            connection(out, o.subjects[e]);
            if (kind == WorkerOutput.TUPLE_REUSED) connection(out, o.nexts[e]);
            if (kind == WorkerOutput.SEGMENT) {
                b.stageFields(o.details[e] >>> 1, fields);
                for (long f : fields) out.writeLong(f);
            }
            if (kind == WorkerOutput.FINISHED) RecordCodec.write(out, o.records[e]);
        }
        out.writeInt(o.begunCount);
        for (int i = 0; i < o.begunCount; i++) {
            out.writeLong(o.begun[i]);
            out.writeInt(o.sizeWhenBegun[i]);
        }
        out.writeInt(o.sizeChanges);
        for (int i = 0; i < o.sizeChanges; i++) {
            out.writeLong(o.sizeChangedAt[i]);
            out.writeInt(o.size[i]);
        }
    }

    /** The connection's id, and its fixed fields the first time a shard's log names it. */
    private static void connection(DataOutput out, ConnectionView c) throws IOException {
        ConnectionChain.Stages stages = (ConnectionChain.Stages) ((Connection<?>) c).stage();
        out.writeLong(c.id());
        out.writeBoolean(!stages.logged);
        if (stages.logged) return;
        stages.logged = true;
        out.writeByte(c.ipVersion());
        out.writeLong(c.clientHi());
        out.writeLong(c.clientLo());
        out.writeShort(c.clientPort());
        out.writeLong(c.serverHi());
        out.writeLong(c.serverLo());
        out.writeShort(c.serverPort());
        out.writeLong(c.firstNanos());
    }

    /** Reads one shard's logs back, batch by batch, keeping the connections they name until their records. */
    static final class Reader {
        private final DataInput in;
        private final TimeWaitStage stage;
        private final Map<Long, Fixed> open = new HashMap<>();
        private final long[] fields = new long[Batch.STAGE_FIELD_COUNT];
        private final long[] copied = new long[2 * ConnectionSnapshot.LONGS];

        Reader(DataInput in, TimeWaitStage stage) {
            this.in = in;
            this.stage = stage;
        }

        /** Reads the shard's output for batch {@code b} into {@code o}, setting the header fields of its segments in {@code b}. */
        void read(Batch b, WorkerOutput o) throws IOException {
            int count = in.readInt();
            for (int n = 0; n < count; n++) {
                byte kind = in.readByte();
                long key = in.readLong();
                long tieBreak = in.readLong();
                long nanos = in.readLong();
                int detail = in.readInt();
                int copies = in.readByte();
                for (int i = 0; i < copies * ConnectionSnapshot.LONGS; i++) copied[i] = in.readLong();
                Fixed c = connection();
                int e = o.add(kind, key, tieBreak, c, c.state, nanos, detail);
                for (int k = 0; k < copies; k++) {
                    int at = o.reserveCopy(k == 0 ? e : -1); // first: it may replace the array
                    System.arraycopy(copied, k * ConnectionSnapshot.LONGS, o.figures, at, ConnectionSnapshot.LONGS);
                }
                if (kind == WorkerOutput.TUPLE_REUSED) {
                    Fixed next = connection();
                    o.setNext(e, next, next.state);
                }
                if (kind == WorkerOutput.SEGMENT) {
                    for (int i = 0; i < fields.length; i++) fields[i] = in.readLong();
                    b.setStageFields(detail >>> 1, fields);
                }
                if (kind == WorkerOutput.FINISHED) {
                    FlowRecord r = RecordCodec.read(in);
                    o.setRecord(e, r);
                    open.remove(c.id);
                }
            }
            int begun = in.readInt();
            for (int i = 0; i < begun; i++) o.begun(in.readLong(), in.readInt());
            int changes = in.readInt();
            for (int i = 0; i < changes; i++) o.sizeChanged(in.readLong(), in.readInt());
        }

        /** Connections named and not yet written (a bound on what the reader holds). */
        int held() {
            return open.size();
        }

        private Fixed connection() throws IOException {
            long id = in.readLong();
            if (!in.readBoolean()) {
                Fixed known = open.get(id);
                if (known == null) throw new IOException("shard log: connection " + id + " named before it was given");
                return known;
            }
            Fixed c = new Fixed(id, in.readByte(), in.readLong(), in.readLong(), in.readUnsignedShort(), in.readLong(),
                in.readLong(), in.readUnsignedShort(), in.readLong(), stage.open());
            open.put(id, c);
            return c;
        }
    }

    /**
     * A connection's fixed fields as a shard's log gave them, with its TIME_WAIT state on the merging side: all a
     * {@link ConnectionSnapshot} reads of the connection itself. What changes comes from the snapshot, never from
     * here.
     */
    private record Fixed(long id, int ipVersion, long clientHi, long clientLo, int clientPort, long serverHi,
                         long serverLo, int serverPort, long firstNanos, TimeWaitState state) implements ConnectionView {
        @Override public long lastNanos() { throw changing(); }

        @Override public long firstCloseNanos() { throw changing(); }

        @Override public boolean wasReset() { throw changing(); }

        @Override public Sides initiator() { throw changing(); }

        @Override public long packets(Side side) { throw changing(); }

        @Override public long timeWaitStartNanos(Side side) { throw changing(); }

        @Override public long timeWaitEndNanos(Side side, long timeWaitNanos) { throw changing(); }

        @Override public int tsRecent(Side side) { throw changing(); }

        @Override public long tsRecentNanos(Side side) { throw changing(); }

        private static UnsupportedOperationException changing() {
            return new UnsupportedOperationException("what changes is read from a snapshot");
        }
    }
}
