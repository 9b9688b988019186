package dev.teardown.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.teardown.stream.StreamSink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-over of a direction's bytes to HTTP/2: the sink is told once, before anything, where its stream starts. */
class TunnelTest {

    /** Writes what the sink receives as short lines. */
    static final class Sink implements StreamSink {
        final List<String> events = new ArrayList<>();

        @Override
        public void begin(boolean streamStart) {
            events.add("begin " + streamStart);
        }

        @Override
        public void data(byte[] b, int off, int len, long t) {
            events.add(new String(b, off, len, StandardCharsets.US_ASCII) + " @" + t);
        }

        @Override
        public void gap(long len, long t) {
            events.add("gap " + len + " @" + t);
        }
    }

    private static final byte[] BYTES = "xxPRIyy".getBytes(StandardCharsets.US_ASCII);

    @Test
    void theSinkBeginsOnceBeforeItsFirstBytesAndGetsTheRangeAsked() {
        Sink sink = new Sink();
        Tunnel tunnel = new Tunnel(sink, true);
        assertEquals(List.of(), sink.events, "nothing until bytes come");
        assertEquals(5, tunnel.data(BYTES, 2, 5, 1));
        tunnel.data(BYTES, 5, 7, 2);
        assertEquals(List.of("begin true", "PRI @1", "yy @2"), sink.events);
    }

    @Test
    void aDirectionLostWhenItSwitchedBeginsItsSinkLost() {
        Sink sink = new Sink();
        new Tunnel(sink, false).gap(10, 3);
        assertEquals(List.of("begin false", "gap 10 @3"), sink.events);
    }

    @Test
    void aDirectionThatSwitchedBeforeSendingAnythingBeginsWhereItsStreamBegins() {
        Sink sink = new Sink();
        Tunnel tunnel = new Tunnel(sink, true);
        tunnel.begin(false); // the capture missed the side's first bytes
        tunnel.data(BYTES, 0, 0, 4);
        assertEquals(List.of("begin false"), sink.events, "an empty range begins the sink but hands nothing on");
    }
}
