package dev.teardown.answer;

import dev.teardown.report.Printf;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One plain-language finding about a capture: what was found, the figures from the capture that support it, and
 * the lever it points to (docs/output.md, "Findings", lists every id).
 *
 * @param id a stable name, e.g. {@code server-holds-time-wait}
 * @param severity how much it matters
 * @param subject what it is about: a server endpoint, a host, a client and endpoint, or {@code capture}
 * @param text the finding in one or two sentences, with its numbers
 * @param lever what to change, or what changing would not do
 * @param evidence the figures behind it, by name, in a fixed order; values are {@link Long}, {@link Double} or
 *     {@link String}
 * @param weight TIME_WAIT entries (or connections) it concerns: ranks findings of one severity
 */
public record Finding(String id, Severity severity, String subject, String text, String lever,
                      Map<String, Object> evidence, long weight) {

    /** How much a finding matters, most first. */
    public enum Severity {
        /** A limit is reached or nearly so: connections fail or lose protection. */
        LIMIT,
        /** What causes the TIME_WAIT asked about, and what would change it. */
        CAUSE,
        /** A setting that would not help, said because it is often tried. */
        MYTH,
        /** Worth knowing. */
        NOTE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Finding {
        evidence = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    }

    /** An evidence value as the terminal summary and the page show it: grouped integers, up to three decimals. */
    static String format(Object v) {
        if (v instanceof Long l) return Printf.format("%,d", l);
        if (v instanceof Double d) return Printf.trimZeros(Printf.format("%.3f", d));
        return String.valueOf(v);
    }
}
