package org.cellforge.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.cellforge.engine.FileReasons;

/**
 * A real PostgreSQL server run from bundled binaries, so Cellforge works with no database set up.
 * Its data directory persists between runs: a {@code server} started later shows the searches of
 * an earlier {@code search}.
 *
 * <p>The process that starts a server on a data directory owns it until {@link #close()}: it holds
 * a lock on the directory's owner file (beside the directory) and records its process id and
 * start time there. A server left running by an owner that was killed is stopped by the next
 * {@link #start(Path)}, which then starts its own.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    /** Database, user and password of the embedded server (it listens on loopback only). */
    public static final String USER = "postgres";

    /** How long a server left behind gets to shut down, and a recovering one to accept connections. */
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);

    /**
     * Data directories this process has open. A second channel on an owner file must never be
     * opened here: closing it would drop this process's lock on the file (POSIX locks are per
     * process, and any close releases them).
     */
    private static final Set<Path> OPEN_HERE = ConcurrentHashMap.newKeySet();

    private final EmbeddedPostgres postgres;
    private final Owner owner;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private Shutdown.Step stopAtExit;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Owner owner) {
        this.postgres = postgres;
        this.owner = owner;
    }

    /**
     * Starts a durable server keeping its files in {@code dataDirectory} (created if missing; reused
     * if it holds a database already). A server that an earlier owner of the directory left running
     * (it was killed, so it could not stop it) is shut down first.
     *
     * @throws IllegalStateException naming the directory if the server cannot start, for example
     *     because another live process owns the same directory (the message names that process)
     */
    public static EmbeddedDatabase start(Path dataDirectory) {
        Path dir;
        try {
            Files.createDirectories(dataDirectory);
            dir = dataDirectory.toRealPath();
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the database directory " + dataDirectory + ": "
                    + FileReasons.of(e, dataDirectory), e);
        }
        Owner owner = Owner.claim(dir, dataDirectory);
        try {
            stopLeftOverServer(dir, dataDirectory);
            // zonky passes -F (fsync off) and synchronous_commit=off, which lose committed rows when the
            // machine or the server dies: right for throwaway test databases, not for the user's searches.
            // Options given with -c come after -F on the command line, so they win.
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    // Crash recovery after a kill runs before the server accepts connections.
                    .setPGStartupWait(WAIT)
                    // Stopped by this class's own step of the process's shutdown, after the steps that
                    // still write (Shutdown), not by a hook of zonky's racing them.
                    .setRegisterShutdownHook(false)
                    .start();
            EmbeddedDatabase db = new EmbeddedDatabase(postgres, owner);
            db.stopAtExit = Shutdown.last(db::close);
            return db;
        } catch (IOException | RuntimeException e) {
            owner.release();
            throw new IllegalStateException("cannot start the embedded PostgreSQL in " + dataDirectory + ": "
                    + reason(e, dataDirectory), e);
        }
    }

    /** Why starting failed; the file an I/O failure was about is named when it is not {@code named}. */
    private static String reason(Exception e, Path named) {
        return e instanceof IOException io ? FileReasons.of(io, named) : e.getMessage();
    }

    /**
     * Starts a throwaway server in a temporary directory, removed on {@link #close()}. It does not
     * flush to disk (a crash loses it anyway), which keeps tests fast.
     */
    public static EmbeddedDatabase startTemporary() {
        try {
            return new EmbeddedDatabase(EmbeddedPostgres.builder().start(), null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a temporary embedded PostgreSQL", e);
        }
    }

    /**
     * The file that records which process owns the data directory {@code dir} (a real path, so that
     * every way of naming the directory finds the same file). It sits beside the directory rather than
     * in it because initdb refuses a directory that holds any file.
     */
    static Path ownerFile(Path dir) {
        Path name = dir.getFileName();
        if (name == null) {
            throw new IllegalArgumentException("a database directory cannot be a file system root: " + dir);
        }
        return dir.resolveSibling(name + ".owner");
    }

    /** JDBC URL of the default database. */
    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, USER);
    }

    /** TCP port the server listens on. */
    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (stopAtExit != null && !Shutdown.started()) {
            stopAtExit.close();
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded PostgreSQL", e);
        } finally {
            // A server still shutting down past zonky's short wait is left to the next start, which
            // treats it as left over and waits for it.
            if (owner != null) {
                owner.release();
            }
        }
    }

    /**
     * Stops whatever server of {@code dir} still runs; only called while holding the owner lock, so
     * no live Cellforge process uses it.
     */
    private static void stopLeftOverServer(Path dir, Path shown) {
        Path pidFile = dir.resolve("postmaster.pid");
        long pid = serverPid(pidFile);
        Optional<ProcessHandle> postmaster = pid > 0
                ? ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                : Optional.empty();
        if (postmaster.isPresent()) {
            Serves serves = startedAfter(postmaster.get(), pidFile) ? Serves.NO : servesDirectory(postmaster.get(), dir);
            switch (serves) {
                case YES -> requestFastShutdown(postmaster.get());
                case NO -> {
                    // The pid was reused by an unrelated process; PostgreSQL would refuse to start over it.
                    try {
                        Files.deleteIfExists(pidFile);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot remove the stale " + pidFile, e);
                    }
                    postmaster = Optional.empty();
                }
                case UNKNOWN -> throw new IllegalStateException("the database directory " + shown
                        + " names process " + pid + " as its database server, and that process cannot be"
                        + " inspected; stop it if it is a PostgreSQL server, or remove " + pidFile);
            }
        }
        // A postmaster removes its pid file before it exits, so its exit is the end of a shutdown. One killed
        // with SIGKILL leaves its children running until they notice, and the shared memory they hold makes
        // a new postmaster refuse to start.
        Optional<ProcessHandle> server = postmaster;
        BooleanSupplier gone = () -> server.map(p -> !p.isAlive()).orElse(true) && serverProcesses(dir).isEmpty();
        if (await(gone, WAIT)) {
            return;
        }
        // A fast shutdown that takes this long is stuck; with fsync on, killing it costs only a recovery.
        server.ifPresent(ProcessHandle::destroyForcibly);
        serverProcesses(dir).forEach(ProcessHandle::destroyForcibly);
        if (!await(() -> server.map(p -> !p.isAlive()).orElse(true) && serverProcesses(dir).isEmpty(), WAIT)) {
            throw new IllegalStateException("the database server left running in " + shown + " (process " + pid
                    + ") did not stop; stop it, or choose another data directory");
        }
    }

    /** SIGINT, PostgreSQL's fast shutdown: it ends open sessions instead of waiting for them. */
    private static void requestFastShutdown(ProcessHandle postmaster) {
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(postmaster.pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (kill.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS) && kill.exitValue() == 0) {
                return;
            }
            kill.destroyForcibly();
        } catch (IOException e) {
            // No kill command: fall through to the signal Java can send.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // SIGTERM, a smart shutdown: it waits for sessions, but a dead owner's sessions are already gone.
        postmaster.destroy();
    }

    enum Serves { YES, NO, UNKNOWN }

    /**
     * Whether {@code process} is a PostgreSQL server process working in {@code dir}. A process whose
     * working directory cannot be read (no /proc) counts by its executable alone.
     */
    static Serves servesDirectory(ProcessHandle process, Path dir) {
        Optional<String> command = process.info().command();
        if (command.isEmpty()) {
            return Serves.UNKNOWN;
        }
        if (!command.get().contains("postgres")) {
            return Serves.NO;
        }
        return workingDirectory(process).map(cwd -> cwd.equals(dir) ? Serves.YES : Serves.NO).orElse(Serves.YES);
    }

    /**
     * Whether {@code process} started later than the postmaster that wrote {@code pidFile} (its third
     * line is the postmaster's start time), so it only inherited the pid. The margin covers the
     * seconds-only record and the time the postmaster takes to write it.
     */
    private static boolean startedAfter(ProcessHandle process, Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.size() < 3 || !lines.get(2).strip().matches("\\d+")) {
                return false;
            }
            Instant recorded = Instant.ofEpochSecond(Long.parseLong(lines.get(2).strip()));
            return process.info().startInstant().map(s -> s.isAfter(recorded.plusSeconds(5))).orElse(false);
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /**
     * The live PostgreSQL processes (postmaster and children) working in {@code dir}, found through
     * /proc; empty where there is no /proc.
     */
    static List<ProcessHandle> serverProcesses(Path dir) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false))
                .filter(p -> workingDirectory(p).map(dir::equals).orElse(false))
                .filter(ProcessHandle::isAlive)
                .toList();
    }

    private static Optional<Path> workingDirectory(ProcessHandle process) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd")));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** The process id in the first line of a PostgreSQL pid file, or 0 if there is none. */
    static long serverPid(Path pidFile) {
        try {
            if (!Files.exists(pidFile)) {
                return 0;
            }
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").strip();
            return first.matches("\\d+") ? Long.parseLong(first) : 0;
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes; whether it held. */
    private static boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** The data directory is another process's (or already open in this one): nothing is wrong with it. */
    public static final class InUseException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        InUseException(String message) {
            super(message);
        }
    }

    /**
     * This process's claim on a data directory: a lock on the owner file, which the operating system
     * drops when the process dies however it dies (so a killed owner is never taken for a live one,
     * whatever process later gets its pid), and a record of who holds it, for the refusal message.
     */
    private static final class Owner {

        private final Path dir;
        private final FileChannel channel;
        private final FileLock lock;

        private Owner(Path dir, FileChannel channel, FileLock lock) {
            this.dir = dir;
            this.channel = channel;
            this.lock = lock;
        }

        static Owner claim(Path dir, Path shown) {
            Path file = ownerFile(dir);
            if (!OPEN_HERE.add(dir)) {
                throw new InUseException("the database directory " + shown + " is in use by this process ("
                        + ProcessHandle.current().pid() + "); close the database it opened first");
            }
            FileChannel channel = null;
            try {
                channel = FileChannel.open(file,
                        StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock();
                Record recorded = Record.parse(read(channel));
                // The record is cleared on close, so one naming a live process with its start time means the
                // lock did not hold (a file system that ignores locks): believe the record.
                if (lock == null || recorded.isAnotherLiveProcess()) {
                    throw new InUseException("the database directory " + shown
                            + " is in use by another Cellforge process" + recorded.describe()
                            + "; stop that process, or choose another data directory");
                }
                Owner owner = new Owner(dir, channel, lock);
                owner.write(Record.current().toString());
                return owner;
            } catch (IOException | RuntimeException e) {
                OPEN_HERE.remove(dir);
                closeQuietly(channel);
                if (e instanceof IllegalStateException refusal) {
                    throw refusal;
                }
                throw new IllegalStateException("cannot lock the database directory " + shown + " through "
                        + file + ": " + reason(e, file), e);
            }
        }

        void release() {
            try {
                write("");
            } catch (IOException e) {
                // The lock is what counts; a record left behind names a process that no longer owns it.
            } finally {
                try {
                    lock.release();
                } catch (IOException e) {
                    // Closing the channel releases it as well.
                }
                closeQuietly(channel);
                OPEN_HERE.remove(dir);
            }
        }

        private void write(String text) throws IOException {
            channel.truncate(0);
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            long position = 0;
            while (bytes.hasRemaining()) {
                position += channel.write(bytes, position);
            }
            channel.force(true);
        }

        private static String read(FileChannel channel) throws IOException {
            ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(channel.size(), 4096));
            long position = 0;
            while (bytes.hasRemaining()) {
                int n = channel.read(bytes, position);
                if (n < 0) {
                    break;
                }
                position += n;
            }
            return new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
        }

        private static void closeQuietly(FileChannel channel) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // Nothing was written through it that matters.
                }
            }
        }
    }

    /** Who owns a data directory: process id and start time, so that a reused pid is not taken for it. */
    record Record(long pid, Optional<Instant> started) {

        static final Record NONE = new Record(0, Optional.empty());

        static Record current() {
            ProcessHandle self = ProcessHandle.current();
            return new Record(self.pid(), self.info().startInstant());
        }

        static Record parse(String text) {
            long pid = 0;
            Optional<Instant> started = Optional.empty();
            for (String line : text.split("\n")) {
                String[] kv = line.strip().split("=", 2);
                if (kv.length != 2) {
                    continue;
                }
                try {
                    switch (kv[0]) {
                        case "pid" -> pid = Long.parseLong(kv[1]);
                        case "started" -> started = Optional.of(Instant.parse(kv[1]));
                        default -> { }
                    }
                } catch (RuntimeException e) {
                    return NONE;
                }
            }
            return pid > 0 ? new Record(pid, started) : NONE;
        }

        boolean isAnotherLiveProcess() {
            if (pid <= 0 || pid == ProcessHandle.current().pid() || started.isEmpty()) {
                return false;
            }
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .flatMap(p -> p.info().startInstant())
                    .map(started.get()::equals)
                    .orElse(false);
        }

        String describe() {
            if (pid <= 0) {
                return "";
            }
            return " (process " + pid + started.map(s -> ", started " + s).orElse("") + ")";
        }

        @Override
        public String toString() {
            return "pid=" + pid + "\n" + started.map(s -> "started=" + s + "\n").orElse("");
        }
    }
}
