#!/usr/bin/env bash
# What registry notifications cost under load: manifest GETs by tag (each one a pull event) from many
# concurrent clients against one packaged registry-service, with notifications off, then on (to a small
# sink that counts the events it receives). Prints req/s and p99 of each run, and for the run with
# notifications the events written, delivered and dropped, and the events per fsync. Also the registry's CPU time
# per 1,000 requests (user + system, from /proc): on a shared or noisy machine throughput swings with the
# neighbours, CPU per request much less, so the difference between the two runs is the notifications' own cost.
#
#   bench/notifications-cost.sh                     # 200 connections, 20 s each, after 5 s untimed
#   CONNECTIONS=100 LOAD_SECONDS=30 bench/notifications-cost.sh
#
# Needs wrk, curl, python3 and a packaged registry-service
# (./mvnw -B -pl registry-service -am package -DskipTests).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CONNECTIONS=${CONNECTIONS:-200}
LOAD_SECONDS=${LOAD_SECONDS:-20}
WARMUP_SECONDS=${WARMUP_SECONDS:-5}
PORT=${PORT:-5920}
SINK_PORT=${SINK_PORT:-5921}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-5922}   # the registry's management port: /q/metrics
JAR=registry-service/target/quarkus-app/quarkus-run.jar
MANIFEST_TYPE=application/vnd.oci.image.manifest.v1+json

for tool in wrk curl python3 java; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
[[ -f $JAR ]] || { echo "missing $JAR: ./mvnw -B -pl registry-service -am package -DskipTests" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The sink: answers 202 and counts events (one "action" member each).
cat >"$work/sink.py" <<'PY'
import http.server, sys, threading
count = 0
lock = threading.Lock()
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global count
        body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
        with lock:
            count += body.count(b'"action":')
        self.send_response(202); self.send_header('Content-Length', '0'); self.end_headers()
    def do_GET(self):
        data = str(count).encode()
        self.send_response(200); self.send_header('Content-Length', str(len(data))); self.end_headers(); self.wfile.write(data)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
PY
python3 "$work/sink.py" "$SINK_PORT" &
pids+=($!)

# CPU seconds (user + system) a process has used so far.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }

metric() { curl -fs "http://127.0.0.1:$MANAGEMENT_PORT/q/metrics" | awk -v m="$1" '$1 == m { print $2 }'; }

run() {
  local notifications=$1 data="$work/data-$1"
  MESH_DATA_DIR="$data" MESH_AUTH_ENABLED=false QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$PORT \
    QUARKUS_MANAGEMENT_HOST=127.0.0.1 QUARKUS_MANAGEMENT_PORT=$MANAGEMENT_PORT \
    MESH_NOTIFICATIONS_ENABLED=$notifications MESH_NOTIFICATIONS_URL="http://127.0.0.1:$SINK_PORT/events" \
    java ${BENCH_JAVA_OPTS:-} -jar "$JAR" >"$work/registry-$1.log" 2>&1 &
  local pid=$!
  pids+=($pid)
  for _ in $(seq 60); do curl -fs "http://127.0.0.1:$PORT/v2/" >/dev/null && break; sleep 1; done
  # One small image: a config blob and a manifest tagged v1.
  local config='{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'
  local digest="sha256:$(printf '%s' "$config" | sha256sum | cut -d' ' -f1)"
  curl -fs -X POST -H 'Content-Type: application/octet-stream' --data-binary "$config" \
    "http://127.0.0.1:$PORT/v2/bench/app/blobs/uploads/?digest=$digest" >/dev/null
  local manifest="{\"schemaVersion\":2,\"mediaType\":\"$MANIFEST_TYPE\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"$digest\",\"size\":${#config}},\"layers\":[]}"
  curl -fs -X PUT -H "Content-Type: $MANIFEST_TYPE" --data-binary "$manifest" \
    "http://127.0.0.1:$PORT/v2/bench/app/manifests/v1" >/dev/null
  local url="http://127.0.0.1:$PORT/v2/bench/app/manifests/v1"
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP_SECONDS}s" --timeout 10s -H "Accept: $MANIFEST_TYPE" "$url" >/dev/null
  local out cpu_before cpu_after
  cpu_before=$(cpu_seconds "$pid")
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${LOAD_SECONDS}s" --timeout 10s --latency -H "Accept: $MANIFEST_TYPE" "$url")
  cpu_after=$(cpu_seconds "$pid")
  local rps p99 requests
  rps=$(awk '/Requests\/sec/ { printf "%d", $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  requests=$(awk '/requests in/ { print $1 }' <<<"$out")
  printf '%-15s %10s req/s   p99 %-9s %6.1f ms CPU per 1,000 requests\n' "notifications $notifications" "$rps" "$p99" \
    "$(echo "($cpu_after - $cpu_before) * 1000000 / $requests" | bc -l)"
  if [[ $notifications == true ]]; then
    for _ in $(seq 60); do [[ $(metric registry_events_queue_events) == 0.0 ]] && break; sleep 1; done
    local written delivered groups fsyncs
    written=$(metric registry_events_written_total)
    delivered=$(metric registry_events_delivered_total)
    groups=$(metric registry_events_commit_group_sum)
    fsyncs=$(metric registry_events_commit_group_count)
    printf '                written %.0f, delivered %.0f, sink received %s, dropped %.0f, %.0f fsyncs (%.0f events each)\n' \
      "$written" "$delivered" "$(curl -fs "http://127.0.0.1:$SINK_PORT/")" \
      "$(curl -fs "http://127.0.0.1:$MANAGEMENT_PORT/q/metrics" | awk '/^registry_events_dropped_total/ { s += $2 } END { print s + 0 }')" \
      "$fsyncs" "$(echo "$groups / $fsyncs" | bc -l)"
  fi
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

echo "($CONNECTIONS connections, ${LOAD_SECONDS}s, after ${WARMUP_SECONDS}s untimed; $(nproc) cores)"
[[ ${ONLY_ON:-} == 1 ]] || run false
run true
