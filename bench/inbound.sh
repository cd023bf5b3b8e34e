#!/usr/bin/env bash
# Load run of the inbound SMS webhook (issue 4) against the real server on loopback: signed Twilio `#verify` and
# `#confirm` texts posted to POST /webhooks/twilio/sms at 1, 16 and 64 concurrent clients, on SQLite and on PostgreSQL,
# next to GET /healthz (wrk) as the ceiling of the same run. Vouch's replies (the code, the confirmation) go through its
# Twilio sender to a Twilio stand-in on loopback (bench/InboundLoad standin), which counts them per recipient. After each
# run the script checks that no text was lost or processed twice, and exits non-zero if a check fails.
#
#   bench/inbound.sh                                  # both databases, 5,000 contacts, 1/16/64 clients, 15 s each
#   BENCH_DATABASES=sqlite BENCH_CLIENTS="64" BENCH_DURATION=5 bench/inbound.sh
#
# Knobs (environment): BENCH_DATABASES ("sqlite postgres"), BENCH_CLIENTS ("1 16 64"), BENCH_CONTACTS (5000),
# BENCH_DURATION (15, seconds), BENCH_WARMUP (20, seconds: covers the tiered JIT), BENCH_DUPLICATE_EVERY (20: every 20th text is posted twice with
# the same MessageSid; 0 for none), BENCH_DRAIN_TIMEOUT (120, seconds to wait for every reply), BENCH_CONNECTIONS /
# BENCH_THREADS (32 / 2, wrk on /healthz), BENCH_PG_SETTINGS (default "-c synchronous_commit=off -c max_connections=200"),
# BENCH_LIMIT_ARGS (the raised #verify and reply limits), BENCH_QUIET_MAX (900: seconds to wait for other test runs to end
# before each measured run), BENCH_SKIP_BUILD (1 skips the Release builds), BENCH_KEEP (1 keeps the temp folder with the
# server logs and the raw output), BENCH_SERVER_ARGS (extra server arguments, e.g.
# --Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command=Information to log every SQL command).
# Only 127.0.0.1 is ever contacted; every step has a time limit; the servers, the stand-in and PostgreSQL are stopped
# and the folder removed on exit.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # sets ROOT and BENCH_DIR
bench_knobs 5000
DUPLICATE_EVERY=${BENCH_DUPLICATE_EVERY:-20}
DRAIN_TIMEOUT=${BENCH_DRAIN_TIMEOUT:-120}
LIMIT_ARGS=${BENCH_LIMIT_ARGS:---Vouch:RateLimits:VerifyTextsPerNumberPerHour=1000000 --Vouch:RateLimits:VerifyTextsPerTenantPerMinute=100000000 --Vouch:RateLimits:RepliesPerNumberPerHour=1000000}
LOAD="$ROOT/bench/InboundLoad/bin/Release/net10.0/InboundLoad.dll"

# The tenant's verification number and its Twilio account (made up; the stand-in is the only "Twilio" reached).
VOUCH_NUMBER="+14155550100"
ACCOUNT_SID="AC$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
AUTH_TOKEN="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"

ensure_wrk
ensure_postgres
build_release "$ROOT/src/Vouch.Server" "$ROOT/bench/InboundLoad"
bench_workdir vouch-inbound
machine_info

STANDIN_PORT=$(free_port)
STANDIN="http://127.0.0.1:$STANDIN_PORT"
log "Twilio stand-in on $STANDIN"
dotnet "$LOAD" standin --port "$STANDIN_PORT" --account "$ACCOUNT_SID" --token "$AUTH_TOKEN" >"$WORK/standin.log" 2>&1 &
STANDIN_PID=$!
BENCH_PIDS+=("$STANDIN_PID")
for i in $(seq 1 60); do
  curl -fsS --max-time 2 "$STANDIN/_bench/counts" >/dev/null 2>&1 && break
  [[ $i -lt 60 ]] || { log "the stand-in did not start"; cat "$WORK/standin.log" >&2; exit 1; }
  sleep 0.5
done

