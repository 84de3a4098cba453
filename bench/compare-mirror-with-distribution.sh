#!/usr/bin/env bash
# mirror-service next to CNCF Distribution as a pull-through cache (Debian's docker-registry with
# `proxy: remoteurl`), on this machine: both in front of one upstream Distribution, same client (skopeo),
# same generated images, each proxy with a fresh data dir, all on 127.0.0.1 and free ports. Measures
# cold and warm pulls, one cold blob GET, warm manifest and blob GETs under load (wrk), and concurrent
# cold pulls of one image (wall time, and how often the upstream was asked for each blob, from its
# access log). The proxies are measured one after the other, never at once. About 3 minutes.
#
#   bench/compare-mirror-with-distribution.sh            # 4 layers of 16 MiB, 10 s of wrk, 10 pullers
#   LAYERS=2 LAYER_BYTES=1048576 LOAD_SECONDS=5 CONNECTIONS=32 PULLERS=4 bench/compare-mirror-with-distribution.sh
#   SKIP_BUILD=true LOG_DIR=/tmp/bench-logs bench/compare-mirror-with-distribution.sh   # reuse the jars, keep logs
#
# Needs skopeo, docker-registry, wrk and jq (Debian packages; installed here when missing and run as root).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

LAYERS=${LAYERS:-4}
LAYER_BYTES=${LAYER_BYTES:-16777216}
LOAD_SECONDS=${LOAD_SECONDS:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-3}
CONNECTIONS=${CONNECTIONS:-16}
WARM_ROUNDS=${WARM_ROUNDS:-5}
PULLERS=${PULLERS:-10}
MIRROR_JAVA_OPTS=${MIRROR_JAVA_OPTS:-}
SKIP_BUILD=${SKIP_BUILD:-false}
LOG_DIR=${LOG_DIR:-}  # set to keep the three servers' logs

source bench/lib.sh
bench_require skopeo docker-registry wrk jq bc curl
bench_init
pullers=()  # concurrent skopeo pulls in progress
cleanup() {
  for pid in "${pullers[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pullers[@]}"; do wait "$pid" 2>/dev/null || true; done
  bench_cleanup
}
trap cleanup EXIT

bench_build mirror-service
# warmup: an image like the measured one, pulled untimed through each proxy so that "cold" means a cold
# cache, not a cold process (our JVM loads and compiles its pull path on the first large pull).
generate "$work/img-warmup" 1 "$LAYERS" "$LAYER_BYTES" bench
generate "$work/img-cold" 2 "$LAYERS" "$LAYER_BYTES" bench
generate "$work/img-fanout" 3 "$LAYERS" "$LAYER_BYTES" bench
generate "$work/img-blob" 4 1 "$LAYER_BYTES" bench  # one more uncached layer, for a lone cold blob GET

up_port=$(free_port)
DISTRIBUTION_ACCESS_LOG=true start_distribution upstream "$up_port"
dist_port=$(free_port)
# Distribution as a proxy gives up at start when its remote does not answer: the upstream is up by now.
start_distribution distribution-proxy "$dist_port" "http://127.0.0.1:$up_port"
dist_pid=$BENCH_PID

mirror_port=$(free_port)
# shellcheck disable=SC2086
MIRROR_UPSTREAMS="upstream.bench=http://127.0.0.1:$up_port" MIRROR_DEFAULT_UPSTREAM=upstream.bench \
  MESH_AUTH_ENABLED=false MESH_DATA_DIR="$work/mirror-data" QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_MANAGEMENT_HOST=127.0.0.1 QUARKUS_MANAGEMENT_PORT=0 QUARKUS_HTTP_PORT=$mirror_port \
  java $MIRROR_JAVA_OPTS -jar mirror-service/target/quarkus-app/quarkus-run.jar >"$work/mirror.log" 2>&1 &
BENCH_PIDS+=($!)
await "$!:$mirror_port"

# Each proxy pulls its own upstream repositories, so the upstream's access log tells them apart.
targets=(mirror-service distribution-proxy)
declare -A PORT=([mirror-service]=$mirror_port [distribution-proxy]=$dist_port)
declare -A SHORT=([mirror-service]=m [distribution-proxy]=d)
for t in "${targets[@]}"; do
  for image in warmup cold fanout blob; do
    skopeo copy -q --dest-tls-verify=false "oci:$work/img-$image:bench" \
      "docker://127.0.0.1:$up_port/bench/$image-${SHORT[$t]}:bench" >/dev/null
  done
