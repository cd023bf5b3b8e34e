#!/usr/bin/env bash
# Load run of secret links (issue 5) against the real server on loopback: create a secret through POST /api/v1/secrets
# (encrypted by the client, end to end), open its link's page as the recipient, press Reveal (antiforgery token and
# cookie), decrypt and compare; at 1, 16 and 64 concurrent clients, on SQLite and on PostgreSQL, next to GET /healthz
# (wrk) as the ceiling of the same run. After each run the load generator checks through the API that every secret
# created was revealed exactly once and that the sampled second reveals were all refused; after each database the audit
# chain is verified. The script exits 4 if a check failed, 3 if any request failed.
#
#   bench/secrets.sh                                  # both databases, text secrets of 1 KB, 1/16/64 clients, 15 s each
#   BENCH_DATABASES=sqlite BENCH_CLIENTS="16" BENCH_DURATION=5 bench/secrets.sh
#
# Knobs (environment): BENCH_DATABASES ("sqlite postgres"), BENCH_CLIENTS ("1 16 64"; 16 is the target's figure),
# BENCH_SCENARIOS ("text"; the load generator's --scenario: a file scenario is meant to be added there),
# BENCH_BYTES (1024: content per secret), BENCH_SECOND_REVEAL_EVERY (50: every 50th round trip presses Reveal a second
# time, which must be refused; 0 for never), BENCH_DURATION (15, seconds), BENCH_WARMUP (3, seconds), BENCH_CONNECTIONS /
# BENCH_THREADS (32 / 2, wrk on /healthz), BENCH_PG_SETTINGS (default "-c synchronous_commit=off -c max_connections=200"),
# BENCH_PG_CONNECTION (extra Npgsql connection-string options), BENCH_LIMIT_ARGS (the raised per-address limit of the
# public link page; the limiter stays in the path), BENCH_QUIET_CPU / BENCH_QUIET_MAX (25 % / 900 s: wait for an idle
# machine before each measured run), BENCH_SKIP_BUILD (1 skips the Release builds), BENCH_KEEP (1 keeps the temp folder
# with the server logs and the raw output), BENCH_SERVER_ARGS (extra server arguments, e.g.
# --Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command=Information to log every SQL command).
# Only 127.0.0.1 is ever contacted; every step has a time limit; the servers and PostgreSQL are stopped and the folder
# removed on exit.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # sets ROOT and BENCH_DIR
bench_knobs 0 # no contacts: a secret needs none
SCENARIOS=${BENCH_SCENARIOS:-text}
BYTES=${BENCH_BYTES:-1024}
SECOND_REVEAL_EVERY=${BENCH_SECOND_REVEAL_EVERY:-50}
LIMIT_ARGS=${BENCH_LIMIT_ARGS:---Vouch:RateLimits:LinkRequestsPerAddressPerMinute=100000000}
LOAD="$ROOT/bench/SecretsLoad/bin/Release/net10.0/SecretsLoad.dll"

ensure_wrk
ensure_postgres
build_release "$ROOT/src/Vouch.Server" "$ROOT/bench/SecretsLoad"
bench_workdir vouch-secrets
machine_info

# bench_database NAME: a fresh server and database, init, /healthz, then each scenario at each client count.
bench_database() {
  local db=$1
  # shellcheck disable=SC2086 # LIMIT_ARGS is a list of arguments
  fresh_server "$db" $LIMIT_ARGS
  local base=$BASE data=$DATA
  measure_healthz "$db" "$base"

  local scenario clients limit=$((DURATION + WARMUP + 600)) watch=""
  [[ "$db" == postgres ]] && watch="postgres:$(head -n 1 "$PG_DATA/postmaster.pid")"
  for scenario in $SCENARIOS; do
    for clients in $CLIENTS; do
      log "[$db] $scenario secrets of $BYTES bytes: warm-up ${WARMUP} s, then ${DURATION} s at $clients clients"
      run_load "$db, $scenario, $clients clients" "$db $scenario" "$WORK/$db-$scenario-$clients" "$limit" \
        dotnet "$LOAD" --base "$base" --key "$KEY" --scenario "$scenario" --bytes "$BYTES" --clients "$clients" \
        --duration "$DURATION" --warmup "$WARMUP" --second-reveal-every "$SECOND_REVEAL_EVERY" \
        --server-pid "$SERVER_PID" --clk-tck "$(getconf CLK_TCK)" --watch "$watch"
    done
  done
  # The audit chain the secrets appended to must still verify end to end.
  finish_database "$db" "$data"
}

each_database

# The table: each rate as a ratio to the /healthz rate of the same server; CPU per round trip (server; load generator;
# PostgreSQL's processes) over the whole load (warm-up, measured period and stragglers; the checks' reads excluded),
# divided by every round trip started in it.
awk -v bytes="$BYTES" -v dur="$DURATION" -v conns="$CONNECTIONS" -v threads="$THREADS" -v every="$SECOND_REVEAL_EVERY" "$BENCH_TABLE_AWK"'
  {
    all = add_row("roundtrips", "started")
    side[n] = all > 0 ? val("loadgen_cpu_ms") / all : 0
    second[n] = val("second_reveals") " (" val("second_refused") " refused, " val("second_revealed") " revealed)"
    steps[n] = sprintf("%.2f / %.2f | %.2f / %.2f | %.2f / %.2f", val("create_p50_ms"), val("create_p99_ms"), val("open_p50_ms"), val("open_p99_ms"),
      val("reveal_p50_ms"), val("reveal_p99_ms"))
  }
  function row(i) {
    if (kind[i] == "healthz") return sprintf("%s | %d | | | | | %.3f | | | %s | | | |", lead(i), bad[i], cpu[i], rss[i])
    return sprintf("%s | %d | %s | %s | %.3f | %.3f | %s | %s | %.2f | %s | %s |", lead(i, sprintf("%s, %d client%s", kind[i], clients[i], clients[i] == 1 ? "" : "s")),
      bad[i], steps[i], second[i], cpu[i], side[i], db[i] == "postgres" ? sprintf("%.3f", pg[i]) : "", rss[i], others[i], load[i], checks[i])
  }
  END {
    print_table(sprintf("%d-byte secrets, %d s a run after a warm-up; every %dth round trip reveals twice; /healthz with wrk (%d connections, %d threads)", bytes, dur, every, conns, threads),
      "| database | scenario | round trips per second | p50 ms | p90 ms | p99 ms | ratio to /healthz | count | errors | create p50 / p99 ms | open p50 / p99 ms | reveal p50 / p99 ms | second reveals | server CPU ms per round trip | load generator CPU ms per round trip | PostgreSQL CPU ms per round trip | server RSS, MB | other processes, cores | load average | checks |",
      "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
  }' "$WORK/results.txt"

bench_exit
