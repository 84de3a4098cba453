# Shared helpers of the bench/ scripts; source it from a script that has cd'ed to the repository root:
#
#   source bench/lib.sh
#   bench_require skopeo docker-registry wrk jq bc
#   bench_init               # $work (a temporary directory), servers started with bench_spawn are
#                            # stopped and $work removed on exit (LOG_DIR: keep the logs there)
#
# Everything listens on 127.0.0.1 on free ports below the ephemeral range.

# Debian package of each tool the scripts use (installed when missing and run as root).
declare -A BENCH_PACKAGE=([skopeo]=skopeo [docker-registry]=docker-registry [wrk]=wrk [jq]=jq [bc]=bc
  [curl]=curl [hey]=hey [haproxy]=haproxy [redis-server]=redis-server [python3]=python3 [time]=time)

bench_require() {
  local tool missing=()
  for tool in "$@"; do
    type -P "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] || missing+=("${BENCH_PACKAGE[$tool]:-$tool}")
  done
  if ((${#missing[@]})); then
    if [[ $(id -u) == 0 ]]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null
    else
      echo "missing: ${missing[*]} (apt-get install ${missing[*]})" >&2; exit 1
    fi
  fi
  command -v java >/dev/null || { echo "missing: java" >&2; exit 1; }
}

bench_init() {
  work=$(mktemp -d)
  BENCH_PIDS=()       # servers, stopped in reverse order on exit
  BENCH_CHILDREN=()   # other background work (concurrent pulls, samplers)
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

bench_cleanup() {
  local pid
  if [[ -n ${LOG_DIR:-} ]]; then mkdir -p "$LOG_DIR" && cp "$work"/*.log "$LOG_DIR"/ 2>/dev/null || true; fi
  for pid in "${BENCH_CHILDREN[@]}" "${BENCH_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${BENCH_CHILDREN[@]}" "${BENCH_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}

# Runs a server in the background with its output in $work/<name>.log; its pid in $BENCH_PID.
bench_spawn() {
  local name=$1; shift
  "$@" >"$work/$name.log" 2>&1 &
  BENCH_PID=$!
  BENCH_PIDS+=("$BENCH_PID")
}

# Stops one server started with bench_spawn.
bench_stop() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

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

# Waits for each "pid:port" to answer /v2/ (any HTTP status); gives up early when the process has died.
await() {
  local pid port entry
  for entry in "$@"; do
    pid=${entry%%:*}; port=${entry##*:}
    for _ in $(seq 240); do
      [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/") != 000 ]] && continue 2
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    echo "nothing answers on port $port" >&2; tail -n 20 "$work"/*.log >&2; exit 1
  done
}

# start_distribution <name> <port> [remote url]: CNCF Distribution (Debian's docker-registry) with a fresh
# data dir under $work, optionally as a pull-through cache of <remote url>; access log on when
# DISTRIBUTION_ACCESS_LOG=true. Its pid in $BENCH_PID; waits until it answers.
start_distribution() {
  local name=$1 port=$2 remote=${3:-} proxy="" accesslog=${DISTRIBUTION_ACCESS_LOG:-false}
  [[ -n $remote ]] && proxy="proxy: {remoteurl: \"$remote\"}"
  cat >"$work/$name.yml" <<YML
version: 0.1
log: {level: error, accesslog: {disabled: $([[ $accesslog == true ]] && echo false || echo true)}}
storage: {filesystem: {rootdirectory: $work/$name-data}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$port, secret: bench-$name}
$proxy
YML
  # Distribution reads REGISTRY_* variables as config overrides: none may leak in.
  local no_overrides
  no_overrides=($(env | awk -F= '/^REGISTRY_/ {print "-u", $1}'))
  bench_spawn "$name" env "${no_overrides[@]}" docker-registry serve "$work/$name.yml"
  await "$BENCH_PID:$port"
}

# Builds the service jars and testkit (package, not install: the shared ~/.m2 is left alone) unless
# SKIP_BUILD=true.
bench_build() {
  if [[ ${SKIP_BUILD:-false} != true ]]; then
    echo "building $* and testkit..." >&2
    ./mvnw -o -q -B -DskipTests -pl "$(IFS=,; echo "$*"),testkit" -am package
  fi
}

# generate <layout dir> <seed> <layers> <layer bytes> <tag>: a deterministic image as an OCI layout.
# GenerateImage needs only common and Jackson, which every packaged service ships (no dependency plugin
# offline).
generate() {
  local lib
  for lib in mirror-service registry-service; do
    [[ -d $lib/target/quarkus-app/lib/main ]] && break
  done
  java -cp "testkit/target/classes:$lib/target/quarkus-app/lib/main/*" dev.registrymesh.testkit.GenerateImage "$@" >/dev/null
}

# Digests of an OCI layout's image (manifest, config, layers), from its index.json.
layout_manifest() { jq -r '.manifests[0].digest' "$1/index.json"; }
layout_blob() { local d; d=$(layout_manifest "$1"); jq -r "$2" "$1/blobs/${d/://}"; }

median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
since() { printf '%.2f' "$(echo "$EPOCHREALTIME - $1" | bc)"; }
seconds() { local start=$EPOCHREALTIME; "$@" || return 1; since "$start"; echo; }

# pull <host:port/repo> <layout dir>: a skopeo pull of tag "bench" into a fresh OCI layout; skopeo's
# complaint is shown when it fails, its CPU seconds (user + system) are left in <layout dir>.cpu.
pull() {
  rm -rf "$2"
  /usr/bin/time -f '%U %S' -o "$2.cpu" skopeo copy -q --src-tls-verify=false "docker://$1:bench" "oci:$2:bench" 2>"$2.err" >/dev/null \
    || { echo "pull of $1 failed: $(cat "$2.err")" >&2; return 1; }
}

# push <layout dir> <host:port/repo>: a skopeo push of the layout's tag "bench".
push() {
  skopeo copy -q --dest-tls-verify=false "oci:$1:bench" "docker://$2:bench" 2>"$work/push.err" >/dev/null \
    || { echo "push to $2 failed: $(cat "$work/push.err")" >&2; return 1; }
}

# warmup <host:port> <layout dir> <repo>: a few seconds of wrk GETs of the image's manifest (by tag) and blobs,
# done for both sides alike before the timed rounds. A JVM runs its hot paths interpreted for the first thousands
# of requests (a handful of warm-up pulls leave a small GET 1-4 ms slower than when compiled); Go needs none.
warmup() {
  local host=$1 layout=$2 repo=$3 digest blob
  digest=$(layout_manifest "$layout")
  wrk -t1 -c4 -d"${WARMUP_SECONDS:-3}s" -H "Accept: application/vnd.oci.image.manifest.v1+json" \
    "http://$host/v2/$repo/manifests/bench" >/dev/null
  for blob in $(jq -r '.config.digest, .layers[].digest' "$layout/blobs/${digest/://}"); do
    wrk -t1 -c2 -d1s "http://$host/v2/$repo/blobs/$blob" >/dev/null
  done
}

# cold_warmup <layout dir>... -- <host:port>...: pulls each image (pushed to the upstream as bench/<dir name>)
# through each mirror, so that every mirror has fetched a few hundred blobs and tens of manifests from its source
# before the timed rounds. One cold pull leaves most of the cold path interpreted or compiled by C1, and C2 then
# spends more CPU compiling during the timed pulls than the mirror spends moving bytes; a mirror in service has
# compiled it long ago (Go needs no warm-up).
cold_warmup() {
  local layouts=() layout host
  while [[ $1 != -- ]]; do layouts+=("$1"); shift; done; shift
  for host in "$@"; do
    for layout in "${layouts[@]}"; do pull "$host/bench/$(basename "$layout")" "$work/pulled"; done
  done
}

# CPU ticks so far of a JVM's threads by kind: "<event loops> <JIT compilers> <all others>".
jvm_thread_ticks() {
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s\t%s\n' "$(cat "$t/comm" 2>/dev/null)" "$(awk '{sub(/^.*\) /, ""); print $12 + $13}' "$t/stat" 2>/dev/null)"
  done | awk -F'\t' '$2 != "" {if ($1 ~ /^vert\.x-eventloo/) l += $2; else if ($1 ~ /CompilerThre/) j += $2; else o += $2}
    END {printf "%d %d %d\n", l, j, o}'
}

# CPU time of a process so far (utime + stime from /proc/<pid>/stat), in clock ticks, and its
# resident memory (VmRSS) in KiB.
cpu_ticks() { awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
CLK_TCK=$(getconf CLK_TCK)

# wrk against a URL: "<req/s>, p99 <ms>", plus wrk's complaint when requests failed or were not 2xx/3xx.
# CONNECTIONS, WARMUP_SECONDS (untimed first) and LOAD_SECONDS; ACCEPT is the Accept header.
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

# The machine, for the record: cores, memory, load average.
machine() {
  printf '%s cores, %s GiB memory, load average %s' "$(nproc)" \
    "$(awk '/^MemTotal:/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)" "$(cut -d' ' -f1-3 /proc/loadavg)"
}
