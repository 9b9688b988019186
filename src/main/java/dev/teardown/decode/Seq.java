package dev.teardown.decode;

/** Wrap-safe comparison of 32-bit TCP sequence numbers (RFC 9293 section 3.4, Wireshark's GT_SEQ). */
public final class Seq {
    private Seq() {}

    public static boolean gt(int a, int b) { return a - b > 0; }

    public static boolean ge(int a, int b) { return a - b >= 0; }

    public static boolean lt(int a, int b) { return a - b < 0; }

    public static boolean le(int a, int b) { return a - b <= 0; }
}
