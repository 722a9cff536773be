package org.cellforge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.cellforge.persistence.EmbeddedDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command-line search stopped with SIGTERM (as Ctrl-C or a service manager stops it) in the middle of
 * its trials: it says it was interrupted, and its stored row says so too, since the shutdown records it
 * before the embedded database stops.
 */
class StoppedSearchTest {

    @Test
    void aStoppedSearchIsRecordedAndReportedAsInterrupted(@TempDir Path data) {
        Path logs = Path.of("target", "stopped-logs").toAbsolutePath();
        // A budget no machine spends before the signal: the search is always in the middle of it.
        try (ChildProcess search = ChildProcess.cli("stopped-search", Map.of("OMP_NUM_THREADS", "1"), logs, "search",
                "--trials", "500", "--epochs", "1", "--channels", "4", "--train-size", "500", "--val-size", "200",
                "--threads", "1", "--data-dir", data.toString(), "--out", logs.resolve("never.json").toString())) {
            search.awaitOutput("[1/500]", Duration.ofMinutes(5));
            search.stop();
            search.awaitExit(Duration.ofMinutes(2));
            String output = search.output();
            assertTrue(output.contains("search 1 is recorded as INTERRUPTED"), output);
            assertTrue(output.contains("search 1 INTERRUPTED"), output);
            assertFalse(output.contains("FAILED"), output);
        }
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data.resolve("postgres"))) {
            Sql sql = new Sql(db);
            assertEquals("INTERRUPTED", sql.string("select status from search where id = 1"));
            assertTrue(sql.count("select count(*) from trial where search_id = 1") < 500);
        }
    }
}
