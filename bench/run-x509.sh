#!/bin/sh
# X.509 registrations per second with a fresh mutual-TLS handshake per device, beside openssl
# s_server's bare handshakes: the real gateway on BoringSSL and on the JDK engine (in the bench's
# JVM), s_server processes, one load client, alternating rounds, medians. 5 to 10 minutes.
#   bench/run-x509.sh [--devices 6000] [--rounds 3] [--concurrency 32] [--targets gateway-openssl,openssl-s_server]
#   bench/run-x509.sh --help
# JAVA_OPTS sets the JVM options (default -XX:+UseZGC, as ./onramp runs the gateway); MVN_OPTS Maven options (e.g. -o); SKIP_BUILD=1 uses the last build.
# The gateways' log goes to bench/target/x509-bench-gateway.log, the JSON report to bench/target/x509-bench.json.
# Measurements hold /tmp/onramp-bench.lock (flock), so two benches on this machine never overlap.
set -eu
cd "$(dirname "$0")/.."
command -v openssl >/dev/null 2>&1 || { echo "openssl (the command) is needed for the s_server reference" >&2; exit 1; }
CP_FILE=bench/target/x509-bench.classpath
. bench/lib/prepare.sh
bench_build
bench_private_copy onramp-x509-bench-run
trap 'rm -rf "$RUN_DIR"' EXIT
trap 'exit 143' INT TERM
LOG=bench/target/x509-bench-gateway.log
echo "gateway log: $LOG (waiting for /tmp/onramp-bench.lock if another bench holds it)" >&2
# Stopped (Ctrl-C, timeout), the bench stops its s_server processes itself; the copy goes once it has
# (or at once, when stopped while still waiting for the lock).
exec 9>/tmp/onramp-bench.lock
flock 9
java --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED \
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED \
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED ${JAVA_OPTS--XX:+UseZGC} -cp "$CP" io.onramp.bench.x509.X509Bench "$@" 2>"$LOG" &
BENCH_PID=$!
trap 'kill "$BENCH_PID" 2>/dev/null' INT TERM
STATUS=0
wait "$BENCH_PID" || STATUS=$?
if kill -0 "$BENCH_PID" 2>/dev/null; then
  wait "$BENCH_PID" || STATUS=$?
fi
exit "$STATUS"
