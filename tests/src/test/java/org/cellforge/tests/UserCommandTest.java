package org.cellforge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cellforge.persistence.EmbeddedDatabase;
import org.cellforge.web.security.Passwords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cellforge user}, from the application jar as the launcher runs it: accounts made, listed,
 * given a new password and refused where the server's service refuses them, in the embedded database
 * a server would use.
 */
class UserCommandTest {

    private static final Pattern PASSWORD = Pattern.compile("password of (\\S+): (\\S+) \\(shown this once\\)");
    private final Path logs = Path.of("target", "user-logs").toAbsolutePath();
    private int runs;

    /** Runs {@code cellforge user ARGS --data-dir DATA}; its exit code and output. */
    private Map.Entry<Integer, String> user(Path data, String... args) {
        List<String> all = new ArrayList<>(List.of("user"));
        all.addAll(List.of(args));
        all.addAll(List.of("--data-dir", data.toString()));
        try (ChildProcess p = ChildProcess.serverJar("user-" + (++runs), Map.of(), logs, all.toArray(String[]::new))) {
            int code = p.awaitExit(Duration.ofMinutes(2));
            return Map.entry(code, p.output());
        }
    }

    private static String password(String output) {
        Matcher m = PASSWORD.matcher(output);
        assertTrue(m.find(), output);
        return m.group(2);
    }

    @Test
    void accountsAreManagedWhileNoServerRuns(@TempDir Path data) {
        var added = user(data, "add", "ann", "--role", "operator");
        assertEquals(0, added.getKey(), added.getValue());
        String first = password(added.getValue());
        assertEquals(20, first.length());

        var listed = user(data, "list");
        assertEquals(0, listed.getKey(), listed.getValue());
        assertTrue(listed.getValue().contains("ann  operator"), listed.getValue());
        assertFalse(listed.getValue().contains("$2"), "no hash is shown: " + listed.getValue());

        var last = user(data, "remove", "ann");
        assertEquals(1, last.getKey(), last.getValue());
        assertTrue(last.getValue().contains("last operator"), last.getValue());
        var bad = user(data, "add", "has space");
        assertEquals(2, bad.getKey(), bad.getValue());
        assertTrue(bad.getValue().contains("name: must be"), bad.getValue());
        var unknown = user(data, "passwd", "nobody");
        assertEquals(1, unknown.getKey(), unknown.getValue());
        assertTrue(unknown.getValue().contains("no account named 'nobody'"), unknown.getValue());

        var renewed = user(data, "passwd", "ann");
        assertEquals(0, renewed.getKey(), renewed.getValue());
        String second = password(renewed.getValue());
        assertNotEquals(first, second);

        // What a server on this data directory will check: the new password, not the old one.
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data.resolve("postgres"))) {
            String hash = new Sql(db).string("select password_hash from account where name = 'ann'");
            assertTrue(Passwords.matches(hash, second.toCharArray()));
            assertFalse(Passwords.matches(hash, first.toCharArray()));
            // While another process holds the database, the command says where accounts are managed then.
            var held = user(data, "list");
            assertEquals(1, held.getKey(), held.getValue());
            assertTrue(held.getValue().contains("Accounts page"), held.getValue());
        }
    }

    @Test
    void aDataDirectoryThatCannotBeMadeIsNamedWithItsReasonAndNoAdviceAboutAServer(@TempDir Path dir)
            throws IOException {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        var refused = user(file, "list");
        assertEquals(1, refused.getKey(), refused.getValue());
        assertTrue(refused.getValue().contains("cellforge: cannot create the database directory "
                + file.resolve("postgres") + ": not a directory"), refused.getValue());
        assertFalse(refused.getValue().contains("Accounts page"), refused.getValue());
        assertFalse(refused.getValue().contains("\tat "), "no stack trace: " + refused.getValue());
    }
}
