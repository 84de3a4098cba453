#!/usr/bin/env bash
# The speed targets in one command: mirror-service and registry-service next to CNCF Distribution 2.8
# (Debian's docker-registry) on this machine, same client (skopeo), every round a new generated image, the
# two sides alternating within each round (ours first in odd rounds), medians over the rounds:
#
#   mirror     a cold pull through one mirror node (an image it has never seen) and a warm one, each against a
#              direct pull of the same image from the upstream Distribution in the same round, and the same pulls
#              through Distribution as a pull-through cache (proxy: remoteurl) of that upstream, for reference;
#   cluster    three mirror nodes sharing a redis-server behind haproxy: the image is first pulled through one
#              node (untimed), then through haproxy, against a direct pull; the bytes the nodes fetched from
#              peers and from the upstream during the timed pulls are counted from their metrics;
#   registry   skopeo push and pull of PUSH_LAYERS x PUSH_LAYER_BYTES against a plain Distribution, with the
#              server's CPU seconds (utime + stime from /proc/<pid>/stat) per GiB moved;
#   cpu        (mirror and cluster) the CPU seconds each pull cost skopeo, the mirror (by kind of thread: event
#              loops, JIT compilers, the rest) or the proxy, and the upstream: where the time of a pull goes;
#   memory     (in each part) resident memory (VmRSS) of each server idle after its transfers, and its largest
#              value under CONNECTIONS wrk clients GETting a manifest by tag, with the req/s they got.
#
#   bench/speed.sh                                    # everything, 5 rounds, about 10 minutes on 2 cores
#   SKIP_BUILD=true PARTS="mirror cluster" ROUNDS=3 bench/speed.sh
#   SKIP_BUILD=true PARTS=mirror PROFILE_DIR=/tmp/prof bench/speed.sh   # + a JFR recording of the cold pulls
#
# Writes the Markdown table to stdout and to OUT (default bench/results/speed.md), with the machine and its
# load average at the start and at the end. Needs skopeo, docker-registry, haproxy, redis-server, wrk, jq, bc, time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/lib.sh

ROUNDS=${ROUNDS:-5}
LAYERS=${LAYERS:-4}
LAYER_BYTES=${LAYER_BYTES:-16777216}
PUSH_LAYERS=${PUSH_LAYERS:-5}
PUSH_LAYER_BYTES=${PUSH_LAYER_BYTES:-41943040}
CONNECTIONS=${CONNECTIONS:-200}
LOAD_SECONDS=${LOAD_SECONDS:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-3}
COLD_WARMUP_IMAGES=${COLD_WARMUP_IMAGES:-8}  # like the timed ones, + one of 300 small layers: cold pulls through each
                                             # mirror before the timed rounds (see cold_warmup in bench/lib.sh)
JAVA_OPTS=${JAVA_OPTS:--Xmx256m}   # of our services; the registry's RSS under load is held against 1.5x its -Xmx
PARTS=${PARTS:-mirror cluster registry}
OUT=${OUT:-bench/results/speed.md}
PROFILE_DIR=${PROFILE_DIR:-}       # set: a JFR recording (settings=profile) of the mirror's cold pulls there

bench_require skopeo docker-registry haproxy redis-server wrk jq bc curl time
bench_build mirror-service registry-service
bench_init
has() { [[ " $PARTS " == *" $1 "* ]]; }
started="$(date -u '+%Y-%m-%d %H:%M UTC'), $(machine)"

# Images: a new one for every round and part, and one for warming each side up untimed (so that "cold"
# means a cold cache, not a cold JVM).
echo "generating images..." >&2
if has mirror || has cluster; then
  generate "$work/img-warm" 99 "$LAYERS" "$LAYER_BYTES" bench
  generate "$work/wu-many" 98 300 4096 bench
  for j in $(seq "$COLD_WARMUP_IMAGES"); do generate "$work/wu-$j" $((400 + j)) "$LAYERS" "$LAYER_BYTES" bench; done
  for i in $(seq "$ROUNDS"); do
    has mirror && generate "$work/img-cold-$i" $((100 + i)) "$LAYERS" "$LAYER_BYTES" bench
    has cluster && generate "$work/img-cl-$i" $((200 + i)) "$LAYERS" "$LAYER_BYTES" bench
  done
