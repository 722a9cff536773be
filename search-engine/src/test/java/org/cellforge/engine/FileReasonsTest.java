package org.cellforge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileReasonsTest {

    @Test
    void theReasonsOfRealFailuresAreWordsNotThePathAgain(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        assertEquals("no such file", FileReasons.of(assertThrows(IOException.class,
                () -> Files.readAllBytes(dir.resolve("missing")))));
        assertEquals("is a directory", FileReasons.of(assertThrows(IOException.class, () -> Files.readAllBytes(dir))));
        assertEquals("a file of that name is in the way", FileReasons.of(assertThrows(IOException.class,
                () -> Files.createDirectories(file))));
        assertEquals("not a directory", FileReasons.of(assertThrows(IOException.class,
                () -> Files.createDirectories(file.resolve("sub")))));
        assertEquals("IOException", FileReasons.of(new IOException()));
        // The file is added when it is not the one the message names: here the parent in the way.
        IOException parent = assertThrows(IOException.class, () -> Files.createDirectories(file.resolve("sub")));
        assertEquals("not a directory", FileReasons.of(parent, file.resolve("sub")));
        IOException deeper = assertThrows(IOException.class,
                () -> Files.createDirectories(file.resolve("sub").resolve("deeper")));
        assertEquals("not a directory (" + file.resolve("sub") + ")", FileReasons.of(deeper,
                file.resolve("sub").resolve("deeper")));
    }
}
