package dev.teardown.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Formats packet times: ISO-8601 UTC with microseconds, and seconds with six decimals. */
public final class Times {
    private Times() {}

    private static final DateTimeFormatter ISO =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** {@code 2026-11-24T10:00:00.123456Z}; sub-microsecond digits are dropped (floor). */
    public static String iso(long epochNanos) {
        long micros = Math.floorDiv(epochNanos, 1000L);
        return ISO.format(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
            Math.floorMod(micros, 1_000_000L) * 1000L));
    }

    /** A duration in seconds with six decimals, e.g. {@code 60.000123}; rounds toward zero to microseconds. */
    public static String seconds(long nanos) {
        long micros = nanos / 1000L;
        String sign = micros < 0 ? "-" : "";
        long abs = Math.abs(micros);
        return String.format(Locale.ROOT, "%s%d.%06d", sign, abs / 1_000_000L, abs % 1_000_000L);
    }
}
