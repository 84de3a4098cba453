#!/usr/bin/env bash
# Push, pull and manifest-HEAD speed of registry-service next to CNCF Distribution (Debian's
# docker-registry), on this machine, with the same client (skopeo) and the same generated image.
#
#   bench/compare-with-distribution.sh            # 8 layers of 16 MiB, 3 rounds, 10 s of HEADs
#   LAYERS=4 LAYER_BYTES=1048576 ROUNDS=5 bench/compare-with-distribution.sh
#   SKIP_BUILD=true bench/compare-with-distribution.sh   # reuse the packaged jars
#
# Needs skopeo, docker-registry and hey (apt-get install skopeo docker-registry hey).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

LAYERS=${LAYERS:-8}
LAYER_BYTES=${LAYER_BYTES:-16777216}
ROUNDS=${ROUNDS:-3}
HEAD_SECONDS=${HEAD_SECONDS:-10}
SKIP_BUILD=${SKIP_BUILD:-false}

source bench/lib.sh
bench_require skopeo docker-registry hey bc curl
bench_build registry-service
bench_init
# A fresh image (new layers) for every round, so no round reuses blobs by a cross-repository mount;
# image 0 warms both servers up untimed (our JVM compiles its hot paths on the first push).
for round in $(seq 0 "$ROUNDS"); do
  generate "$work/image$round" "$round" "$LAYERS" "$LAYER_BYTES" bench
done

OURS_PORT=${OURS_PORT:-$(free_port)}
PEER_PORT=${PEER_PORT:-$(free_port)}
start_distribution distribution "$PEER_PORT"
bench_spawn ours env MESH_DATA_DIR="$work/ours-data" MESH_AUTH_ENABLED=false QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_MANAGEMENT_HOST=127.0.0.1 QUARKUS_MANAGEMENT_PORT=0 \
  QUARKUS_HTTP_PORT="$OURS_PORT" java -jar registry-service/target/quarkus-app/quarkus-run.jar
await "$BENCH_PID:$OURS_PORT"

seconds() { local start=$EPOCHREALTIME; "$@" >/dev/null 2>&1; echo "$EPOCHREALTIME - $start" | bc; }

printf '%-22s %12s %12s %14s\n' registry "push (s)" "pull (s)" "HEAD req/s"
for entry in "registry-service:$OURS_PORT" "cncf-distribution:$PEER_PORT"; do
  name=${entry%%:*}; port=${entry##*:}
  push=0; pull=0
  skopeo copy --dest-tls-verify=false "oci:$work/image0:bench" "docker://127.0.0.1:$port/bench/warmup:bench" >/dev/null 2>&1
  skopeo copy --src-tls-verify=false "docker://127.0.0.1:$port/bench/warmup:bench" "oci:$work/warm:bench" >/dev/null 2>&1
  for round in $(seq "$ROUNDS"); do
    ref="docker://127.0.0.1:$port/bench/round$round:bench"
    push=$(echo "$push + $(seconds skopeo copy --dest-tls-verify=false "oci:$work/image$round:bench" "$ref")" | bc)
    rm -rf "$work/pulled"
    pull=$(echo "$pull + $(seconds skopeo copy --src-tls-verify=false "$ref" "oci:$work/pulled:bench")" | bc)
  done
  rate=$(hey -z "${HEAD_SECONDS}s" -c 32 -m HEAD -H "Accept: application/vnd.oci.image.manifest.v1+json" \
    "http://127.0.0.1:$port/v2/bench/round1/manifests/bench" | awk '/Requests\/sec/ {print $2}')
  printf '%-22s %12.2f %12.2f %14.0f\n' "$name" "$(echo "$push / $ROUNDS" | bc -l)" "$(echo "$pull / $ROUNDS" | bc -l)" "$rate"
done
echo "(image: $LAYERS layers of $LAYER_BYTES bytes; push and pull are means over $ROUNDS rounds)"
