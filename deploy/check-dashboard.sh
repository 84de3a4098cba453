#!/usr/bin/env bash
# Runs every PromQL expression of the Grafana dashboard against a Prometheus and reports the ones that
# do not parse or return nothing.
#   deploy/check-dashboard.sh [PROMETHEUS_URL] [DASHBOARD_JSON]
#   defaults: http://127.0.0.1:9090, deploy/grafana/registry-mesh.json next to this script
# Grafana's variables are replaced before querying: $__rate_interval and $__interval by RATE_WINDOW
# (default 1m), $__range by RANGE_WINDOW (default 1h), a multi-value $service by .+ (All).
# Template variable queries label_values(metric, label) are checked as group by (label) (metric).
# Exit status: 1 when an expression fails; with STRICT=1 also when one returns no data.
# Needs curl and jq. The services' metrics reach Prometheus from their management ports (deploy/prometheus.yml:
# 9000-9002, mirror nodes 9101-9103); a service whose every query is EMPTY is usually not scraped there.
set -euo pipefail

prom=${1:-http://127.0.0.1:9090}
dashboard=${2:-"$(dirname "$0")/grafana/registry-mesh.json"}
rate_window=${RATE_WINDOW:-1m}
range_window=${RANGE_WINDOW:-1h}

# One line per query: panel title, refId, expression (tab-separated; jq's @tsv escapes tabs and newlines).
queries=$(jq -r '
  ( .. | objects | select(has("targets")) | .title as $t | .targets[] | select(.expr) | [$t, .refId, .expr] ),
  ( .templating.list[]? | select(.type == "query") | (.query.query? // .query) as $q
    | select($q | type == "string" and test("^label_values\\("))
    | ($q | capture("^label_values\\((?<m>.+),\\s*(?<l>[A-Za-z_][A-Za-z0-9_]*)\\)$")) as $c
    | ["variable $" + .name, "-", "group by (\($c.l)) (\($c.m))"] )
  | @tsv' "$dashboard")

ok=0 empty=0 failed=0
while IFS=$'\t' read -r title ref expr; do
  q=${expr//'$__rate_interval'/$rate_window}
  q=${q//'$__interval'/$rate_window}
  q=${q//'$__range'/$range_window}
  q=${q//'$service'/.+}
  if ! answer=$(curl -sS --max-time 30 "$prom/api/v1/query" --data-urlencode "query=$q"); then
    echo "FAIL   $title [$ref]: Prometheus did not answer"; failed=$((failed + 1)); continue
  fi
  status=$(jq -r '.status // "?"' <<<"$answer")
  if [[ "$status" != success ]]; then
    echo "FAIL   $title [$ref]: $(jq -r '(.errorType // "") + ": " + (.error // "")' <<<"$answer")"
    echo "       $q"
    failed=$((failed + 1))
    continue
  fi
  n=$(jq '.data.result | length' <<<"$answer")
  if ((n == 0)); then
    echo "EMPTY  $title [$ref]: $q"
    empty=$((empty + 1))
  else
    printf 'OK     %-45s [%s] %d series\n' "$title" "$ref" "$n"
    ok=$((ok + 1))
  fi
done <<<"$queries"

echo "$ok ok, $empty empty, $failed failed"
((failed == 0)) || exit 1
[[ "${STRICT:-0}" != 1 ]] || ((empty == 0)) || exit 1
