#!/bin/sh
# Builds the bench (and the modules it needs) and runs io.onramp.bench.ProvisioningBench.
#   bench/run.sh [--devices N] [--concurrency C] [--connections K] [--rounds R] [--half-rate] ...
# The gateway and the bare handler run in a JVM of their own, the load generator in this script's.
# JAVA_OPTS sets the servers' JVM options (default -XX:+UseZGC, the collector ./onramp runs the gateway with; e.g.
# "-XX:+UseZGC -XX:StartFlightRecording=..."; an empty string for the JVM's defaults); CLIENT_JAVA_OPTS the load
# generator's (default -XX:+UseZGC). MVN_OPTS adds Maven ones (e.g. -o).
# The servers' log (the gateway's: one audit line per registration) goes to bench/target/bench-gateway.log.
set -eu
cd "$(dirname "$0")/.."
CP_FILE=bench/target/bench.classpath
# One reactor run, so the classpath points at the freshly built jars of gateway, certs, ...
mvn -B -q ${MVN_OPTS:-} -pl bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$PWD/$CP_FILE" -Dmdep.includeScope=runtime
CP="bench/target/classes:$(cat "$CP_FILE")"
LOG=bench/target/bench-gateway.log
echo "gateway log: $LOG" >&2
export BENCH_SERVER_JAVA_OPTS="${JAVA_OPTS--XX:+UseZGC}"
exec java ${CLIENT_JAVA_OPTS:--XX:+UseZGC} -cp "$CP" io.onramp.bench.ProvisioningBench "$@" 2>"$LOG"
