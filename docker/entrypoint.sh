#!/usr/bin/env bash
# Launcher inside the images: the repository's ./cellforge without its build steps, for the layout
# the Dockerfiles beside this file lay out under /opt/cellforge.
#   cellforge server [--port P] [--workers N]   REST API and dashboard (image cellforge/server)
#   cellforge worker [--slots N]                trial worker (images cellforge/worker, cellforge/worker-cuda)
set -euo pipefail
server_jar=/opt/cellforge/server/quarkus-run.jar
runner_classpath=/opt/cellforge/classpath.txt
# ND4J reaches native memory through JavaCPP, which still uses sun.misc.Unsafe.
jvm=(java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
# As in ./cellforge: JavaCPP derives its native-memory limits from the heap's, so the default heap
# (a quarter of the container's memory) lets a search grow far past it. CELLFORGE_JAVA_OPTS with
# its own -Xmx overrides this.
if [[ " ${CELLFORGE_JAVA_OPTS:-} " != *" -Xmx"* ]]; then
  jvm+=(-Xmx2g)
fi

case "${1:-help}" in
  server)
    if [[ ! -f "$server_jar" ]]; then
      echo "cellforge: this image runs trial workers only; the server is the cellforge/server image" >&2
      exit 2
    fi
    exec "${jvm[@]}" ${CELLFORGE_JAVA_OPTS:-} -jar "$server_jar" "$@"
    ;;
  *)
    if [[ ! -f "$runner_classpath" ]]; then
      echo "cellforge: this image runs the server only; workers are the cellforge/worker images" >&2
      exit 2
    fi
    exec "${jvm[@]}" ${CELLFORGE_JAVA_OPTS:-} -cp "$(cat "$runner_classpath")" org.cellforge.runner.cli.Main "$@"
    ;;
esac
