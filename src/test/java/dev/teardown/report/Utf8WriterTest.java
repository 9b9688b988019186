package dev.teardown.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The output files' writer: the same bytes as the JDK's UTF-8 encoder, whatever the text and its length. */
class Utf8WriterTest {

    private static byte[] written(String... pieces) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Utf8Writer w = new Utf8Writer(bytes)) {
            for (String p : pieces) w.append(p);
        }
        return bytes.toByteArray();
    }

    @Test
    void asciiLatinOneBmpAndSupplementaryTextAreTheirUtf8Bytes() throws IOException {
        String text = "client,fin,60.000000\n" + "caf\u00e9 \u20ac \uD83D\uDE00 \u0141\n";
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), written(text));
    }

    @Test
    void aLoneSurrogateIsAQuestionMark() throws IOException {
        assertEquals("a?b", new String(written("a\uD800b"), StandardCharsets.UTF_8));
    }

    @Test
    void textLongerThanTheBufferAndManySmallPiecesArriveWholeAndInOrder() throws IOException {
        StringBuilder expected = new StringBuilder();
        String[] pieces = new String[5000];
        for (int i = 0; i < pieces.length; i++) {
            pieces[i] = i % 7 == 0 ? "\u00e9t\u00e9 " + i + "\n" : "row " + i + ",x\n";
            expected.append(pieces[i]);
        }
        String big = "y".repeat(200_000) + "\u20ac";
        expected.append(big);
        String[] all = java.util.Arrays.copyOf(pieces, pieces.length + 1);
        all[pieces.length] = big;
        assertArrayEquals(expected.toString().getBytes(StandardCharsets.UTF_8), written(all));
    }

    @Test
    void partOfAStringAndCharArraysAreWrittenLikeTheWhole() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Utf8Writer w = new Utf8Writer(bytes)) {
            w.write("xx\u00e9abc", 2, 3);
            w.write(new char[] {'-', '\u20ac', '-'}, 1, 1);
            w.write('!');
        }
        assertEquals("\u00e9ab\u20ac!", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void nothingReachesTheStreamBeforeAFlushAndCloseClosesIt() throws IOException {
        boolean[] closed = {false};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputStream out = new OutputStream() {
            @Override public void write(int b) { bytes.write(b); }
            @Override public void write(byte[] b, int off, int len) { bytes.write(b, off, len); }
            @Override public void close() { closed[0] = true; }
        };
        Utf8Writer w = new Utf8Writer(out);
        w.append("row\n");
        assertEquals(0, bytes.size());
        w.flush();
        assertEquals("row\n", bytes.toString(StandardCharsets.UTF_8));
        w.close();
        assertTrue(closed[0]);
    }
}
