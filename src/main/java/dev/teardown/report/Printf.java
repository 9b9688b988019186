package dev.teardown.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Formattable;
import java.util.Locale;

/**
 * {@code String.format(Locale.ROOT, pattern, args)} for the subset the terminal summary and the findings use, without
 * {@link java.util.Formatter}: its first use in a run costs about 25 ms (its pattern parser, then the locale data it
 * loads for the digits and separators of {@code Locale.ROOT}), a tenth of a run on a small capture.
 *
 * <p>The subset: {@code %s}, {@code %d} and {@code %f} with the flags {@code -} (left-justify) and {@code ,}
 * (group thousands with {@code ,}), a width, and for {@code %f} a precision (6 when none is given); and {@code %%}.
 * {@code %s} takes any argument, {@code %d} a {@link Long}, {@link Integer}, {@link Short} or {@link Byte},
 * {@code %f} a finite {@link Double} or {@link Float}. Anything else in the pattern or the arguments (another
 * conversion or flag, NaN, a {@link BigDecimal}, a {@link Formattable}, a missing argument) hands the whole call to
 * {@link String#format(Locale, String, Object...)}, so the result is always Formatter's: {@code PrintfTest} holds the
 * two equal on every pattern the texts use and on random values.
 */
public final class Printf {
    private Printf() {}

    /** The text of {@code pattern} with {@code args}, exactly as {@code String.format(Locale.ROOT, ...)} gives it. */
    public static String format(String pattern, Object... args) {
        StringBuilder out = new StringBuilder(pattern.length() + 16 * args.length);
        return append(out, pattern, args) ? out.toString() : String.format(Locale.ROOT, pattern, args);
    }

    /** Appends the text to {@code out}; false, having appended part of it, where the subset does not reach. */
    private static boolean append(StringBuilder out, String pattern, Object[] args) {
        int next = 0;
        int n = pattern.length();
        for (int i = 0; i < n; i++) {
            char c = pattern.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (++i == n) return false;
            boolean left = false;
            boolean group = false;
            for (char f; (f = pattern.charAt(i)) == '-' || f == ','; ) {
                if (f == '-') {
                    if (left) return false; // Formatter refuses a repeated flag
                    left = true;
                } else {
                    if (group) return false;
                    group = true;
                }
                if (++i == n) return false;
            }
            int width = -1;
            if (pattern.charAt(i) >= '1' && pattern.charAt(i) <= '9') {
                width = 0;
                while (i < n && pattern.charAt(i) >= '0' && pattern.charAt(i) <= '9') {
                    width = width * 10 + (pattern.charAt(i++) - '0');
                    if (width > 10_000) return false;
                }
                if (i == n) return false;
            }
            int precision = -1;
            if (pattern.charAt(i) == '.') {
                if (++i == n || pattern.charAt(i) < '0' || pattern.charAt(i) > '9') return false;
                precision = 0;
                while (i < n && pattern.charAt(i) >= '0' && pattern.charAt(i) <= '9') {
                    precision = precision * 10 + (pattern.charAt(i++) - '0');
                    if (precision > 100) return false;
                }
                if (i == n) return false;
            }
            char conversion = pattern.charAt(i);
            if (left && width < 0) return false; // Formatter: "-" needs a width
            String text;
            switch (conversion) {
                case '%' -> {
                    if (group || precision >= 0) return false;
                    text = "%";
                }
                case 's' -> {
                    if (group || precision >= 0 || next >= args.length) return false;
                    Object a = args[next++];
                    if (a instanceof Formattable) return false;
                    text = String.valueOf(a);
                }
                case 'd' -> {
                    if (precision >= 0 || next >= args.length) return false;
                    Object a = args[next++];
                    if (!(a instanceof Long || a instanceof Integer || a instanceof Short || a instanceof Byte)) return false;
                    text = integer(((Number) a).longValue(), group);
                }
                case 'f' -> {
                    if (next >= args.length) return false;
                    Object a = args[next++];
                    if (!(a instanceof Double || a instanceof Float)) return false;
                    double v = ((Number) a).doubleValue();
                    if (!Double.isFinite(v)) return false;
                    text = decimal(v, precision < 0 ? 6 : precision, group);
                }
                default -> {
                    return false;
                }
            }
            pad(out, text, width, left);
        }
        return true;
    }

    /**
     * {@code decimal} without the zeros that end its fraction, nor its point if nothing is left after it: "1.500"
     * is "1.5", "60.000000" is "60"; a text without a point is returned as it is.
     */
    public static String trimZeros(String decimal) {
        int dot = decimal.indexOf('.');
        if (dot < 0) return decimal;
        int end = decimal.length();
        while (end > dot + 1 && decimal.charAt(end - 1) == '0') end--;
        if (end == dot + 1) end = dot;
        return decimal.substring(0, end);
    }

    private static void pad(StringBuilder out, String text, int width, boolean left) {
        int fill = width - text.length();
        if (left) out.append(text);
        for (int k = 0; k < fill; k++) out.append(' ');
        if (!left) out.append(text);
    }

    /**
     * Finite {@code v} with {@code decimals} places, as {@code String.format(Locale.ROOT, "%.Nf", v)} writes it
     * (without building that pattern).
     */
    public static String fixed(double v, int decimals) {
        if (!Double.isFinite(v) || decimals < 0) throw new IllegalArgumentException(v + " with " + decimals + " places");
        return decimal(v, decimals, false);
    }

    /** {@code v} in decimal, its digits grouped by three with {@code ,} when {@code group}. */
    private static String integer(long v, boolean group) {
        String digits = Long.toString(v);
        if (!group) return digits;
        boolean negative = Double.compare(v, 0.0) < 0;
        return (negative ? "-" : "") + grouped(negative ? digits.substring(1) : digits);
    }

    /**
     * {@code v} with {@code precision} decimals as Formatter writes it: the shortest decimal digits that tell the
     * double apart ({@link Double#toString(double)}'s), rounded half up; the sign apart, so that -0.04 is "-0.0".
     */
    private static String decimal(double v, int precision, boolean group) {
        boolean negative = Double.compare(v, 0.0) < 0;
        String digits = new BigDecimal(Double.toString(Math.abs(v))).setScale(precision, RoundingMode.HALF_UP)
            .toPlainString();
        if (group) {
            int dot = digits.indexOf('.');
            digits = dot < 0 ? grouped(digits) : grouped(digits.substring(0, dot)) + digits.substring(dot);
        }
        return negative ? "-" + digits : digits;
    }

    /** Unsigned digits grouped by three from the right with {@code ,}. */
    private static String grouped(String digits) {
        int n = digits.length();
        if (n <= 3) return digits;
        StringBuilder b = new StringBuilder(n + n / 3);
        int head = n % 3 == 0 ? 3 : n % 3;
        b.append(digits, 0, head);
        for (int i = head; i < n; i += 3) b.append(',').append(digits, i, i + 3);
        return b.toString();
    }
}
