#!/bin/sh
# TPM registrations per second against the real gateway over keep-alive HTTPS (issue 6): challenge, activation
# in software by the load generator, signed register, polls until assigned; plus the server's CPU per challenge.
#   bench/run-tpm.sh [--devices 2000] [--rounds 3] [--warmup-passes 3] [--concurrency 64] ...
#   bench/run-tpm.sh --help
# JAVA_OPTS sets the options of the bench's JVM (gateway and load generator share it; default -XX:+UseZGC,
# as ./onramp runs the gateway). MVN_OPTS adds Maven options
# (e.g. -o); SKIP_BUILD=1 uses what the last build left in target/. Report: bench/target/tpm-bench.json;
# the gateway's log (one audit line per registration): bench/target/tpm-bench-gateway.log.
# Runs under flock /tmp/onramp-bench.lock, so two benches never measure at the same time (the other waits).
set -eu
cd "$(dirname "$0")/.."
CP_FILE=bench/target/bench.classpath
. bench/lib/prepare.sh
bench_build
bench_private_copy onramp-tpm-bench-run
LOG=bench/target/tpm-bench-gateway.log
echo "gateway log: $LOG" >&2
bench_java ${JAVA_OPTS--XX:+UseZGC} -cp "$CP" io.onramp.bench.tpm.TpmRegistrationBench \
  --work-dir "$RUN_DIR/work" --json bench/target/tpm-bench.json "$@" 2>"$LOG"
