package org.cellforge.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.cellforge.evaluator.data.FashionMnist;
import org.cellforge.runner.Datasets;
import org.cellforge.runner.cli.CommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.yaml.snakeyaml.Yaml;

/**
 * The Dockerfiles, compose file and Kubernetes manifests in {@code docker/}, checked as files: no
 * container engine is at hand where the tests run. They are held to the repository they package
 * (its modules, HTTP port, launcher, command-line modes and Maven profiles) and to each other (image
 * names, Secret and ConfigMap keys, labels). The image names have one source: the
 * {@value #IMAGE_LABEL} label of each Dockerfile's final stage.
 */
class DeploymentFilesTest {

    private static final Path ROOT = repositoryRoot();
    private static final Path DOCKER = ROOT.resolve("docker");
    private static final Path KUBERNETES = DOCKER.resolve("kubernetes");
    private static final String IMAGE_LABEL = "org.cellforge.image";
    private static final String LIVE = "/q/health/live";
    private static final String READY = "/q/health/ready";
    private static final Set<String> HEALTH_PATHS = Set.of("/q/health", LIVE, READY, "/q/health/started");
    private static final String JDBC_URL = "QUARKUS_DATASOURCE_JDBC_URL";
    private static final String DB_USER = "QUARKUS_DATASOURCE_USERNAME";
    private static final String DB_PASSWORD = "QUARKUS_DATASOURCE_PASSWORD";
    private static final String SLOTS_VARIABLE = "CELLFORGE_WORKER_SLOTS";
    private static final String GPU = "nvidia.com/gpu";

    /** What each Dockerfile in {@code docker/} has to build. */
    enum Image {
        SERVER("server.Dockerfile", "server", "web-ui", false),
        WORKER("worker.Dockerfile", "worker", "search-runner", false),
        WORKER_CUDA("worker-cuda.Dockerfile", "worker", "search-runner", true);

        final String file;
        final String mode;
        final String module;
        final boolean cuda;

        Image(String file, String mode, String module, boolean cuda) {
            this.file = file;
            this.mode = mode;
            this.module = module;
            this.cuda = cuda;
        }

        Dockerfile dockerfile() {
            return Dockerfile.parse(DOCKER.resolve(file));
        }

        /** The image name, without tag, from the final stage's label. */
        String imageName() {
            return dockerfile().last().label(IMAGE_LABEL).orElseThrow(() -> new AssertionError(file
                    + ": the final stage has no LABEL " + IMAGE_LABEL));
        }
    }

