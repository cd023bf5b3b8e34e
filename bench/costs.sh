#!/usr/bin/env bash
# What one request of each kind costs the server, on one server and database, next to GET /healthz: the CPU budget
# behind the throughput targets of issues 2, 3 and 5. For each kind wrk runs a warm-up and a measured run; the server's
# CPU time (user + system) over the measured run divided by the requests gives microseconds of server CPU per request,
# and wrk's own CPU time the share the load generator takes of the same two cores.
#
#   bench/costs.sh                          # SQLite, 5,000 contacts, 32 connections, 2 threads, 15 s a kind
#   BENCH_DATABASES=postgres BENCH_DURATION=10 bench/costs.sh
#
# Kinds: GET /healthz (anonymous, one `SELECT 1`); GET /api/v1/settings/secrets (authenticated, answered from a cache
# without the database: the floor of any API call); GET /api/v1/contacts/{id} (a contact with its verification shield);
# contact search by phone and by name (issue 2); POST /api/v1/secrets with a client-encrypted 1 KB envelope and
# GET /s/{token}, the link page a recipient opens (two of the three requests of issue 5's round trip).
# Knobs (environment): BENCH_DATABASES (sqlite; or postgres, or both), BENCH_CONTACTS (5000), BENCH_CONNECTIONS (32),
# BENCH_THREADS (2), BENCH_DURATION (15), BENCH_WARMUP (20), BENCH_KINDS (all of the above, by name), BENCH_SKIP_BUILD,
# BENCH_KEEP, BENCH_SERVER_ARGS, BENCH_PG_SETTINGS, BENCH_PG_CONNECTION.
# Only 127.0.0.1 is ever contacted; every step has a time limit; the server is stopped and the folder removed on exit.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # sets ROOT and BENCH_DIR
bench_knobs 5000
DATABASES=${BENCH_DATABASES:-sqlite}
KINDS=${BENCH_KINDS:-healthz api-floor contact-read search-phone search-name secret-create link-page}
LIMIT_ARGS=(--Vouch:RateLimits:LinkRequestsPerAddressPerMinute=100000000) # the per-address limit of link pages, raised
ensure_wrk
ensure_postgres
build_release "$ROOT/src/Vouch.Server"
bench_workdir vouch-costs
machine_info

