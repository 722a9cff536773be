package org.cellforge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.cellforge.controller.Controller;
import org.cellforge.controller.ControllerContext;
import org.cellforge.controller.ControllerState;
import org.cellforge.controller.Controllers;
import org.cellforge.controller.Cost;
import org.cellforge.controller.Decision;
import org.cellforge.controller.option.Options;
import org.cellforge.persistence.EmbeddedDatabase;
import org.cellforge.space.nb201.Nb201Cell;
import org.cellforge.space.nb201.Nb201Space;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Searches across processes on one PostgreSQL: a server coordinating, worker processes training, and
 * processes killed with SIGKILL in the middle of a trial. What the tests read back is the database
 * itself, which every process shares.
 */
class DistributedSearchTest {

    private static final Duration BOOT = Duration.ofMinutes(3);
    private static final Duration SEARCH = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private EmbeddedDatabase db;
    private Sql sql;
    private Map<String, String> env;
    private final List<ChildProcess> children = new ArrayList<>();
    private final Path logs = Path.of("target", "distributed-logs").toAbsolutePath();
    /** The password the first server generated for the account 'operator'. */
    private String password;

    @BeforeEach
    void database() {
        db = EmbeddedDatabase.startTemporary();
        sql = new Sql(db);
        env = Map.of("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl(), "QUARKUS_DATASOURCE_USERNAME", EmbeddedDatabase.USER,
                "QUARKUS_DATASOURCE_PASSWORD", EmbeddedDatabase.USER, "OMP_NUM_THREADS", "1");
    }

    @AfterEach
    void stop() {
        children.forEach(ChildProcess::close);
        db.close();
    }

    private ChildProcess child(ChildProcess c) {
        children.add(c);
        return c;
    }

    /**
     * A random search's request: random proposals do not depend on results, so what a controller restored
     * from a stored snapshot proposes next can be replayed here.
     */
    private static String request(int trials, int epochs, int parallel) {
        return """
                {"controller": "random", "trials": %d, "epochs": %d, "channels": 4, "trainSize": 1500,
                 "validationSize": 500, "batchSize": 64, "retrainEpochs": 1, "parallelTrials": %d, "threads": 1,
                 "seed": 7}
                """.formatted(trials, epochs, parallel);
    }

