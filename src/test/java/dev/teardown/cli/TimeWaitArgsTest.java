package dev.teardown.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.timewait.TimeWaitOptions;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * {@code --max-tw-buckets}, {@code --port-range}, {@code --what-if-idle}: a wrong value is a one-line usage error
 * (exit 2) naming its option; a right one reaches the TIME_WAIT figures, marked given rather than assumed.
 */
class TimeWaitArgsTest {
    private static final String SAMPLE = "samples/http10-server-close.pcap";

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "--max-tw-buckets|0",
        "--max-tw-buckets|-5",
        "--max-tw-buckets|2147483648",
        "--port-range|60000-1000",
        "--port-range|abc",
        "--port-range|0-100",
        "--port-range|1000-65536",
        "--port-range|1000-2000-3000",
        "--what-if-idle|0,5",
        "--what-if-idle|x",
        "--what-if-idle|5,,10",
        "--what-if-idle|NaN",
        "--what-if-idle|86401",
    })
    void aWrongValueIsAOneLineUsageErrorNamingItsOption(String option, String value) {
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.run("analyze", SAMPLE, option, value);
        assertEquals(2, r.exit(), r.err());
        String first = r.err().lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("teardown: " + option + " "), first);
        assertFalse(r.err().contains("\tat "), r.err());
        assertEquals("", r.out());
    }

    @Test
    void moreThanSixteenWhatIfValuesAreAUsageError() {
        String seventeen = String.join(",", Collections.nCopies(17, "5"));
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.run("analyze", SAMPLE, "--what-if-idle", seventeen);
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("teardown: --what-if-idle takes at most 16 values"), r.err());
        assertEquals(0, AnalyzeCommandTest.run("analyze", SAMPLE, "-q", "--what-if-idle",
            String.join(",", Collections.nCopies(16, "5"))).exit());
    }

    @Test
    void aControlCharacterInAWrongValueIsNeutralised() {
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.run("analyze", SAMPLE, "--port-range", "1\u001b[2J-2");
        assertEquals(2, r.exit());
        assertFalse(r.err().contains("\u001b"), r.err());
        assertTrue(r.err().contains("\\x1b[2J"), r.err());
    }

    /** The options as the analyze command parses them from {@code args}. */
    private static TimeWaitOptions parse(String... args) {
        TimeWaitArgs t = new TimeWaitArgs();
        CommandLine cmd = new CommandLine(t);
        cmd.parseArgs(args);
        return t.options(cmd, new AnalyzeOptions(60 * AnalyzeOptions.SECOND, 3600 * AnalyzeOptions.SECOND));
    }

    @Test
    void withoutOptionsTheLimitsAreLinuxsAndAssumed() {
        TimeWaitOptions o = parse();
        assertEquals(TimeWaitOptions.DEFAULT_MAX_TW_BUCKETS, o.maxTwBuckets());
        assertEquals(32768, o.portLow());
        assertEquals(60999, o.portHigh());
        assertFalse(o.maxTwBucketsGiven());
        assertFalse(o.portRangeGiven());
        assertEquals(List.of(), o.whatIfIdleSeconds());
    }

    @Test
    void givenValuesAreTakenAndMarkedGiven() {
        TimeWaitOptions o = parse("--max-tw-buckets", "5000", "--port-range", "1024 - 65535", "--what-if-idle", "2.5, 90");
        assertEquals(5000, o.maxTwBuckets());
        assertEquals(1024, o.portLow());
        assertEquals(65535, o.portHigh());
        assertTrue(o.maxTwBucketsGiven());
        assertTrue(o.portRangeGiven());
        assertEquals(List.of(2.5, 90.0), o.whatIfIdleSeconds());
        TimeWaitOptions tab = parse("--port-range", "32768\t60999"); // as sysctl prints it
        assertEquals(32768, tab.portLow());
        assertEquals(60999, tab.portHigh());
    }

    @Test
    void givenLimitsReachTheSummaryJsonMarkedNotAssumed() throws Exception {
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.run("analyze", SAMPLE, "--summary-json", "-",
            "--max-tw-buckets", "4", "--port-range", "50000-50009");
        assertEquals(0, r.exit(), r.err());
        JsonNode limits = new ObjectMapper().readTree(r.out()).get("time_wait").get("limits");
        assertEquals(4, limits.get("max_tw_buckets").asLong());
        assertFalse(limits.get("max_tw_buckets_assumed").asBoolean());
        assertEquals(50000, limits.get("port_low").asInt());
        assertEquals(50009, limits.get("port_high").asInt());
        assertFalse(limits.get("port_range_assumed").asBoolean());
        // The sample's server holds 4 TIME_WAITs at once: all of the 4 buckets given.
        assertTrue(r.err().contains("limits: tcp_max_tw_buckets 4, highest host peak 4 (100.0%); ephemeral ports"
            + " 50000-50009, highest client peak"), r.err());
    }
}
