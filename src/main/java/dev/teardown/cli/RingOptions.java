package dev.teardown.cli;

import dev.teardown.capture.PcapRing;
import dev.teardown.capture.Strftime;
import dev.teardown.report.Safe;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine;

/** {@code live}'s rotation options, checked together: {@code -C}, {@code -G} and {@code -W} for {@code --write}. */
final class RingOptions {
    /** Longest {@code -G} and {@code --rotate}: a year. */
    static final long MAX_SECONDS = 365 * 86_400L;

    private RingOptions() {}

    /** The policy of {@code --write}, or a usage error (exit 2) naming the option at fault. */
    static PcapRing.Policy policy(CommandLine cmd, Path write, String size, Long seconds, Integer files) {
        if (write == null && (size != null || seconds != null || files != null)) {
            throw new CommandLine.ParameterException(cmd, (size != null ? "-C" : seconds != null ? "-G" : "-W")
                + " needs --write");
        }
        if (write == null) return PcapRing.Policy.NONE;
        long bytes = size == null ? 0 : bytes(cmd, size);
        long s = seconds == null ? 0 : OptionRanges.between(cmd, "-G", seconds, 1, MAX_SECONDS, " seconds");
        if (files != null) {
            OptionRanges.between(cmd, "-W", files, 1, Integer.MAX_VALUE, "");
            if (size == null && seconds == null) throw new CommandLine.ParameterException(cmd, "-W needs -C or -G");
        }
        if (s > 0) {
            if (!Strftime.hasTime(write.toString())) {
                throw new CommandLine.ParameterException(cmd, "-G needs a time in the --write file name (strftime, e.g. "
                    + "traffic-%Y%m%d-%H%M%S.pcap): else each file would overwrite the one before");
            }
            try {
                Strftime.format(write.toString(), 0);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cmd, "--write " + Safe.text(write.toString()) + ": "
                    + e.getMessage());
            }
        }
        return new PcapRing.Policy(bytes, s, files == null ? 0 : files);
    }

    /** {@code -C}'s size in bytes: millions of bytes, or with k, m, g units of 1,024^1..3 bytes. */
    static long bytes(CommandLine cmd, String size) {
        String s = size.toLowerCase(Locale.ROOT);
        long unit = s.endsWith("k") ? 1L << 10 : s.endsWith("m") ? 1L << 20 : s.endsWith("g") ? 1L << 30 : 1_000_000L;
        String digits = unit == 1_000_000L ? s : s.substring(0, s.length() - 1);
        if (!digits.matches("[0-9]{1,9}") || Long.parseLong(digits) == 0) {
            throw new CommandLine.ParameterException(cmd, "-C must be a positive whole number of millions of bytes, "
                + "or of k, m or g, not " + Safe.text(size));
        }
        return Long.parseLong(digits) * unit;
    }
}
