#!/usr/bin/env bash
# Load run of the end-user verification round trip (issue 3) against the real server on loopback: create an sms_code
# verification, read its code from the development outbox, submit it; at 1, 16 and 64 concurrent clients, on SQLite and
# on PostgreSQL, next to GET /healthz (wrk) as the ceiling of the same run, with the server's resident memory after
# each run.
#
#   bench/verify.sh                                   # both databases, 20,000 contacts, 1/16/64 clients, 15 s each
#   BENCH_DATABASES=sqlite BENCH_CLIENTS="64" BENCH_DURATION=5 bench/verify.sh
#
# Knobs (environment): BENCH_DATABASES ("sqlite postgres"), BENCH_CLIENTS ("1 16 64"), BENCH_CONTACTS (20000),
# BENCH_DURATION (15, seconds), BENCH_WARMUP (20, seconds: covers the tiered JIT), BENCH_POLL_MS (2: pause between two outbox reads of one
# client), BENCH_PAGE_SIZE (unset: 2 x clients, between 4 and 100), BENCH_CONNECTIONS / BENCH_THREADS (32 / 2, wrk on
# /healthz), BENCH_PG_SETTINGS (PostgreSQL server settings, default "-c synchronous_commit=off -c max_connections=200"),
# BENCH_SKIP_BUILD (1 skips the Release builds), BENCH_KEEP (1 keeps the temp folder with the server logs and the raw
# output), BENCH_SERVER_ARGS (extra server arguments, e.g.
# --Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command=Information to log every SQL command).
# The send and code-check rate limits are raised through server arguments (BENCH_LIMIT_ARGS); the limiter stays in the path.
# Only 127.0.0.1 is ever contacted; every step has a time limit; the servers are stopped and the folder removed on exit.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # sets ROOT and BENCH_DIR
bench_knobs 20000
POLL_MS=${BENCH_POLL_MS:-2}
LIMIT_ARGS=${BENCH_LIMIT_ARGS:---Vouch:RateLimits:SendsPerTenantPerMinute=20000000 --Vouch:RateLimits:SendsPerMemberPerMinute=10000000 --Vouch:RateLimits:SendsPerDestinationPerHour=1000 --Vouch:RateLimits:CodeChecksPerMemberPerMinute=10000000}
LOAD="$ROOT/bench/VerifyLoad/bin/Release/net10.0/VerifyLoad.dll"

ensure_wrk
ensure_postgres
build_release "$ROOT/src/Vouch.Server" "$ROOT/bench/VerifyLoad"
bench_workdir vouch-verify
machine_info

# bench_database NAME: a fresh server and database, init, seed, /healthz, then the round trip at each client count.
bench_database() {
  local db=$1
  # shellcheck disable=SC2086 # LIMIT_ARGS is a list of arguments
  fresh_server "$db" $LIMIT_ARGS
  local base=$BASE
  seed_contacts "$db" "$base" "$CONTACTS" "$WORK/$db-contacts.csv"
  measure_healthz "$db" "$base"

  local key=$KEY limit=$((DURATION + WARMUP + 60)) line cpu0
  local clients page_args=()
  [[ -n "${BENCH_PAGE_SIZE:-}" ]] && page_args=(--page-size "$BENCH_PAGE_SIZE")
  for clients in $CLIENTS; do
    wait_quiet
    log "[$db] round trip: warm-up ${WARMUP} s, then ${DURATION} s at $clients clients"
    cpu0=$(cpu_ms "$SERVER_PID")
    timeout "$limit" dotnet "$LOAD" --base "$base" --key "$key" --contacts "$WORK/$db-contacts.csv" --clients "$clients" \
      --duration "$DURATION" --warmup "$WARMUP" --poll-ms "$POLL_MS" "${page_args[@]}" \
      >"$WORK/$db-verify-$clients.txt" 2>"$WORK/$db-verify-$clients.err" ||
      { log "the load generator failed"; cat "$WORK/$db-verify-$clients.txt" "$WORK/$db-verify-$clients.err" >&2; exit 1; }
    line=$(grep '^BENCH ' "$WORK/$db-verify-$clients.txt") || { log "no result"; cat "$WORK/$db-verify-$clients.err" >&2; exit 1; }
    [[ -s "$WORK/$db-verify-$clients.err" ]] && cat "$WORK/$db-verify-$clients.err" >&2
    # Server CPU over the warm-up and the measured period, for every round trip started in them.
    line="$line server_cpu_ms=$(($(cpu_ms "$SERVER_PID") - cpu0)) rss_mb=$(rss_mb "$SERVER_PID")"
    echo "$db verify $line" >>"$WORK/results.txt"
    log "[$db] $clients clients: ${line#BENCH }"
  done
  log "[$db] server peak resident memory (VmHWM) $(hwm_mb "$SERVER_PID") MB; rows: $(
    if [[ "$db" == postgres ]]; then
      timeout 30 "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d vouch_bench -Atc \
        'SELECT (SELECT count(*) FROM "Verifications") || '"' verifications, '"' || (SELECT count(*) FROM "AuditEntries") || '"' audit entries'"'' 2>/dev/null || echo '?'
    else
      echo "database file $(du -sm "$DATA" | cut -f1) MB"
    fi)"
  stop_server
}

