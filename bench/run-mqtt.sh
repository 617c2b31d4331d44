#!/bin/sh
# Onramp's MQTT hub beside Mosquitto (Debian's package, installed here if missing): both as their own
# processes, the same load client, the same machine, alternating rounds, medians. About 8 minutes.
#   bench/run-mqtt.sh [--rounds 3] [--seconds 10] [--publishers 8] [--lanes 16] [--idle 15000] ...
#   bench/run-mqtt.sh --help
# JAVA_OPTS adds options to the bench's JVM (the load client); --onramp-jvm "..." to Onramp's.
# MVN_OPTS adds Maven options (e.g. -o); SKIP_BUILD=1 uses what the last build left in target/.
# Onramp's log goes to bench/target/mqtt-bench-onramp.log, the JSON report to bench/target/mqtt-bench.json.
set -eu
cd "$(dirname "$0")/.."
if ! command -v mosquitto >/dev/null 2>&1; then
  echo "installing mosquitto (Debian package)" >&2
  apt-get update -qq && apt-get install -y -qq mosquitto >/dev/null
fi
# The broker is started by the bench with its own config; the packaged service is not needed.
# 15,000 idle connections need as many descriptors in the client and in each broker.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 16384 ]; then
  echo "warning: open files limit $(ulimit -n): too low for 15,000 idle connections (try --idle 5000)" >&2
fi
CP_FILE=bench/target/bench.classpath
. bench/lib/prepare.sh
bench_build
bench_private_copy onramp-mqtt-bench-run
# Stopped (Ctrl-C, timeout), the bench stops its brokers itself; the copy goes once it has.
java ${JAVA_OPTS:-} -cp "$CP" io.onramp.bench.mqtt.MqttBench --jar "$RUN_DIR/onramp-gateway-all.jar" "$@" &
BENCH_PID=$!
trap 'kill "$BENCH_PID" 2>/dev/null' INT TERM
STATUS=0
wait "$BENCH_PID" || STATUS=$?
if kill -0 "$BENCH_PID" 2>/dev/null; then
  wait "$BENCH_PID" || STATUS=$?
fi
rm -rf "$RUN_DIR"
exit "$STATUS"