    @Test
    void theDockerfilesAreTheThreeImages() throws IOException {
        Set<String> files;
        try (Stream<Path> s = Files.list(DOCKER)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("Dockerfile"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(Stream.of(Image.values()).map(i -> i.file).collect(Collectors.toCollection(TreeSet::new)), files);
        Set<String> names = new LinkedHashSet<>();
        for (Image i : Image.values()) {
            assertTrue(names.add(i.imageName()), "two Dockerfiles build " + i.imageName());
        }
    }

    @ParameterizedTest
    @EnumSource(Image.class)
    void eachImageIsMultiStageAndRunsItsMode(Image image) {
        Dockerfile d = image.dockerfile();
        assertTrue(d.stages.size() >= 2, image.file + ": one stage; the build tools would ship in the image");
        Stage last = d.last();
        String launcher = launcherDestination(image);
        // Exec form, so that the launcher (which execs java) is PID 1 and gets the container's SIGTERM.
        assertEquals(List.of(launcher), last.execForm("ENTRYPOINT"), image.file + ": ENTRYPOINT");
        List<String> cmd = last.execForm("CMD");
        assertFalse(cmd.isEmpty(), image.file + ": no CMD");
        assertEquals(image.mode, cmd.get(0), image.file + ": the default command's mode");
        String user = last.lastArguments("USER").orElseThrow(() -> new AssertionError(image.file
                + ": the final stage runs as root"));
        String uid = user.split(":")[0];
        assertTrue(uid.matches("\\d+") && !uid.equals("0"), image.file + ": USER " + user
                + " is not a numeric non-root user (Kubernetes' runAsNonRoot can only verify a number)");
        List<String> exposed = last.all("EXPOSE").stream().map(i -> i.arguments).toList();
        if (image.mode.equals("server")) {
            assertEquals(List.of(Integer.toString(httpPort())), exposed, image.file + ": EXPOSE");
        } else {
            assertEquals(List.of(), exposed, image.file + ": workers serve no port");
        }
        for (Instruction env : last.all("ENV")) {
            for (String key : pairs(env.arguments).keySet()) {
                assertFalse(key.matches("(?i).*(PASSWORD|SECRET|TOKEN).*"), image.file + ": ENV " + key
                        + " bakes a secret into the image");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Image.class)
    void eachImageBuildsItsModuleWithItsBackend(Image image) {
        Dockerfile d = image.dockerfile();
        Instruction build = d.mavenBuild();
        List<String> words = List.of(build.arguments.split("\\s+"));
        int pl = words.indexOf("-pl");
        assertTrue(pl >= 0 && pl + 1 < words.size(), image.file + ": the Maven build names no module (-pl)");
        assertEquals(image.module, words.get(pl + 1), image.file + ": the module built");
        assertTrue(words.contains("-am"), image.file + ": without -am the modules it needs come from no repository");
        assertEquals(image.cuda, words.contains("-Pcuda"), image.file + ": the cuda profile");
        assertTrue(words.stream().noneMatch(w -> w.startsWith("-P") && !w.equals("-Pcuda")), image.file
                + ": a profile other than cuda");

        int release = Integer.parseInt(rootProperty("maven.compiler.release"));
        Matcher temurin = Pattern.compile("eclipse-temurin:(\\d+)").matcher(read(DOCKER.resolve(image.file)));
        int seen = 0;
        while (temurin.find()) {
            assertEquals(release, Integer.parseInt(temurin.group(1)), image.file + ": " + temurin.group()
                    + " but the build targets Java " + release);
            seen++;
        }
        assertTrue(seen >= 2, image.file + ": a JDK to build with and a JRE to run on");

        String base = d.last().base;
        if (image.cuda) {
            Element profile = profile(pom(ROOT.resolve("evaluator/pom.xml")), "cuda");
            String cudaArtifact = children(profile, "dependency").stream().map(e -> text(e, "artifactId"))
                    .filter(a -> a.startsWith("nd4j-cuda-")).findFirst().orElseThrow(() -> new AssertionError(
                            "evaluator/pom.xml: the cuda profile has no nd4j-cuda dependency"));
            String cudaVersion = cudaArtifact.substring("nd4j-cuda-".length());
            boolean cudnn = children(profile, "dependency").stream().anyMatch(e -> text(e, "classifier")
                    .contains("cudnn"));
            assertTrue(base.startsWith("nvidia/cuda:" + cudaVersion + "."), image.file + ": base " + base
                    + " is not CUDA " + cudaVersion + ", which " + cudaArtifact + " links against");
            assertEquals(cudnn, base.contains("cudnn"), image.file + ": base " + base + " and cuDNN");
            assertTrue(base.contains("runtime") || base.contains("devel"), image.file + ": base " + base
                    + " lacks the CUDA libraries");
            assertTrue(d.last().all("COPY").stream().anyMatch(c -> c.from().orElse("").startsWith(
                    "eclipse-temurin:" + release + "-jre")), image.file + ": no JRE copied into the CUDA image");
        } else {
            assertEquals("eclipse-temurin:" + release + "-jre", base, image.file + ": final base");
            // Without -P the evaluator's default backend applies: check that it still is the CPU one.
            Element cpu = profile(pom(ROOT.resolve("evaluator/pom.xml")), "cpu");
            assertEquals("true", text(cpu, "activeByDefault"), "evaluator/pom.xml: the cpu profile is not the default");
        }
    }

    @ParameterizedTest
    @EnumSource(Image.class)
    void eachImageCopiesWhatTheRepositoryHas(Image image) {
        Dockerfile d = image.dockerfile();
        Map<String, String> moduleByArtifact = new HashMap<>();
        List<String> modules = modules();
        for (String m : modules) {
            Element project = pom(ROOT.resolve(m).resolve("pom.xml")).getDocumentElement();
            moduleByArtifact.put(child(project, "artifactId").getTextContent().trim(), m);
        }
        Stage build = d.stageOf(d.mavenBuild());
        Set<String> whole = new LinkedHashSet<>();
        Set<String> pomOnly = new LinkedHashSet<>();
        for (Stage s : d.stages) {
            for (Instruction copy : s.all("COPY")) {
                if (copy.from().isPresent()) {
                    continue;
                }
                for (String source : copy.sources()) {
                    assertTrue(Files.exists(ROOT.resolve(source)), image.file + ": COPY " + source
                            + ": no such file in the repository");
                    if (s == build) {
                        String dir = source.replaceAll("/+$", "");
                        if (modules.contains(dir)) {
                            whole.add(dir);
                        } else if (source.endsWith("/pom.xml") && modules.contains(source.substring(0,
                                source.length() - "/pom.xml".length()))) {
                            pomOnly.add(source.substring(0, source.length() - "/pom.xml".length()));
                        }
                    }
                }
            }
        }
        for (String m : modules) {
            assertTrue(whole.contains(m) || pomOnly.contains(m), image.file + ": module " + m
                    + " is in the root POM but not copied: the reactor cannot be read");
        }
        for (String m : withDependencies(image.module, moduleByArtifact)) {
            assertTrue(whole.contains(m), image.file + ": " + image.module + " needs module " + m
                    + ", of which only the POM is copied");
        }
        // What the final stage takes from the build stage lies in a module's target or in the
        // build stage's own output folder.
        String workdir = build.lastArguments("WORKDIR").orElseThrow(() -> new AssertionError(image.file
                + ": the build stage has no WORKDIR"));
        for (Instruction copy : d.last().all("COPY")) {
            if (!copy.from().orElse("").equals(build.name)) {
                continue;
            }
            for (String source : copy.sources()) {
                if (source.startsWith(workdir + "/")) {
                    String module = source.substring(workdir.length() + 1).split("/")[0];
                    assertEquals(image.module, module, image.file + ": COPY --from=" + build.name + " " + source);
                    assertTrue(source.startsWith(workdir + "/" + module + "/target/"), image.file + ": " + source
                            + " is not build output");
                } else {
                    assertTrue(build.all("RUN").stream().anyMatch(r -> r.arguments.contains(
                            source.replaceAll("/+$", ""))), image.file + ": " + source + " is made by no RUN");
                }
            }
        }
        if (image.mode.equals("server")) {
            String launcherJar = launcherAssignment(ROOT.resolve("cellforge"), "server_jar")
                    .replace("$here/", "");
            String app = launcherJar.substring(0, launcherJar.lastIndexOf('/') + 1);
            assertTrue(d.last().all("COPY").stream().anyMatch(c -> c.sources().contains(workdir + "/" + app)),
                    image.file + ": the final stage does not copy " + app + ", where ./cellforge runs the server");
            assertTrue(read(ROOT.resolve(image.module).resolve("pom.xml")).contains("quarkus-maven-plugin"),
                    image.module + " no longer builds the Quarkus application");
        } else {
            assertTrue(read(ROOT.resolve("search-runner/pom.xml")).contains(
                    "${project.build.directory}/runtime-classpath.txt"), "search-runner no longer writes "
                    + "runtime-classpath.txt");
            assertTrue(d.mavenBuild().arguments.contains("search-runner/target/runtime-classpath.txt"),
                    image.file + ": the runner's jars are not taken from its runtime-classpath.txt");
        }
    }

    @Test
    void theServerImageListensBeyondTheContainer() throws IOException {
        Properties app = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("..", "web-ui", "src", "main", "resources",
                "application.properties"))) {
            app.load(r);
        }
        assertEquals("localhost", app.getProperty("quarkus.http.host"), "outside a container the server binds to "
                + "this machine only");
        assertEquals("0.0.0.0", Image.SERVER.dockerfile().last().env().get("QUARKUS_HTTP_HOST"),
                "a server bound to the container's localhost cannot be reached through its published port");
    }

    @Test
    void theServerImageOffersTheRepositorysRecipes() throws IOException {
        Properties app = new Properties();
        try (var r = Files.newBufferedReader(ROOT.resolve("web-ui/src/main/resources/application.properties"))) {
            app.load(r);
        }
        assertNotNull(app.getProperty("cellforge.recipes.dir"), "the recipes directory is not configured");
        String directory = Image.SERVER.dockerfile().last().env().get("CELLFORGE_RECIPES_DIR");
        assertNotNull(directory, "server.Dockerfile: no CELLFORGE_RECIPES_DIR");
        assertTrue(Image.SERVER.dockerfile().last().all("COPY").stream().anyMatch(c -> c.from().isEmpty()
                && c.sources().equals(List.of("recipes/")) && c.destination().replaceAll("/+$", "").equals(directory)),
                "server.Dockerfile: the repository's recipes/ is not copied to " + directory);
    }

    @ParameterizedTest
    @EnumSource(Image.class)
    void eachImageCarriesFashionMnist(Image image) {
        Dockerfile d = image.dockerfile();
        Stage last = d.last();
        String directory = last.env().get(Datasets.FASHION_MNIST_DIRECTORY);
        assertNotNull(directory, image.file + ": no " + Datasets.FASHION_MNIST_DIRECTORY);
        Instruction copy = last.all("COPY").stream().filter(c -> c.destination().replaceAll("/+$", "")
                .equals(directory)).findFirst().orElseThrow(() -> new AssertionError(image.file + ": nothing is "
                        + "copied to " + directory));
        Stage source = d.stage(copy.from().orElseThrow(() -> new AssertionError(image.file + ": " + directory
                + " is not copied from a stage")));
        assertTrue(source.all("RUN").stream().anyMatch(r -> r.arguments.contains("install")
                && r.arguments.contains(FashionMnist.DEBIAN_PACKAGE)), image.file + ": stage " + source.name
                + " does not install " + FashionMnist.DEBIAN_PACKAGE);
        Path installed = FashionMnist.installedDirectory().orElseThrow(() -> new AssertionError(
                "Fashion-MNIST is not installed here (Debian package " + FashionMnist.DEBIAN_PACKAGE + ")"));
        assertEquals(installed.toString(), copy.sources().get(0).replaceAll("/+$", ""), image.file
                + ": the package's files are elsewhere");
    }

    @Test
    void theImagesLauncherStartsJavaAsTheRepositoryLauncherDoes() throws ReflectiveOperationException {
        Path repositoryLauncher = ROOT.resolve("cellforge");
        Path imageLauncher = DOCKER.resolve("entrypoint.sh");
        List<String> flags = javaFlags(repositoryLauncher);
        assertTrue(flags.contains("--enable-native-access=ALL-UNNAMED"), "./cellforge: " + flags);
        assertEquals(flags, javaFlags(imageLauncher), "JVM flags of docker/entrypoint.sh");
        Pattern heap = Pattern.compile("jvm\\+=\\((-Xmx\\w+)\\)");
        assertEquals(find(heap, read(repositoryLauncher)), find(heap, read(imageLauncher)), "default heap");

        Pattern mainClass = Pattern.compile("org\\.cellforge\\.[\\w.]+\\.Main\\b");
        String main = find(mainClass, read(imageLauncher));
        assertEquals(find(mainClass, read(repositoryLauncher)), main, "main class of the command line");
        Method m = Class.forName(main).getMethod("main", String[].class);
        assertTrue(Modifier.isStatic(m.getModifiers()), main + ".main is not static");

        String serverJar = launcherAssignment(imageLauncher, "server_jar");
        String serverDir = serverJar.substring(0, serverJar.lastIndexOf('/'));
        assertTrue(Image.SERVER.dockerfile().last().all("COPY").stream().anyMatch(c -> c.destination()
                .replaceAll("/+$", "").equals(serverDir)), "server.Dockerfile copies nothing to " + serverDir);
        assertEquals(launcherAssignment(repositoryLauncher, "server_jar").replaceAll(".*/", ""),
                serverJar.replaceAll(".*/", ""), "the server jar's name");
        String classpath = launcherAssignment(imageLauncher, "runner_classpath");
        for (Image image : List.of(Image.WORKER, Image.WORKER_CUDA)) {
            Dockerfile d = image.dockerfile();
            assertTrue(d.last().all("COPY").stream().anyMatch(c -> c.destination().equals(classpath)),
                    image.file + ": copies nothing to " + classpath);
            // The rewritten class path names jars where the final stage puts them.
            Matcher jarDir = Pattern.compile("'?:?(/[\\w/.-]+/)%s'").matcher(d.mavenBuild().arguments);
            int seen = 0;
            while (jarDir.find()) {
                String dir = jarDir.group(1);
                assertTrue(d.last().all("COPY").stream().anyMatch(c -> c.destination().equals(dir)), image.file
                        + ": the class path names jars in " + dir + ", which the final stage does not fill");
                seen++;
            }
            assertTrue(seen > 0, image.file + ": the class path file is not written");
        }
    }

    @Test
    void theBuildCommandsTagTheLabelledNames() {
        Pattern command = Pattern.compile("docker build\\s+-f\\s+(\\S+)\\s+-t\\s+([\\w./-]+)(?::[\\w.-]+)?\\s+(\\S+)");
        Map<String, String> readme = new HashMap<>();
        Matcher m = command.matcher(read(DOCKER.resolve("README.md")));
        while (m.find()) {
            readme.put(m.group(1), m.group(2));
            assertEquals(".", m.group(3), "docker/README.md: the context of " + m.group() + " is not the repository");
        }
        for (Image image : Image.values()) {
            String file = "docker/" + image.file;
            assertEquals(image.imageName(), readme.get(file), "docker/README.md: the build command of " + file);
            Matcher own = command.matcher(read(DOCKER.resolve(image.file)));
            assertTrue(own.find(), image.file + ": its header does not say how to build it");
            assertEquals(file, own.group(1), image.file + ": its header builds another file");
            assertEquals(image.imageName(), own.group(2), image.file + ": its header tags another name");
        }
    }

    @Test
    void everyCommandTheFilesRunIsOneTheCommandLineTakes() throws IOException {
        // The argument lists of compose's services, the manifests' containers and the Dockerfiles' CMDs.
        Pattern list = Pattern.compile("(?m)^\\s*(?:command:|args:|CMD)\\s*(\\[.*\\])");
        int seen = 0;
        List<Path> files = new ArrayList<>();
        try (var paths = Files.walk(ROOT.resolve("docker"))) {
            paths.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith("Dockerfile")).forEach(files::add);
        }
        for (Path f : files) {
            Matcher m = list.matcher(Files.readString(f));
            while (m.find()) {
                List<String> args = new ArrayList<>();
                for (Object a : (List<?>) new Yaml().load(m.group(1))) {
                    args.add(String.valueOf(a));
                }
                CommandLine parsed = CommandLine.parse(args.toArray(String[]::new));
                assertTrue(parsed instanceof CommandLine.Server || parsed instanceof CommandLine.Worker, f + ": "
                        + args + " is " + parsed);
                seen++;
            }
        }
        assertTrue(seen >= 6, "found only " + seen + " commands in docker/");
    }

    @Test
    void composeRunsPostgresTheServerAndScalableWorkers() {
        Map<String, Object> compose = map(yaml().load(read(DOCKER.resolve("compose.yaml"))));
        Map<String, Object> services = map(compose.get("services"));
        Map<String, String> imageFiles = imagesByName();

        String postgresName = services.entrySet().stream().filter(e -> str(map(e.getValue()).get("image"))
                .startsWith("postgres:")).map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError(
                        "compose.yaml: no PostgreSQL service"));
        Map<String, Object> postgres = map(services.get(postgresName));
        String embeddedMajor = rootProperty("postgres-binaries.version").split("\\.")[0];
        assertEquals("postgres:" + embeddedMajor, str(postgres.get("image")).replaceAll("^(postgres:\\d+).*", "$1"),
                "compose.yaml: PostgreSQL's major version against the embedded one's");
        assertNotNull(postgres.get("healthcheck"), "compose.yaml: " + postgresName + " has no healthcheck");
        assertFalse(list(map(postgres.get("healthcheck")).get("test")).isEmpty(), "compose.yaml: empty healthcheck");
        String volume = list(postgres.get("volumes")).stream().map(DeploymentFilesTest::str)
                .filter(v -> v.endsWith(":/var/lib/postgresql/data")).map(v -> v.substring(0, v.indexOf(':')))
                .findFirst().orElseThrow(() -> new AssertionError("compose.yaml: PostgreSQL's data is in no volume"));
        assertTrue(map(compose.get("volumes")).containsKey(volume), "compose.yaml: volume " + volume + " not declared");
        Map<String, Object> postgresEnv = map(postgres.get("environment"));

        String serverImage = Image.SERVER.imageName();
        String serverName = services.entrySet().stream().filter(e -> repository(str(map(e.getValue()).get("image")))
                .equals(serverImage)).map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError(
                        "compose.yaml: no service runs " + serverImage));
        Map<Image, String> serviceOf = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : services.entrySet()) {
            Map<String, Object> service = map(e.getValue());
            String name = e.getKey();
            if (name.equals(postgresName)) {
                continue;
            }
            String image = repository(str(service.get("image")));
            String file = imageFiles.get(image);
            assertNotNull(file, "compose.yaml: " + name + " runs " + image + ", which no Dockerfile here builds");
            Map<String, Object> build = map(service.get("build"));
            Path dockerfile = DOCKER.resolve(str(build.get("context"))).normalize().resolve(str(build.get("dockerfile")));
            assertEquals(DOCKER.resolve(file), dockerfile, "compose.yaml: " + name + " builds " + image + " from");
            Image kind = Stream.of(Image.values()).filter(i -> i.file.equals(file)).findFirst().orElseThrow();
            assertTrue(serviceOf.putIfAbsent(kind, name) == null, "compose.yaml: two services run " + image);

            Map<String, Object> env = map(service.get("environment"));
            Matcher url = Pattern.compile("jdbc:postgresql://([\\w-]+):(\\d+)/(\\w+)").matcher(str(env.get(JDBC_URL)));
            assertTrue(url.matches(), "compose.yaml: " + name + ": " + JDBC_URL + " = " + env.get(JDBC_URL)
                    + " (unset, the server would start an embedded database inside the container)");
            assertEquals(postgresName, url.group(1), "compose.yaml: " + name + ": database host");
            assertEquals("5432", url.group(2), "compose.yaml: " + name + ": database port");
            assertEquals(str(postgresEnv.get("POSTGRES_DB")), url.group(3), "compose.yaml: " + name + ": database");
            assertEquals(str(postgresEnv.get("POSTGRES_USER")), str(env.get(DB_USER)), "compose.yaml: " + name);
            assertEquals(str(postgresEnv.get("POSTGRES_PASSWORD")), str(env.get(DB_PASSWORD)), "compose.yaml: " + name);
            assertEquals("service_healthy", str(map(map(service.get("depends_on")).get(postgresName)).get("condition")),
                    "compose.yaml: " + name + " starts before PostgreSQL accepts connections");
            List<String> command = service.containsKey("command") ? strings(service.get("command"))
                    : kind.dockerfile().last().execForm("CMD");
            assertEquals(kind.mode, command.get(0), "compose.yaml: " + name + ": mode");

            if (kind.mode.equals("server")) {
                assertEquals(List.of("server", "--workers", "0"), command, "compose.yaml: " + name
                        + ": trials belong to the workers");
                List<String> ports = strings(service.get("ports"));
                assertEquals(1, ports.size(), "compose.yaml: " + name + ": ports");
                String containerPort = ports.get(0).replaceAll(".*:", "").replaceAll("/tcp$", "");
                assertEquals(Integer.toString(httpPort()), containerPort, "compose.yaml: " + name + ": container port");
                List<String> test = strings(map(service.get("healthcheck")).get("test"));
                String probe = test.stream().filter(w -> w.startsWith("http://")).findFirst().orElseThrow(
                        () -> new AssertionError("compose.yaml: " + name + ": the healthcheck asks no URL"));
                Matcher u = Pattern.compile("http://localhost:(\\d+)(/\\S*)").matcher(probe);
                assertTrue(u.matches(), "compose.yaml: " + probe);
                assertEquals(Integer.toString(httpPort()), u.group(1), "compose.yaml: " + name + ": healthcheck port");
                assertTrue(HEALTH_PATHS.contains(u.group(2)), "compose.yaml: " + name + ": " + u.group(2)
                        + " is not a SmallRye Health path");
                String program = test.get(1);
                assertTrue(kind.dockerfile().last().all("RUN").stream().anyMatch(r -> r.arguments.contains("install")
                        && r.arguments.matches("(?s).*\\b" + Pattern.quote(program) + "\\b.*")), "compose.yaml: "
                        + name + ": the healthcheck runs " + program + ", which " + kind.file + " does not install");
            } else {
                // Scaled with --scale: a fixed name or host port would collide.
                assertFalse(service.containsKey("container_name"), "compose.yaml: " + name + " has a container_name");
                assertFalse(service.containsKey("ports"), "compose.yaml: " + name + " publishes ports");
                assertEquals("service_healthy", str(map(map(service.get("depends_on")).get(serverName))
                        .get("condition")), "compose.yaml: " + name + " does not wait for the server");
            }
            if (kind.cuda) {
                List<Object> devices = list(map(map(map(service.get("deploy")).get("resources")).get("reservations"))
                        .get("devices"));
                assertTrue(devices.stream().map(DeploymentFilesTest::map).anyMatch(dev -> "nvidia".equals(dev.get("driver"))
                        && strings(dev.get("capabilities")).contains("gpu")), "compose.yaml: " + name + " gets no GPU");
                assertTrue(env.containsKey(SLOTS_VARIABLE), "compose.yaml: " + name + ": slots per GPU");
            }
        }
        assertEquals(Set.of(Image.values()), serviceOf.keySet(), "compose.yaml: services of each image");

        // Every setting compose reads from the environment is in .env.example with its default.
        Map<String, String> defaults = new HashMap<>();
        Matcher variable = Pattern.compile("\\$\\{(\\w+):-([^}]*)}").matcher(read(DOCKER.resolve("compose.yaml")));
        while (variable.find()) {
            defaults.put(variable.group(1), variable.group(2));
        }
        Properties example = new Properties();
        try (Reader r = Files.newBufferedReader(DOCKER.resolve(".env.example"))) {
            example.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(defaults.keySet(), example.stringPropertyNames(), ".env.example against compose.yaml");
        defaults.forEach((k, v) -> assertEquals(v, example.getProperty(k), ".env.example: " + k));
    }

    @Test
    void kubernetesManifestsHoldTogether() throws IOException {
        Map<String, Object> kustomization = map(yaml().load(read(KUBERNETES.resolve("kustomization.yaml"))));
        Set<String> files;
        try (Stream<Path> s = Files.list(KUBERNETES)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
                    .filter(n -> !n.equals("kustomization.yaml")).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(files, new TreeSet<>(strings(kustomization.get("resources"))), "kustomization.yaml: resources");
        Map<String, String> imageFiles = imagesByName();
        for (Object i : list(kustomization.get("images"))) {
            assertTrue(imageFiles.containsKey(str(map(i).get("name"))), "kustomization.yaml: image " + map(i).get("name"));
        }

        List<Map<String, Object>> objects = new ArrayList<>();
        for (String file : files) {
            for (Object doc : yaml().loadAll(read(KUBERNETES.resolve(file)))) {
                if (doc != null) {
                    objects.add(map(doc));
                }
            }
        }
        Set<String> seen = new LinkedHashSet<>();
        for (Map<String, Object> o : objects) {
            assertFalse(str(o.get("apiVersion")).isBlank(), "an object without apiVersion: " + o);
            assertFalse(str(o.get("kind")).isBlank(), "an object without kind: " + o);
            assertFalse(str(map(o.get("metadata")).get("name")).isBlank(), "an object without a name: " + o);
            assertTrue(seen.add(o.get("kind") + "/" + name(o)), "two objects " + o.get("kind") + "/" + name(o));
        }
        List<Map<String, Object>> namespaces = ofKind(objects, "Namespace");
        assertEquals(1, namespaces.size(), "Namespace objects");
        String namespace = name(namespaces.get(0));
        for (Map<String, Object> o : objects) {
            if (!o.get("kind").equals("Namespace")) {
                assertEquals(namespace, map(o.get("metadata")).get("namespace"), o.get("kind") + "/" + name(o) + ": namespace");
            }
        }
        Map<String, Set<String>> secretKeys = new HashMap<>();
        for (Map<String, Object> s : ofKind(objects, "Secret")) {
            Set<String> keys = new LinkedHashSet<>(map(s.getOrDefault("stringData", Map.of())).keySet());
            keys.addAll(map(s.getOrDefault("data", Map.of())).keySet());
            secretKeys.put(name(s), keys);
        }
        Map<String, Set<String>> configKeys = new HashMap<>();
        for (Map<String, Object> c : ofKind(objects, "ConfigMap")) {
            configKeys.put(name(c), map(c.getOrDefault("data", Map.of())).keySet());
        }

        Map<Image, List<Map<String, Object>>> deployments = new LinkedHashMap<>();
        for (Map<String, Object> d : ofKind(objects, "Deployment")) {
            String where = "Deployment/" + name(d);
            Map<String, Object> spec = map(d.get("spec"));
            Map<String, Object> matchLabels = map(map(spec.get("selector")).get("matchLabels"));
            Map<String, Object> labels = map(map(map(spec.get("template")).get("metadata")).get("labels"));
            assertFalse(matchLabels.isEmpty(), where + ": empty selector");
            assertTrue(labels.entrySet().containsAll(matchLabels.entrySet()), where + ": selector " + matchLabels
                    + " does not match the template's labels " + labels);
            Map<String, Object> pod = podSpec(d);
            assertEquals(Boolean.TRUE, map(pod.get("securityContext")).get("runAsNonRoot"), where + ": runAsNonRoot");
            List<Object> containers = list(pod.get("containers"));
            assertEquals(1, containers.size(), where + ": containers");
            Map<String, Object> c = map(containers.get(0));
            assertFalse(str(c.get("name")).isBlank(), where + ": a container without a name");
            String image = repository(str(c.get("image")));
            String file = imageFiles.get(image);
            assertNotNull(file, where + ": image " + c.get("image") + " is built by no Dockerfile here");
            Image kind = Stream.of(Image.values()).filter(i -> i.file.equals(file)).findFirst().orElseThrow();
            deployments.computeIfAbsent(kind, k -> new ArrayList<>()).add(d);

            Map<String, Map<String, Object>> env = new LinkedHashMap<>();
            for (Object e : list(c.get("env"))) {
                env.put(str(map(e).get("name")), map(e));
            }
            for (Map.Entry<String, Map<String, Object>> e : env.entrySet()) {
                Map<String, Object> from = map(e.getValue().get("valueFrom"));
                if (from.containsKey("secretKeyRef")) {
                    Map<String, Object> ref = map(from.get("secretKeyRef"));
                    assertTrue(secretKeys.getOrDefault(str(ref.get("name")), Set.of()).contains(str(ref.get("key"))),
                            where + ": " + e.getKey() + " refers to key " + ref.get("key") + " of Secret " + ref.get("name")
                                    + ", which has " + secretKeys.get(str(ref.get("name"))));
                }
                if (from.containsKey("configMapKeyRef")) {
                    Map<String, Object> ref = map(from.get("configMapKeyRef"));
                    assertTrue(configKeys.getOrDefault(str(ref.get("name")), Set.of()).contains(str(ref.get("key"))),
                            where + ": " + e.getKey() + " refers to key " + ref.get("key") + " of ConfigMap "
                                    + ref.get("name") + ", which has " + configKeys.get(str(ref.get("name"))));
                }
            }
            assertTrue(env.containsKey(JDBC_URL), where + ": no " + JDBC_URL
                    + " (unset, the server would start an embedded database inside the container)");
            for (String credential : List.of(DB_USER, DB_PASSWORD)) {
                assertTrue(env.containsKey(credential) && map(env.get(credential).get("valueFrom"))
                        .containsKey("secretKeyRef"), where + ": " + credential + " is not taken from a Secret");
            }
            List<String> args = c.containsKey("args") ? strings(c.get("args")) : kind.dockerfile().last().execForm("CMD");
            assertEquals(kind.mode, args.get(0), where + ": mode");
            Map<String, Object> limits = map(map(c.get("resources")).get("limits"));
            if (kind.mode.equals("worker")) {
                assertFalse(c.containsKey("ports"), where + ": workers serve no port");
                assertFalse(c.containsKey("livenessProbe") || c.containsKey("readinessProbe"), where
                        + ": workers have no HTTP port to probe");
                int slots = slots(args, env);
                if (kind.cuda) {
                    assertTrue(limits.containsKey(GPU), where + ": no " + GPU + " limit");
                    assertEquals(1, Integer.parseInt(str(limits.get(GPU))), where + ": GPUs per pod");
                    assertEquals(1, slots, where + ": one trial per GPU");
                } else {
                    assertFalse(limits.containsKey(GPU), where + ": a CPU worker takes a GPU");
                }
            } else {
                assertEquals(List.of("server", "--workers", "0"), args, where + ": trials belong to the workers");
                assertFalse(limits.containsKey(GPU), where + ": the server takes a GPU");
                List<Object> ports = list(c.get("ports"));
                assertEquals(1, ports.size(), where + ": ports");
                assertEquals(httpPort(), ((Number) map(ports.get(0)).get("containerPort")).intValue(), where
                        + ": containerPort");
                assertEquals(LIVE, probePath(c, "livenessProbe", where), where + ": liveness");
                assertEquals(READY, probePath(c, "readinessProbe", where), where + ": readiness");
                if (c.containsKey("startupProbe")) {
                    assertTrue(HEALTH_PATHS.contains(probePath(c, "startupProbe", where)), where + ": startup probe");
                }
            }
        }
        assertEquals(1, deployments.getOrDefault(Image.SERVER, List.of()).size(), "server Deployments");
        assertFalse(deployments.getOrDefault(Image.WORKER_CUDA, List.of()).isEmpty(), "no GPU worker Deployment");

        Map<String, Object> server = deployments.get(Image.SERVER).get(0);
        Map<String, Object> serverLabels = map(map(map(map(server.get("spec")).get("template")).get("metadata"))
                .get("labels"));
        List<Map<String, Object>> services = ofKind(objects, "Service");
        assertFalse(services.isEmpty(), "no Service");
        for (Map<String, Object> s : services) {
            String where = "Service/" + name(s);
            Map<String, Object> selector = map(map(s.get("spec")).get("selector"));
            assertFalse(selector.isEmpty(), where + ": empty selector");
            assertTrue(serverLabels.entrySet().containsAll(selector.entrySet()), where + ": selects no server pod");
            for (Map.Entry<Image, List<Map<String, Object>>> e : deployments.entrySet()) {
                if (e.getKey() != Image.SERVER) {
                    for (Map<String, Object> worker : e.getValue()) {
                        Map<String, Object> labels = map(map(map(map(worker.get("spec")).get("template")).get("metadata"))
                                .get("labels"));
                        assertFalse(labels.entrySet().containsAll(selector.entrySet()), where + " also selects the pods of "
                                + "Deployment/" + name(worker));
                    }
                }
            }
            for (Object p : list(map(s.get("spec")).get("ports"))) {
                Object target = map(p).getOrDefault("targetPort", map(p).get("port"));
                assertEquals(httpPort(), containerPort(map(list(podSpec(server).get("containers")).get(0)), target, where),
                        where + ": targetPort");
            }
        }
    }

    // ---- Dockerfiles

    record Instruction(String keyword, String arguments) {

        List<String> words() {
            return List.of(arguments.trim().split("\\s+"));
        }

        Optional<String> from() {
            return words().stream().filter(w -> w.startsWith("--from=")).map(w -> w.substring("--from=".length()))
                    .findFirst();
        }

        /** The paths of a COPY, flags left out; the last is the destination. */
        private List<String> paths() {
            assertFalse(arguments.trim().startsWith("["), "COPY in JSON form is not read here: " + arguments);
            return words().stream().filter(w -> !w.startsWith("--")).toList();
        }

        List<String> sources() {
            List<String> p = paths();
            return p.subList(0, p.size() - 1);
        }

        String destination() {
            List<String> p = paths();
            return p.get(p.size() - 1);
        }
    }

    record Stage(String base, String name, List<Instruction> instructions) {

        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword.equals(keyword)).toList();
        }

        Optional<String> lastArguments(String keyword) {
            List<Instruction> found = all(keyword);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1).arguments.trim());
        }

        /** The last {@code keyword} instruction's exec form, empty when there is none. */
        List<String> execForm(String keyword) {
            Optional<String> args = lastArguments(keyword);
            if (args.isEmpty()) {
                return List.of();
            }
            assertTrue(args.get().startsWith("["), keyword + " " + args.get() + " is not in exec form");
            return strings(yaml().load(args.get()));
        }

        Optional<String> label(String key) {
            return all("LABEL").stream().map(i -> pairs(i.arguments).get(key)).filter(v -> v != null).reduce((a, b) -> b);
        }

        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            all("ENV").forEach(i -> env.putAll(pairs(i.arguments)));
            return env;
        }
    }

    record Dockerfile(Path path, List<Stage> stages) {

        static Dockerfile parse(Path path) {
            assertTrue(Files.isRegularFile(path), path + " is missing");
            List<String> logical = new ArrayList<>();
            StringBuilder current = null;
            for (String line : read(path).split("\n", -1)) {
                String trimmed = line.strip();
                // Comment lines end no instruction, even inside a continued one.
                if (trimmed.startsWith("#") || trimmed.isEmpty() && current == null) {
                    continue;
                }
                boolean continued = trimmed.endsWith("\\");
                String part = continued ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
                current = current == null ? new StringBuilder(part) : current.append(' ').append(part);
                if (!continued) {
                    logical.add(current.toString());
                    current = null;
                }
            }
            assertTrue(current == null, path + " ends inside a continued line");
            Map<String, String> args = new HashMap<>();
            List<Stage> stages = new ArrayList<>();
            List<Instruction> instructions = null;
            for (String line : logical) {
                String[] split = line.split("\\s+", 2);
                String keyword = split[0].toUpperCase();
                String arguments = split.length > 1 ? split[1] : "";
                if (keyword.equals("FROM")) {
                    List<String> words = new ArrayList<>(List.of(arguments.split("\\s+")));
                    words.removeIf(w -> w.startsWith("--"));
                    String base = substitute(words.get(0), args);
                    String name = words.size() >= 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : null;
                    instructions = new ArrayList<>();
                    stages.add(new Stage(base, name, instructions));
                } else if (instructions == null) {
                    assertEquals("ARG", keyword, path + ": " + keyword + " before the first FROM");
                    String[] kv = arguments.split("=", 2);
                    args.put(kv[0].trim(), kv.length > 1 ? kv[1].trim() : "");
                } else {
                    instructions.add(new Instruction(keyword, arguments));
                }
            }
            assertFalse(stages.isEmpty(), path + " has no FROM");
            return new Dockerfile(path, stages);
        }

        private static String substitute(String s, Map<String, String> args) {
            Matcher m = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)").matcher(s);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String key = m.group(1) != null ? m.group(1) : m.group(2);
                assertTrue(args.containsKey(key) && !args.get(key).isEmpty(), "FROM " + s + ": ARG " + key
                        + " has no default");
                m.appendReplacement(out, Matcher.quoteReplacement(args.get(key)));
            }
            m.appendTail(out);
            return out.toString();
        }

        Stage last() {
            return stages.get(stages.size() - 1);
        }

        Stage stage(String name) {
            return stages.stream().filter(s -> name.equals(s.name)).findFirst().orElseThrow(() -> new AssertionError(
                    path.getFileName() + ": no stage " + name));
        }

        Stage stageOf(Instruction i) {
            return stages.stream().filter(s -> s.instructions.contains(i)).findFirst().orElseThrow();
        }

        /** The one RUN that runs the Maven wrapper; it must not be in the final stage. */
        Instruction mavenBuild() {
            List<Instruction> runs = stages.stream().flatMap(s -> s.all("RUN").stream())
                    .filter(r -> r.arguments.contains("./mvnw")).toList();
            assertEquals(1, runs.size(), path.getFileName() + ": RUNs of ./mvnw");
            assertFalse(last().instructions.contains(runs.get(0)), path.getFileName() + ": Maven runs in the final stage");
            return runs.get(0);
        }
    }

    /** {@code KEY=VALUE} pairs of LABEL and ENV, values unquoted. */
    static Map<String, String> pairs(String arguments) {
        Map<String, String> pairs = new LinkedHashMap<>();
        Matcher m = Pattern.compile("([\\w.-]+)=(\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S*))").matcher(arguments);
        while (m.find()) {
            pairs.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(4));
        }
        return pairs;
    }

    /** Where the Dockerfile puts docker/entrypoint.sh: the path its ENTRYPOINT must run. */
    private static String launcherDestination(Image image) {
        return image.dockerfile().last().all("COPY").stream().filter(c -> c.from().isEmpty()
                && c.sources().equals(List.of("docker/entrypoint.sh"))).map(Instruction::destination).findFirst()
                .orElseThrow(() -> new AssertionError(image.file + ": docker/entrypoint.sh is not copied"));
    }

    private static Map<String, String> imagesByName() {
        Map<String, String> byName = new HashMap<>();
        for (Image i : Image.values()) {
            byName.put(i.imageName(), i.file);
        }
        return byName;
    }

    /** An image reference without its tag or digest. */
    private static String repository(String image) {
        String s = image.replaceAll("@.*", "");
        int colon = s.lastIndexOf(':');
        return colon > s.lastIndexOf('/') ? s.substring(0, colon) : s;
    }

    // ---- launchers

    /** The flags of the {@code jvm=(java ...)} array of a launcher script, the java command left out. */
    private static List<String> javaFlags(Path script) {
        Matcher m = Pattern.compile("(?m)^jvm=\\((\\S+)\\s+([^)]*)\\)").matcher(read(script));
        assertTrue(m.find(), script.getFileName() + ": no jvm=(...) line");
        assertTrue(m.group(1).replace("\"", "").endsWith("java"), script.getFileName() + ": " + m.group(1));
        return List.of(m.group(2).trim().split("\\s+"));
    }

    private static String launcherAssignment(Path script, String variable) {
        Matcher m = Pattern.compile("(?m)^" + variable + "=\"?([^\"\\s]+)\"?").matcher(read(script));
        assertTrue(m.find(), script.getFileName() + ": no " + variable + "=");
        return m.group(1);
    }

    // ---- Kubernetes

    private static List<Map<String, Object>> ofKind(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    private static String name(Map<String, Object> object) {
        return str(map(object.get("metadata")).get("name"));
    }

    private static Map<String, Object> podSpec(Map<String, Object> deployment) {
        return map(map(map(deployment.get("spec")).get("template")).get("spec"));
    }

    private static String probePath(Map<String, Object> container, String probe, String where) {
        Map<String, Object> httpGet = map(map(container.get(probe)).get("httpGet"));
        assertFalse(httpGet.isEmpty(), where + ": no HTTP " + probe);
        assertEquals(httpPort(), containerPort(container, httpGet.get("port"), where), where + ": " + probe + " port");
        return str(httpGet.get("path"));
    }

    /** A port given by number or by the name of one of the container's ports, as a number. */
    private static int containerPort(Map<String, Object> container, Object port, String where) {
        if (port instanceof Number n) {
            return n.intValue();
        }
        return list(container.get("ports")).stream().map(DeploymentFilesTest::map).filter(p -> str(port).equals(
                p.get("name"))).map(p -> ((Number) p.get("containerPort")).intValue()).findFirst().orElseThrow(
                        () -> new AssertionError(where + ": no container port named " + port));
    }

    /** The worker's concurrent trials: {@code --slots N}, else the environment variable, else 1. */
    private static int slots(List<String> args, Map<String, Map<String, Object>> env) {
        int i = args.indexOf("--slots");
        if (i >= 0) {
            return Integer.parseInt(args.get(i + 1));
        }
        if (env.containsKey(SLOTS_VARIABLE)) {
            return Integer.parseInt(str(env.get(SLOTS_VARIABLE).get("value")));
        }
        return 1;
    }

    // ---- the repository

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docker")) && Files.isRegularFile(p.resolve("mvnw"))) {
                return p;
            }
        }
        throw new AssertionError("no repository root above " + Path.of("").toAbsolutePath());
    }

    private static int httpPort() {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(ROOT.resolve("web-ui/src/main/resources/application.properties"))) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Integer.parseInt(p.getProperty("quarkus.http.port"));
    }

    private static List<String> modules() {
        Element modules = child(pom(ROOT.resolve("pom.xml")).getDocumentElement(), "modules");
        return children(modules, "module").stream().map(Node::getTextContent).map(String::trim).toList();
    }

    private static String rootProperty(String name) {
        return text(child(pom(ROOT.resolve("pom.xml")).getDocumentElement(), "properties"), name);
    }

    /** The in-reactor modules {@code module} is built from, itself included, as -am builds them. */
    private static Set<String> withDependencies(String module, Map<String, String> moduleByArtifact) {
        Set<String> result = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(List.of(module));
        while (!todo.isEmpty()) {
            String m = todo.remove(todo.size() - 1);
            if (!result.add(m)) {
                continue;
            }
            Element project = pom(ROOT.resolve(m).resolve("pom.xml")).getDocumentElement();
            Element deps = child(project, "dependencies");
            for (Element dep : deps == null ? List.<Element>of() : children(deps, "dependency")) {
                String dependency = moduleByArtifact.get(text(dep, "artifactId"));
                if (dependency != null && text(dep, "groupId").equals("org.cellforge")) {
                    todo.add(dependency);
                }
            }
        }
        return result;
    }

    private static Document pom(Path file) {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        } catch (Exception e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    private static Element profile(Document pom, String id) {
        Element profiles = child(pom.getDocumentElement(), "profiles");
        assertNotNull(profiles, "no profiles in " + pom.getDocumentURI());
        return children(profiles, "profile").stream().filter(p -> text(p, "id").equals(id)).findFirst().orElseThrow(
                () -> new AssertionError("no profile " + id + " in " + pom.getDocumentURI()));
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** The elements called {@code name} anywhere below {@code parent}. */
    private static List<Element> children(Element parent, String name) {
        List<Element> result = new ArrayList<>();
        var nodes = parent.getElementsByTagName(name);
        for (int i = 0; i < nodes.getLength(); i++) {
            result.add((Element) nodes.item(i));
        }
        return result;
    }

    /** The text of the first element called {@code name} below {@code parent}, empty if none. */
    private static String text(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? "" : found.get(0).getTextContent().trim();
    }

    // ---- YAML and text

    private static Yaml yaml() {
        return new Yaml();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        if (o == null) {
            return Map.of();
        }
        assertTrue(o instanceof Map, "expected a mapping, got " + o);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        if (o == null) {
            return List.of();
        }
        assertTrue(o instanceof List, "expected a list, got " + o);
        return (List<Object>) o;
    }

    static List<String> strings(Object o) {
        return list(o).stream().map(DeploymentFilesTest::str).toList();
    }

    static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    private static String find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            fail("no match of " + p);
        }
        return m.groupCount() > 0 ? m.group(1) : m.group();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
