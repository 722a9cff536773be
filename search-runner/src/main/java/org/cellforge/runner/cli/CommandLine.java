package org.cellforge.runner.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.cellforge.controller.ControllerKind;
import org.cellforge.controller.Controllers;
import org.cellforge.controller.option.Option;
import org.cellforge.controller.option.Violation;
import org.cellforge.engine.Retraining;
import org.cellforge.engine.SearchRequest;
import org.cellforge.engine.WeightSharing;
import org.cellforge.engine.Spaces;
import org.cellforge.engine.stopping.EarlyStopping;

/**
 * The parsed command line: a mode and its flags. Every problem is reported as a
 * {@link UsageException} naming the flag, never as a stack trace.
 */
public sealed interface CommandLine {

    /** Run a search to the end here, then export its best architecture. */
    record Search(SearchRequest request, Path out, Optional<Path> dataDir, boolean verbose, java.util.OptionalLong resume,
            int keepCheckpoints, FieldNames names) implements CommandLine {
    }

    /**
     * How an error names a field of the request: by the flag that set it, or by the recipe file it
     * came from, as checks after parsing (the dataset's files) find fault with it.
     */
    @FunctionalInterface
    interface FieldNames {
        String of(String field);
    }

    /** Trials of a search that keep their trained networks when it ends, unless --keep-checkpoints says otherwise. */
    int KEEP_CHECKPOINTS = 5;

    /** Print what an architecture costs and computes. */
    record Describe(String arch, int channels, int cells, int classes, int inputChannels, int imageSize,
            boolean json) implements CommandLine {
    }

    /**
     * Serve the REST API and the dashboard, coordinating searches, with {@code workers} trial slots in
     * the same process.
     */
    record Server(int port, Optional<Path> dataDir, int workers) implements CommandLine {
    }

    /** Train trials of any search on the shared database, {@code slots} at a time, until stopped. */
    record Worker(int slots) implements CommandLine {
    }

    /**
     * Run an exported network in ONNX Runtime on a dataset's test split and compare its accuracy with
     * the retrained test accuracy recorded in the file.
     */
    record Verify(Path model, Optional<String> dataset) implements CommandLine {
    }

    /** Environment variable giving a worker's slots when {@code --slots} is not given. */
    String WORKER_SLOTS = "CELLFORGE_WORKER_SLOTS";

    /** Print the usage of {@code mode}, or the general usage when empty. */
    record Help(Optional<String> mode) implements CommandLine {
    }

    /** Search flags and the request fields they set. */
    Map<String, String> SEARCH_FLAGS = searchFlags();

