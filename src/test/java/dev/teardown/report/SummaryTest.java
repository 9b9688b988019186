package dev.teardown.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.PacketTime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTest {

    private static String print(CaptureTotals totals) {
        StringWriter out = new StringWriter();
        try (PrintWriter w = new PrintWriter(out)) {
            new Summary().print(w, "test.pcapng", totals, 60);
        }
        return out.toString();
    }

    @Test
    void captureSpanBefore1970IsPrintedLikeAnyOther() {
        // 1969-12-31T23:59:50Z .. 23:59:59.5Z: negative times are ordinary packet times.
        String text = print(new CaptureTotals(2, 2, Map.of(), Map.of(), List.of(), 1,
            -10_000_000_000L, -500_000_000L));

        assertTrue(text.contains("1969-12-31T23:59:50.000000Z .. 1969-12-31T23:59:59.500000Z (9.500000 s)"), text);
    }

    @Test
    void captureWithoutPacketsHasNoSpan() {
        String text = print(new CaptureTotals(0, 0, Map.of(), Map.of(), List.of(), 0, PacketTime.UNSET, PacketTime.UNSET));

        assertFalse(text.contains("capture span"), text);
    }
}
