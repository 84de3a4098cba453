#!/usr/bin/env bash
# Push and pull speed of registry-service on its storage drivers, on this machine, with one client (skopeo)
# and the same generated images: the filesystem driver (one node), the s3 driver on S3Proxy (one node, and
# three nodes behind haproxy, round robin), and CNCF Distribution (Debian's docker-registry) on its filesystem
# driver as the reference. (Distribution's own s3 driver cannot be the peer: it fails against S3Proxy's
# filesystem backend.) Every figure is the median of ROUNDS rounds, each with a fresh image (new layers).
#
#   bench/compare-storage-drivers.sh                     # 4 layers of 16 MiB, 3 rounds
#   LAYERS=8 LAYER_BYTES=8388608 ROUNDS=5 bench/compare-storage-drivers.sh
#
# Needs skopeo, docker-registry, haproxy and java (apt-get install skopeo docker-registry haproxy); builds the
# registry (./mvnw package) when its jar is missing, and takes S3Proxy from the build or Maven Central.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

LAYERS=${LAYERS:-4}
LAYER_BYTES=${LAYER_BYTES:-16777216}
ROUNDS=${ROUNDS:-3}
BASE_PORT=${BASE_PORT:-5920}
S3PROXY_VERSION=2.6.0

for tool in skopeo docker-registry haproxy java curl bc; do
  command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] || { echo "missing: $tool (apt-get install skopeo docker-registry haproxy curl bc)" >&2; exit 1; }
done
HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if [[ ! -f registry-service/target/quarkus-app/quarkus-run.jar || ! -d testkit/target/classes ]]; then
  echo "building registry-service and testkit..."
  ./mvnw -q -B -DskipTests -pl registry-service,testkit -am package
fi
./mvnw -q -B -o -pl common,testkit dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=runtime \
  || ./mvnw -q -B -pl common,testkit dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=runtime
S3PROXY_JAR=registry-service/target/s3proxy/s3proxy.jar
if [[ ! -f "$S3PROXY_JAR" ]]; then
  ./mvnw -q -B dependency:copy -Dartifact="org.gaul:s3proxy:$S3PROXY_VERSION:jar:jar-with-dependencies" -DoutputDirectory="$work"
  S3PROXY_JAR="$work/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar"
fi

# A fresh image for every round and configuration; image 0 warms each server up untimed.
configs=(registry-fs registry-s3-1node registry-s3-3nodes cncf-distribution-fs)
for c in "${!configs[@]}"; do
  for round in $(seq 0 "$ROUNDS"); do
    java -cp "testkit/target/classes:common/target/classes:$(cat "$work/cp.txt")" dev.registrymesh.testkit.GenerateImage \
      "$work/image-$c-$round" "$((c * 100 + round))" "$LAYERS" "$LAYER_BYTES" bench >/dev/null
  done
done

port() { echo $((BASE_PORT + $1)); }
S3_PORT=$(port 0); FS_PORT=$(port 1); S3_NODE_PORT=$(port 2); LB_PORT=$(port 5); PEER_PORT=$(port 6)

# S3Proxy on the filesystem (bucket "bench").
mkdir -p "$work/s3/bench"
cat >"$work/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench
s3proxy.credential=bench-secret
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$work/s3
jclouds.identity=bench
jclouds.credential=bench-secret
PROPS
env -u AWS_CA_BUNDLE java -Xmx512m -jar "$S3PROXY_JAR" --properties "$work/s3proxy.properties" >"$work/s3proxy.log" 2>&1 &
pids+=($!)

registry() { # port data-dir [env...]
  local port=$1 data=$2
  shift 2
  env MESH_DATA_DIR="$data" MESH_AUTH_ENABLED=false MESH_NOTIFICATIONS_ENABLED=false QUARKUS_HTTP_HOST=127.0.0.1 \
    QUARKUS_MANAGEMENT_HOST=127.0.0.1 QUARKUS_MANAGEMENT_PORT=0 QUARKUS_HTTP_PORT="$port" "$@" java -jar registry-service/target/quarkus-app/quarkus-run.jar >"$data.log" 2>&1 &
  pids+=($!)
}
S3_ENV=(MESH_STORAGE_DRIVER=s3 MESH_S3_ENDPOINT="http://127.0.0.1:$S3_PORT" MESH_S3_REGION=us-east-1 MESH_S3_BUCKET=bench
  MESH_S3_PATH_STYLE=true AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret)