    private static Map<String, String> searchFlags() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("--space", "space");
        m.put("--controller", "controller");
        m.put("--option", "options");
        m.put("--trials", "trials");
        m.put("--epochs", "epochs");
        m.put("--seed", "seed");
        m.put("--channels", "channels");
        m.put("--cells", "cellsPerStage");
        m.put("--batch", "batchSize");
        m.put("--train-size", "trainSize");
        m.put("--val-size", "validationSize");
        m.put("--dataset", "dataset");
        m.put("--optimizer", "optimizer");
        m.put("--lr", "learningRate");
        m.put("--augment", "augmentation");
        m.put("--threads", "threads");
        m.put("--split-seed", "splitSeed");
        m.put("--warm-start", "warmStart");
        m.put("--early-stopping", "earlyStopping");
        m.put("--retrain-epochs", "retrainEpochs");
        m.put("--retrain", "retrain");
        m.put("--parallel", "parallelTrials");
        m.put("--mode", "mode");
        m.put("--supernet", "supernet");
        m.put("--retraining", "retraining");
        m.put("--recipe", "recipe");
        m.put("--resume", "resume");
        m.put("--out", "out");
        m.put("--data-dir", "dataDir");
        m.put("--keep-checkpoints", "keepCheckpoints");
        m.put("--verbose", "verbose");
        return m;
    }

    /** Flags that may be given more than once. */
    List<String> REPEATABLE = List.of("--option", "--supernet", "--retraining");

    /** Flags that take no value. */
    List<String> SWITCHES = List.of("--verbose", "--json", "--help");

    /** Modes the launcher runs, in the order the usage lists them. */
    List<String> MODES = List.of("search", "describe", "verify", "server", "worker", "bench", "build", "test",
            "help");

    /** {@value #WORKER_SLOTS} as a number of slots, 1 when unset. */
    private static int slotsFromEnvironment(String mode) {
        String v = System.getenv(WORKER_SLOTS);
        if (v == null || v.isBlank()) {
            return 1;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= 1 && n <= 256) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(mode, WORKER_SLOTS + ": must be a whole number between 1 and 256, got '" + v + "'");
    }

    /** The general usage. */
    static String usage() {
        return """
                usage: cellforge <mode> [flags]

                modes:
                  search     run a search to the end on this machine, retrain the best architecture and test it
                             once, then print and export it (JSON, ONNX, PyTorch)
                  describe   print an architecture's parameters, FLOPs and canonical form, without training
                  verify     run an exported ONNX network in ONNX Runtime on the test split and compare its
                             accuracy with the one recorded at its retraining
                  server     serve the REST API (/api/searches) and the dashboard (/), coordinate searches and
                             train their trials (--workers)
                  worker     train trials of the searches in a shared database, beside a server
                  user       list, add, re-password or remove the server's database accounts while no server
                             runs ('cellforge user --help'); while one runs, its Accounts page does it
                  bench      time training steps against the PyTorch reference (see BENCHMARKS.md)
                  build      build the application
                  test       build it and run every test
                  help       print this text; 'cellforge MODE --help' prints a mode's flags

                An external PostgreSQL is used instead of the embedded one when QUARKUS_DATASOURCE_JDBC_URL
                (with QUARKUS_DATASOURCE_USERNAME and QUARKUS_DATASOURCE_PASSWORD) is set.
                """;
    }

    /** The usage of {@code mode}. */
    static String usage(String mode) {
        return switch (mode) {
            case "search" -> searchUsage();
            case "describe" -> """
                    usage: cellforge describe ARCH [flags]

                    ARCH is a NAS-Bench-201 arch string (|op~0|+|op~0|op~1|+|op~0|op~1|op~2|) or a DARTS genotype
                    (Genotype(normal=[...], normal_concat=[2, 3, 4, 5], reduce=[...], reduce_concat=[2, 3, 4, 5])).
                    Quote it for the shell.

                    flags (defaults in brackets):
                      --channels C        width of the first stage [16]
                      --cells N           cells per stage; for DARTS normal cells per stage, 3N+2 cells in all [1]
                      --classes K         classes of the classifier [10]
                      --input-channels N  colour channels of the input images [1]
                      --image-size S      side of the square input images, for FLOPs [28]
                      --json              print JSON instead of text
                    """;
            case "verify" -> """
                    usage: cellforge verify MODEL.onnx [flags]

                    Runs a network exported by a search (best-genotype.onnx, or an export of the API) in ONNX
                    Runtime on every image of the dataset's test split, standardized as the search trained on
                    them, and compares its accuracy with the retrained test accuracy recorded in the file's
                    metadata. Exits with 1 when they differ by more than 0.001 (in images: 10 of 10,000); a
                    trial's network, which records no test accuracy, only has its accuracy printed.

                    flags (defaults in brackets):
                      --dataset SPEC      the dataset [the one recorded in the file]
                    """;
            case "server" -> """
                    usage: cellforge server [flags]

                    flags (defaults in brackets):
                      --port N            HTTP port [8080]
                      --data-dir DIR      where the embedded database keeps its files, and where the first
                                          start writes the password of the account 'operator' it creates
                                          when no users are configured (file operator-password) [~/.cellforge]
                      --workers N         trials this process trains at once; 0 to only serve and coordinate,
                                          with 'cellforge worker' processes training [1]

                    Every API call and the dashboard need a user: a viewer reads and exports, an operator also
                    starts, cancels, pauses, resumes, retrains and deletes. See README for users from the
                    server's configuration and for an OpenID Connect provider; operators manage the
                    database's accounts on the Accounts page, and 'cellforge user' does while no server runs.
                    """;
            case "worker" -> """
                    usage: cellforge worker [flags]

                    Trains trials of the searches in the database named by QUARKUS_DATASOURCE_JDBC_URL
                    (with QUARKUS_DATASOURCE_USERNAME and QUARKUS_DATASOURCE_PASSWORD), the one a server
                    coordinates them from, until stopped. A trial whose worker stops is taken up again by
                    another after the job engine's timeout.

                    flags (defaults in brackets):
                      --slots N           trials trained at once, one per GPU on GPU machines
                                          [CELLFORGE_WORKER_SLOTS, or 1]
                    """;
            case "bench" -> """
                    usage: cellforge bench [--reference PATH/TO/torch_reference.py] [--mode supernet] [flags]

                    Times training steps of the evaluator (and of the PyTorch reference when given) in one run
                    and prints the ratio; BENCHMARKS.md lists the flags and the results.
                    """;
            case "build" -> "usage: cellforge build\n\nBuilds the application without running tests.\n";
            case "test" -> "usage: cellforge test\n\nBuilds the application and runs every test.\n";
            default -> usage();
        };
    }

    private static String searchUsage() {
        StringBuilder controllers = new StringBuilder();
        for (ControllerKind k : Controllers.all()) {
            controllers.append("  ").append(k.name()).append(": ").append(k.description()).append('\n');
            for (Option o : k.options()) {
                controllers.append("      ").append(o.usage()).append('\n');
            }
        }
        StringBuilder stopping = new StringBuilder();
        for (String rule : EarlyStopping.RULES) {
            stopping.append("  ").append(rule).append('\n');
            for (Option o : EarlyStopping.declared(rule).subList(1, EarlyStopping.declared(rule).size())) {
                stopping.append("      ").append(o.usage()).append('\n');
            }
        }
        return """
                usage: cellforge search [flags]

                flags (defaults in brackets):
                  --space NAME          search space: %s [nas-bench-201]
                  --controller NAME     search strategy: %s [random]
                  --option KEY=VALUE    a controller option (below); repeat the flag or separate with commas
                  --trials N            architectures to train [10]
                  --epochs N            training epochs per architecture [1]
                  --seed N              controller and training seed [0]
                  --channels C          width of the first stage [16]
                  --cells N             cells per stage; for DARTS normal cells per stage, 3N+2 cells in all [1]
                  --batch N             images per training step [128]
                  --train-size N        training images per trial [10000]
                  --val-size N          validation images per trial, cut from the training file [5000]
                  --split-seed N        seed of the train/validation split [0]
                  --dataset SPEC        fashion-mnist, or FORMAT:DIR with FORMAT idx, cifar10, cifar100 or folder
                                        (a folder of PNG/JPEG images per class) [fashion-mnist]
                  --optimizer NAME      sgd (Nesterov momentum 0.9, weight decay 5e-4) or adam [sgd]
                  --lr X                initial learning rate of the cosine schedule [0.05 for sgd, 0.001 for adam]
                  --augment NAME        none, crop-flip, crop-flip-cutout or crop-flip-erase [none]
                  --threads N           native threads for training; 0 keeps the backend's default [0]
                  --warm-start K        score K random candidates with NASWOT at initialization (no training) and
                                        let the controller begin from the best; 0 for none [0]
                  --early-stopping R    stop weak trials: RULE[,KEY=VALUE...] with the rules below [none]
                  --retrain-epochs N    epochs of the final retraining (on train+validation unless --retraining
                                        data=all) before the one test evaluation; 0 skips it [the value of
                                        --epochs]
                  --retrain WHAT        best, or front (the Pareto front of accuracy and cost) [front for nsga2,
                                        best otherwise]
                  --parallel N          trials trained at once [1]
                  --mode NAME           standalone (every candidate trained on its own) or weight-sharing
                                        (candidates inherit the weights of one supernet) [standalone;
                                        weight-sharing for darts]
                  --supernet KEY=VALUE  a setting of the supernet phase (below); repeat or separate with commas
                  --retraining KEY=VALUE
                                        how the final retraining differs from the trials' (below); repeat or
                                        separate with commas
                  --recipe FILE         a search request kept as JSON (the body POST /api/searches takes, with
                                        a "recipe" object naming it); flags given beside it override its
                                        fields, --option, --supernet and --retraining key by key
                  --resume ID           continue INTERRUPTED weight-sharing or darts search ID from its newest
                                        supernet checkpoint (no other search flags)
                  --out FILE            where the best architecture is exported: FILE (JSON), and beside it the
                                        trained network as .onnx and a PyTorch module with weights as
                                        -pytorch.zip [best-genotype.json]; checked writable
                                        before the search starts
                  --data-dir DIR        where the embedded database keeps its files [~/.cellforge]
                  --keep-checkpoints N  when the search ends, keep the trained networks of its N best trials
                                        and its Pareto fronts' trials, and remove the others' (retrained
                                        networks stay; 0 keeps none) [5]
                  --verbose             log what the libraries underneath say

                controllers and their options:
                %s
                early-stopping rules and their options:
                %s
                supernet settings (weight-sharing and darts searches):
                %s
                retraining settings:
                %s
                """.formatted(String.join(", ", Spaces.names()), String.join(", ", Controllers.names()),
                controllers.toString().stripTrailing(), stopping.toString().stripTrailing(),
                WeightSharing.OPTIONS.stream().map(o -> "  " + o.usage()).collect(java.util.stream.Collectors
                        .joining("\n")),
                Retraining.OPTIONS.stream().map(o -> "  " + o.usage()).collect(java.util.stream.Collectors
                        .joining("\n")));
    }

    /**
     * Parses {@code args}; the first argument is the mode.
     *
     * @throws UsageException naming the flag and the reason
     */
    static CommandLine parse(String... args) {
        if (args.length == 0) {
            throw new UsageException(null, "no mode given; use one of " + MODES);
        }
        String mode = args[0];
        if (List.of("help", "--help", "-h").contains(mode)) {
            return new Help(args.length > 1 ? Optional.of(args[1]) : Optional.empty());
        }
        if (!MODES.contains(mode)) {
            throw new UsageException(null, "unknown mode '" + mode + "'; use one of " + MODES);
        }
        List<String> known = switch (mode) {
            case "search" -> List.copyOf(SEARCH_FLAGS.keySet());
            case "describe" -> List.of("--channels", "--cells", "--classes", "--input-channels", "--image-size",
                    "--json");
            case "server" -> List.of("--port", "--data-dir", "--workers");
            case "worker" -> List.of("--slots");
            case "verify" -> List.of("--dataset");
            default -> List.of();
        };
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return new Help(Optional.of(mode));
            }
            if (!arg.startsWith("--")) {
                positional.add(arg);
                continue;
            }
            String flag = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                flag = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (!known.contains(flag)) {
                throw new UsageException(mode, "unknown flag '" + flag + "' for mode " + mode
                        + (known.isEmpty() ? "; it takes none" : "; known flags: " + String.join(", ", known)));
            }
            if (SWITCHES.contains(flag)) {
                if (value != null) {
                    throw new UsageException(mode, flag + ": takes no value");
                }
                value = "true";
            } else if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(mode, flag + ": a value is required");
                }
                // Otherwise "--out --verbose" wrote to a file named --verbose, and "--epochs --trials 5"
                // blamed the 5; a value that does start with -- can still be given as FLAG=VALUE.
                if (args[i + 1].startsWith("--")) {
                    throw new UsageException(mode, flag + ": a value is required, got the flag " + args[i + 1]
                            + " (write " + flag + "=VALUE for a value that starts with --)");
                }
                value = args[++i];
            }
            List<String> list = values.computeIfAbsent(flag, f -> new ArrayList<>());
            if (!list.isEmpty() && !REPEATABLE.contains(flag)) {
                throw new UsageException(mode, flag + ": given more than once");
            }
            list.add(value);
        }
        Flags f = new Flags(mode, values);
        return switch (mode) {
            case "search" -> {
                none(mode, positional);
                yield search(f);
            }
            case "describe" -> {
                if (positional.size() != 1) {
                    throw new UsageException(mode, positional.isEmpty() ? "an architecture is required"
                            : "one architecture expected (quote it for the shell), got " + positional.size()
                            + " arguments");
                }
                yield new Describe(positional.get(0), f.integer("--channels", 16, 1, 512), f.integer("--cells", 1, 1, 20),
                        f.integer("--classes", 10, 2, 100_000), f.integer("--input-channels", 1, 1, 64),
                        f.integer("--image-size", 28, 1, 4_096), f.has("--json"));
            }
            case "verify" -> {
                if (positional.size() != 1) {
                    throw new UsageException(mode, positional.isEmpty() ? "an ONNX file is required"
                            : "one ONNX file expected, got " + positional.size() + " arguments");
                }
                yield new Verify(Path.of(positional.get(0)), Optional.ofNullable(f.string("--dataset")));
            }
            case "server" -> {
                none(mode, positional);
                yield new Server(f.integer("--port", 8080, 1, 65_535), f.path("--data-dir"),
                        f.integer("--workers", 1, 0, 256));
            }
            case "worker" -> {
                none(mode, positional);
                yield new Worker(f.integer("--slots", slotsFromEnvironment(mode), 1, 256));
            }
            default -> {
                none(mode, positional);
                yield new Help(Optional.of(mode));
            }
        };
    }

    private static void none(String mode, List<String> positional) {
        if (!positional.isEmpty()) {
            throw new UsageException(mode, "unexpected argument '" + positional.get(0) + "'; flags start with --");
        }
    }

    private static Search search(Flags f) {
        SearchRequest request = SearchRequest.builder()
                .space(f.string("--space"))
                .controller(f.string("--controller"))
                .options(f.pairs("--option"))
                .trials(f.optionalInteger("--trials"))
                .epochs(f.optionalInteger("--epochs"))
                .seed(f.optionalLong("--seed"))
                .channels(f.optionalInteger("--channels"))
                .cellsPerStage(f.optionalInteger("--cells"))
                .batchSize(f.optionalInteger("--batch"))
                .trainSize(f.optionalInteger("--train-size"))
                .validationSize(f.optionalInteger("--val-size"))
                .dataset(f.string("--dataset"))
                .optimizer(f.string("--optimizer"))
                .learningRate(f.optionalDouble("--lr"))
                .augmentation(f.string("--augment"))
                .threads(f.optionalInteger("--threads"))
                .splitSeed(f.optionalLong("--split-seed"))
                .warmStart(f.optionalInteger("--warm-start"))
                .earlyStopping(f.rule("--early-stopping"))
                .retrainEpochs(f.optionalInteger("--retrain-epochs"))
                .retrain(f.string("--retrain"))
                .parallelTrials(f.optionalInteger("--parallel"))
                .mode(f.string("--mode"))
                .supernet(f.pairs("--supernet"))
                .retraining(f.pairs("--retraining"))
                .build();
        Optional<Path> recipe = f.path("--recipe");
        if (recipe.isPresent()) {
            request = Recipes.read(recipe.get()).overriddenBy(request);
        }
        int keep = f.integer("--keep-checkpoints", KEEP_CHECKPOINTS, 0, Integer.MAX_VALUE);
        Integer resume = f.optionalInteger("--resume");
        if (resume != null) {
            List<String> others = f.given().stream().filter(g -> !List.of("--resume", "--out", "--data-dir",
                    "--verbose", "--keep-checkpoints").contains(g)).toList();
            if (!others.isEmpty()) {
                throw new UsageException("search", others.get(0) + ": a resumed search keeps the settings it was "
                        + "started with; give only --resume, --out, --data-dir, --keep-checkpoints and --verbose");
            }
            if (resume < 1) {
                throw new UsageException("search", "--resume: a search id is a positive number, got " + resume);
            }
            return new Search(SearchRequest.builder().build().normalized(), Path.of(f.string("--out") == null
                    ? "best-genotype.json" : f.string("--out")), f.path("--data-dir"), f.has("--verbose"),
                    java.util.OptionalLong.of(resume), keep, CommandLine::flagOf);
        }
        // A field the flags did not set came from the recipe file: name it there.
        FieldNames names = field -> recipe.isPresent() && !setByFlags(f, field) ? "--recipe " + recipe.get() + ": "
                + field : flagOf(field);
        List<Violation> violations = request.validate();
        if (!violations.isEmpty()) {
            Violation v = violations.get(0);
            throw new UsageException("search", names.of(v.field()) + ": " + v.reason());
        }
        return new Search(request.normalized(), Path.of(f.string("--out") == null ? "best-genotype.json"
                : f.string("--out")), f.path("--data-dir"), f.has("--verbose"), java.util.OptionalLong.empty(), keep,
                names);
    }

    /** Whether request field {@code field} (such as {@code options.population}) was set by a flag. */
    private static boolean setByFlags(Flags f, String field) {
        if (field.startsWith("recipe")) {
            return false;
        }
        int dot = field.indexOf('.');
        String head = dot < 0 ? field : field.substring(0, dot);
        String flag = head.equals("earlyStopping") ? "--early-stopping" : flagOf(head);
        if (!f.has(flag)) {
            return false;
        }
        return dot < 0 || !REPEATABLE.contains(flag) || f.pairs(flag).containsKey(field.substring(dot + 1));
    }

    /** The flag that sets a request field, such as {@code --option population} for {@code options.population}. */
    static String flagOf(String field) {
        if (field.startsWith("options.")) {
            return "--option " + field.substring("options.".length());
        }
        if (field.startsWith("supernet.")) {
            return "--supernet " + field.substring("supernet.".length());
        }
        if (field.startsWith("retraining.")) {
            return "--retraining " + field.substring("retraining.".length());
        }
        if (field.startsWith("earlyStopping")) {
            return "--early-stopping" + (field.contains(".") ? " " + field.substring(field.indexOf('.') + 1) : "");
        }
        return SEARCH_FLAGS.entrySet().stream().filter(e -> e.getValue().equals(field)).map(Map.Entry::getKey)
                .findFirst().orElse(field);
    }

    /** The values given for each flag of one mode, read with errors that name the flag. */
    final class Flags {
        private final String mode;
        private final Map<String, List<String>> values;

        Flags(String mode, Map<String, List<String>> values) {
            this.mode = mode;
            this.values = values;
        }

        boolean has(String flag) {
            return values.containsKey(flag);
        }

        /** The flags given, in order. */
        List<String> given() {
            return List.copyOf(values.keySet());
        }

        String string(String flag) {
            return has(flag) ? values.get(flag).get(0) : null;
        }

        Optional<Path> path(String flag) {
            return Optional.ofNullable(string(flag)).map(Path::of);
        }

        int integer(String flag, int fallback, int min, int max) {
            // Read as 64 bits, so that a number no int holds (--port 99999999999) gets this flag's range.
            Long v = optionalLong(flag);
            if (v == null) {
                return fallback;
            }
            if (v < min || v > max) {
                throw new UsageException(mode, flag + ": must be between " + min + " and " + max + ", got " + v);
            }
            return v.intValue();
        }

        Integer optionalInteger(String flag) {
            String raw = string(flag);
            try {
                return raw == null ? null : Integer.valueOf(raw.strip());
            } catch (NumberFormatException e) {
                throw notAnInteger(flag, raw, Integer.MIN_VALUE, Integer.MAX_VALUE);
            }
        }

        Long optionalLong(String flag) {
            String raw = string(flag);
            try {
                return raw == null ? null : Long.valueOf(raw.strip());
            } catch (NumberFormatException e) {
                throw notAnInteger(flag, raw, Long.MIN_VALUE, Long.MAX_VALUE);
            }
        }

        /**
         * An integer too large for its type is out of range, not "not an integer". The field's own range
         * is checked later, with the rest of the request; this says only what no field takes.
         */
        private UsageException notAnInteger(String flag, String raw, long min, long max) {
            String digits = raw.strip();
            if (digits.matches("[+-]?\\d+")) {
                return new UsageException(mode, flag + ": " + digits + " is too " + (digits.startsWith("-")
                        ? "small for an integer (at least " + min : "large for an integer (at most " + max) + ")");
            }
            return new UsageException(mode, flag + ": expected an integer, got '" + raw + "'");
        }

        Double optionalDouble(String flag) {
            String raw = string(flag);
            try {
                return raw == null ? null : Double.valueOf(raw.strip());
            } catch (NumberFormatException e) {
                throw new UsageException(mode, flag + ": expected a number, got '" + raw + "'");
            }
        }

        /** {@code KEY=VALUE} pairs, from repeated flags or separated by commas. */
        Map<String, Object> pairs(String flag) {
            if (!has(flag)) {
                return null;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (String value : values.get(flag)) {
                for (String pair : value.split(",")) {
                    put(flag, out, pair);
                }
            }
            return out;
        }

        private void put(String flag, Map<String, Object> out, String pair) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new UsageException(mode, flag + ": expected KEY=VALUE, got '" + pair + "'");
            }
            if (out.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip()) != null) {
                throw new UsageException(mode, flag + ": " + pair.substring(0, eq).strip() + " given more than once");
            }
        }

        /** {@code RULE[,KEY=VALUE...]}. */
        Map<String, Object> rule(String flag) {
            String raw = string(flag);
            if (raw == null) {
                return null;
            }
            String[] parts = raw.split(",");
            if (parts.length == 0 || parts[0].isBlank()) {
                throw new UsageException(mode, flag + ": expected RULE[,KEY=VALUE...] such as halving,minEpochs=3, got '"
                        + raw + "'");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("rule", parts[0].strip());
            for (int i = 1; i < parts.length; i++) {
                put(flag, out, parts[i]);
            }
            return out;
        }
    }
}
