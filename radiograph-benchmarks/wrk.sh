#!/usr/bin/env bash
# Requests per second of hello-world Javalin and Vert.x servers, plain and traced by Radiograph
# (100% sampling), measured with wrk on loopback in one run, alternating plain/traced rounds so
# that drift on a shared machine hits both alike. Usage: wrk.sh [seconds-per-round] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_ROUND="${1:-10}"
ROUNDS="${2:-3}"
command -v wrk >/dev/null || { echo "wrk.sh: needs wrk (apt-get install wrk)" >&2; exit 1; }
JAR=radiograph-benchmarks/target/benchmarks.jar
[ -f "$JAR" ] || mvn -B -q -DskipTests -P '!java25' package -pl radiograph-benchmarks -am
port=$((20000 + RANDOM % 20000))

measure() { # framework mode -> requests/s
  java -Xmx512m -cp "$JAR" dev.radiograph.benchmarks.HelloServers "$1" "$2" "$port" > /tmp/hello-$$.log 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do grep -q ready /tmp/hello-$$.log 2>/dev/null && break; sleep 0.1; done
  wrk -t1 -c16 -d2s "http://127.0.0.1:$port/hello" > /dev/null   # warm-up
  local rps
  rps=$(wrk -t1 -c16 -d"${SECONDS_PER_ROUND}s" "http://127.0.0.1:$port/hello" | awk '/Requests\/sec/ {print $2}')
  kill "$pid"; wait "$pid" 2>/dev/null || true
  port=$((port + 1))
  echo "$rps"
}

printf '| server | plain req/s | traced req/s | traced / plain |\n|---|---:|---:|---:|\n'
for framework in javalin vertx; do
  plain=0; traced=0
  for _ in $(seq 1 "$ROUNDS"); do
    plain=$(echo "$plain + $(measure "$framework" plain)" | bc)
    traced=$(echo "$traced + $(measure "$framework" traced)" | bc)
  done
  printf '| %s hello world | %.0f | %.0f | %.3f |\n' "$framework" \
    "$(echo "$plain / $ROUNDS" | bc -l)" "$(echo "$traced / $ROUNDS" | bc -l)" "$(echo "$traced / $plain" | bc -l)"
done
