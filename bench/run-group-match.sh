#!/bin/sh
# What finding a device's symmetric-key enrollment group costs with many groups
# (io.onramp.bench.enrollments.GroupMatchCost): the gateway's attestor against the real enrollment store, one
# thread, no HTTP; microseconds per attestation for devices in batches of one group, devices each of another group
# than the last, and tokens of no group (refused, after trying every group).
#   bench/run-group-match.sh [GROUP_COUNTS, default 1,10,100] [ATTESTATIONS, default 20000]
# JAVA_OPTS sets the JVM options (default -XX:+UseZGC). MVN_OPTS adds Maven options (e.g. -o); SKIP_BUILD=1 uses
# what the last build left in target/. Runs under flock /tmp/onramp-bench.lock, like the other benches.
set -eu
cd "$(dirname "$0")/.."
CP_FILE=bench/target/bench.classpath
. bench/lib/prepare.sh
bench_build
bench_private_copy onramp-group-match-run
bench_java ${JAVA_OPTS--XX:+UseZGC} -cp "$CP" io.onramp.bench.enrollments.GroupMatchCost "$@"
