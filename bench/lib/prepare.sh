# Shared by the bench run scripts, sourced from the repository root with CP_FILE set: the build, and
# the private copy each bench runs from.

# Builds the bench, the modules it needs and the gateway's shaded jar in one reactor run, and writes
# the runtime classpath to $CP_FILE. SKIP_BUILD=1 keeps what the last build left in target/.
bench_build() {
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    mvn -B -q ${MVN_OPTS:-} -pl bench -am package dependency:build-classpath -DskipTests \
      -Dmdep.outputFile="$PWD/$CP_FILE" -Dmdep.includeScope=runtime
  fi
}

# Others may rebuild the modules while a bench runs: it runs from a private copy of what was built.
# Sets RUN_DIR (a new directory under /tmp named after $1) and CP (the bench's classpath inside it);
# the gateway's shaded jar is at $RUN_DIR/onramp-gateway-all.jar.
bench_private_copy() {
  RUN_DIR=$(mktemp -d "/tmp/$1.XXXXXX")
  cp -r bench/target/classes "$RUN_DIR/classes"
  cp gateway/target/onramp-gateway-0.1.0-SNAPSHOT-all.jar "$RUN_DIR/onramp-gateway-all.jar"
  CP="$RUN_DIR/classes"
  for jar in $(tr ':' ' ' <"$CP_FILE"); do
    case "$jar" in
      "$PWD"/*) cp -r "$jar" "$RUN_DIR/" && CP="$CP:$RUN_DIR/$(basename "$jar")" ;;
      *) CP="$CP:$jar" ;;
    esac
  done
}

# Runs java with the given arguments under /tmp/onramp-bench.lock (two benches never measure at the same time:
# the other waits), then removes the private copy and exits with java's status.
bench_java() {
  STATUS=0
  flock /tmp/onramp-bench.lock java "$@" || STATUS=$?
  rm -rf "$RUN_DIR"
  exit "$STATUS"
}
