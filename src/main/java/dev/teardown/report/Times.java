package dev.teardown.report;

/**
 * Formats packet times without java.time's per-call objects: ISO-8601 UTC with microseconds, and
 * seconds with six decimals. Called several times per output row, so it appends into the caller's buffer.
 */
public final class Times {
    private Times() {}

    /** {@code 2026-11-24T10:00:00.123456Z}; sub-microsecond digits are dropped (floor). */
    public static String iso(long epochNanos) {
        StringBuilder b = new StringBuilder(27);
        appendIso(b, epochNanos);
        return b.toString();
    }

    /** {@code 10:00:00}: the time of day (UTC) to the second, as summaries and charts label instants. */
    public static String clock(long epochNanos) {
        return iso(epochNanos).substring(11, 19);
    }

    /** Appends {@link #iso(long)}'s text. */
    public static void appendIso(StringBuilder b, long epochNanos) {
        long micros = Math.floorDiv(epochNanos, 1000L);
        long secs = Math.floorDiv(micros, 1_000_000L);
        int us = (int) Math.floorMod(micros, 1_000_000L);
        long days = Math.floorDiv(secs, 86_400L);
        int sod = (int) Math.floorMod(secs, 86_400L);
        // Civil date from days since 1970-01-01 (Hinnant's algorithm, proleptic Gregorian, like java.time).
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        pad(b, year, 4).append('-');
        pad(b, month, 2).append('-');
        pad(b, day, 2).append('T');
        pad(b, sod / 3600, 2).append(':');
        pad(b, sod / 60 % 60, 2).append(':');
        pad(b, sod % 60, 2).append('.');
        pad(b, us, 6).append('Z');
    }

    /** A duration in seconds with six decimals, e.g. {@code 60.000123}; rounds toward zero to microseconds. */
    public static String seconds(long nanos) {
        return new ByteLine(24).appendSeconds(nanos).toString(); // written once, by the rows' byte form
    }

    /** Appends {@link #seconds(long)}'s text, digit by digit (no String per call: the Zeek rows call it per row). */
    public static void appendSeconds(StringBuilder b, long nanos) {
        long micros = nanos / 1000L;
        if (micros < 0) {
            b.append('-');
            micros = -micros;
        }
        pad(b.append(micros / 1_000_000L).append('.'), micros % 1_000_000L, 6);
    }

    private static StringBuilder pad(StringBuilder b, long v, int width) {
        if (v < 0) return b.append(v);
        long limit = 10;
        for (int i = 1; i < width; i++, limit *= 10) {
            if (v < limit) b.append('0');
        }
        return b.append(v);
    }
}
