package dev.teardown.bench;

import dev.teardown.decode.TcpSegment;
import dev.teardown.flow.FlowEntry;
import dev.teardown.flow.FlowKey;
import dev.teardown.flow.FlowTable;
import dev.teardown.flow.HashKey;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The flow table alone: for each decoded segment, expire by packet time, look its 4-tuple up, insert a new
 * flow or touch the one found (a FIN or RST moves it to the closing list), as the tracker does, without the
 * TCP state machine. A fresh table per capture per pass, hashing under a fixed key made once (a real run
 * draws a random one per table, a cost per file that is not the table's per-packet work).
 */
public class FlowTableBench extends CaptureBench {
    private static final long SECOND = 1_000_000_000L;

    private final HashKey hashKey = HashKey.seeded(12);

    /** A flow that only knows whether it is closing. */
    static final class Entry extends FlowEntry {
        boolean closing;

        Entry(FlowKey key) {
            super(key);
        }

        @Override
        protected boolean closing() {
            return closing;
        }
    }

    @Setup
    public void load() {
        loadCaptures();
    }

    /** One pass over every segment; items = segments. */
    @Benchmark
    public void lookupInsertExpire(Items items, Blackhole bh) {
        Consumer<Entry> expired = bh::consume;
        int n = 0;
        for (Captures.Capture c : captures) {
            FlowTable<Entry> table = new FlowTable<>(60 * SECOND, 3600 * SECOND, hashKey);
            long now = Long.MIN_VALUE;
            for (TcpSegment s : c.segments()) {
                if (s.timeNanos > now) {
                    now = s.timeNanos;
                    table.expire(now, expired);
                }
                table.probe(s);
                Entry e = table.get();
                if (e == null) {
                    e = new Entry(table.newKey());
                    table.put(e, now);
                } else {
                    if (s.has(TcpSegment.FIN) || s.has(TcpSegment.RST)) {
                        e.closing = true;
                    }
                    table.touch(e, now);
                }
            }
            bh.consume(table.size());
            n += c.segments().length;
        }
        items.items += n;
    }
}
