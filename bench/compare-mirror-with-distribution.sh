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

declare -A PACKAGE=([skopeo]=skopeo [docker-registry]=docker-registry [wrk]=wrk [jq]=jq [bc]=bc [curl]=curl)
missing=()
for tool in "${!PACKAGE[@]}"; do command -v "$tool" >/dev/null || missing+=("${PACKAGE[$tool]}"); done
if ((${#missing[@]})); then
  if [[ $(id -u) == 0 ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null
  else
    echo "missing: ${missing[*]} (apt-get install ${missing[*]})" >&2; exit 1
  fi
fi
command -v java >/dev/null || { echo "missing: java" >&2; exit 1; }

work=$(mktemp -d)
pids=()     # servers
pullers=()  # concurrent skopeo pulls in progress
cleanup() {
  if [[ -n $LOG_DIR ]]; then mkdir -p "$LOG_DIR" && cp "$work"/*.log "$LOG_DIR"/ || true; fi
  for pid in "${pullers[@]}" "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pullers[@]}" "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A port below the kernel's ephemeral range (where outgoing connections would take it from under us)
# that no socket uses.
free_port() {
  local low port
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range
  while :; do
    port=$((10000 + RANDOM % (low - 10000)))
    [[ -z $(ss -Htan "sport = :$port") ]] && { echo "$port"; return; }
  done
}

# Waits for each "pid:port" to answer /v2/; gives up early when the process has died.
await() {
  local pid port
  for entry in "$@"; do
    pid=${entry%%:*}; port=${entry##*:}
    for _ in $(seq 120); do
      curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && continue 2
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    echo "nothing answers on port $port" >&2; tail -n 20 "$work"/*.log >&2; exit 1
  done
}

if [[ $SKIP_BUILD != true ]]; then
  echo "building mirror-service and testkit..." >&2
  # package, not install: the shared ~/.m2 is left alone.
  ./mvnw -o -q -B -DskipTests -pl mirror-service,testkit -am package
fi
# GenerateImage needs only common and Jackson, which the packaged mirror ships (no dependency plugin offline).
testkit_cp="testkit/target/classes:mirror-service/target/quarkus-app/lib/main/*"
generate() { java -cp "$testkit_cp" dev.registrymesh.testkit.GenerateImage "$@" >/dev/null; }
# warmup: an image like the measured one, pulled untimed through each proxy so that "cold" means a cold
# cache, not a cold process (our JVM loads and compiles its pull path on the first large pull).
generate "$work/img-warmup" 1 "$LAYERS" "$LAYER_BYTES" bench
generate "$work/img-cold" 2 "$LAYERS" "$LAYER_BYTES" bench
generate "$work/img-fanout" 3 "$LAYERS" "$LAYER_BYTES" bench
generate "$work/img-blob" 4 1 "$LAYER_BYTES" bench  # one more uncached layer, for a lone cold blob GET

# Digests of an OCI layout's image (manifest, config, layers), from its index.json.
layout_manifest() { jq -r '.manifests[0].digest' "$1/index.json"; }
layout_blob() { local d; d=$(layout_manifest "$1"); jq -r "$2" "$1/blobs/${d/://}"; }

up_port=$(free_port)
cat >"$work/upstream.yml" <<YML
version: 0.1
log: {level: error, accesslog: {disabled: false}}
storage: {filesystem: {rootdirectory: $work/upstream-data}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$up_port, secret: bench-upstream}
YML
# Distribution reads REGISTRY_* variables as config overrides: none may leak in.
no_overrides=($(env | awk -F= '/^REGISTRY_/ {print "-u", $1}'))
env "${no_overrides[@]}" docker-registry serve "$work/upstream.yml" >"$work/upstream.log" 2>&1 &
pids+=($!)
await "$!:$up_port" # Distribution as a proxy gives up at start when its remote does not answer

dist_port=$(free_port)
cat >"$work/distribution-proxy.yml" <<YML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $work/distribution-proxy-data}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$dist_port, secret: bench-proxy}
proxy: {remoteurl: "http://127.0.0.1:$up_port"}
YML
env "${no_overrides[@]}" docker-registry serve "$work/distribution-proxy.yml" >"$work/distribution-proxy.log" 2>&1 &
pids+=($!); dist_pid=$!

mirror_port=$(free_port)
# shellcheck disable=SC2086
MIRROR_UPSTREAMS="upstream.bench=http://127.0.0.1:$up_port" MIRROR_DEFAULT_UPSTREAM=upstream.bench \
  MESH_AUTH_ENABLED=false MESH_DATA_DIR="$work/mirror-data" QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_MANAGEMENT_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$mirror_port \
  java $MIRROR_JAVA_OPTS -jar mirror-service/target/quarkus-app/quarkus-run.jar >"$work/mirror.log" 2>&1 &
pids+=($!)
await "$dist_pid:$dist_port" "$!:$mirror_port"

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

median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
since() { printf '%.2f' "$(echo "$EPOCHREALTIME - $1" | bc)"; }
seconds() { local start=$EPOCHREALTIME; "$@" || return 1; since "$start"; echo; }
# A pull into a fresh OCI layout; skopeo's complaint is shown when it fails.
pull() {
  rm -rf "$2"
  skopeo copy -q --src-tls-verify=false "docker://$1:bench" "oci:$2:bench" 2>"$2.err" >/dev/null \
    || { echo "pull of $1 failed: $(cat "$2.err")" >&2; return 1; }
}
# Upstream requests so far for a method (empty: any) and path prefix, from the access log.
upstream_count() { grep -cE "\"${1:-[A-Z]+} /v2/$2" "$work/upstream.log" || true; }
# wrk: "<req/s>, p99 <ms>", plus wrk's complaint when some requests failed or answers were not 2xx/3xx.
load() {
  local url=$1 out
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP_SECONDS}s" --timeout 10s -H "Accept: $ACCEPT" "$url" >/dev/null
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${LOAD_SECONDS}s" --timeout 10s --latency -H "Accept: $ACCEPT" "$url")
  awk '
    /Requests\/sec/ {rps = $2}
    /^ +99%/ {v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
              p99 = u == "us" ? v / 1000 : u == "s" ? v * 1000 : u == "m" ? v * 60000 : v}
    /Non-2xx|Socket errors/ {sub(/^ +/, ""); err = err " [" $0 "]"}
    END {printf "%.0f req/s, p99 %.1f ms%s\n", rps, p99, err}' <<<"$out"
}
ACCEPT="application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json"

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
