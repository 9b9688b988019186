package dev.teardown.decode;

/**
 * Addresses as outputs write them ({@link Addresses#format}), remembered by value: a direct-mapped table of the
 * addresses formatted last, so the few servers and clients that most connections share are formatted once, not
 * per record. A slot two addresses share is only formatted again (no chain to flood). Memory: {@link #SLOTS}
 * addresses. Not thread-safe: one per thread that builds records.
 */
public final class AddressTexts {
    static final int SLOTS = 256;
    private final long[] his = new long[SLOTS];
    private final long[] los = new long[SLOTS];
    private final int[] versions = new int[SLOTS];
    private final String[] texts = new String[SLOTS];

    /** {@link Addresses#format}{@code (ipVersion, hi, lo)}. */
    public String format(int ipVersion, long hi, long lo) {
        long h = lo * 0x9e3779b97f4a7c15L + hi * 31 + ipVersion;
        int slot = (int) (h ^ h >>> 29) & (SLOTS - 1);
        String text = texts[slot];
        if (text != null && los[slot] == lo && his[slot] == hi && versions[slot] == ipVersion) return text;
        text = Addresses.format(ipVersion, hi, lo);
        texts[slot] = text;
        his[slot] = hi;
        los[slot] = lo;
        versions[slot] = ipVersion;
        return text;
    }
}