    /**
     * A server coordinating, two workers training; a third process runs a search of its own on the same
     * database; then one worker and, later, the server are killed with SIGKILL in the middle of trials,
     * and a new server takes over. One search, so that each process boots once: the test runs in CI.
     */
    @Test
    void killedWorkersAndAKilledServerLoseNoTrialAndRunNoneTwice(@TempDir Path data) throws Exception {
        int port = freePort();
        ChildProcess first = child(ChildProcess.server("server-1", env, logs, "--port", Integer.toString(port),
                "--workers", "0", "--data-dir", data.toString()));
        ChildProcess a = child(ChildProcess.cli("worker-a", env, logs, "worker", "--slots", "1"));
        ChildProcess b = child(ChildProcess.cli("worker-b", env, logs, "worker", "--slots", "1"));
        first.awaitOutput("Listening on", BOOT);
        a.awaitOutput("trains up to 1 trial", BOOT);
        b.awaitOutput("trains up to 1 trial", BOOT);
        // No users were configured: the first start made an operator, its password in the data directory.
        Path passwordFile = data.resolve("operator-password");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
        password = Files.readString(passwordFile).strip();
        assertTrue(password.length() >= 16, "a long random password");
        assertEquals(1, occurrences(first.output(), password), "the password is printed once, and not logged");
        assertEquals(401, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/api/searches")).build(), HttpResponse.BodyHandlers.ofString()).statusCode(), "anonymous");
        // The login cookie's key is kept in the data directory, not made per start and written to the log.
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                data.resolve("session-key"))));
        String key = Files.readString(data.resolve("session-key")).strip();
        assertEquals(0, occurrences(first.output(), key));
        assertEquals(0, occurrences(first.output(), "temporary key"), first.tail());
        String cookie = signIn(port);
        long id = submit(port, request(6, 5, 2));

        // Another process starts on the same database and runs a search of its own; it must not touch this one.
        ChildProcess cli = child(ChildProcess.cli("cli-search", env, logs, "search", "--trials", "1", "--epochs", "1",
                "--channels", "4", "--train-size", "500", "--val-size", "200", "--retrain-epochs", "1", "--threads",
                "1", "--out", logs.resolve("cli-genotype.json").toString()));

        // Worker A is killed once it has stored the first of five epochs of a trial: in the middle of it.
        Polls.await("worker A to be in the middle of a trial", SEARCH, () -> sql.count("select count(*) from trial t "
                + "join trial_epoch e on e.trial_id = t.id where t.search_id = ? and t.status = 'RUNNING' "
                + "and t.worker like ?", id, "%/" + a.pid()) > 0);
        long killed = sql.count("select t.id from trial t where t.search_id = ? and t.status = 'RUNNING' "
                + "and t.worker like ? limit 1", id, "%/" + a.pid());
        a.kill();

        // Then the server, once a result was told, with trials in flight and the budget not all proposed.
        Polls.await("a trial told", SEARCH, () -> sql.count("select count(*) from trial where search_id = ? and told",
                id) >= 1);
        first.kill();
        String snapshot = sql.string("select controller_state from search where id = ?", id);
        long storedAtKill = sql.count("select count(*) from trial where search_id = ?", id);
        assertEquals("RUNNING", status(id), "a killed server ends nothing");
        assertTrue(storedAtKill < 6, "the budget was not all proposed before the kill: " + storedAtKill);

        ChildProcess second = child(ChildProcess.server("server-2", env, logs, "--port", Integer.toString(port),
                "--workers", "0", "--data-dir", data.toString()));
        assertEquals(0, cli.awaitExit(SEARCH), cli.tail());
        assertNotEquals("INTERRUPTED", status(id), "another process's start left the search alone");
        assertNotEquals("FAILED", status(id));
        second.awaitOutput("Listening on", BOOT);
        // The account exists: no second one, no new password; the first still signs in (awaitEnd uses it).
        assertEquals(0, occurrences(second.output(), "was created"), second.tail());
        assertEquals(password, Files.readString(passwordFile).strip());
        assertEquals(1, sql.count("select count(*) from account"));
        // A dashboard session of the first server holds across the restart.
        assertEquals(200, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/api/searches")).header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode());

        JsonNode done = awaitEnd(port, id);
        assertEquals("SUCCEEDED", done.get("status").asText(), done.toString() + "\n" + second.tail());
        assertEveryTrialDoneOnce(id, 6, 5);
        assertEquals(2, sql.count("select attempts from trial where id = ?", killed),
                "the killed worker's trial was delivered once more");
        assertTrue(sql.string("select worker from trial where id = ?", killed).endsWith("/" + b.pid()),
                "and trained to the end by the other worker");
        assertEquals(6, sql.count("select count(*) from jobrunr_jobs where state = 'SUCCEEDED'"),
                "one job per trial, each done");

        // The trials proposed after the server's kill are what the controller it stored proposes next.
        var kind = Controllers.named("random").orElseThrow();
        Controller<Nb201Cell> replay = kind.create(new ControllerContext<>(Nb201Space.standard(), 7,
                Options.validate(kind.options(), Map.of(), new ArrayList<>()), c -> new Cost(0, 0)));
        replay.restore(ControllerState.fromJson(snapshot));
        for (long n = storedAtKill + 1; n <= 6; n++) {
            String arch = sql.string("select arch from trial where search_id = ? and number = ?", id, n);
            Decision<Nb201Cell> next = replay.ask();
            assertTrue(next instanceof Decision.Propose<Nb201Cell>(Nb201Cell c) && c.key().equals(arch),
                    "trial " + n + " is " + arch + ", the stored controller proposes " + next);
        }
    }

    /**
     * Exactly {@code trials} trials, distinct functions numbered 1..trials, each SUCCEEDED with one row
     * per epoch, one checkpoint, and its result told to the controller.
     */
    private void assertEveryTrialDoneOnce(long id, int trials, int epochs) {
        assertEquals(trials, sql.count("select count(*) from trial where search_id = ?", id));
        assertEquals(trials, sql.count("select count(distinct arch) from trial where search_id = ?", id));
        assertEquals(trials, sql.count("select count(distinct number) from trial where search_id = ? and number "
                + "between 1 and ?", id, trials));
        assertEquals(trials, sql.count("select count(*) from trial where search_id = ? and status = 'SUCCEEDED' "
                + "and told", id));
        assertEquals(trials * epochs, sql.count("select count(*) from trial_epoch e join trial t on t.id = e.trial_id "
                + "where t.search_id = ?", id));
        assertEquals(trials * epochs, sql.count("select count(distinct (e.trial_id, e.epoch)) from trial_epoch e "
                + "join trial t on t.id = e.trial_id where t.search_id = ? and e.epoch between 1 and ?", id, epochs));
        // When it ends the server keeps the networks of its five best trials (keep-best) and of its
        // Pareto fronts' trials; which of the others are on a front is JpaSearchStoreTest's.
        assertEquals(Math.min(trials, 5), sql.count("select count(*) from (select t.id from trial t where "
                + "t.search_id = ? order by t.validation_accuracy desc, t.number limit 5) best join trial_checkpoint c "
                + "on c.trial_id = best.id", id), "the five best keep their networks");
        assertEquals(1, sql.count("select count(*) from retrain where search_id = ? and status = 'SUCCEEDED'", id),
                "the best trial retrained and tested once");
    }

    /** Signs in as the first operator through the login form; the session cookie it sets. */
    private String signIn(int port) throws IOException, InterruptedException {
        String form = "username=operator&password=" + java.net.URLEncoder.encode(password,
                java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:"
                + port + "/j_security_check")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, r.statusCode(), r.body());
        String cookie = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("cellforge-credential="))
                .findFirst().orElseThrow(() -> new AssertionError("no login cookie: " + r.headers()));
        return cookie.substring(0, cookie.indexOf(';') < 0 ? cookie.length() : cookie.indexOf(';'));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static int occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    /** The generated operator's credentials, for the servers' API. */
    private String authorization() {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(("operator:" + password)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private long submit(int port, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://localhost:" + port + "/api/searches")).header("Content-Type", "application/json")
                .header("Authorization", authorization())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asLong();
    }

    private JsonNode awaitEnd(int port, long id) {
        JsonNode[] last = new JsonNode[1];
        Polls.await("search " + id + " to end", SEARCH, () -> {
            try {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://localhost:" + port + "/api/searches/" + id)).header("Authorization", authorization())
                        .build(),
                        HttpResponse.BodyHandlers.ofString());
                last[0] = JSON.readTree(r.body());
                return List.of("SUCCEEDED", "FAILED", "INTERRUPTED").contains(last[0].get("status").asText());
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        });
        return last[0];
    }

    private String status(long id) {
        return sql.string("select status from search where id = ?", id);
    }
}
