package dev.teardown.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import dev.teardown.capture.FrameHandler;
import dev.teardown.capture.LiveCapture;
import dev.teardown.capture.LiveCaptureException;
import dev.teardown.capture.OpenCapture;
import dev.teardown.capture.ScriptedLiveSource;
import dev.teardown.capture.Snaplen;
import dev.teardown.pipeline.Traffic;

/**
 * {@code teardown live} on loopback with real sockets: the rows it writes equal the rows {@code analyze}
 * gives on its {@code --write} file, it reports who closed, and a failed output ends it. Needs root (skipped
 * otherwise, except under CI=true, where it must run). The loop's timing policy is tested on packet time in
 * {@code pipeline.LiveRunTest}; here nothing waits a guessed time: each test waits for what it can observe (a
 * frame in the tee file, rows in the output), with deadlines that only a failure reaches.
 */
class LiveCommandTest {
    /** Only a broken run waits this long for what it should show within seconds. */
    /**
     * Starts a thread that answers {@code connections} connections on {@code server} as an HTTP/1.0 server does:
     * reads the request, answers, and closes first (so it holds the TIME_WAIT).
     */
    private static Thread serveClosing(ServerSocket server, int connections) {
        Thread t = new Thread(() -> {
            for (int i = 0; i < connections; i++) {
                try (Socket s = server.accept()) {
                    s.getInputStream().read(new byte[100]);
                    s.getOutputStream().write("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                } catch (Exception e) {
                    return;
                }
            }
        });
        t.start();
        return t;
    }

    private static final long DEADLINE_SECONDS = 60;
    /** Longer than any wait here: a run must end by what the test does, not by its --duration. */
    private static final String SAFETY_DURATION = "600";

    /**
     * A live command running on another thread, and the command itself, to stop it as Ctrl-C does; closing
     * stops it, so that a failed test leaves no capture running.
     */
    private record Started(LiveCommand command, CompletableFuture<AnalyzeCommandTest.Run> run) implements AutoCloseable {
        /** The run's result, which must come within the deadline (long before its --duration). */
        AnalyzeCommandTest.Run result() throws Exception {
            return run.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            command.stop();
        }
    }

    private static Started start(String... args) {
        return start(command -> { }, args);
    }

    /** The same with the command prepared by {@code setUp} first (a scripted interface). */
    private static Started start(java.util.function.Consumer<LiveCommand> setUp, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = TeardownCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        LiveCommand command = cl.getSubcommands().get("live").getCommand();
        setUp.accept(command);
        return new Started(command, CompletableFuture.supplyAsync(() -> {
            int exit = cl.execute(args);
            return new AnalyzeCommandTest.Run(exit, out.toString(), err.toString());
        }));
    }

    private static void assumeRoot() {
        boolean ci = "true".equals(System.getenv("CI"));
        if (!ci) assumeTrue("root".equals(System.getProperty("user.name")), "live capture needs root");
    }

    /** Polls {@code done} until it holds, doing {@code poke} before each look; fails at the deadline. */
    private static void await(String what, Started live, BooleanSupplier done, Runnable poke) {
        long start = System.nanoTime();
        while (true) {
            poke.run();
            if (done.getAsBoolean()) return;
            if (live.run().isDone() || System.nanoTime() - start > TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS)) {
                fail("never saw " + what + (live.run().isDone() ? ": the command ended" : ""));
            }
            LockSupport.parkNanos(20_000_000L); // pacing between looks, not a guess of how long anything takes
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // not created yet
        }
    }

