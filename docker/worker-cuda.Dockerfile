# syntax=docker/dockerfile:1
# Cellforge trial worker on an NVIDIA GPU (ND4J's CUDA 11.6 backend with cuDNN, the Maven profile
# cuda). Build from the repository root:
#   docker build -f docker/worker-cuda.Dockerfile -t cellforge/worker-cuda .
# Run it with the GPUs given to the container (docker run --gpus, the NVIDIA device plugin on
# Kubernetes) and one slot per GPU. It serves no HTTP port.

# ND4J's CUDA build links against the system's CUDA 11.6 and cuDNN 8 libraries (the JavaCPP
# "redist" jars that would bundle them are not used), so the base image supplies them.
ARG CUDA_BASE=nvidia/cuda:11.6.2-cudnn8-runtime-ubuntu20.04

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
# As in worker.Dockerfile, with the cuda profile in place of the default CPU one.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -DskipTests -Pcuda package -pl search-runner -am \
 && mkdir -p /out/lib \
 && runner="$(ls search-runner/target/cellforge-search-runner-*.jar)" \
 && cp "$runner" /out/lib/ \
 && printf '/opt/cellforge/lib/%s' "${runner##*/}" > /out/classpath.txt \
 && for jar in $(tr ':' ' ' < search-runner/target/runtime-classpath.txt); do \
      if [ -e "/out/lib/${jar##*/}" ]; then echo "two jars named ${jar##*/}" >&2; exit 1; fi; \
      cp "$jar" /out/lib/; \
      printf ':/opt/cellforge/lib/%s' "${jar##*/}" >> /out/classpath.txt; \
    done

# Debian packages the data set (Ubuntu 20.04, the CUDA image's release, does not); a stage of its
# own, so that the final image gets only the files.
FROM debian:bookworm-slim AS dataset
RUN apt-get update \
 && apt-get install -y --no-install-recommends dataset-fashion-mnist \
 && rm -rf /var/lib/apt/lists/*

FROM ${CUDA_BASE}
LABEL org.cellforge.image="cellforge/worker-cuda" \
      org.opencontainers.image.title="Cellforge worker (CUDA)" \
      org.opencontainers.image.description="Neural architecture search: trial worker, ND4J on CUDA 11.6 with cuDNN"
# No Temurin image is built on the CUDA base; the JRE is self-contained and needs only glibc.
COPY --from=eclipse-temurin:25-jre /opt/java/openjdk /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:$PATH
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
