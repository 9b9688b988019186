package dev.teardown.capture;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * File names with a time in them, as tcpdump's {@code -G} makes them with strftime(3): the conversions {@code %Y %m
 * %d %H %M %S %j %y %s %F %T %%}, always in UTC (tcpdump uses the local zone; UTC keeps names the same on every
 * host and across daylight-saving changes).
 */
public final class Strftime {
    private Strftime() {}

    /** Whether {@code pattern} has a conversion (a {@code %}). */
    public static boolean hasTime(String pattern) {
        return pattern.indexOf('%') >= 0;
    }

    /**
     * {@code pattern} with its conversions replaced by {@code epochSeconds}'s fields in UTC.
     *
     * @throws IllegalArgumentException naming the conversion, for one not listed above or a lone trailing {@code %}
     */
    public static String format(String pattern, long epochSeconds) {
        ZonedDateTime t = Instant.ofEpochSecond(epochSeconds).atZone(ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(pattern.length() + 16);
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%') {
                b.append(c);
                continue;
            }
            if (++i == pattern.length()) throw new IllegalArgumentException("a lone % at the end");
            char k = pattern.charAt(i);
            switch (k) {
                case 'Y' -> b.append(String.format(Locale.ROOT, "%04d", t.getYear()));
                case 'y' -> b.append(String.format(Locale.ROOT, "%02d", t.getYear() % 100));
                case 'm' -> b.append(String.format(Locale.ROOT, "%02d", t.getMonthValue()));
                case 'd' -> b.append(String.format(Locale.ROOT, "%02d", t.getDayOfMonth()));
                case 'H' -> b.append(String.format(Locale.ROOT, "%02d", t.getHour()));
                case 'M' -> b.append(String.format(Locale.ROOT, "%02d", t.getMinute()));
                case 'S' -> b.append(String.format(Locale.ROOT, "%02d", t.getSecond()));
                case 'j' -> b.append(String.format(Locale.ROOT, "%03d", t.getDayOfYear()));
                case 's' -> b.append(epochSeconds);
                case 'F' -> b.append(format("%Y-%m-%d", epochSeconds));
                case 'T' -> b.append(format("%H:%M:%S", epochSeconds));
                case '%' -> b.append('%');
                default -> throw new IllegalArgumentException("%" + k + " is not one of %Y %m %d %H %M %S %j %y %s %F %T %%");
            }
        }
        return b.toString();
    }
}
