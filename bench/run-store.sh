#!/bin/sh
# The store alone under re-registration (io.onramp.bench.store.StoreChurnBench): devices registered pass after
# pass through the real store classes, no HTTP; prints each pass's rate, its CPU per registration by thread and the
# H2 file's size. --warmup-devices N registers N other devices first, unreported, so that pass 1 (new devices)
# runs with a settled JIT.
#   bench/run-store.sh [--devices 100000] [--passes 4] [--in-flight 64] [--warmup-devices 0]
# JAVA_OPTS sets the JVM options (default -XX:+UseZGC, as ./onramp runs the gateway). MVN_OPTS adds Maven
# options (e.g. -o); SKIP_BUILD=1 uses what the last build left in target/.
# Runs under flock /tmp/onramp-bench.lock, so two benches never measure at the same time (the other waits).
set -eu
cd "$(dirname "$0")/.."
CP_FILE=bench/target/bench.classpath
. bench/lib/prepare.sh
bench_build
bench_private_copy onramp-store-bench-run
bench_java ${JAVA_OPTS--XX:+UseZGC} -cp "$CP" io.onramp.bench.store.StoreChurnBench "$@"
