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
# BENCH_DURATION (15, seconds), BENCH_WARMUP (3, seconds), BENCH_DUPLICATE_EVERY (20: every 20th text is posted twice with
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

FAILED_CHECKS=0

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

  local clients out line rc load0 limit=$((DURATION + WARMUP + DRAIN_TIMEOUT + 300)) watch="standin:$STANDIN_PID"
  [[ "$db" == postgres ]] && watch="$watch,postgres:$(head -n 1 "$PG_DATA/postmaster.pid")"
  for clients in $CLIENTS; do
    wait_quiet
    load0=$(cut -d' ' -f1 /proc/loadavg)
    log "[$db] inbound texts: warm-up ${WARMUP} s, then ${DURATION} s at $clients clients (load average $load0)"
    out="$WORK/$db-inbound-$clients"
    rc=0
    timeout "$limit" dotnet "$LOAD" run --base "$base" --webhook "$WEBHOOK" --standin "$STANDIN" --key "$KEY" \
      --contacts "$WORK/$db-contacts.csv" --to "$VOUCH_NUMBER" --account "$ACCOUNT_SID" --token "$AUTH_TOKEN" \
      --clients "$clients" --duration "$DURATION" --warmup "$WARMUP" --duplicate-every "$DUPLICATE_EVERY" \
      --drain-timeout "$DRAIN_TIMEOUT" --server-pid "$SERVER_PID" --clk-tck "$(getconf CLK_TCK)" --watch "$watch" >"$out.txt" 2>"$out.err" || rc=$?
    [[ $rc == 0 || $rc == 4 ]] || { log "the load generator failed ($rc)"; cat "$out.txt" "$out.err" >&2; exit 1; }
    line=$(grep '^BENCH ' "$out.txt") || { log "no result"; cat "$out.err" >&2; exit 1; }
    [[ -s "$out.err" ]] && cat "$out.err" >&2
    sed "s/^/[$db, $clients clients] /" <(grep '^CHECK ' "$out.txt") | tee -a "$WORK/checks.txt" >&2
    [[ $rc == 0 ]] || FAILED_CHECKS=$((FAILED_CHECKS + 1))
    line="$line load_before=$load0 load_after=$(cut -d' ' -f1 /proc/loadavg)"
    echo "$db inbound $line" >>"$WORK/results.txt"
    log "[$db] $clients clients: ${line#BENCH }"
  done
  log "[$db] server peak resident memory (VmHWM) $(hwm_mb "$SERVER_PID") MB"
  stop_server

  # The audit chain the texts appended to must still verify end to end.
  if timeout 300 dotnet "$DLL" audit verify --Vouch:DataDirectory="$data" "${DB_ARGS[@]}" >"$WORK/$db-audit.txt" 2>&1; then
    echo "[$db] CHECK ok   audit chain: $(tail -n 1 "$WORK/$db-audit.txt")" | tee -a "$WORK/checks.txt" >&2
  else
    echo "[$db] CHECK FAIL audit chain: $(tail -n 3 "$WORK/$db-audit.txt" | tr '\n' ' ')" | tee -a "$WORK/checks.txt" >&2
    FAILED_CHECKS=$((FAILED_CHECKS + 1))
  fi
}

for db in $DATABASES; do
  bench_database "$db"
done
machine_info

if [[ "${BENCH_KEEP:-}" == 1 ]]; then
  for f in "$WORK"/*.txt; do { echo "== $f"; cat "$f"; } >&2; done
fi

# The table: each rate as a ratio to the /healthz rate of the same server; CPU per text (server; load generator and
# stand-in; PostgreSQL's processes) over the load and the delivery of the replies (warm-up, measured period, stragglers
# and duplicates included, the checks' reads excluded).
awk -v contacts="$CONTACTS" -v dur="$DURATION" -v conns="$CONNECTIONS" -v threads="$THREADS" -v dup="$DUPLICATE_EVERY" '
  function val(key,   i, kv) { for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) return kv[2] } return "" }
  {
    n++; db[n] = $1; kind[n] = $2; rps[n] = val("rps"); p50[n] = val("p50_ms"); p90[n] = val("p90_ms"); p99[n] = val("p99_ms"); rss[n] = val("rss_mb")
    clients[n] = val("clients"); count[n] = $2 == "healthz" ? val("requests") : val("messages"); dups[n] = val("duplicates")
    dupr[n] = val("duplicate_rps"); drain[n] = val("drain_s"); load[n] = val("load_before") "→" val("load_after")
    all = $2 == "healthz" ? val("requests") : val("posted")
    cpu[n] = all > 0 ? val("server_cpu_ms") / all : 0
    side[n] = all > 0 ? (val("loadgen_cpu_ms") + val("standin_cpu_ms")) / all : 0; pg[n] = all > 0 ? val("postgres_cpu_ms") / all : 0
    others[n] = val("load_s") + val("drain_s") > 0 ? val("others_cpu_ms") / 1000 / (val("load_s") + val("drain_s")) : 0
    bad[n] = $2 == "healthz" ? val("non2xx") + val("socket_errors") : val("errors"); checks[n] = val("checks")
    if ($2 == "healthz") ceiling[$1] = rps[n]
  }
  END {
    printf "\n%d contacts, %d s a run after a warm-up; every %dth text posted twice; /healthz with wrk (%d connections, %d threads)\n\n", contacts, dur, dup, conns, threads
    print "| database | scenario | texts per second | p50 ms | p90 ms | p99 ms | ratio to /healthz | count | duplicates (per second) | errors | replies drained after, s | server CPU ms per text | load generator + stand-in CPU ms per text | PostgreSQL CPU ms per text | server RSS, MB | other processes, cores | load average | checks |"
    print "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
    for (i = 1; i <= n; i++) {
      if (kind[i] == "healthz") {
        printf "| %s | GET /healthz (ceiling) | %.0f | %.2f | %.2f | %.2f | 100%% | %d | | %d | | %.3f | | | %s | | | |\n", db[i], rps[i], p50[i], p90[i], p99[i], count[i], bad[i], cpu[i], rss[i]
      } else {
        printf "| %s | #verify/#confirm, %d client%s | %.0f | %.2f | %.2f | %.2f | %.1f%% | %d | %d (%.0f) | %d | %.1f | %.3f | %.3f | %s | %s | %.2f | %s | %s |\n", db[i], clients[i],
          clients[i] == 1 ? "" : "s", rps[i], p50[i], p90[i], p99[i], 100 * rps[i] / ceiling[db[i]], count[i], dups[i], dupr[i], bad[i], drain[i], cpu[i], side[i],
          db[i] == "postgres" ? sprintf("%.3f", pg[i]) : "", rss[i], others[i], load[i], checks[i]
      }
    }
  }' "$WORK/results.txt"

bad_total=$(awk '{ for (i = 3; i <= NF; i++) if ($i ~ /^(non2xx|socket_errors|errors)=/) { split($i, kv, "="); s += kv[2] } } END { print s + 0 }' "$WORK/results.txt")
if [[ "$FAILED_CHECKS" != 0 ]]; then log "FAILED: $FAILED_CHECKS runs with failed checks (see the CHECK lines)"; exit 4; fi
if [[ "$bad_total" != 0 ]]; then log "WARNING: $bad_total failed requests (see the table)"; exit 3; fi
log "all checks passed"
