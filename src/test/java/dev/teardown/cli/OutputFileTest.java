package dev.teardown.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where an output lands, whether two paths are one file, and the write-then-rename of file outputs. */
class OutputFileTest {

    @Test
    void sameFileSeesSpellingsLinksAndFilesNotCreatedYet(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.csv");
        assertTrue(OutputFile.sameFile(a, dir.resolve("./a.csv")), "not created yet, two spellings");
        assertFalse(OutputFile.sameFile(a, dir.resolve("b.csv")));
        Files.createDirectory(dir.resolve("sub"));
        assertTrue(OutputFile.sameFile(a, dir.resolve("sub/../a.csv")), "through a directory that exists");
        Path dirLink = Files.createSymbolicLink(dir.resolve("dirlink"), dir);
        assertTrue(OutputFile.sameFile(a, dirLink.resolve("a.csv")), "through a linked directory, not created yet");
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.csv"), Path.of("a.csv"));
        assertTrue(OutputFile.sameFile(a, dangling), "a dangling link and the file it would create");

        Files.writeString(a, "x");
        Path hard = Files.createLink(dir.resolve("hard.csv"), a);
        assertTrue(OutputFile.sameFile(a, hard), "hard link");
        assertTrue(OutputFile.sameFile(dangling, hard), "symbolic link and hard link");
        Files.writeString(dir.resolve("b.csv"), "x");
        assertFalse(OutputFile.sameFile(a, dir.resolve("b.csv")), "same content, other file");
    }

    @Test
    void aRegularFileIsWrittenBesideItsTargetAndRenamedOverItOnCommit(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("flows.csv");
        Files.writeString(target, "old\n");
        OutputFile f = OutputFile.open(target.toString(), true);
        assertNotNull(f.temporary());
        assertEquals(dir.toRealPath(), f.temporary().getParent());
        f.stream().write("new\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("old\n", Files.readString(target), "the target is untouched until the end");
        f.commit();
        assertEquals("new\n", Files.readString(target));
        assertEquals(List.of("flows.csv"), listing(dir));
    }

    @Test
    void discardDeletesTheTemporaryFileAndLeavesTheTargetAsItWas(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("flows.csv");
        Files.writeString(target, "old\n");
        OutputFile f = OutputFile.open(target.toString(), true);
        f.stream().write("half a ro".getBytes(StandardCharsets.UTF_8));
        f.discard();
        assertEquals("old\n", Files.readString(target));
        assertEquals(List.of("flows.csv"), listing(dir));
    }

    @Test
    void liveOutputsAndDevicesAreWrittenInPlace(@TempDir Path dir) throws Exception {
        OutputFile live = OutputFile.open(dir.resolve("live.csv").toString(), false);
        assertNull(live.temporary());
        live.stream().write('x');
        live.stream().flush();
        assertEquals("x", Files.readString(dir.resolve("live.csv")), "visible at once, for tail -f");
        live.commit();
        for (String device : List.of("/dev/null", "/dev/stdout")) {
            OutputFile f = OutputFile.open(device, true);
            assertNull(f.temporary(), device);
            f.commit();
        }
        Path linkToNull = Files.createSymbolicLink(dir.resolve("null.csv"), Path.of("/dev/null"));
        OutputFile viaLink = OutputFile.open(linkToNull.toString(), true);
        assertNull(viaLink.temporary());
        viaLink.commit();
        assertFalse(Files.isRegularFile(Path.of("/dev/null")));
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
