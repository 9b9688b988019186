package dev.teardown.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The classic pcap reader on any bytes, seeded with the project's pcap samples
 * ({@code src/test/resources/dev/teardown/fuzz/PcapReaderFuzzTestInputs}).
 */
class PcapReaderFuzzTest {
    @FuzzTest(maxDuration = FuzzDurations.CI)
    void anyPcapBytesReadToTheEndOrFailWithAOneLineError(byte[] file) {
        CaptureInvariants.readChecked(file);
    }
}