# A client-encrypted envelope of 1 KB of content: random bytes stand in for ciphertext (the server never decrypts it).
envelope_body() {
  local iv ct
  iv=$(head -c 12 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
  ct=$(head -c 1040 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')
  printf '{"envelope":"{\\"v\\":1,\\"iv\\":\\"%s\\",\\"ct\\":\\"%s\\"}"}' "$iv" "$ct"
}

# post_json PATH BODY OUT: POST with the API key; fails unless 201.
post_json() {
  local status
  status=$(curl -sS --max-time 10 -o "$3" -w '%{http_code}' -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    --data-binary "$2" "$BASE$1")
  [[ "$status" == 201 ]] || { log "POST $1 answered $status"; head -c 2000 "$3" >&2; exit 1; }
}

# measure DB KIND PATH SCRIPT [ARG...]: wrk warm-up, then the measured run with the server's and wrk's CPU time.
measure() {
  local db=$1 kind=$2 path=$3 script=$4 limit=$((DURATION + WARMUP + 60)) cpu0 line wrk_ms
  shift 4
  wait_quiet
  log "[$db] $kind: warm-up ${WARMUP} s, then ${DURATION} s at $CONNECTIONS connections"
  timeout "$limit" wrk -t "$THREADS" -c "$CONNECTIONS" -d "${WARMUP}s" --timeout 5s -s "$script" "$BASE$path" -- "$@" \
    >"$WORK/$db-$kind.warmup.txt" 2>&1 || { log "wrk failed"; cat "$WORK/$db-$kind.warmup.txt" >&2; exit 1; }
  cpu0=$(cpu_ms "$SERVER_PID")
  wrk_ms=$( { TIMEFORMAT='%U %S'; time timeout "$limit" wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --timeout 5s --latency \
    -s "$script" "$BASE$path" -- "$@" >"$WORK/$db-$kind.txt" 2>&1; } 2>&1 | awk '{ printf "%.0f", ($1 + $2) * 1000 }')
  line=$(grep '^BENCH ' "$WORK/$db-$kind.txt") || { log "wrk printed no result"; cat "$WORK/$db-$kind.txt" >&2; exit 1; }
  line="$line server_cpu_ms=$(($(cpu_ms "$SERVER_PID") - cpu0)) wrk_cpu_ms=$wrk_ms"
  echo "$db $kind $line" >>"$WORK/results.txt"
  log "[$db] $kind: ${line#BENCH }"
}

bench_database() {
  local db=$1 kind contact number body link token
  fresh_server "$db" "${LIMIT_ARGS[@]}"
  seed_contacts "$db" "$BASE" "$CONTACTS" "$WORK/$db-contacts.csv"
  IFS=, read -r contact number < <(head -n 1 "$WORK/$db-contacts.csv")
  envelope_body >"$WORK/envelope.json"
  post_json /api/v1/secrets @"$WORK/envelope.json" "$WORK/secret.json"
  link=$(grep -o '"link":"[^"]*"' "$WORK/secret.json" | cut -d'"' -f4)
  token=${link##*/s/}
  # The Lua scripts read the key, the bodies and the paths from the environment.
  export BENCH_KEY=$KEY BENCH_ENVELOPE_FILE="$WORK/envelope.json"
  for kind in $KINDS; do
    case $kind in
      healthz) measure "$db" "$kind" /healthz "$BENCH_DIR/healthz.lua" ;;
      api-floor) measure "$db" "$kind" /api/v1/settings/secrets "$BENCH_DIR/costs.lua" get ;;
      contact-read) measure "$db" "$kind" "/api/v1/contacts/$contact" "$BENCH_DIR/costs.lua" get ;;
      search-phone) measure "$db" "$kind" /api/v1/contacts "$BENCH_DIR/costs.lua" get "?search=%2B1-${number//[^0-9]/}" ;;
      search-name) measure "$db" "$kind" /api/v1/contacts "$BENCH_DIR/costs.lua" get "?search=garc" ;;
      secret-create) measure "$db" "$kind" /api/v1/secrets "$BENCH_DIR/costs.lua" envelope ;;
      link-page) measure "$db" "$kind" "/s/$token" "$BENCH_DIR/costs.lua" page ;;
      *) log "unknown kind $kind"; exit 1 ;;
    esac
  done
  stop_server
}

each_database

# The table: requests per second, the ratio to /healthz of the same database, and CPU microseconds per request.
awk -v conns="$CONNECTIONS" -v threads="$THREADS" -v dur="$DURATION" '
  function val(key,   i, kv) { for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) return kv[2] } return "" }
  {
    n++; db[n] = $1; kind[n] = $2; rps[n] = val("rps"); p99[n] = val("p99_ms"); reqs[n] = val("requests")
    bad[n] = val("non2xx") + val("socket_errors"); server[n] = val("server_cpu_ms"); wrk[n] = val("wrk_cpu_ms")
    if ($2 == "healthz") ceiling[$1] = rps[n]
  }
  END {
    printf "\n%d connections, %d threads, %d s a kind (wrk); CPU per request = CPU time over the measured run / requests\n\n", conns, threads, dur
    print "| database | request | per second | ratio to /healthz | p99 ms | server CPU µs each | wrk CPU µs each | errors |"
    print "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    for (i = 1; i <= n; i++)
      printf "| %s | %s | %.0f | %.1f%% | %.2f | %.0f | %.0f | %d |\n", db[i], kind[i], rps[i], 100 * rps[i] / ceiling[db[i]], p99[i],
        1000 * server[i] / reqs[i], 1000 * wrk[i] / reqs[i], bad[i]
  }' "$WORK/results.txt"

bench_exit
