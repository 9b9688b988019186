package dev.teardown.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Printf} against {@code String.format(Locale.ROOT, ...)}: the same text for every pattern and value tried. */
class PrintfTest {
    /** Every conversion the terminal summary, the findings and the JSON writer use, with their flags and widths. */
    private static final List<String> INTEGER_SPECS = List.of("%d", "%,d", "%,9d", "%,11d", "%,17d", "%5d", "%-5d");
    private static final List<String> DECIMAL_SPECS = List.of("%.0f", "%.1f", "%.3f", "%,.0f", "%,.1f", "%f", "%8.2f",
        "%-8.2f", "%.6f");
    private static final List<String> TEXT_SPECS = List.of("%s", "%-7s", "%-16s", "%-18s", "%-24s", "%-28s", "%-30s",
        "%9s", "%11s", "%17s");

    private static void same(String pattern, Object... args) {
        assertEquals(String.format(Locale.ROOT, pattern, args), Printf.format(pattern, args),
            () -> pattern + " with " + java.util.Arrays.toString(args));
    }

    @Test
    void integersAreWrittenAsFormatterWritesThemGroupedOrNotPaddedOrNot() {
        long[] edges = {0, 1, -1, 9, 10, 99, 100, 999, 1_000, -1_000, 12_345, 999_999, 1_000_000, -1_234_567,
            Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE};
        SplittableRandom random = new SplittableRandom(8);
        for (String spec : INTEGER_SPECS) {
            for (long v : edges) {
                same(spec, v);
                if (v == (int) v) same(spec, (int) v);
            }
            for (int i = 0; i < 2_000; i++) {
                long v = random.nextLong() >> random.nextInt(64);
                same(spec, v);
                same(spec, (int) v);
            }
            same(spec, (short) -300);
            same(spec, (byte) 7);
        }
    }

    @Test
    void decimalsRoundHalfUpOnTheShortestDigitsAsFormatterDoes() {
        // Halves in the shortest digits (0.15 is 0.1499999... in binary, and Formatter still writes 0.2), carries,
        // negative zero, and magnitudes Double.toString writes with an exponent.
        double[] edges = {0.0, -0.0, 0.05, 0.15, 0.25, 0.35, 1.45, 2.675, 9.95, 99.95, 999.5, 0.5, 1.5, 2.5, -0.04,
            -0.05, -2.5, 1e-7, 1.25e-5, 123456.789, 1e20, 1.7976931348623157e308, Double.MIN_VALUE, 4.35, 0.125,
            0.0005, 1_234_567.891, -9_999_999.95};
        SplittableRandom random = new SplittableRandom(12);
        for (String spec : DECIMAL_SPECS) {
            for (double v : edges) {
                same(spec, v);
                same(spec, (float) v);
            }
            for (int i = 0; i < 2_000; i++) {
                double v = (random.nextDouble() - 0.3) * Math.pow(10, random.nextInt(-6, 12));
                same(spec, v);
                // Values on a half of the last place written, where rounding decides.
                same(spec, Math.round(v * 1000) / 1000.0 + 0.0005);
                same(spec, (float) v);
            }
        }
    }

    @Test
    void fixedDecimalsAreTheFormatOfTheirPattern() {
        SplittableRandom random = new SplittableRandom(21);
        for (int decimals = 0; decimals <= 6; decimals++) {
            for (int i = 0; i < 1_000; i++) {
                double v = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-4, 10));
                assertEquals(String.format(Locale.ROOT, "%." + decimals + "f", v), Printf.fixed(v, decimals));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Printf.fixed(Double.NaN, 1));
    }

    @Test
    void textIsPaddedLeftOrRightAndNullAndObjectsAreTheirStrings() {
        for (String spec : TEXT_SPECS) {
            for (Object v : new Object[] {"", "x", "server-close-announced", "a longer text than any width asked for here",
                null, 42L, true, List.of(1, 2), "t\u00e9l\u00e9phone", "\u2603"}) {
                same(spec, v);
            }
        }
    }

    @Test
    void wholeLinesOfTheSummaryComeOutTheSame() {
        same("%,d read, %,d TCP, %,d skipped%s", 3_000_000L, 2_999_000L, 1_000L, "");
        same("  %-30s %,11d %,17d  %.1f%%", "127.0.0.1:8080", 126_777L, 95_068L, 75.04);
        same("%s: %,.1f/s x %,.0f s = %,.0f", "steady state", 5_281.25, 60.0, 316_875.0);
        same("100%% of %d", 7);
        same("no conversion at all");
        same("%s and %s, %d", "a", "b", 3, "an argument left over");
    }

    @Test
    void trailingZerosOfAFractionGoAndThePointWithThemAsTheRegexTheyReplaceDid() {
        for (String v : new String[] {"1.500", "60.000000", "0.000", "100.0", "10.000", "-0.50", "0.0", "2.125",
            "1000.010", "7", "70", "0.000001"}) {
            String byRegex = v.contains(".") ? v.replaceAll("\\.?0+$", "") : v;
            assertEquals(byRegex, Printf.trimZeros(v), v);
        }
        assertEquals("1.5", Printf.trimZeros("1.500"));
        assertEquals("60", Printf.trimZeros("60.000000"));
        assertEquals("70", Printf.trimZeros("70"), "no point: nothing to trim");
    }

    @Test
    void whatTheSubsetDoesNotReachIsFormattersOwn() {
        same("%08.3f", 3.14159);
        same("%x and %X", 255, 255);
        same("%1$s %1$s", "twice");
        same("%e", 12345.678);
        same("%.1f", Double.NaN);
        same("%.1f", Double.POSITIVE_INFINITY);
        same("%.2f", new BigDecimal("2.345"));
        same("%.3s", "truncated");
        same("%b", true);
        same("%n");
        same("%s%%", "50");
        assertThrows(java.util.MissingFormatWidthException.class, () -> Printf.format("%-d", 1));
        assertThrows(java.util.FormatFlagsConversionMismatchException.class, () -> Printf.format("%,s", "x"));
        assertThrows(java.util.MissingFormatArgumentException.class, () -> Printf.format("%d and %d", 1));
        assertThrows(java.util.IllegalFormatConversionException.class, () -> Printf.format("%d", 1.5));
        assertThrows(java.util.UnknownFormatConversionException.class, () -> Printf.format("ends with %"));
    }
}