for _ in $(seq 60); do curl -s -o /dev/null "http://127.0.0.1:$S3_PORT" && break; sleep 1; done
registry "$FS_PORT" "$work/fs"
for i in 0 1 2; do registry "$((S3_NODE_PORT + i))" "$work/s3node$i" "${S3_ENV[@]}"; done
cat >"$work/haproxy.cfg" <<CFG
global
  maxconn 2000
defaults
  mode http
  timeout connect 2s
  timeout client 10m
  timeout server 10m
frontend registry
  bind 127.0.0.1:$LB_PORT
  default_backend nodes
backend nodes
  balance roundrobin
  # a connection check: readiness answers on each node's management port, not here
  server n1 127.0.0.1:$S3_NODE_PORT check inter 1s
  server n2 127.0.0.1:$((S3_NODE_PORT + 1)) check inter 1s
  server n3 127.0.0.1:$((S3_NODE_PORT + 2)) check inter 1s
CFG
"$HAPROXY" -db -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 &
pids+=($!)
cat >"$work/distribution.yml" <<YML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $work/distribution-data}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$PEER_PORT}
YML
docker-registry serve "$work/distribution.yml" >"$work/distribution.log" 2>&1 &
pids+=($!)
for p in "$FS_PORT" "$S3_NODE_PORT" "$((S3_NODE_PORT + 1))" "$((S3_NODE_PORT + 2))" "$LB_PORT" "$PEER_PORT"; do
  for _ in $(seq 90); do curl -fs "http://127.0.0.1:$p/v2/" >/dev/null && break; sleep 1; done
  curl -fs "http://127.0.0.1:$p/v2/" >/dev/null || { echo "nothing answers on port $p; logs in $work" >&2; exit 1; }
done
sleep 2 # haproxy: every node marked up

seconds() { local start=$EPOCHREALTIME; "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; echo "$EPOCHREALTIME - $start" | bc; }
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
mib=$(echo "$LAYERS * $LAYER_BYTES / 1048576" | bc)

printf '%-24s %10s %10s %12s %12s\n' "registry (storage)" "push (s)" "pull (s)" "push MiB/s" "pull MiB/s"
ports=("$FS_PORT" "$S3_NODE_PORT" "$LB_PORT" "$PEER_PORT")
for c in "${!configs[@]}"; do
  p=${ports[$c]}
  skopeo copy --dest-tls-verify=false "oci:$work/image-$c-0:bench" "docker://127.0.0.1:$p/bench/warmup:bench" >/dev/null 2>&1
  skopeo copy --src-tls-verify=false "docker://127.0.0.1:$p/bench/warmup:bench" "oci:$work/warm-$c:bench" >/dev/null 2>&1
  pushes=(); pulls=()
  for round in $(seq "$ROUNDS"); do
    ref="docker://127.0.0.1:$p/bench/round$round:bench"
    pushes+=("$(seconds skopeo copy --dest-tls-verify=false "oci:$work/image-$c-$round:bench" "$ref")")
    rm -rf "$work/pulled"
    pulls+=("$(seconds skopeo copy --src-tls-verify=false "$ref" "oci:$work/pulled:bench")")
  done
  push=$(median "${pushes[@]}"); pull=$(median "${pulls[@]}")
  printf '%-24s %10.2f %10.2f %12.1f %12.1f\n' "${configs[$c]}" "$push" "$pull" "$(echo "$mib / $push" | bc -l)" "$(echo "$mib / $pull" | bc -l)"
done
echo "(image: $LAYERS layers of $LAYER_BYTES bytes; medians of $ROUNDS rounds; skopeo, plain HTTP on loopback, auth off)"
