#!/bin/sh
# Onramp with a million individual enrollments: import rate (the CLI's CSV import), the gateway's memory,
# query page times early vs late, registration rate at 1M vs 1k enrollments. Takes a while at 1M.
#   bench/run-enrollments.sh [--enrollments 1000000] [--small 1000] [--sample 1000] ...
#   bench/run-enrollments.sh --help
# --gateway-jvm "..." adds options to the gateway's JVM; JAVA_OPTS to the bench's (the devices and the pager).
# MVN_OPTS adds Maven options (e.g. -o); SKIP_BUILD=1 uses what the last build left in target/.
# Logs: bench/target/enrollment-scale-gateway.log, bench/target/enrollment-scale-import.log;
# the JSON report: bench/target/enrollment-scale.json. Runs under flock /tmp/onramp-bench.lock, so two
# benches never measure at the same time (the other waits).
set -eu
cd "$(dirname "$0")/.."
CP_FILE=bench/target/bench.classpath
. bench/lib/prepare.sh
bench_build
bench_private_copy onramp-enrollment-bench-run
bench_java ${JAVA_OPTS:-} -cp "$CP" io.onramp.bench.enrollments.EnrollmentScaleBench \
  --jar "$RUN_DIR/onramp-gateway-all.jar" --work-dir "$RUN_DIR/work" "$@"
