package dev.teardown.report;

/**
 * Builds one JSON document (RFC 8259) in a {@link StringBuilder}: objects, arrays, names and values, commas
 * placed by the writer. Strings are escaped as the JSON Lines output escapes them (controls included), numbers
 * are written as {@code Locale.ROOT} writes them ({@link Printf}); non-finite doubles become {@code null}.
 */
public final class JsonWriter {
    private final StringBuilder out = new StringBuilder(4096);
    /** Whether the value about to be written is the first in its object or array. */
    private boolean first = true;

    public JsonWriter beginObject() {
        comma();
        out.append('{');
        first = true;
        return this;
    }

    public JsonWriter endObject() {
        out.append('}');
        first = false;
        return this;
    }

    public JsonWriter beginArray() {
        comma();
        out.append('[');
        first = true;
        return this;
    }

    public JsonWriter endArray() {
        out.append(']');
        first = false;
        return this;
    }

    /** The name of the next member of an object. */
    public JsonWriter name(String name) {
        comma();
        JsonSink.appendString(out, name, 0, name.length());
        out.append(':');
        first = true; // the value follows the colon without a comma
        return this;
    }

    public JsonWriter value(String v) {
        comma();
        if (v == null) out.append("null");
        else JsonSink.appendString(out, v, 0, v.length());
        return this;
    }

    public JsonWriter value(long v) {
        comma();
        out.append(v);
        return this;
    }

    /** A decimal with at most {@code decimals} places, trailing zeros kept (stable output). */
    public JsonWriter value(double v, int decimals) {
        comma();
        if (Double.isFinite(v)) out.append(Printf.fixed(v, decimals));
        else out.append("null");
        return this;
    }

    public JsonWriter value(boolean v) {
        comma();
        out.append(v);
        return this;
    }

    /** A packet time as the flow records write it (ISO-8601 UTC, microseconds), or null when unset. */
    public JsonWriter time(long nanos) {
        if (!dev.teardown.capture.PacketTime.isSet(nanos)) return value((String) null);
        return value(Times.iso(nanos));
    }

    /** Nanoseconds as seconds with six decimals, as the flow records write durations. */
    public JsonWriter seconds(long nanos) {
        comma();
        Times.appendSeconds(out, nanos);
        return this;
    }

    public JsonWriter field(String name, String v) { return name(name).value(v); }

    public JsonWriter field(String name, long v) { return name(name).value(v); }

    public JsonWriter field(String name, boolean v) { return name(name).value(v); }

    public JsonWriter field(String name, double v, int decimals) { return name(name).value(v, decimals); }

    /** The document so far. */
    @Override
    public String toString() {
        return out.toString();
    }

    private void comma() {
        if (!first) out.append(',');
        first = false;
    }
}
