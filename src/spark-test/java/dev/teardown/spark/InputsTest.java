package dev.teardown.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run's files: what globs and directories match, each once, named by their local path, put in the order of their
 * first packet whatever their names sort as; a file that is not a capture is refused with one line naming it.
 */
@Tag("spark")
class InputsTest {
    private static final Path SAMPLES = Path.of("samples").toAbsolutePath();
    private static final HadoopConf CONF = new HadoopConf(new Configuration());

    @Test
    void ringFilesAreOrderedByTheirFirstPacketNotTheirNames(@TempDir Path dir) throws IOException {
        // tcpdump -C names: capture.pcap, capture.pcap1, ... capture.pcap10 sorts before capture.pcap2.
        Path later = Files.copy(SAMPLES.resolve("http11-client-close.pcap"), dir.resolve("capture.pcap10"));
        Path earlier = Files.copy(SAMPLES.resolve("http10-server-close.pcap"), dir.resolve("capture.pcap2"));
        List<InputFile> files = Inputs.ordered(null, Inputs.list(List.of(dir + "/capture.pcap*"), CONF.get()), CONF);
        assertEquals(List.of(earlier.toString(), later.toString()), files.stream().map(InputFile::name).toList(),
            "first packets: " + files.stream().map(InputFile::name).toList());
        assertEquals(List.of(0, 1), files.stream().map(InputFile::number).toList());
    }

    @Test
    void aDirectoryStandsForItsFilesAndAFileMatchedTwiceIsReadOnce(@TempDir Path dir) throws IOException {
        Files.copy(SAMPLES.resolve("http10-server-close.pcap"), dir.resolve("a.pcap"));
        Files.copy(SAMPLES.resolve("ipv6.pcap"), dir.resolve("b.pcap"));
        Files.writeString(dir.resolve(".hidden"), "not read");
        List<InputFile> files = Inputs.list(List.of(dir.toString(), dir + "/a.pcap"), CONF.get());
        assertEquals(2, files.size(), files.stream().map(InputFile::name).toList().toString());
        assertTrue(files.stream().allMatch(f -> f.uri().startsWith("file:") && f.name().startsWith("/")),
            "local files named by their path, as analyze names them");
    }

    @Test
    void nothingMatchedOrAFileThatIsNotACaptureIsOneLineNamingIt(@TempDir Path dir) throws IOException {
        Inputs.Unreadable none = assertThrows(Inputs.Unreadable.class,
            () -> Inputs.list(List.of(dir + "/nothing*"), CONF.get()));
        assertTrue(none.getMessage().contains("nothing*"), none.getMessage());
        Path text = Files.writeString(dir.resolve("notes.pcap"), "# not a capture\n");
        Inputs.Unreadable bad = assertThrows(Inputs.Unreadable.class,
            () -> Inputs.ordered(null, Inputs.list(List.of(text.toString()), CONF.get()), CONF));
        assertTrue(bad.getMessage().startsWith(text + ": ") && bad.getMessage().contains("not a pcap or pcapng"),
            bad.getMessage());
    }
}