done

# Upstream requests so far for a method (empty: any) and path prefix, from the access log.
upstream_count() { grep -cE "\"${1:-[A-Z]+} /v2/$2" "$work/upstream.log" || true; }
declare -A R
small=$(layout_blob "$work/img-cold" '.config.digest')
big=$(layout_blob "$work/img-cold" '.layers[0].digest')
manifest=$(layout_manifest "$work/img-cold")
for t in "${targets[@]}"; do
  s=${SHORT[$t]}; base="127.0.0.1:${PORT[$t]}"
  echo "measuring $t..." >&2
  pull "$base/bench/warmup-$s" "$work/pulled"
  R[$t,cold]="$(seconds pull "$base/bench/cold-$s" "$work/pulled") s"
  before=$(upstream_count "" "bench/cold-$s/")
  R[$t,warm]="$(for _ in $(seq "$WARM_ROUNDS"); do seconds pull "$base/bench/cold-$s" "$work/pulled"; done | median) s"
  R[$t,warm_upstream]=$(($(upstream_count "" "bench/cold-$s/") - before))
  R[$t,blob_cold]=$(curl -fsS -o /dev/null -w '%{time_starttransfer} %{time_total}' \
    "http://$base/v2/bench/blob-$s/blobs/$(layout_blob "$work/img-blob" '.layers[0].digest')" |
    awk '{printf "%.0f ms first byte, %.0f ms all\n", $1 * 1000, $2 * 1000}')
  R[$t,manifest_tag]=$(load "http://$base/v2/bench/cold-$s/manifests/bench")
  R[$t,manifest_digest]=$(load "http://$base/v2/bench/cold-$s/manifests/$manifest")
  R[$t,blob_small]=$(load "http://$base/v2/bench/cold-$s/blobs/$small")
  R[$t,blob_big]=$(load "http://$base/v2/bench/cold-$s/blobs/$big")

  start=$EPOCHREALTIME; failed=0; pullers=()
  for i in $(seq "$PULLERS"); do
    skopeo copy -q --src-tls-verify=false "docker://$base/bench/fanout-$s:bench" "oci:$work/fanout-$i:bench" \
      >/dev/null 2>"$work/fanout-$i.err" &
    pullers+=($!)
  done
  for pid in "${pullers[@]}"; do wait "$pid" || failed=$((failed + 1)); done
  R[$t,fanout]="$(since "$start") s"
  if ((failed)); then R[$t,fanout]+=" ($failed failed)"; cat "$work"/fanout-*.err >&2; fi
  pullers=(); rm -rf "$work"/fanout-*
  R[$t,fanout_gets]=$(for d in $(layout_blob "$work/img-fanout" '.config.digest, .layers[].digest'); do
    upstream_count GET "bench/fanout-$s/blobs/$d "; done | sort -n | awk '
      {v[NR] = $1; sum += $1} END {print v[1] == v[NR] ? v[1] " each" : v[1] "-" v[NR] " (" sum " in all)"}')
  R[$t,fanout_manifests]=$(upstream_count "" "bench/fanout-$s/manifests/")
done

row() { printf '%-40s | %-30s | %-30s\n' "$1" "${R[mirror-service,$2]}" "${R[distribution-proxy,$2]}"; }
echo
printf '%-40s | %-30s | %-30s\n' operation mirror-service distribution-proxy
printf -- '-%.0s' $(seq 106); echo
row "cold pull ($LAYERS x $LAYER_BYTES B)" cold
row "warm pull (median of $WARM_ROUNDS)" warm
row "  upstream requests during warm pull" warm_upstream
row "cold blob GET, $LAYER_BYTES B (curl)" blob_cold
row "warm manifest GET by tag" manifest_tag
row "warm manifest GET by digest" manifest_digest
row "warm blob GET, small (config)" blob_small
row "warm blob GET, $LAYER_BYTES B" blob_big
row "$PULLERS concurrent cold pulls (wall)" fanout
row "  upstream GETs per blob" fanout_gets
row "  upstream manifest requests" fanout_manifests
echo "(wrk: ${LOAD_SECONDS}s, $CONNECTIONS connections, 2 threads, after ${WARMUP_SECONDS}s untimed; $(nproc) cores)"
