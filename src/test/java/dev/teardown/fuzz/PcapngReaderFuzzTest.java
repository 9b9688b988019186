package dev.teardown.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The pcapng reader on any bytes, seeded with the project's pcapng samples
 * ({@code src/test/resources/dev/teardown/fuzz/PcapngReaderFuzzTestInputs}).
 */
class PcapngReaderFuzzTest {
    @FuzzTest(maxDuration = FuzzDurations.CI)
    void anyPcapngBytesReadToTheEndOrFailWithAOneLineError(byte[] file) {
        CaptureInvariants.readChecked(file);
    }
}
