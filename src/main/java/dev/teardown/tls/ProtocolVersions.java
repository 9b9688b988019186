package dev.teardown.tls;

import java.util.Locale;

/** TLS protocol version numbers (RFC 8446 section 4.2.1, RFC 5246 appendix A.1) as the outputs print them. */
final class ProtocolVersions {
    static final int SSL3 = 0x0300;
    static final int TLS12 = 0x0303;
    static final int TLS13 = 0x0304;

    private ProtocolVersions() {}

    /** {@code 1.3}, {@code 1.2}, {@code 1.1}, {@code 1.0}, {@code ssl3}; anything else as {@code 0xNNNN}. */
    static String text(int version) {
        return switch (version) {
            case SSL3 -> "ssl3";
            case 0x0301 -> "1.0";
            case 0x0302 -> "1.1";
            case TLS12 -> "1.2";
            case TLS13 -> "1.3";
            default -> String.format(Locale.ROOT, "0x%04x", version);
        };
    }

    /** RFC 8701's reserved GREASE values (0x0a0a, 0x1a1a ... 0xfafa), which clients offer to keep servers honest. */
    static boolean grease(int value) {
        return (value & 0x0f0f) == 0x0a0a && (value >>> 8) == (value & 0xff);
    }
}
