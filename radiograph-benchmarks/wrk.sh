#!/usr/bin/env bash
# Requests per second of hello-world servers (Javalin, Vert.x, Tomcat with radiograph-servlet),
# plain and traced by Radiograph, measured with wrk on loopback in one run. Rounds alternate
# plain / traced at 100% sampling / traced with the default sampling rule, so that drift on a
# shared machine hits all alike. The documents go to a discarding UDP daemon in its own process,
# as the X-Ray daemon runs beside a service. Two more columns, in the same rounds: Radiograph
# exporting OTLP (exporter=otlp) and the OpenTelemetry Java agent (2.24.0, every request sampled),
# both to one discarding OTLP receiver in its own process, as a collector runs beside a service.
#
#   wrk.sh [seconds-per-round] [rounds] [frameworks]     e.g. wrk.sh 10 3 "javalin vertx"
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_ROUND="${1:-10}"
ROUNDS="${2:-3}"
FRAMEWORKS="${3:-javalin vertx tomcat}"
command -v wrk >/dev/null || { echo "wrk.sh: needs wrk (apt-get install wrk)" >&2; exit 1; }
JAR=radiograph-benchmarks/target/benchmarks.jar
[ -f "$JAR" ] || mvn -B -q -DskipTests -P '!java25' package -pl radiograph-benchmarks -am
work="$(mktemp -d)"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT

java -Xmx256m -cp "$JAR" dev.radiograph.benchmarks.DiscardingUdpDaemon > "$work/daemon.port" &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$work/daemon.port" ] && break; sleep 0.1; done
daemon="127.0.0.1:$(sed -n 1p "$work/daemon.port")"
java -Xmx256m -cp "$JAR" dev.radiograph.benchmarks.DiscardingOtlpReceiver > "$work/otlp.port" &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$work/otlp.port" ] && break; sleep 0.1; done
otlp="http://127.0.0.1:$(sed -n 1p "$work/otlp.port")"
AGENT=radiograph-benchmarks/target/opentelemetry-javaagent-2.24.0.jar
[ -f "$AGENT" ] || mvn -B -q dependency:copy -Dartifact=io.opentelemetry.javaagent:opentelemetry-javaagent:2.24.0 \
  -DoutputDirectory="$PWD/radiograph-benchmarks/target" -Dmdep.stripVersion=false -pl radiograph-benchmarks
port=$((20000 + RANDOM % 20000))

measure() { # framework mode -> requests/s
  case "$2" in
    traced-otlp) java -Xmx512m -cp "$JAR" dev.radiograph.benchmarks.HelloServers "$1" traced-otlp "$port" "$otlp/v1/traces" \
        > "$work/server.log" 2>&1 & ;;
    agent) java -Xmx512m -javaagent:"$AGENT" -Dotel.service.name=hello -Dotel.traces.sampler=always_on \
        -Dotel.traces.exporter=otlp -Dotel.exporter.otlp.protocol=http/protobuf -Dotel.exporter.otlp.endpoint="$otlp" \
        -Dotel.metrics.exporter=none -Dotel.logs.exporter=none -Dotel.javaagent.logging=none \
        -cp "$JAR" dev.radiograph.benchmarks.HelloServers "$1" plain "$port" "$daemon" > "$work/server.log" 2>&1 & ;;
    *) java -Xmx512m -cp "$JAR" dev.radiograph.benchmarks.HelloServers "$1" "$2" "$port" "$daemon" > "$work/server.log" 2>&1 & ;;
  esac
  local pid=$!
  for _ in $(seq 1 300); do grep -q ready "$work/server.log" 2>/dev/null && break; sleep 0.1; done
  wrk -t1 -c16 -d3s "http://127.0.0.1:$port/hello" > /dev/null   # warm-up (JIT)
  local rps
  rps=$(wrk -t1 -c16 -d"${SECONDS_PER_ROUND}s" "http://127.0.0.1:$port/hello" | awk '/Requests\/sec/ {print $2}')
  kill "$pid"; wait "$pid" 2>/dev/null || true
  port=$((port + 1))
  echo "${rps:-0}"
}

printf '| server | plain req/s | traced, 100%% sampling | ratio | traced, default sampling | ratio | traced, OTLP | ratio | OpenTelemetry agent, OTLP | ratio |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for framework in $FRAMEWORKS; do
  plain=0; traced=0; default=0; traced_otlp=0; agent=0
  for _ in $(seq 1 "$ROUNDS"); do
    plain=$(echo "$plain + $(measure "$framework" plain)" | bc)
    traced=$(echo "$traced + $(measure "$framework" traced)" | bc)
    default=$(echo "$default + $(measure "$framework" default-sampling)" | bc)
    traced_otlp=$(echo "$traced_otlp + $(measure "$framework" traced-otlp)" | bc)
    agent=$(echo "$agent + $(measure "$framework" agent)" | bc)
  done
  printf '| %s hello world | %.0f | %.0f | %.3f | %.0f | %.3f | %.0f | %.3f | %.0f | %.3f |\n' "$framework" \
    "$(echo "$plain / $ROUNDS" | bc -l)" \
    "$(echo "$traced / $ROUNDS" | bc -l)" "$(echo "$traced / $plain" | bc -l)" \
    "$(echo "$default / $ROUNDS" | bc -l)" "$(echo "$default / $plain" | bc -l)" \
    "$(echo "$traced_otlp / $ROUNDS" | bc -l)" "$(echo "$traced_otlp / $plain" | bc -l)" \
    "$(echo "$agent / $ROUNDS" | bc -l)" "$(echo "$agent / $plain" | bc -l)"
done
