# syntax=docker/dockerfile:1
# Cellforge server: REST API and dashboard on port 8080. Build from the repository root:
#   docker build -f docker/server.Dockerfile -t cellforge/server .
# With an external PostgreSQL (QUARKUS_DATASOURCE_*) it never starts the embedded one, whose files
# would die with the container. Trials run in the worker images (compose and Kubernetes start the
# server with --workers 0); the default command keeps one in-process slot so that the image alone
# can also run a search.

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
COPY web-ui/ web-ui/
COPY tests/pom.xml tests/
# The cache mount keeps downloaded artifacts between builds without putting them in a layer.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -DskipTests package -pl web-ui -am

# Debian packages the data set; a stage of its own, so that the final image gets only the files.
FROM debian:bookworm-slim AS dataset
RUN apt-get update \
 && apt-get install -y --no-install-recommends dataset-fashion-mnist \
 && rm -rf /var/lib/apt/lists/*

FROM eclipse-temurin:25-jre
LABEL org.cellforge.image="cellforge/server" \
      org.opencontainers.image.title="Cellforge server" \
      org.opencontainers.image.description="Neural architecture search: REST API and dashboard"
# Installed explicitly for the health checks, rather than trusting the base image to keep it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
# A numeric user, so that Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
RUN groupadd --system --gid 10001 cellforge \
 && useradd --system --uid 10001 --gid cellforge --create-home --home-dir /home/cellforge cellforge
COPY --from=build /src/web-ui/target/quarkus-app/ /opt/cellforge/server/
COPY --from=dataset /usr/share/datasets/fashion-mnist/ /opt/cellforge/datasets/fashion-mnist/
COPY --chmod=755 docker/entrypoint.sh /opt/cellforge/bin/cellforge
# The recipes the dashboard's form offers.
COPY recipes/ /opt/cellforge/recipes/
# The application binds to localhost by default; in a container the port is published instead.
ENV CELLFORGE_DATASET_FASHION_MNIST=/opt/cellforge/datasets/fashion-mnist \
    CELLFORGE_RECIPES_DIR=/opt/cellforge/recipes \
    CELLFORGE_JAVA_OPTS="" \
    QUARKUS_HTTP_HOST=0.0.0.0
USER 10001:10001
WORKDIR /home/cellforge
EXPOSE 8080
ENTRYPOINT ["/opt/cellforge/bin/cellforge"]
CMD ["server"]
