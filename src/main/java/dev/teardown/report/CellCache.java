package dev.teardown.report;

import java.util.function.Function;

/**
 * Per column, the last String a row sink was given and the bytes it made of it (escaped, quoted, encoded): rows
 * repeat the same texts (labels, addresses, header texts kept by the HTTP stage, a file name), so that work
 * runs once per new value, not once per row. Memory: two arrays of one slot per column.
 */
final class CellCache {
    private final String[] text;
    private final byte[][] bytes;

    CellCache(int columns) {
        this.text = new String[columns];
        this.bytes = new byte[columns][];
    }

    /** The bytes {@code encode} makes of {@code value} in {@code column}: made again only for a String of other text. */
    byte[] of(int column, String value, Function<String, byte[]> encode) {
        // The same String object, or an equal one (a parallel run's workers each make their own copy of an address,
        // and their records alternate): the same bytes.
        if (value != text[column] && !value.equals(text[column])) {
            bytes[column] = encode.apply(value);
            text[column] = value;
        }
        return bytes[column];
    }
}
