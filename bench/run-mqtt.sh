#!/bin/sh
# Onramp's MQTT hub beside Mosquitto (Debian's package, installed here if missing), same load
# client, same machine, alternating rounds, medians. Both brokers run as their own processes.
#   bench/run-mqtt.sh [--rounds 3] [--seconds 10] [--publishers 8] [--window 100] [--lanes 16] [--idle 15000]
#                     [--onramp-jvm "-Xmx2g"]
# MVN_OPTS adds Maven options (e.g. -o). Takes about 6 minutes with the defaults.
set -eu
cd "$(dirname "$0")/.."
if ! command -v mosquitto >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq mosquitto >/dev/null
fi
# 15,000 idle connections need as many descriptors in the client and in each broker.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "open files limit: $(ulimit -n)" >&2
CP_FILE=bench/target/bench.classpath
mvn -B -q ${MVN_OPTS:-} -pl bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$PWD/$CP_FILE" -Dmdep.includeScope=runtime
mvn -B -q ${MVN_OPTS:-} -pl gateway package -DskipTests
CP="bench/target/classes:$(cat "$CP_FILE")"
exec java ${JAVA_OPTS:-} -cp "$CP" io.onramp.bench.mqtt.MqttBench "$@"