fi
if has registry; then
  for i in $(seq 0 "$ROUNDS"); do generate "$work/img-reg-$i" $((300 + i)) "$PUSH_LAYERS" "$PUSH_LAYER_BYTES" bench; done
fi

declare -A R  # results: R[<row>,<side>] is a list of samples or one value
add() { R[$1]="${R[$1]:-} $2"; }
# measure <key> <command...>: the command's seconds as a sample, or one more failure of <key>.
measure() {
  local key=$1 s; shift
  if s=$(seconds "$@"); then add "$key" "$s"; else R[$key,failed]=$((${R[$key,failed]:-0} + 1)); fi
}
failed() { [[ -n ${R[$1,failed]:-} ]] && echo " (${R[$1,failed]} of $ROUNDS failed)" || true; }
med() { tr ' ' '\n' <<<"${R[$1]:-}" | grep . | median; }

# timed_pull <key> <host:port/repo> [server pid...]: a timed pull (a sample of <key>), with the CPU seconds it cost
# skopeo (<key>,cpu_client), the upstream (<key>,cpu_upstream) and the servers in between: JVMs by kind of thread
# (<key>,cpu_loops, cpu_jit, cpu_other), anything else as <key>,cpu_server.
timed_pull() {
  local key=$1 src=$2 s up0 before after; shift 2
  up0=$(cpu_ticks "$up_pid"); before=$(server_ticks "$@")
  if ! s=$(seconds pull "$src" "$work/pulled"); then R[$key,failed]=$((${R[$key,failed]:-0} + 1)); return; fi
  after=$(server_ticks "$@")
  add "$key" "$s"
  add "$key,cpu_client" "$(awk '{print $1 + $2}' "$work/pulled.cpu")"
  add "$key,cpu_upstream" "$(ticks_s $(($(cpu_ticks "$up_pid") - up0)))"
  local names=(loops jit other server) i
  read -r -a b <<<"$before"; read -r -a a <<<"$after"
  if (($#)); then
    for i in 0 1 2 3; do add "$key,cpu_${names[$i]}" "$(ticks_s $((a[i] - b[i])))"; done
  fi
}
# "<event loops> <JIT> <other JVM threads> <other processes>" ticks of the given pids together.
server_ticks() {
  local pid l=0 j=0 o=0 x=0 a b c
  for pid in "$@"; do
    if [[ $(cat "/proc/$pid/comm") == java ]]; then
      read -r a b c < <(jvm_thread_ticks "$pid"); l=$((l + a)); j=$((j + b)); o=$((o + c))
    else
      x=$((x + $(cpu_ticks "$pid")))
    fi
  done
  echo "$l $j $o $x"
}
ticks_s() { echo "$1 / $CLK_TCK" | bc -l | xargs printf '%.2f'; }

# Largest VmRSS of a process while wrk loads a URL, and what wrk got: sets MEM[<name>,load|rps].
declare -A MEM
memory_under_load() {
  local name=$1 pid=$2 url=$3 sampler
  (while kill -0 "$pid" 2>/dev/null; do rss_kib "$pid"; sleep 0.2; done) >"$work/rss-$name" 2>/dev/null &
  sampler=$!; BENCH_CHILDREN+=("$sampler")
  MEM[$name,rps]=$(load "$url")
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
  MEM[$name,load]=$(sort -n "$work/rss-$name" | tail -1)
}
idle_memory() { sleep 2; MEM[$1,idle]=$(rss_kib "$2"); }
mib() { [[ -n ${1:-} ]] && awk -v k="$1" 'BEGIN {printf "%.0f MiB", k / 1024}' || echo "-"; }

declare -A MANAGEMENT  # service port -> its management port (/q/metrics answers there only)
mirror_node() {  # mirror_node <name> <port> [env...]: one mirror-service in front of the upstream
  local name=$1 port=$2; shift 2
  MANAGEMENT[$port]=$(free_port)
  # shellcheck disable=SC2086
  bench_spawn "$name" env MIRROR_UPSTREAMS="upstream.bench=http://127.0.0.1:$up_port" MIRROR_DEFAULT_UPSTREAM=upstream.bench \
    MESH_AUTH_ENABLED=false MESH_DATA_DIR="$work/$name-data" QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$port" \
    QUARKUS_MANAGEMENT_HOST=127.0.0.1 QUARKUS_MANAGEMENT_PORT="${MANAGEMENT[$port]}" "$@" \
    java $JAVA_OPTS -jar mirror-service/target/quarkus-app/quarkus-run.jar
}
# Bytes the mirror nodes on the given ports fetched so far from a source (miss = upstream, peer).
fetched() {
  local source=$1 port; shift
  for port in "$@"; do curl -fs "http://127.0.0.1:${MANAGEMENT[$port]}/q/metrics"; done |
    awk -v s="source=\"$source\"" '/^mirror_bytes_fetched_total\{/ && index($0, s) {sum += $NF} END {printf "%.0f\n", sum}'
}

if has mirror || has cluster; then
  up_port=$(free_port)
  start_distribution upstream "$up_port"; up_pid=$BENCH_PID
  up=127.0.0.1:$up_port
  echo "pushing the images to the upstream..." >&2
  push "$work/img-warm" "$up/bench/warm"
  for layout in "$work"/wu-*; do push "$layout" "$up/bench/$(basename "$layout")"; done
  for i in $(seq "$ROUNDS"); do
    has mirror && push "$work/img-cold-$i" "$up/bench/cold-$i"
    has cluster && push "$work/img-cl-$i" "$up/bench/cl-$i"
  done
  pull "$up/bench/warm" "$work/pulled"  # warms the upstream too
fi

if has mirror; then
  echo "mirror: one node, and Distribution as a pull-through cache..." >&2
  m_port=$(free_port); px_port=$(free_port)
  mirror_node mirror "$m_port"; m_pid=$BENCH_PID
  start_distribution proxy "$px_port" "http://$up"; px_pid=$BENCH_PID
  await "$m_pid:$m_port"
  m=127.0.0.1:$m_port; px=127.0.0.1:$px_port
  for side in "$m" "$px"; do pull "$side/bench/warm" "$work/pulled"; pull "$side/bench/warm" "$work/pulled"; done
  warmup "$m" "$work/img-warm" bench/warm; warmup "$up" "$work/img-warm" bench/warm; warmup "$px" "$work/img-warm" bench/warm
  cold_warmup "$work"/wu-* -- "$m" "$px"
  [[ -n $PROFILE_DIR ]] && mkdir -p "$PROFILE_DIR" && jcmd "$m_pid" JFR.start name=cold settings=profile \
    filename="$(realpath "$PROFILE_DIR")/mirror-cold.jfr" >/dev/null
  # each round: ours, direct and the proxy, in an order that rotates
  rotate() { local i=$1; shift; local a=("$@"); local n=${#a[@]}; for k in $(seq 0 $((n - 1))); do echo "${a[$(((i + k) % n))]}"; done; }
  for phase in cold warm; do
    [[ $phase == warm && -n $PROFILE_DIR ]] && jcmd "$m_pid" JFR.stop name=cold >/dev/null
    for i in $(seq "$ROUNDS"); do
      for side in $(rotate "$i" ours direct proxy); do
        case $side in
          ours) timed_pull "$phase,ours" "$m/bench/cold-$i" "$m_pid" ;;
          direct) timed_pull "$phase,direct" "$up/bench/cold-$i" ;;
          proxy) timed_pull "$phase,proxy" "$px/bench/cold-$i" "$px_pid" ;;
        esac
      done
    done
  done
  idle_memory mirror "$m_pid"; idle_memory upstream "$up_pid"
  memory_under_load mirror "$m_pid" "http://$m/v2/bench/cold-1/manifests/bench"
  memory_under_load upstream "$up_pid" "http://$up/v2/bench/cold-1/manifests/bench"
  bench_stop "$m_pid"; bench_stop "$px_pid"
fi

if has cluster; then
  echo "mirror: three nodes behind haproxy..." >&2
  redis_port=$(free_port)
  bench_spawn redis redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work"
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null && break; sleep 0.1; done
  node_ports=(); node_pids=()
  for k in 1 2 3; do
    port=$(free_port); node_ports+=("$port")
    mirror_node "node$k" "$port" REDIS_URL="redis://127.0.0.1:$redis_port" MIRROR_NODE_URL="http://127.0.0.1:$port"
    node_pids+=("$BENCH_PID")
  done
  for k in 0 1 2; do await "${node_pids[$k]}:${node_ports[$k]}"; done
  lb_port=$(free_port)
  {
    printf 'global\n  maxconn 4096\ndefaults\n  mode http\n  timeout connect 5s\n  timeout client 10m\n  timeout server 10m\n'
    printf 'frontend mirror\n  bind 127.0.0.1:%s\n  default_backend nodes\nbackend nodes\n  balance roundrobin\n' "$lb_port"
    for k in 0 1 2; do printf '  server node%s 127.0.0.1:%s\n' "$((k + 1))" "${node_ports[$k]}"; done
  } >"$work/haproxy.cfg"
  bench_spawn haproxy "$(command -v haproxy || echo /usr/sbin/haproxy)" -db -f "$work/haproxy.cfg"
  lb_pid=$BENCH_PID
  await "$lb_pid:$lb_port"
  lb=127.0.0.1:$lb_port
  # warm-up: through node 1 from the upstream, then through nodes 2 and 3 from it, then through haproxy
  for k in 0 1 2; do pull "127.0.0.1:${node_ports[$k]}/bench/warm" "$work/pulled"; done
  pull "$lb/bench/warm" "$work/pulled"
  for k in 0 1 2; do warmup "127.0.0.1:${node_ports[$k]}" "$work/img-warm" bench/warm; done
  # from the upstream through node 1, then from node 1 (a peer) through nodes 2 and 3
  cold_warmup "$work"/wu-* -- "127.0.0.1:${node_ports[0]}" "127.0.0.1:${node_ports[1]}" "127.0.0.1:${node_ports[2]}"
  peer=0; miss=0
  for i in $(seq "$ROUNDS"); do
    holder=${node_ports[$(((i - 1) % 3))]}
    pull "127.0.0.1:$holder/bench/cl-$i" "$work/pulled"  # now one node holds the image
    p0=$(fetched peer "${node_ports[@]}"); m0=$(fetched miss "${node_ports[@]}")
    if ((i % 2)); then
      timed_pull cluster,ours "$lb/bench/cl-$i" "${node_pids[@]}" "$lb_pid"
      timed_pull cluster,direct "$up/bench/cl-$i"
    else
      timed_pull cluster,direct "$up/bench/cl-$i"
      timed_pull cluster,ours "$lb/bench/cl-$i" "${node_pids[@]}" "$lb_pid"
    fi
    peer=$((peer + $(fetched peer "${node_ports[@]}") - p0)); miss=$((miss + $(fetched miss "${node_ports[@]}") - m0))
  done
  R[cluster_fetch]="$((peer / 1048576)) MiB from peers, $((miss / 1048576)) MiB from the upstream in $ROUNDS pulls"
  idle_memory cluster-node "${node_pids[0]}"
  for k in 2 1 0; do bench_stop "${node_pids[$k]}"; done
fi

if has registry; then
  echo "registry..." >&2
  r_port=$(free_port); d_port=$(free_port)
  bench_spawn registry env MESH_DATA_DIR="$work/registry-data" MESH_AUTH_ENABLED=false QUARKUS_HTTP_HOST=127.0.0.1 \
    QUARKUS_MANAGEMENT_HOST=127.0.0.1 QUARKUS_MANAGEMENT_PORT="$(free_port)" QUARKUS_HTTP_PORT="$r_port" java $JAVA_OPTS -jar registry-service/target/quarkus-app/quarkus-run.jar
  r_pid=$BENCH_PID
  start_distribution distribution "$d_port"; d_pid=$BENCH_PID
  await "$r_pid:$r_port"
  declare -A SIDE_PORT=([ours]=$r_port [dist]=$d_port) SIDE_PID=([ours]=$r_pid [dist]=$d_pid)
  for side in ours dist; do
    push "$work/img-reg-0" "127.0.0.1:${SIDE_PORT[$side]}/bench/warm"
    pull "127.0.0.1:${SIDE_PORT[$side]}/bench/warm" "$work/pulled"
    warmup "127.0.0.1:${SIDE_PORT[$side]}" "$work/img-reg-0" bench/warm
  done
  declare -A TICKS=([push,ours]=0 [push,dist]=0 [pull,ours]=0 [pull,dist]=0)
  for i in $(seq "$ROUNDS"); do
    order=(ours dist); ((i % 2)) || order=(dist ours)
    for side in "${order[@]}"; do
      ref=127.0.0.1:${SIDE_PORT[$side]}/bench/push-$i; pid=${SIDE_PID[$side]}
      t0=$(cpu_ticks "$pid")
      measure push,$side push "$work/img-reg-$i" "$ref"
      t1=$(cpu_ticks "$pid")
      measure pull,$side pull "$ref" "$work/pulled"
      t2=$(cpu_ticks "$pid")
      TICKS[push,$side]=$((TICKS[push,$side] + t1 - t0)); TICKS[pull,$side]=$((TICKS[pull,$side] + t2 - t1))
    done
  done
  gib=$(echo "$ROUNDS * $PUSH_LAYERS * $PUSH_LAYER_BYTES / 1073741824" | bc -l)
  for k in push,ours push,dist pull,ours pull,dist; do
    R[cpu_$k]=$(echo "${TICKS[$k]} / $CLK_TCK / $gib" | bc -l | xargs printf '%.1f')
  done
  idle_memory registry "$r_pid"; idle_memory distribution "$d_pid"
  memory_under_load registry "$r_pid" "http://127.0.0.1:$r_port/v2/bench/push-1/manifests/bench"
  memory_under_load distribution "$d_pid" "http://127.0.0.1:$d_port/v2/bench/push-1/manifests/bench"
fi

# The table.
ratio() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }
verdict() { (($(echo "$1 <= $2" | bc -l))) && echo "yes" || echo "**no**"; }
samples() { tr ' ' '\n' <<<"${R[$1]}" | grep . | paste -sd' '; }
{
  echo "Measured $started (at the end: load average $(cut -d' ' -f1-3 /proc/loadavg)); medians of $ROUNDS rounds."
  echo
  echo "| measurement | ours | Distribution | ratio | target | holds |"
  echo "|---|---|---|---|---|---|"
  timed() {  # timed <key> <label> <target ratio>
    local o d r
    o=$(med "$1,ours"); d=$(med "$1,direct")
    r=$(ratio "$o" "$d")
    echo "| $2 | $o s$(failed "$1,ours") | $d s (direct)$(failed "$1,direct") | $r | ≤ $3 | $(verdict "$r" "$3") |"
  }
  mem_row() {  # mem_row <label> <ours> <theirs> [target]
    echo "| $1 | $(mib "${MEM[$2,idle]:-}") idle, $(mib "${MEM[$2,load]:-}") under load (${MEM[$2,rps]:-}) | $(mib "${MEM[$3,idle]:-}") idle, $(mib "${MEM[$3,load]:-}") under load (${MEM[$3,rps]:-}) | | ${4:-reported} | ${5:-} |"
  }
  mib_layers="$LAYERS x $((LAYER_BYTES / 1048576)) MiB"
  reference() {  # reference <key> <label>: Distribution as a pull-through cache, for comparison
    local p d
    p=$(med "$1,proxy"); d=$(med "$1,direct")
    echo "| $2 | | $p s$(failed "$1,proxy") (proxy) against $d s (direct) | $(ratio "$p" "$d") | reference | |"
  }
  if has mirror; then
    timed cold "mirror, cold pull ($mib_layers)" 1.1
    reference cold "Distribution 2.8 as a pull-through cache, cold pull"
    timed warm "mirror, warm pull" 0.9
    reference warm "Distribution 2.8 as a pull-through cache, warm pull"
  fi
  if has cluster; then
    timed cluster "mirror cluster (3 nodes, haproxy), cold pull, blobs on another node" 1.2
  fi
  if has registry; then
    push_mib="$PUSH_LAYERS x $((PUSH_LAYER_BYTES / 1048576)) MiB"
    for op in push pull; do
      o=$(med "$op,ours"); d=$(med "$op,dist"); r=$(ratio "$o" "$d"); target=$([[ $op == push ]] && echo 0.9 || echo 0.95)
      echo "| registry, skopeo $op ($push_mib) | $o s$(failed "$op,ours") | $d s$(failed "$op,dist") | $r | ≤ $target | $(verdict "$r" "$target") |"
    done
    for op in push pull; do
      echo "| registry, server CPU per GiB ${op}ed | ${R[cpu_$op,ours]} s | ${R[cpu_$op,dist]} s | $(ratio "${R[cpu_$op,ours]}" "${R[cpu_$op,dist]}") | reported | |"
    done
    xmx=$(grep -o -- '-Xmx[0-9]*[mMgG]' <<<"$JAVA_OPTS" | tail -1)
    limit=""; holds=""
    if [[ $xmx =~ -Xmx([0-9]+)([mMgG]) ]]; then
      limit=$((BASH_REMATCH[1] * 1024 * 3 / 2)); [[ ${BASH_REMATCH[2]} == [gG] ]] && limit=$((limit * 1024))
      holds=$( ((MEM[registry,load] <= limit)) && echo yes || echo "**no**")
    fi
    mem_row "registry, resident memory ($xmx; $CONNECTIONS clients GET a manifest by tag)" registry distribution \
      "under load ≤ 1.5 x Xmx = $(mib "$limit")" "$holds"
  fi
  has mirror && mem_row "mirror, resident memory (one node; against the upstream Distribution)" mirror upstream
  has cluster && echo "| mirror cluster node, resident memory idle | $(mib "${MEM[cluster-node,idle]}") | | | reported | |"
  echo
  if has mirror || has cluster; then
    echo "Where a pull's time goes: CPU seconds per pull (medians), of skopeo, of what stands between it and the upstream"
    echo "(our mirror by kind of thread, or Distribution's proxy; in the cluster, the three nodes and haproxy), and of the"
    echo "upstream Distribution. Two cores give at most 2 CPU seconds per second of wall time."
    echo
    echo "| pull | wall | skopeo | in between: event loops | JIT compilers | other threads | other processes | upstream |"
    echo "|---|---|---|---|---|---|---|---|"
    for key in cold,direct cold,ours cold,proxy warm,direct warm,ours warm,proxy cluster,direct cluster,ours; do
      [[ -n ${R[$key]:-} ]] || continue
      cell() { [[ -n ${R[$key,cpu_$1]:-} ]] && echo "$(med "$key,cpu_$1") s" || echo "-"; }
      echo "| $key | $(med "$key") s | $(cell client) | $(cell loops) | $(cell jit) | $(cell other) | $(cell server) | $(cell upstream) |"
    done
    echo
  fi
  has cluster && echo "Cluster pulls through haproxy: ${R[cluster_fetch]}."
  echo "Samples (s), in round order:"
  for k in cold,ours cold,direct cold,proxy warm,ours warm,direct warm,proxy cluster,ours cluster,direct push,ours push,dist pull,ours pull,dist; do
    [[ -n ${R[$k]:-} ]] && echo "- $k: $(samples "$k")"
  done
  echo
  echo "(Our services with $JAVA_OPTS; wrk: $CONNECTIONS connections, 2 threads, ${LOAD_SECONDS}s after ${WARMUP_SECONDS}s untimed;"
  echo "memory under load is the largest VmRSS sampled every 0.2 s during the timed wrk run.)"
} >"$work/table.md"
mkdir -p "$(dirname "$OUT")"
cp "$work/table.md" "$OUT"
cat "$OUT"
