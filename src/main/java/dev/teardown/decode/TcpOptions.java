package dev.teardown.decode;

import dev.teardown.capture.Bytes;

/** The TCP options the analysis reads: the timestamps (RFC 7323), walked past every other option (RFC 9293 section 3.2). */
final class TcpOptions {
    private static final int OPTION_EOL = 0;
    private static final int OPTION_NOP = 1;
    private static final int OPTION_TIMESTAMPS = 8;
    private static final int TIMESTAMPS_LENGTH = 10;

    private TcpOptions() {}

    /**
     * Walks the options between {@code i} and {@code optionsEnd}, reading only below {@code capturedEnd}.
     *
     * @return false if an option's length is malformed (RFC 9293 section 3.1: kind, length, data)
     */
    static boolean read(byte[] b, int i, int optionsEnd, int capturedEnd, TcpSegment out) {
        // NOP, NOP, timestamps and nothing else: every segment after the handshake of a Linux or BSD stack
        // (RFC 7323 appendix A's layout), read at once. The walk below gives the same for these twelve bytes.
        if (optionsEnd - i == 12 && capturedEnd == optionsEnd
                && Bytes.int32(b, i) == (OPTION_NOP << 24 | OPTION_NOP << 16 | OPTION_TIMESTAMPS << 8 | TIMESTAMPS_LENGTH)) {
            out.hasTimestamp = true;
            out.tsVal = Bytes.int32(b, i + 4);
            out.tsEcr = Bytes.int32(b, i + 8);
            return true;
        }
        while (i < capturedEnd) {
            int kind = b[i] & 0xff;
            if (kind == OPTION_EOL) {
                return true;
            }
            if (kind == OPTION_NOP) {
                i++;
                continue;
            }
            if (i + 1 >= optionsEnd) {
                return false;
            }
            if (i + 1 >= capturedEnd) {
                return true;
            }
            int length = b[i + 1] & 0xff;
            if (length < 2 || length > optionsEnd - i) {
                return false;
            }
            if (length > capturedEnd - i) {
                return true;
            }
            if (kind == OPTION_TIMESTAMPS) {
                // RFC 7323 section 3.2: kind 8, length 10, TSval, TSecr.
                if (length != TIMESTAMPS_LENGTH) {
                    return false;
                }
                out.hasTimestamp = true;
                out.tsVal = Bytes.int32(b, i + 2);
                out.tsEcr = Bytes.int32(b, i + 6);
            }
            i += length;
        }
        return true;
    }
}
