#!/usr/bin/env bash
# Load run of the directory (issue 2): contact search by phone and by name, and contact create, against the real server
# on loopback with a fresh SQLite database, next to GET /healthz as the ceiling of the same run.
#
#   bench/run.sh                      # 5,000 contacts, 32 connections, 2 threads, 15 s a scenario
#   BENCH_CONTACTS=20000 BENCH_DURATION=30 bench/run.sh
#
# Knobs (environment): BENCH_CONTACTS (5000), BENCH_CONNECTIONS (32), BENCH_THREADS (2), BENCH_DURATION (15, seconds),
# BENCH_WARMUP (20, seconds: covers the tiered JIT), BENCH_SKIP_BUILD (unset; 1 skips the Release build), BENCH_KEEP (unset; 1 keeps the temp
# folder with the server log and the raw wrk output), BENCH_SERVER_ARGS (extra server arguments, e.g.
# --Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command=Information to log every SQL command with its time).
# Only 127.0.0.1 is ever contacted; every step has a time limit; the server is stopped and the folder removed on exit.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # sets ROOT and BENCH_DIR
bench_knobs 5000
ensure_wrk

build_release "$ROOT/src/Vouch.Server"
bench_workdir vouch-bench
fresh_server sqlite
AUTH="Authorization: Bearer $KEY"

SEED_START=$(date +%s.%N)
seed_contacts sqlite "$BASE" "$CONTACTS" "$WORK/contacts.csv"
log "seeded $CONTACTS contacts in $(awk -v s="$SEED_START" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s"

# Phone searches: 64 seeded numbers spread over the data set, in formats other than the stored "(212) 245-1234":
# "+1-212-245-1234", "212.245.1234" and "1 212 245 1234" (URL-encoded).
PHONE_TERMS=()
for k in $(seq 0 63); do
  read -r area exch line <<<"$(number_of $(((k * 7919) % CONTACTS)))"
  case $((k % 3)) in
    0) PHONE_TERMS+=("%2B1-$area-$exch-$line") ;;
    1) PHONE_TERMS+=("$area.$exch.$line") ;;
    2) PHONE_TERMS+=("1%20$area%20$exch%20$line") ;;
  esac
done
# Name searches: word prefixes of last and first names, from common to rare.
NAME_TERMS=(ander garc nguy smi mart patel okaf tanak lee john wils priya kwam mary ross dub)

# Every search term must find something, and each phone exactly one contact; a create must answer 201.
for term in "${PHONE_TERMS[@]}"; do
  found=$(curl -fsS --max-time 10 -H "$AUTH" "$BASE/api/v1/contacts?search=$term" | grep -o '"createdAt"' | wc -l)
  [[ "$found" == 1 ]] || { log "phone search '$term' found $found contacts, expected 1"; exit 1; }
done
for term in "${NAME_TERMS[@]}"; do
  found=$(curl -fsS --max-time 10 -H "$AUTH" "$BASE/api/v1/contacts?search=$term" | grep -o '"createdAt"' | wc -l)
  [[ "$found" -ge 1 ]] || { log "name search '$term' found nothing"; exit 1; }
done
status=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -H "$AUTH" -H 'Content-Type: application/json' \
  -d '{"firstName":"Ann","lastName":"Lee","emails":[{"address":"ann.lee@check.example"}],"phones":[{"number":"+1 312 299 0000","type":"mobile"}]}' \
  "$BASE/api/v1/contacts")
[[ "$status" == 201 ]] || { log "POST /api/v1/contacts answered $status, expected 201"; exit 1; }

# run_wrk NAME PATH SCRIPT [HEADER] [-- ARGS...]: a warm-up, then the measured run; keeps the BENCH line.
run_wrk() {
  local name=$1 path=$2 script=$3; shift 3
  local header=() args=()
  if [[ $# -gt 0 && "$1" != -- ]]; then header=(-H "$1"); shift; fi
  if [[ $# -gt 0 && "$1" == -- ]]; then shift; args=("$@"); fi
  local limit=$((DURATION + WARMUP + 60))
  log "$name: warm-up ${WARMUP} s, then ${DURATION} s at $CONNECTIONS connections, $THREADS threads"
  local warm_args=("${args[@]}")
  [[ "$script" == create.lua ]] && warm_args=(0)
  timeout "$limit" wrk -t "$THREADS" -c "$CONNECTIONS" -d "${WARMUP}s" --timeout 5s "${header[@]}" \
    -s "$BENCH_DIR/$script" "$BASE$path" -- "${warm_args[@]}" >"$WORK/$name.warmup.txt" 2>&1
  [[ "$script" == create.lua ]] && args=(1)
  timeout "$limit" wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --timeout 5s --latency "${header[@]}" \
    -s "$BENCH_DIR/$script" "$BASE$path" -- "${args[@]}" >"$WORK/$name.txt" 2>&1
  local line
  line=$(grep '^BENCH ' "$WORK/$name.txt") || { log "$name: wrk printed no result"; cat "$WORK/$name.txt" >&2; exit 1; }
  echo "$name $line" >>"$WORK/results.txt"
  log "$name: ${line#BENCH }"
}

run_wrk healthz /healthz healthz.lua
run_wrk search-phone /api/v1/contacts search.lua "$AUTH" -- "${PHONE_TERMS[@]}"
run_wrk search-name /api/v1/contacts search.lua "$AUTH" -- "${NAME_TERMS[@]}"
run_wrk create /api/v1/contacts create.lua "$AUTH"

if [[ "${BENCH_KEEP:-}" == 1 ]]; then
  for f in "$WORK"/*.txt; do { echo "== $f"; cat "$f"; } >&2; done
fi

# The table. Scenario labels and the ratio to the /healthz rate of this same run.
awk -v contacts="$CONTACTS" -v conns="$CONNECTIONS" -v threads="$THREADS" -v dur="$DURATION" '
  function val(key,   i, kv) { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) return kv[2] } return "" }
  BEGIN {
    label["healthz"] = "GET /healthz (ceiling)"
    label["search-phone"] = "GET /api/v1/contacts?search=<phone, other format>"
    label["search-name"] = "GET /api/v1/contacts?search=<name fragment>"
    label["create"] = "POST /api/v1/contacts"
  }
  {
    n++; name[n] = $1; rps[n] = val("rps"); p50[n] = val("p50_ms"); p99[n] = val("p99_ms")
    bad[n] = val("non2xx") + val("socket_errors"); reqs[n] = val("requests")
    if ($1 == "healthz") ceiling = rps[n]
  }
  END {
    printf "\n%d contacts, %d connections, %d threads, %d s a scenario (wrk --latency)\n\n", contacts, conns, threads, dur
    print "| scenario | requests/s | p50 ms | p99 ms | ratio to /healthz | requests | non-2xx + socket errors |"
    print "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    for (i = 1; i <= n; i++)
      printf "| %s | %.0f | %.2f | %.2f | %.1f%% | %d | %d |\n", label[name[i]], rps[i], p50[i], p99[i], 100 * rps[i] / ceiling, reqs[i], bad[i]
  }' "$WORK/results.txt"

bad_total=$(awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^(non2xx|socket_errors)=/) { split($i, kv, "="); s += kv[2] } } END { print s + 0 }' "$WORK/results.txt")
if [[ "$bad_total" != 0 ]]; then log "WARNING: $bad_total non-2xx responses or socket errors (see the table)"; exit 3; fi
