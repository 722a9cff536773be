package org.cellforge.web.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.cellforge.web.search.SearchRequest;

/**
 * The parsed command line: a mode and its flags. Every problem is reported as a
 * {@link UsageException} naming the flag, never as a stack trace.
 *
 * @param mode {@code search}, {@code server} or {@code help}
 * @param request the search to run (search mode)
 * @param out where the best genotype's JSON goes (search mode)
 * @param dataDir directory of the embedded database and other state
 * @param port HTTP port (server mode)
 */
public record CommandLine(String mode, SearchRequest request, Path out, Optional<Path> dataDir, int port) {

    /** Modes and the flags each accepts (flag → search request field, or a general setting). */
    private static final Map<String, String> SEARCH_FLAGS = new LinkedHashMap<>();

    static {
        SEARCH_FLAGS.put("--space", "space");
        SEARCH_FLAGS.put("--controller", "controller");
        SEARCH_FLAGS.put("--trials", "trials");
        SEARCH_FLAGS.put("--epochs", "epochs");
        SEARCH_FLAGS.put("--seed", "seed");
        SEARCH_FLAGS.put("--channels", "channels");
        SEARCH_FLAGS.put("--cells", "cellsPerStage");
        SEARCH_FLAGS.put("--batch", "batchSize");
        SEARCH_FLAGS.put("--train-size", "trainSize");
        SEARCH_FLAGS.put("--val-size", "validationSize");
        SEARCH_FLAGS.put("--dataset", "dataset");
        SEARCH_FLAGS.put("--optimizer", "optimizer");
        SEARCH_FLAGS.put("--lr", "learningRate");
        SEARCH_FLAGS.put("--augment", "augmentation");
        SEARCH_FLAGS.put("--threads", "threads");
        SEARCH_FLAGS.put("--out", "out");
        SEARCH_FLAGS.put("--data-dir", "dataDir");
    }

    private static final List<String> SERVER_FLAGS = List.of("--port", "--data-dir");

    /** Text printed for {@code help} and after usage errors. */
    public static final String USAGE = """
            usage: cellforge <mode> [flags]

            modes:
              search   run a search to the end on this machine, then print and export the best architecture
              server   serve the REST API (/api/searches) and the dashboard (/)
              help     print this text

            search flags (defaults in brackets):
              --space NAME        search space [nas-bench-201]
              --controller NAME   search strategy [random]
              --trials N          architectures to train [10]
              --epochs N          training epochs per architecture [1]
              --seed N            controller and training seed [0]
              --channels C        width of the first stage [16]
              --cells N           cells per stage [1]
              --batch N           images per training step [128]
              --train-size N      training images per trial [10000]
              --val-size N        validation images per trial [5000]
              --dataset SPEC      fashion-mnist, or FORMAT:DIR with FORMAT idx, cifar10, cifar100 or folder
                                  (a folder of PNG/JPEG images per class) [fashion-mnist]
              --optimizer NAME    sgd (Nesterov momentum 0.9, weight decay 5e-4) or adam [sgd]
              --lr X              initial learning rate of the cosine schedule [0.05 for sgd, 0.001 for adam]
              --augment NAME      none, crop-flip or crop-flip-cutout [none]
              --threads N         native threads for training; 0 keeps the backend's default [0]
              --out FILE          JSON export of the best architecture [best-genotype.json]
              --data-dir DIR      where the embedded database keeps its files [~/.cellforge]

            server flags:
              --port N            HTTP port [8080]
              --data-dir DIR      as above

            An external PostgreSQL is used instead of the embedded one when QUARKUS_DATASOURCE_JDBC_URL
            (with QUARKUS_DATASOURCE_USERNAME and QUARKUS_DATASOURCE_PASSWORD) is set.
            """;

    /** Parses {@code args}; the first argument is the mode. */
    public static CommandLine parse(String... args) {
        if (args.length == 0) {
            throw new UsageException("no mode given; use 'search', 'server' or 'help'");
        }
        String mode = args[0];
        Map<String, String> values = new LinkedHashMap<>();
        List<String> known = switch (mode) {
            case "search" -> List.copyOf(SEARCH_FLAGS.keySet());
            case "server" -> SERVER_FLAGS;
            case "help", "--help", "-h" -> List.of();
            default -> throw new UsageException("unknown mode '" + mode + "'; use 'search', 'server' or 'help'");
        };
        if (known.isEmpty()) {
            return new CommandLine("help", null, null, Optional.empty(), 0);
        }
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            String flag = arg;
            String value;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                flag = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                value = null;
            }
            if (!known.contains(flag)) {
                throw new UsageException("unknown flag '" + flag + "' for mode " + mode + "; known flags: "
                        + String.join(", ", known));
            }
            if (value == null) {
                throw new UsageException(flag + ": a value is required");
            }
            if (values.put(flag, value) != null) {
                throw new UsageException(flag + ": given more than once");
            }
        }
        Optional<Path> dataDir = Optional.ofNullable(values.get("--data-dir")).map(Path::of);
        if (mode.equals("server")) {
            int port = values.containsKey("--port") ? integer(values, "--port", 1, 65_535) : 8080;
            return new CommandLine(mode, null, null, dataDir, port);
        }
        SearchRequest request = new SearchRequest(
                values.get("--space"),
                values.get("--controller"),
                optionalInt(values, "--trials"),
                optionalInt(values, "--epochs"),
                values.containsKey("--seed") ? longValue(values, "--seed") : null,
                optionalInt(values, "--channels"),
                optionalInt(values, "--cells"),
                optionalInt(values, "--batch"),
                optionalInt(values, "--train-size"),
                optionalInt(values, "--val-size"),
                values.get("--dataset"),
                values.get("--optimizer"),
                values.containsKey("--lr") ? doubleValue(values, "--lr") : null,
                values.get("--augment"),
                optionalInt(values, "--threads"));
        List<SearchRequest.Violation> violations = request.validate();
        if (!violations.isEmpty()) {
            SearchRequest.Violation v = violations.get(0);
            throw new UsageException(flagOf(v.field()) + ": " + v.reason());
        }
        Path out = Path.of(values.getOrDefault("--out", "best-genotype.json"));
        return new CommandLine(mode, request.withDefaults(), out, dataDir, 0);
    }

    /** The flag that sets a search request field. */
    static String flagOf(String field) {
        return SEARCH_FLAGS.entrySet().stream().filter(e -> e.getValue().equals(field)).map(Map.Entry::getKey)
                .findFirst().orElse(field);
    }

    private static Integer optionalInt(Map<String, String> values, String flag) {
        return values.containsKey(flag) ? integer(values, flag, Integer.MIN_VALUE, Integer.MAX_VALUE) : null;
    }

    private static int integer(Map<String, String> values, String flag, int min, int max) {
        String raw = values.get(flag);
        try {
            int v = Integer.parseInt(raw.strip());
            if (v < min || v > max) {
                throw new UsageException(flag + ": must be between " + min + " and " + max + ", got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException(flag + ": expected an integer, got '" + raw + "'");
        }
    }

    private static double doubleValue(Map<String, String> values, String flag) {
        String raw = values.get(flag);
        try {
            return Double.parseDouble(raw.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(flag + ": expected a number, got '" + raw + "'");
        }
    }

    private static long longValue(Map<String, String> values, String flag) {
        String raw = values.get(flag);
        try {
            return Long.parseLong(raw.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(flag + ": expected an integer, got '" + raw + "'");
        }
    }
}