    private static int lines(Path file) {
        try {
            return Files.readAllLines(file).size();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Waits until the capture runs: sends datagrams the filter passes until one is in the tee file (the file is
     * flushed after every dispatch, and holds 24 bytes of header before the first frame).
     */
    private static void awaitCapturing(Started live, Path tee, DatagramSocket probe) {
        byte[] ping = {1};
        await("a probe in " + tee, live, () -> size(tee) > 24, () -> {
            try {
                probe.send(new DatagramPacket(ping, 1, probe.getLocalSocketAddress()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Tag("root")
    @Test
    void liveRowsEqualAnalyzeRowsOnTheTeedCaptureAndNothingIsDropped(@TempDir Path dir) throws Exception {
        assumeRoot();
        Path csv = dir.resolve("live.csv");
        Path pcap = dir.resolve("live.pcap");
        Path html = dir.resolve("live.html");
        Path zeek = dir.resolve("conn.log");
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             // --time-wait 1: each connection is written by the capture itself, once its TIME_WAIT is over on the
             // wall clock; then a stop as Ctrl-C gives ends the run.
             Started live = start("live", "-i", "lo", "-f", "tcp port " + server.getLocalPort() + " or udp port "
                 + probe.getLocalPort(), "--time-wait", "1", "--duration", SAFETY_DURATION, "--csv", csv.toString(),
                 "--write", pcap.toString(), "--html", html.toString(), "--zeek-conn", zeek.toString())) {
            int port = server.getLocalPort();
            awaitCapturing(live, pcap, probe);
            // The server reads the request, answers and closes first: it holds TIME_WAIT.
            Thread serverThread = serveClosing(server, 3);
            for (int i = 0; i < 3; i++) {
                try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    OutputStream out = c.getOutputStream();
                    out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    InputStream in = c.getInputStream();
                    while (in.read() >= 0) { }
                }
            }
            serverThread.join();
            await("three rows in " + csv, live, () -> lines(csv) == 4, () -> { });
            live.command().stop();
            AnalyzeCommandTest.Run r = live.result();
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("0 dropped"), r.out());

            List<String> liveRows = Files.readAllLines(csv);
            AnalyzeCommandTest.Run again = AnalyzeCommandTest.run("analyze", pcap.toString(), "--time-wait", "1",
                "--csv", "-", "-q");
            assertEquals(0, again.exit(), again.err());
            // Every column but file: live names no file, analyze the --write file it read.
            List<List<String>> liveTable = dev.teardown.TestCsv.parse(String.join("\n", liveRows) + "\n");
            List<List<String>> againTable = dev.teardown.TestCsv.parse(again.out());
            int file = liveTable.get(0).indexOf("file");
            assertEquals(withoutCell(againTable, file), withoutCell(liveTable, file));
            assertTrue(liveTable.stream().skip(1).allMatch(row -> row.get(file).isEmpty()), "live rows name no file");
            assertTrue(againTable.stream().skip(1).allMatch(row -> row.get(file).equals(pcap.toString())), again.out());
            assertEquals(4, liveRows.size(), "a header and three connections");
            for (String row : liveRows.subList(1, 4)) {
                assertTrue(row.contains(",server,fin,server,"), row);
                assertTrue(row.contains(",http10-close,"), row);
            }
            // The conn.log has the same three connections, and its #close line once the capture stopped.
            List<String> log = Files.readAllLines(zeek);
            assertEquals(3, log.stream().filter(l -> !l.startsWith("#")).count(), String.join("\n", log));
            assertTrue(log.get(log.size() - 1).startsWith("#close\t"), String.join("\n", log));
            // The HTML report is written when the capture stops, with the same connections.
            org.w3c.dom.Document page = dev.teardown.answer.Pages.parse(Files.readString(html));
            assertEquals(3, dev.teardown.answer.Pages.number(page, "//p[@class='headline']", "data-connections"));
            assertEquals("3", dev.teardown.answer.Pages.one(page,
                "//section[@id='close-reasons']//rect[@data-key='http10-close']").getAttribute("data-count"));
        }
    }

    /**
     * Live on two worker threads, on real traffic: curl fetching from Python's http.server (HTTP/1.0: the server
     * closes each connection) on loopback. Its rows equal {@code analyze --threads 1} of its own --write file, as a
     * set: live writes a connection once quiet wall-clock time ends its TIME_WAIT, analyze once a later packet (or
     * the end of the file) does, so rows that analyze writes at the end come in order of first packet there but in
     * order of last packet in live.
     */
    @Tag("root")
    @Test
    void liveOnTwoThreadsWritesTheRowsOfAnalyzeOnOneThreadOfItsOwnCapture(@TempDir Path dir) throws Exception {
        assumeRoot();
        Path site = dir.resolve("site");
        Files.createDirectory(site);
        Files.writeString(site.resolve("a.txt"), "hello\n".repeat(200));
        Path csv = dir.resolve("live.csv");
        Path pcap = dir.resolve("live.pcap");
        int fetches = 10;
        int perFetch = 3;
        Process server = new ProcessBuilder("python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1",
            "--directory", site.toString()).redirectErrorStream(true).start();
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = serverPort(server);
            try (Started live = start("live", "--threads", "2", "-i", "lo", "-f", "tcp port " + port + " or udp port "
                     + probe.getLocalPort(), "--time-wait", "1", "--duration", SAFETY_DURATION, "--csv", csv.toString(),
                     "--write", pcap.toString())) {
                awaitCapturing(live, pcap, probe);
                String url = "http://127.0.0.1:" + port + "/a.txt";
                for (int i = 0; i < fetches; i++) {
                    List<String> curl = new java.util.ArrayList<>(List.of("curl", "-s", "--max-time", "10"));
                    for (int k = 0; k < perFetch; k++) curl.addAll(List.of("-o", "/dev/null", url));
                    Process c = new ProcessBuilder(curl).redirectErrorStream(true).start();
                    assertTrue(c.waitFor(20, TimeUnit.SECONDS), "curl ended");
                    assertEquals(0, c.exitValue(), "curl fetched " + url);
                }
                // Written during the run: quiet time ends each TIME_WAIT, the workers hand the rows on.
                await(fetches * perFetch + " rows in " + csv, live, () -> lines(csv) == fetches * perFetch + 1, () -> { });
                live.command().stop();
                AnalyzeCommandTest.Run r = live.result();
                assertEquals(0, r.exit(), r.err());
                assertTrue(r.out().contains("0 dropped"), r.out());
            }
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) server.destroyForcibly().waitFor();
        }
        AnalyzeCommandTest.Run again = AnalyzeCommandTest.run("analyze", pcap.toString(), "--threads", "1",
            "--time-wait", "1", "--csv", "-", "-q");
        assertEquals(0, again.exit(), again.err());
        List<List<String>> liveTable = dev.teardown.TestCsv.parse(Files.readString(csv));
        List<List<String>> againTable = dev.teardown.TestCsv.parse(again.out());
        int file = liveTable.get(0).indexOf("file");
        List<String> liveRows = withoutCell(liveTable, file);
        List<String> againRows = withoutCell(againTable, file);
        assertEquals(fetches * perFetch + 1, liveRows.size());
        assertEquals(againRows.get(0), liveRows.get(0), "the header");
        assertEquals(againRows.subList(1, againRows.size()).stream().sorted().toList(),
            liveRows.subList(1, liveRows.size()).stream().sorted().toList());
        // Every connection seen whole and closed by FINs: by the server (HTTP/1.0), by curl, or by both at once.
        int handshake = liveTable.get(0).indexOf("handshake");
        int closeType = liveTable.get(0).indexOf("close_type");
        assertTrue(liveTable.stream().skip(1).allMatch(row -> row.get(handshake).equals("full")
            && List.of("fin", "simultaneous").contains(row.get(closeType))), liveTable.toString());
    }

    /** The port Python's http.server says it serves on (its first line), read within the deadline. */
    private static int serverPort(Process server) throws Exception {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String first = line.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(" port (\\d+) ").matcher(String.valueOf(first));
        assertTrue(m.find(), "http.server's first line: " + first);
        return Integer.parseInt(m.group(1));
    }

    @Tag("root")
    @Test
    void ringFilesRotatedEverySecondAnalyzedTogetherGiveTheRowsOfTheRotatedCsvFiles(@TempDir Path dir) throws Exception {
        assumeRoot();
        Path ring = dir.resolve("ring");
        Files.createDirectory(ring);
        Path rows = dir.resolve("rows");
        Files.createDirectory(rows);
        Path tee = ring.resolve("t-%s.pcap");
        int connections = 8;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             // A new pcap file and a new CSV file every second of packet time; --time-wait 1 writes each row during
             // the run, about a second after its close.
             Started live = start("live", "-i", "lo", "-f", "tcp port " + server.getLocalPort() + " or udp port "
                 + probe.getLocalPort(), "--time-wait", "1", "--duration", SAFETY_DURATION, "--csv",
                 rows.resolve("flows.csv").toString(), "--rotate", "1", "--write", tee.toString(), "-G", "1")) {
            int port = server.getLocalPort();
            byte[] ping = {1};
            await("a probe in a ring file", live, () -> {
                try (Stream<Path> files = Files.list(ring)) {
                    return files.anyMatch(f -> size(f) > 24);
                } catch (IOException e) {
                    return false;
                }
            }, () -> {
                try {
                    probe.send(new DatagramPacket(ping, 1, probe.getLocalSocketAddress()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Thread serverThread = serveClosing(server, connections);
            for (int i = 0; i < connections; i++) {
                try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    c.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    InputStream in = c.getInputStream();
                    while (in.read() >= 0) { }
                }
                LockSupport.parkNanos(400_000_000L); // spreads the connections over a few seconds: several files
            }
            serverThread.join();
            BooleanSupplier allRows = () -> {
                try (Stream<Path> files = Files.list(rows)) {
                    return files.mapToInt(f -> lines(f) - 1).sum() == connections;
                } catch (IOException e) {
                    return false;
                }
            };
            await(connections + " rows in the CSV files", live, allRows, () -> { });
            live.command().stop();
            AnalyzeCommandTest.Run r = live.result();
            assertEquals(0, r.exit(), r.err());
        }
        List<Path> pcaps;
        List<Path> csvs;
        try (Stream<Path> files = Files.list(ring); Stream<Path> written = Files.list(rows)) {
            pcaps = files.sorted().toList(); // t-<seconds>.pcap: name order is time order
            csvs = written.sorted().toList();
        }
        assertTrue(pcaps.size() >= 3, "rotated every second: " + pcaps);
        assertTrue(csvs.size() >= 2, "rows written over several seconds: " + csvs);
        List<List<String>> liveTable = new java.util.ArrayList<>();
        for (Path f : csvs) {
            List<List<String>> t = dev.teardown.TestCsv.parse(Files.readString(f));
            if (liveTable.isEmpty()) liveTable.add(t.get(0));
            assertEquals(liveTable.get(0), t.get(0), "each file has the header");
            liveTable.addAll(t.subList(1, t.size()));
        }
        List<String> args = new java.util.ArrayList<>(List.of("analyze"));
        pcaps.forEach(p -> args.add(p.toString()));
        args.addAll(List.of("--time-wait", "1", "--csv", "-", "-q"));
        AnalyzeCommandTest.Run again = AnalyzeCommandTest.run(args.toArray(new String[0]));
        assertEquals(0, again.exit(), again.err());
        List<List<String>> againTable = dev.teardown.TestCsv.parse(again.out());
        int file = liveTable.get(0).indexOf("file");
        assertEquals(connections + 1, liveTable.size());
        assertEquals(withoutCell(againTable, file), withoutCell(liveTable, file));
    }

    @Tag("root")
    @Test
    void outputsThatCannotBeOpenedOrWrittenAreNamedInOneLineWithExitOne(@TempDir Path dir) throws Exception {
        assumeRoot();
        AnalyzeCommandTest.Run noDir = AnalyzeCommandTest.run("live", "-i", "lo", "--duration", "1",
            "--csv", dir.resolve("no/such/flows.csv").toString());
        assertEquals(1, noDir.exit(), noDir.err());
        assertTrue(noDir.err().strip().endsWith("flows.csv: no such file or directory"), noDir.err());
        AnalyzeCommandTest.Run noTee = AnalyzeCommandTest.run("live", "-i", "lo", "--duration", "1",
            "--write", dir.resolve("no/such/t.pcap").toString());
        assertEquals(1, noTee.exit(), noTee.err());
        assertTrue(noTee.err().strip().endsWith("t.pcap: no such file or directory"), noTee.err());

        Path pcap = dir.resolve("live.pcap");
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             // The connection's row is written once its 1 s TIME_WAIT is over, and fails on the full device: that
             // ends the capture by itself.
             Started live = start("live", "-i", "lo", "-f", "tcp port " + server.getLocalPort() + " or udp port "
                 + probe.getLocalPort(), "--time-wait", "1", "--duration", SAFETY_DURATION, "--json", "/dev/full",
                 "--write", pcap.toString())) {
            int port = server.getLocalPort();
            awaitCapturing(live, pcap, probe);
            try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port); Socket s = server.accept()) {
                c.getOutputStream().write(1);
            }
            AnalyzeCommandTest.Run r = live.result();
            assertEquals(1, r.exit(), r.err());
            assertTrue(r.err().strip().endsWith("teardown: writing /dev/full: No space left on device"), r.err());
            assertTrue(r.out().contains("connections        1 "), "the summary is still printed: " + r.out());
        }
    }

    private static final List<String> NUMERIC_OPTIONS = List.of("--time-wait", "--idle-timeout", "--duration", "--count",
        "--buffer-size", "--snaplen", "--max-connections", "--step", "--threads");

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
        "--step, 0",
        "--threads, 0",
        "--threads, 65",
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
    void threadsAskedForWithMaxConnectionsGiveTheRelayAndSaySoAsAnalyzeDoes() {
        // The note comes before the capture is opened; the interface does not exist, so the run ends there (exit 1).
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.run("live", "-i", "td-none0", "--threads", "2",
            "--max-connections", "10");
        assertEquals(1, r.exit(), r.err());
        assertEquals("teardown: --threads 2: reading, analysing and writing on three threads: "
            + "--max-connections bounds one table, kept by one analysing thread",
            r.err().lines().findFirst().orElseThrow());
        AnalyzeCommandTest.Run quiet = AnalyzeCommandTest.run("live", "-i", "td-none0", "--max-connections", "10");
        assertFalse(quiet.err().contains("--threads"), "no note when --threads was not given: " + quiet.err());
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

    @Test
    void libpcapCountsAreANoteAndAWarningOnlyWhenSomethingWasDropped() {
        dev.teardown.pipeline.Pipeline pipeline = new dev.teardown.pipeline.Pipeline(
            dev.teardown.pipeline.AnalyzeOptions.defaults(), List.of());
        dev.teardown.report.CaptureTotals clean = LiveCommand.totals(pipeline,
            new dev.teardown.capture.LiveCapture.Stats(620, 0, 0), "veth0");
        assertEquals(List.of(), clean.warnings());
        assertEquals(List.of(new dev.teardown.report.CaptureTotals.Note("libpcap",
            "620 received, 0 dropped, 0 dropped by the interface")), clean.notes());
        dev.teardown.report.CaptureTotals lossy = LiveCommand.totals(pipeline,
            new dev.teardown.capture.LiveCapture.Stats(1_620, 1_000, 3), "veth0");
        assertEquals(List.of("libpcap dropped 1,000 packets and the interface 3: connections they belonged to may be "
            + "misread (a larger --buffer-size helps when the analysis keeps up)"), lossy.warnings());
        assertEquals("1,620 received, 1,000 dropped, 3 dropped by the interface", lossy.notes().get(0).text());
    }

    @ParameterizedTest
    @CsvSource({
        "true, lo, 0, true",
        "false, any, 0, false",
        "false, any, 1, true",
        "false, eth0, 5, false",
    })
    void theLoopbackNoteComesOnlyOnALoopbackDeviceOrOnAnyWhenLoopbackPacketsWereSeen(boolean loopbackDevice,
                                                                                   String device, long loopbackFrames,
                                                                                   boolean noted) {
        assertEquals(noted, LiveCommand.loopbackNote(loopbackDevice, device, loopbackFrames).contains("loopback traffic"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-C 1 | -C needs --write",
        "-G 60 | -G needs --write",
        "--write t.pcap -W 3 | -W needs -C or -G",
        "--write t.pcap -G 60 | -G needs a time in the --write file name",
        "--write t-%Q.pcap -G 60 | --write t-%Q.pcap: %Q is not one of",
        "--write t.pcap -C 0 | -C must be a positive whole number",
        "--write t.pcap -C 1x | -C must be a positive whole number",
        "--write t.pcap -G 0 | -G must be 1 to",
        "--rotate 60 | --rotate needs --csv or --json to a file",
        "--csv - --rotate 60 | --rotate needs --csv or --json to a file",
        "--csv f.csv --rotate 0 | --rotate must be 1 to",
        "--metrics 9464 | --metrics must be ADDR:PORT",
        "--metrics-endpoints 5 | --metrics-endpoints needs --metrics",
        "--metrics 127.0.0.1:0 --metrics-endpoints 1001 | --metrics-endpoints must be 0 to 1,000",
    })
    void rotationAndMetricsOptionsAreCheckedBeforeAnyCaptureIsOpened(String options, String message,
                                                                      @TempDir Path dir) {
        List<String> args = new java.util.ArrayList<>(List.of("live", "-i", "lo"));
        for (String o : options.strip().split(" ")) {
            args.add(o.endsWith(".pcap") || o.endsWith(".csv") ? dir.resolve(o).toString() : o);
        }
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.run(args.toArray(new String[0]));
        assertEquals(2, r.exit(), r.err());
        String first = r.err().lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("teardown: " + message.strip().replace("t-%Q.pcap", dir.resolve("t-%Q.pcap").toString())),
            first);
    }

    @Test
    void aMetricsAddressInUseIsOneLineAndExitOneBeforeAnyCaptureIsOpened(@TempDir Path dir) throws Exception {
        // No root needed: the address is bound before libpcap is asked for anything.
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + taken.getLocalPort();
            AnalyzeCommandTest.Run r = AnalyzeCommandTest.run("live", "-i", "lo", "--metrics", address,
                "--csv", dir.resolve("flows.csv").toString());
            assertEquals(1, r.exit(), r.err());
            assertTrue(r.err().strip().startsWith("teardown: --metrics " + address + ": "), r.err());
            assertFalse(Files.exists(dir.resolve("flows.csv")), "nothing opened");
        }
    }

    /** The rows, sorted, each without its cell at {@code column}. */
    private static List<String> withoutCell(List<List<String>> rows, int column) {
        List<String> out = new java.util.ArrayList<>();
        for (List<String> row : rows) {
            List<String> r = new java.util.ArrayList<>(row);
            r.remove(column);
            out.add(String.join(",", r));
        }
        java.util.Collections.sort(out);
        return out;
    }

    /** An interface named {@code device} that plays {@code source}'s script instead of capturing (no libpcap, no root). */
    private static OpenCapture scripted(ScriptedLiveSource source, String device) {
        return new OpenCapture() {
            @Override public int dispatch(FrameHandler handler) throws LiveCaptureException { return source.dispatch(handler); }

            @Override public void breakLoop() { source.breakLoop(); }

            @Override public LiveCapture.Stats stats() { return source.stats(); }

            @Override public String device() { return device; }

            @Override public int linkType() { return 1; }

            @Override public int snaplen() { return Snaplen.MAXIMUM; }

            @Override public boolean nanosecondTimestamps() { return true; }

            @Override public void close() { }
        };
    }

    @ParameterizedTest
    @CsvSource({"1", "2"})
    void runningOutOfMemoryIsOneLineExitOneAndKeepsEveryRowWritten(String threads, @TempDir Path dir)
            throws Exception {
        Path csv = dir.resolve("flows.csv");
        // 50 SYNs arrive, then the heap runs out while the next packets are awaited.
        ScriptedLiveSource source = new ScriptedLiveSource().then(
            s -> Traffic.generate(Traffic.Kind.SYN, 50, s::arrive),
            s -> {
                throw new OutOfMemoryError("test");
            });
        AnalyzeCommandTest.Run r;
        try (Started live = start(command -> command.opener = options -> scripted(source, options.device()),
            "live", "-i", "scripted", "--max-connections", "10", "--csv", csv.toString(), "--threads", threads)) {
            r = live.result();
        }
        String line = r.err().lines().filter(l -> l.startsWith("teardown: ")).reduce((a, b) -> b).orElse("");
        assertEquals(1, r.exit(), r.err());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("teardown: out of memory after 50 packets on "
            + "scripted; the (\\d+) connections then held were not written, rows written before are kept; raise -Xmx "
            + "via TEARDOWN_JAVA_OPTS or lower --max-connections \\(now 10\\)").matcher(line);
        assertTrue(m.matches(), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        int dropped = Integer.parseInt(m.group(1));
        int rows = Files.readAllLines(csv).size() - 1;
        assertTrue(dropped <= 10, "at most the bound is held: " + dropped);
        assertEquals(50, rows + dropped, "every connection either written before or counted as dropped");
        assertTrue(r.out().contains("teardown live: scripted"), "the summary is still printed: " + r.out());
    }
}
