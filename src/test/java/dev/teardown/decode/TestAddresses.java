package dev.teardown.decode;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/** IP address literals read into {@link TcpSegment}'s two longs, through the JDK's parser, for tests. */
final class TestAddresses {
    private TestAddresses() {}

    /**
     * {@code {hi, lo}} of an IPv4 ({@code version} 4) or IPv6 literal. In IPv6 an IPv4-mapped literal stays IPv6,
     * though the JDK reads it as IPv4.
     *
     * @throws IllegalArgumentException if {@code literal} is not an address of that version
     */
    static long[] parse(int version, String literal) {
        // Only hex digits, dots and colons: a host name would be looked up.
        if (literal.isEmpty() || !literal.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            throw new IllegalArgumentException("not an IP literal: " + literal);
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + literal, e);
        }
        if (version == 4 && bytes.length == 4 && literal.indexOf(':') < 0) {
            return new long[] {0, ByteBuffer.wrap(bytes).getInt() & 0xffff_ffffL};
        }
        if (version == 6 && bytes.length == 4) {
            bytes = ByteBuffer.allocate(16).putLong(0).putInt(0xffff).put(bytes).array();
        }
        if (version != 6 || bytes.length != 16) {
            throw new IllegalArgumentException("not an IPv" + version + " literal: " + literal);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        return new long[] {b.getLong(), b.getLong()};
    }
}
