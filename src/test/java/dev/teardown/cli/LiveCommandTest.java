package dev.teardown.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code teardown live} on loopback with real sockets: the rows it writes equal the rows {@code analyze}
 * gives on its {@code --write} file, and it reports who closed. Needs root (skipped otherwise, except under
 * CI=true, where it must run).
 */
class LiveCommandTest {

    @Tag("root")
    @Test
    void liveRowsEqualAnalyzeRowsOnTheTeedCaptureAndNothingIsDropped(@TempDir Path dir) throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        if (!ci) assumeTrue("root".equals(System.getProperty("user.name")), "live capture needs root");
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            Path csv = dir.resolve("live.csv");
            Path pcap = dir.resolve("live.pcap");
            CompletableFuture<AnalyzeCommandTest.Run> live = CompletableFuture.supplyAsync(() -> AnalyzeCommandTest.run(
                "live", "-i", "lo", "-f", "tcp port " + port, "--duration", "4", "--csv", csv.toString(),
                "--write", pcap.toString()));
            Thread.sleep(1500); // the capture is open well before the traffic
            // The server reads the request, answers and closes first: it holds TIME_WAIT.
            Thread serverThread = new Thread(() -> {
                for (int i = 0; i < 3; i++) {
                    try (Socket s = server.accept()) {
                        s.getInputStream().read(new byte[100]);
                        s.getOutputStream().write("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            serverThread.start();
            for (int i = 0; i < 3; i++) {
                try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    OutputStream out = c.getOutputStream();
                    out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    InputStream in = c.getInputStream();
                    while (in.read() >= 0) { }
                }
            }
            serverThread.join(5000);
            AnalyzeCommandTest.Run r = live.get();
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("0 dropped"), r.out());

            List<String> liveRows = Files.readAllLines(csv);
            AnalyzeCommandTest.Run again = AnalyzeCommandTest.run("analyze", pcap.toString(), "--csv", "-", "-q");
            assertEquals(0, again.exit(), again.err());
            assertEquals(liveRows.stream().sorted().toList(), again.out().lines().sorted().toList());
            assertEquals(4, liveRows.size(), "a header and three connections");
            for (String row : liveRows.subList(1, 4)) {
                assertTrue(row.contains(",server,fin,server,"), row);
                assertTrue(row.endsWith(",http10-close"), row);
            }
        }
    }

    @Tag("root")
    @Test
    void outputsThatCannotBeOpenedOrWrittenAreNamedInOneLineWithExitOne(@TempDir Path dir) throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        if (!ci) assumeTrue("root".equals(System.getProperty("user.name")), "live capture needs root");
        AnalyzeCommandTest.Run noDir = AnalyzeCommandTest.run("live", "-i", "lo", "--duration", "1",
            "--csv", dir.resolve("no/such/flows.csv").toString());
        assertEquals(1, noDir.exit(), noDir.err());
        assertTrue(noDir.err().strip().endsWith("flows.csv: no such file or directory"), noDir.err());
        AnalyzeCommandTest.Run noTee = AnalyzeCommandTest.run("live", "-i", "lo", "--duration", "1",
            "--write", dir.resolve("no/such/t.pcap").toString());
        assertEquals(1, noTee.exit(), noTee.err());
        assertTrue(noTee.err().strip().endsWith("t.pcap: no such file or directory"), noTee.err());

        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            CompletableFuture<AnalyzeCommandTest.Run> live = CompletableFuture.supplyAsync(() -> AnalyzeCommandTest.run(
                "live", "-i", "lo", "-f", "tcp port " + port, "--duration", "3", "--json", "/dev/full"));
            Thread.sleep(1500);
            try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port); Socket s = server.accept()) {
                c.getOutputStream().write(1);
            }
            AnalyzeCommandTest.Run r = live.get();
            assertEquals(1, r.exit(), r.err());
            assertTrue(r.err().strip().endsWith("teardown: writing /dev/full: No space left on device"), r.err());
            assertTrue(r.out().contains("connections        1 "), "the summary is still printed: " + r.out());
        }
    }

    private static final List<String> NUMERIC_OPTIONS = List.of("--time-wait", "--idle-timeout", "--duration", "--count",
        "--buffer-size", "--snaplen", "--max-connections");

    @ParameterizedTest
    @CsvSource({
        "--time-wait, 9223372036854775807",
        "--time-wait, 10000000000",
        "--idle-timeout, 9223372036854775807",
        "--idle-timeout, 0",
        "--duration, 9223372036854775807",
        "--duration, 0",
        "--count, 0",
        "--count, -1",
        "--buffer-size, -1",
        "--snaplen, 0",
        "--snaplen, 262145",
        "--max-connections, 0",
    })
    void aNumberOutOfRangeIsAUsageErrorNamingOnlyItsOptionBeforeAnyCaptureIsOpened(String option, String value) {
        // No root needed: refused before libpcap is asked for anything.
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.run("live", "-i", "lo", option, value);
        assertEquals(2, r.exit(), r.err());
        String first = r.err().lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("teardown: " + option + " must "), first);
        assertTrue(first.endsWith(", not " + value), first);
        assertEquals(1, NUMERIC_OPTIONS.stream().filter(first::contains).count(), "names only its own option: " + first);
        assertFalse(r.err().contains("internal error"), r.err());
    }

    @Test
    void outputsThatAreOneFileAreRefusedBeforeAnyCaptureIsOpenedIncludingWrite(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("flows.csv");
        AnalyzeCommandTest.Run teeOverCsv = AnalyzeCommandTest.run("live", "-i", "lo", "--csv", f.toString(),
            "--write", dir.resolve("./flows.csv").toString());
        assertEquals(2, teeOverCsv.exit(), teeOverCsv.err());
        assertEquals("teardown: --csv " + f + " and --write " + dir.resolve("./flows.csv") + " are the same file",
            teeOverCsv.err().lines().findFirst().orElseThrow());
        Files.writeString(f, "rows\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.jsonl"), f);
        AnalyzeCommandTest.Run jsonOverCsv = AnalyzeCommandTest.run("live", "-i", "lo", "--csv", f.toString(),
            "--json", link.toString());
        assertEquals(2, jsonOverCsv.exit(), jsonOverCsv.err());
        assertTrue(jsonOverCsv.err().lines().findFirst().orElseThrow().endsWith("are the same file"), jsonOverCsv.err());
        assertEquals("rows\n", Files.readString(f), "untouched");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count(), "nothing created");
        }
    }
}
