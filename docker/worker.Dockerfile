# syntax=docker/dockerfile:1
# Cellforge trial worker on the CPU (ND4J's oneDNN/AVX2 build). Build from the repository root:
#   docker build -f docker/worker.Dockerfile -t cellforge/worker .
# It runs trials that servers and other workers queued in the shared PostgreSQL (QUARKUS_DATASOURCE_*),
# CELLFORGE_WORKER_SLOTS (or --slots) at a time, and serves no HTTP port.

FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
# Maven reads the POM of every module the root POM lists, built or not.
COPY search-space/ search-space/
COPY controllers/ controllers/
COPY evaluator/ evaluator/
COPY search-engine/ search-engine/
COPY persistence/ persistence/
COPY search-runner/ search-runner/
COPY web-ui/pom.xml web-ui/
COPY tests/pom.xml tests/
# The runner lists its jars in runtime-classpath.txt; they are gathered into one folder (a name
# taken twice fails the build rather than dropping a jar) and the list is rewritten for it, in the
# same order, in the same step, since the Maven repository is a cache mount that no layer keeps.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -DskipTests package -pl search-runner -am \
 && mkdir -p /out/lib \
 && runner="$(ls search-runner/target/cellforge-search-runner-*.jar)" \
 && cp "$runner" /out/lib/ \
 && printf '/opt/cellforge/lib/%s' "${runner##*/}" > /out/classpath.txt \
 && for jar in $(tr ':' ' ' < search-runner/target/runtime-classpath.txt); do \
      if [ -e "/out/lib/${jar##*/}" ]; then echo "two jars named ${jar##*/}" >&2; exit 1; fi; \
      cp "$jar" /out/lib/; \
      printf ':/opt/cellforge/lib/%s' "${jar##*/}" >> /out/classpath.txt; \
    done

# Debian packages the data set; a stage of its own, so that the final image gets only the files.
FROM debian:bookworm-slim AS dataset
RUN apt-get update \
 && apt-get install -y --no-install-recommends dataset-fashion-mnist \
 && rm -rf /var/lib/apt/lists/*

FROM eclipse-temurin:25-jre
LABEL org.cellforge.image="cellforge/worker" \
      org.opencontainers.image.title="Cellforge worker (CPU)" \
      org.opencontainers.image.description="Neural architecture search: trial worker, ND4J on the CPU"
# A numeric user, so that Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
RUN groupadd --system --gid 10001 cellforge \
 && useradd --system --uid 10001 --gid cellforge --create-home --home-dir /home/cellforge cellforge
COPY --from=build /out/lib/ /opt/cellforge/lib/
COPY --from=build /out/classpath.txt /opt/cellforge/classpath.txt
COPY --from=dataset /usr/share/datasets/fashion-mnist/ /opt/cellforge/datasets/fashion-mnist/
COPY --chmod=755 docker/entrypoint.sh /opt/cellforge/bin/cellforge
ENV CELLFORGE_DATASET_FASHION_MNIST=/opt/cellforge/datasets/fashion-mnist \
    CELLFORGE_WORKER_SLOTS=1 \
    CELLFORGE_JAVA_OPTS=""
USER 10001:10001
WORKDIR /home/cellforge
ENTRYPOINT ["/opt/cellforge/bin/cellforge"]
CMD ["worker"]
