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
# BENCH_DURATION (15, seconds), BENCH_WARMUP (3, seconds), BENCH_POLL_MS (2: pause between two outbox reads of one
# client), BENCH_PAGE_SIZE (unset: 2 x clients, between 4 and 100), BENCH_CONNECTIONS / BENCH_THREADS (32 / 2, wrk on
# /healthz), BENCH_PG_SETTINGS (PostgreSQL server settings, default "-c synchronous_commit=off -c max_connections=200"),
# BENCH_SKIP_BUILD (1 skips the Release builds), BENCH_KEEP (1 keeps the temp folder with the server logs and the raw
# output), BENCH_SERVER_ARGS (extra server arguments, e.g.
# --Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command=Information to log every SQL command).
# The send and code-check rate limits are raised through server arguments (BENCH_LIMIT_ARGS); the limiter stays in the path.
# Only 127.0.0.1 is ever contacted; every step has a time limit; the servers are stopped and the folder removed on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR="$ROOT/bench"
export BENCH_DIR
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

DATABASES=${BENCH_DATABASES:-sqlite postgres}
CLIENTS=${BENCH_CLIENTS:-1 16 64}
CONTACTS=${BENCH_CONTACTS:-20000}
DURATION=${BENCH_DURATION:-15}
WARMUP=${BENCH_WARMUP:-3}
POLL_MS=${BENCH_POLL_MS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
PG_SETTINGS=${BENCH_PG_SETTINGS:--c synchronous_commit=off -c max_connections=200}
LIMIT_ARGS=${BENCH_LIMIT_ARGS:---Vouch:RateLimits:SendsPerTenantPerMinute=10000000 --Vouch:RateLimits:SendsPerMemberPerMinute=10000000 --Vouch:RateLimits:SendsPerDestinationPerHour=1000 --Vouch:RateLimits:CodeChecksPerMemberPerMinute=10000000}
DLL="$ROOT/src/Vouch.Server/bin/Release/net10.0/Vouch.Server.dll"
LOAD="$ROOT/bench/VerifyLoad/bin/Release/net10.0/VerifyLoad.dll"

ensure_wrk
if [[ " $DATABASES " == *" postgres "* ]] && ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  log "installing postgresql"
  timeout 600 apt-get -o DPkg::Lock::Timeout=300 install -y postgresql >/dev/null || {
    timeout 300 apt-get -o DPkg::Lock::Timeout=300 update >/dev/null &&
      timeout 600 apt-get -o DPkg::Lock::Timeout=300 install -y postgresql >/dev/null
  }
fi

if [[ "${BENCH_SKIP_BUILD:-}" != 1 ]]; then
  log "building Release (server and bench/VerifyLoad)"
  timeout 600 dotnet build -c Release "$ROOT/src/Vouch.Server" -nologo -v q >&2
  timeout 600 dotnet build -c Release "$ROOT/bench/VerifyLoad" -nologo -v q >&2
fi

WORK=$(mktemp -d /tmp/vouch-verify.XXXXXX)
chmod 755 "$WORK" # the postgres user must reach its cluster folder inside
SERVER_PID=""
PG_BIN="" PG_DATA="" PG_PORT=""

stop_server() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_postgres() {
  if [[ -n "$PG_DATA" && -f "$PG_DATA/postmaster.pid" ]]; then
    timeout 60 bash -c "$(declare -f as_postgres); as_postgres '$PG_BIN/pg_ctl' -D '$PG_DATA' -m fast -w stop" >/dev/null 2>&1 || true
  fi
  PG_DATA=""
}
cleanup() {
  stop_server
  stop_postgres
  if [[ "${BENCH_KEEP:-}" == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT INT TERM

start_postgres() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PG_DATA="$WORK/pg/data"
  PG_PORT=$(free_port)
  mkdir -p "$WORK/pg"
  [[ $(id -u) == 0 ]] && chown postgres: "$WORK/pg"
  log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{ print $3 }'): throwaway cluster on 127.0.0.1:$PG_PORT ($PG_SETTINGS)"
  timeout 120 bash -c "$(declare -f as_postgres); as_postgres '$PG_BIN/initdb' -D '$PG_DATA' --auth=trust --no-sync -U postgres" >"$WORK/pg-initdb.log" 2>&1 ||
    { log "initdb failed"; cat "$WORK/pg-initdb.log" >&2; exit 1; }
  timeout 120 bash -c "$(declare -f as_postgres); as_postgres '$PG_BIN/pg_ctl' -D '$PG_DATA' -l '$WORK/pg/server.log' -w -t 60 \
    -o \"-c listen_addresses=127.0.0.1 -p $PG_PORT -k $WORK/pg $PG_SETTINGS\" start" >/dev/null ||
    { log "PostgreSQL did not start"; cat "$WORK/pg/server.log" >&2; exit 1; }
}

cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.0f", ($14 + $15) * 1000 / hz }' "/proc/$1/stat"; } # user + system
rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
hwm_mb() { awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

: >"$WORK/results.txt"

# bench_database NAME: a fresh server and database, init, seed, /healthz, then the round trip at each client count.
bench_database() {
  local db=$1 data="$WORK/$db" db_args=()
  mkdir -p "$data"
  if [[ "$db" == postgres ]]; then
    [[ -n "$PG_DATA" ]] || start_postgres
    timeout 60 "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres vouch_bench
    db_args=(--Database:Provider=postgres "--ConnectionStrings:Vouch=Host=127.0.0.1;Port=$PG_PORT;Database=vouch_bench;Username=postgres;Maximum Pool Size=100")
  fi

  log "[$db] init tenant"
  local init_out key
  init_out=$(echo 'a long owner password for the bench' |
    timeout 180 dotnet "$DLL" init --tenant "Bench MSP" --email owner@bench.test --Vouch:DataDirectory="$data" "${db_args[@]}" 2>&1) ||
    { log "init failed:"; echo "$init_out" >&2; exit 1; }
  key=$(grep -o 'vch_[A-Za-z0-9_-]*' <<<"$init_out" | head -n 1 || true)
  [[ -n "$key" ]] || { log "init printed no API key:"; echo "$init_out" >&2; exit 1; }
  local auth="Authorization: Bearer $key"

  local port base
  port=$(free_port)
  base="http://127.0.0.1:$port"
  log "[$db] starting the server on $base"
  # shellcheck disable=SC2086 # LIMIT_ARGS and BENCH_SERVER_ARGS are lists of arguments
  dotnet "$DLL" --urls="$base" --Vouch:DataDirectory="$data" --Logging:LogLevel:Default=Warning "${db_args[@]}" \
    $LIMIT_ARGS ${BENCH_SERVER_ARGS:-} >"$WORK/$db-server.log" 2>&1 &
  SERVER_PID=$!
  local i
  for i in $(seq 1 120); do
    if curl -fsS --max-time 2 "$base/healthz" >/dev/null 2>&1; then break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { log "server exited:"; tail -n 30 "$WORK/$db-server.log" >&2; exit 1; }
    [[ $i -lt 120 ]] || { log "server not ready after 60 s"; tail -n 30 "$WORK/$db-server.log" >&2; exit 1; }
    sleep 0.5
  done

  log "[$db] seeding $CONTACTS contacts (one mobile each) through POST /api/v1/contacts/import"
  local from to added refused
  : >"$WORK/$db-contacts.csv"
  for ((from = 0; from < CONTACTS; from += 10000)); do
    to=$((from + 10000 < CONTACTS ? from + 10000 : CONTACTS))
    gen_csv "$from" "$to" >"$WORK/seed.csv"
    curl -sS --max-time 600 -o "$WORK/import.json" -w '%{http_code}' -H "$auth" -H 'Content-Type: text/csv' \
      --data-binary @"$WORK/seed.csv" "$base/api/v1/contacts/import" >"$WORK/import.status"
    [[ $(cat "$WORK/import.status") == 200 ]] || { log "import failed: $(cat "$WORK/import.status")"; head -c 2000 "$WORK/import.json" >&2; exit 1; }
    added=$(grep -o '"added":[0-9]*' "$WORK/import.json" | head -n 1 | cut -d: -f2)
    refused=$(grep -o '"refused":[0-9]*' "$WORK/import.json" | head -n 1 | cut -d: -f2)
    [[ "$refused" == 0 && "$added" == $((to - from)) ]] || { log "import added $added, refused $refused of $((to - from)) rows"; exit 1; }
    # The report lists the rows in file order: pair each contact id with the row's mobile number as written in the file.
    paste -d, <(grep -o '"contactId":"[0-9a-f-]*"' "$WORK/import.json" | cut -d'"' -f4) <(tail -n +2 "$WORK/seed.csv" | cut -d, -f6) \
      >>"$WORK/$db-contacts.csv"
  done
  [[ $(grep -c '^[0-9a-f-]\{36\},(' "$WORK/$db-contacts.csv") == "$CONTACTS" ]] || { log "could not pair contact ids with numbers"; exit 1; }

  log "[$db] /healthz: warm-up ${WARMUP} s, then ${DURATION} s at $CONNECTIONS connections, $THREADS threads (wrk)"
  local limit=$((DURATION + WARMUP + 60)) line
  timeout "$limit" wrk -t "$THREADS" -c "$CONNECTIONS" -d "${WARMUP}s" --timeout 5s -s "$BENCH_DIR/healthz.lua" "$base/healthz" \
    >"$WORK/$db-healthz.warmup.txt" 2>&1 || { log "wrk failed"; cat "$WORK/$db-healthz.warmup.txt" >&2; exit 1; }
  local cpu0 cpu
  cpu0=$(cpu_ms "$SERVER_PID")
  timeout "$limit" wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --timeout 5s --latency -s "$BENCH_DIR/healthz.lua" "$base/healthz" \
    >"$WORK/$db-healthz.txt" 2>&1 || { log "wrk failed"; cat "$WORK/$db-healthz.txt" >&2; exit 1; }
  cpu=$(($(cpu_ms "$SERVER_PID") - cpu0))
  line=$(grep '^BENCH ' "$WORK/$db-healthz.txt") || { log "wrk printed no result"; cat "$WORK/$db-healthz.txt" >&2; exit 1; }
  line="$line server_cpu_ms=$cpu rss_mb=$(rss_mb "$SERVER_PID")"
  echo "$db healthz $line" >>"$WORK/results.txt"
  log "[$db] healthz: ${line#BENCH }"

  local clients page_args=()
  [[ -n "${BENCH_PAGE_SIZE:-}" ]] && page_args=(--page-size "$BENCH_PAGE_SIZE")
  for clients in $CLIENTS; do
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
      echo "database file $(du -sm "$data" | cut -f1) MB"
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