# add_number DB BASE: the tenant's Twilio verification number; sets WEBHOOK (the URL Vouch validates signatures against).
add_number() {
  local status
  status=$(curl -sS --max-time 30 -o "$WORK/$1-number.json" -w '%{http_code}' -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    -d "{\"number\":\"$VOUCH_NUMBER\",\"purpose\":\"verification\",\"provider\":\"twilio\",\"label\":\"bench\",\"twilioAccountSid\":\"$ACCOUNT_SID\",\"twilioAuthToken\":\"$AUTH_TOKEN\"}" \
    "$2/api/v1/phone-numbers")
  [[ "$status" == 201 ]] || { log "POST /api/v1/phone-numbers answered $status"; cat "$WORK/$1-number.json" >&2; exit 1; }
  WEBHOOK=$(grep -o '"webhookUrl":"[^"]*"' "$WORK/$1-number.json" | cut -d'"' -f4)
  [[ "$WEBHOOK" == "$2/webhooks/twilio/sms" ]] || { log "unexpected webhookUrl '$WEBHOOK'"; exit 1; }
  log "[$1] Twilio number $VOUCH_NUMBER added; webhook $WEBHOOK"
}

# bench_database NAME: a fresh server and database, init, seed, the number, /healthz, then the texts at each client count.
bench_database() {
  local db=$1
  # No Vouch:PublicBaseUrl: the server checks signatures against its own request URL, the one posted to.
  # shellcheck disable=SC2086 # LIMIT_ARGS is a list of arguments
  fresh_server "$db" "--Vouch:Twilio:ApiBaseUrl=$STANDIN" $LIMIT_ARGS
  local base=$BASE data=$DATA
  seed_contacts "$db" "$base" "$CONTACTS" "$WORK/$db-contacts.csv"
  add_number "$db" "$base"
  measure_healthz "$db" "$base"

  local clients limit=$((DURATION + WARMUP + DRAIN_TIMEOUT + 300)) watch="standin:$STANDIN_PID"
  [[ "$db" == postgres ]] && watch="$watch,postgres:$(head -n 1 "$PG_DATA/postmaster.pid")"
  for clients in $CLIENTS; do
    log "[$db] inbound texts: warm-up ${WARMUP} s, then ${DURATION} s at $clients clients"
    run_load "$db, $clients clients" "$db inbound" "$WORK/$db-inbound-$clients" "$limit" \
      dotnet "$LOAD" run --base "$base" --webhook "$WEBHOOK" --standin "$STANDIN" --key "$KEY" \
      --contacts "$WORK/$db-contacts.csv" --to "$VOUCH_NUMBER" --account "$ACCOUNT_SID" --token "$AUTH_TOKEN" \
      --clients "$clients" --duration "$DURATION" --warmup "$WARMUP" --duplicate-every "$DUPLICATE_EVERY" \
      --drain-timeout "$DRAIN_TIMEOUT" --server-pid "$SERVER_PID" --clk-tck "$(getconf CLK_TCK)" --watch "$watch"
  done
  # The audit chain the texts appended to must still verify end to end.
  finish_database "$db" "$data"
}

each_database

# The table: each rate as a ratio to the /healthz rate of the same server; CPU per text (server; load generator and
# stand-in; PostgreSQL's processes) over the load and the delivery of the replies (warm-up, measured period, stragglers
# and duplicates included, the checks' reads excluded).
awk -v contacts="$CONTACTS" -v dur="$DURATION" -v conns="$CONNECTIONS" -v threads="$THREADS" -v dup="$DUPLICATE_EVERY" "$BENCH_TABLE_AWK"'
  {
    all = add_row("messages", "posted")
    dups[n] = val("duplicates"); dupr[n] = val("duplicate_rps"); drain[n] = val("drain_s")
    side[n] = all > 0 ? (val("loadgen_cpu_ms") + val("standin_cpu_ms")) / all : 0
  }
  function row(i) {
    if (kind[i] == "healthz") return sprintf("%s | | %d | | %.3f | | | %s | | | |", lead(i), bad[i], cpu[i], rss[i])
    return sprintf("%s | %d (%.0f) | %d | %.1f | %.3f | %.3f | %s | %s | %.2f | %s | %s |", lead(i, sprintf("#verify/#confirm, %d client%s", clients[i], clients[i] == 1 ? "" : "s")),
      dups[i], dupr[i], bad[i], drain[i], cpu[i], side[i], db[i] == "postgres" ? sprintf("%.3f", pg[i]) : "", rss[i], others[i], load[i], checks[i])
  }
  END {
    print_table(sprintf("%d contacts, %d s a run after a warm-up; every %dth text posted twice; /healthz with wrk (%d connections, %d threads)", contacts, dur, dup, conns, threads),
      "| database | scenario | texts per second | p50 ms | p90 ms | p99 ms | ratio to /healthz | count | duplicates (per second) | errors | replies drained after, s | server CPU ms per text | load generator + stand-in CPU ms per text | PostgreSQL CPU ms per text | server RSS, MB | other processes, cores | load average | checks |",
      "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
  }' "$WORK/results.txt"

bench_exit