for db in $DATABASES; do
  bench_database "$db"
done

if [[ "${BENCH_KEEP:-}" == 1 ]]; then
  for f in "$WORK"/*.txt; do { echo "== $f"; cat "$f"; } >&2; done
fi

# The table: each round-trip rate as a ratio to the /healthz rate of the same server.
awk -v contacts="$CONTACTS" -v dur="$DURATION" -v conns="$CONNECTIONS" -v threads="$THREADS" '
  function val(key,   i, kv) { for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) return kv[2] } return "" }
  {
    n++; db[n] = $1; kind[n] = $2; rps[n] = val("rps"); p50[n] = val("p50_ms"); p99[n] = val("p99_ms"); rss[n] = val("rss_mb")
    clients[n] = val("clients"); count[n] = $2 == "healthz" ? val("requests") : val("roundtrips")
    all = $2 == "healthz" ? val("requests") : val("roundtrips") + val("warmup_rts") + val("stragglers") + val("errors")
    cpu[n] = all > 0 ? val("server_cpu_ms") / all : 0
    bad[n] = $2 == "healthz" ? val("non2xx") + val("socket_errors") : val("errors"); polls[n] = val("polls_per_rt")
    if ($2 == "healthz") ceiling[$1] = rps[n]
  }
  END {
    printf "\n%d contacts, %d s a run after a warm-up; /healthz with wrk (%d connections, %d threads)\n\n", contacts, dur, conns, threads
    print "| database | scenario | per second | p50 ms | p99 ms | ratio to /healthz | count | errors | outbox reads per round trip | server CPU ms each | server RSS after, MB |"
    print "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for (i = 1; i <= n; i++) {
      label = kind[i] == "healthz" ? "GET /healthz (ceiling)" : sprintf("round trip, %d client%s", clients[i], clients[i] == 1 ? "" : "s")
      printf "| %s | %s | %.0f | %.2f | %.2f | %.1f%% | %d | %d | %s | %.3f | %s |\n", db[i], label, rps[i], p50[i], p99[i],
        100 * rps[i] / ceiling[db[i]], count[i], bad[i], kind[i] == "healthz" ? "" : polls[i], cpu[i], rss[i]
    }
  }' "$WORK/results.txt"

bad_total=$(awk '{ for (i = 3; i <= NF; i++) if ($i ~ /^(non2xx|socket_errors|errors)=/) { split($i, kv, "="); s += kv[2] } } END { print s + 0 }' "$WORK/results.txt")
if [[ "$bad_total" != 0 ]]; then log "WARNING: $bad_total failed requests or round trips (see the table)"; exit 3; fi
