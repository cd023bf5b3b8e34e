#!/usr/bin/env bash
# Helpers shared by bench/run.sh, bench/verify.sh, bench/inbound.sh and bench/secrets.sh (sourced, not run).

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
export BENCH_DIR # the wrk scripts read it

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

ensure_wrk() {
  command -v wrk >/dev/null && return 0
  log "installing wrk"
  apt-get -o DPkg::Lock::Timeout=300 install -y wrk >/dev/null || {
    apt-get -o DPkg::Lock::Timeout=300 update >/dev/null && apt-get -o DPkg::Lock::Timeout=300 install -y wrk >/dev/null
  }
}

# free_port: prints a loopback port nobody answers on, below the kernel's ephemeral range (ip_local_port_range): a port
# in that range can be the local end of a closing client connection and refuse to be bound a moment later.
free_port() {
  local candidate low
  low=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  for candidate in $(shuf -i "20000-$((low > 20100 ? low - 1 : 60000))" -n 100); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then echo "$candidate"; return 0; fi
  done
  log "no free port found"
  return 1
}

# Seed data: varied names, titles and companies; unique e-mails; unique valid US mobile numbers.
# Contact i gets area code 212/646/917/718 (i mod 4), exchange 230-289 and a scrambled line number: a bijection
# for i < 2,400,000, so numbers never repeat. The CSV writes them as "(212) 245-1234"; the searches use other formats.
gen_csv() { # gen_csv FROM TO
  awk -v from="$1" -v to="$2" 'BEGIN {
    nf = split("James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy Matthew Betty Anthony Sandra Mark Ashley Wei Priya Kwame Fatima Hiroshi Lena Omar Chloe Diego Aisha Mateo Sofia Ivan Mei Arjun Ingrid Tomasz Amara Yusuf Camille", F, " ")
    nl = split("Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Okafor Schmidt Rossi Kowalski Haddad Tanaka Patel Johansson Dubois Yilmaz", L, " ")
    nt = split("Accountant|Office Manager|CFO|CEO|Receptionist|Paralegal|Nurse|Dental Hygienist|Sales Director|Engineer|Controller|HR Generalist|Architect|Bookkeeper|Operations Lead", T, "|")
    nc = split("Acme Dental|Harbor Law Group|Pine Street Clinic|Northwind Logistics|Blue Ridge Architects|Summit CPA|Riverside Realty|Cedar Family Practice|Lakeside Insurance|Metro Veterinary|Oakwood Schools|Granite Builders|Sunrise Pharmacy|Beacon Financial|Willow Creek Farms|Crescent Hotels|Atlas Manufacturing|Maple Orthodontics|Keystone Title|Horizon Nonprofit", C, "|")
    na = split("212 646 917 718", A, " ")
    print "first_name,last_name,title,company,email,mobile"
    for (i = from; i < to; i++) {
      f = F[(i * 7) % nf + 1]; l = L[(i * 13 + int(i / nf)) % nl + 1]
      c = C[(i * 3 + int(i / 11)) % nc + 1]; t = T[(i * 5 + int(i / 17)) % nt + 1]
      domain = tolower(c); gsub(/[^a-z]/, "", domain)
      area = A[i % na + 1]; exch = 230 + int(i / na) % 60; line = (int(i / (na * 60)) * 7919) % 10000
      printf "%s,%s,%s,%s,%s.%s.%d@%s.example,(%s) %03d-%04d\n", f, l, t, c, tolower(f), tolower(l), i, domain, area, exch, line
    }
  }'
}
number_of() { # number_of I -> "AREA EXCH LINE" of seeded contact I (same formula as gen_csv)
  awk -v i="$1" 'BEGIN { split("212 646 917 718", A, " "); printf "%s %03d %04d\n", A[i % 4 + 1], 230 + int(i / 4) % 60, (int(i / 240) * 7919) % 10000 }'
}


# ---- Shared by the benchmarks that run whole servers (bench/run.sh, bench/verify.sh, bench/inbound.sh, bench/secrets.sh) --

# bench_knobs CONTACTS: the knobs every run shares, from BENCH_* (CONTACTS is the default number of contacts), and DLL.
bench_knobs() {
  DATABASES=${BENCH_DATABASES:-sqlite postgres}
  CLIENTS=${BENCH_CLIENTS:-1 16 64}
  CONTACTS=${BENCH_CONTACTS:-$1}
  DURATION=${BENCH_DURATION:-15}
  WARMUP=${BENCH_WARMUP:-20} # the runtime recompiles hot code for ~20 s under load (tiered JIT); measure after it
  CONNECTIONS=${BENCH_CONNECTIONS:-32}
  THREADS=${BENCH_THREADS:-2}
  PG_SETTINGS=${BENCH_PG_SETTINGS:--c synchronous_commit=off -c max_connections=200}
  DLL=${BENCH_SERVER_DLL:-"$BENCH_DIR/../src/Vouch.Server/bin/Release/net10.0/Vouch.Server.dll"} # another build, for A/B runs
}

# Globals kept here: WORK (the temporary folder), SERVER_PID, BENCH_PIDS (other processes to stop on exit),
# PG_BIN / PG_DATA / PG_PORT (the throwaway cluster), DB_ARGS (the server's database arguments), KEY (the API key).

# ensure_postgres: Debian's PostgreSQL when the databases to run include it and no server binaries are installed.
ensure_postgres() {
  [[ " $DATABASES " == *" postgres "* ]] || return 0
  ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 && return 0
  log "installing postgresql"
  timeout 600 apt-get -o DPkg::Lock::Timeout=300 install -y postgresql >/dev/null || {
    timeout 300 apt-get -o DPkg::Lock::Timeout=300 update >/dev/null &&
      timeout 600 apt-get -o DPkg::Lock::Timeout=300 install -y postgresql >/dev/null
  }
}

# build_release PROJECT...: Release builds, unless BENCH_SKIP_BUILD=1.
build_release() {
  [[ "${BENCH_SKIP_BUILD:-}" == 1 ]] && return 0
  local project
  for project; do
    log "building Release: ${project#"$(dirname "$BENCH_DIR")/"}"
    timeout 600 dotnet build -c Release "$project" -nologo -v q >&2
  done
}

# bench_workdir PREFIX: makes WORK and stops everything started from here on exit.
bench_workdir() {
  WORK=$(mktemp -d "/tmp/$1.XXXXXX")
  chmod 755 "$WORK" # the postgres user must reach its cluster folder inside
  SERVER_PID="" BENCH_PIDS=() PG_BIN="" PG_DATA="" PG_PORT=""
  : >"$WORK/results.txt"
  trap bench_cleanup EXIT INT TERM
}
bench_cleanup() {
  local pid
  stop_server
  for pid in "${BENCH_PIDS[@]}"; do stop_pid "$pid"; done
  stop_postgres
  if [[ "${BENCH_KEEP:-}" == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}

# stop_pid PID: SIGTERM, up to 5 s, then SIGKILL; only the process this script started.
stop_pid() {
  local pid=$1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}
stop_server() { stop_pid "$SERVER_PID"; SERVER_PID=""; }

as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_postgres() {
  if [[ -n "$PG_DATA" && -f "$PG_DATA/postmaster.pid" ]]; then
    timeout 60 bash -c "$(declare -f as_postgres); as_postgres '$PG_BIN/pg_ctl' -D '$PG_DATA' -m fast -w stop" >/dev/null 2>&1 || true
  fi
  PG_DATA=""
}
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

# database_args DB DATA: sets DB_ARGS for a fresh database (SQLite in DATA; PostgreSQL: the cluster, started once, and a
# new database vouch_bench in it; BENCH_PG_CONNECTION adds Npgsql connection-string options, e.g. "Max Auto Prepare=64").
database_args() {
  DB_ARGS=()
  mkdir -p "$2"
  [[ "$1" == postgres ]] || return 0
  [[ -n "$PG_DATA" ]] || start_postgres
  timeout 60 "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres vouch_bench
  DB_ARGS=(--Database:Provider=postgres "--ConnectionStrings:Vouch=Host=127.0.0.1;Port=$PG_PORT;Database=vouch_bench;Username=postgres${BENCH_PG_CONNECTION:+;$BENCH_PG_CONNECTION}")
}

# init_tenant DB DATA: `init` a tenant; sets KEY (a write API key).
init_tenant() {
  log "[$1] init tenant"
  local out
  out=$(echo 'a long owner password for the bench' |
    timeout 180 dotnet "$DLL" init --tenant "Bench MSP" --email owner@bench.test --Vouch:DataDirectory="$2" "${DB_ARGS[@]}" 2>&1) ||
    { log "init failed:"; echo "$out" >&2; exit 1; }
  KEY=$(grep -o 'vch_[A-Za-z0-9_-]*' <<<"$out" | head -n 1 || true)
  [[ -n "$KEY" ]] || { log "init printed no API key:"; echo "$out" >&2; exit 1; }
}

# start_server DB BASE DATA [ARG...]: the Release server on BASE with DB_ARGS, BENCH_SERVER_ARGS and ARGs; waits for /healthz.
start_server() {
  local db=$1 base=$2 data=$3 i
  shift 3
  log "[$db] starting the server on $base"
  # shellcheck disable=SC2086 # BENCH_SERVER_ARGS is a list of arguments
  dotnet "$DLL" --urls="$base" --Vouch:DataDirectory="$data" --Logging:LogLevel:Default=Warning "${DB_ARGS[@]}" "$@" \
    ${BENCH_SERVER_ARGS:-} >"$WORK/$db-server.log" 2>&1 &
  SERVER_PID=$!
  for i in $(seq 1 120); do
    if curl -fsS --max-time 2 "$base/healthz" >/dev/null 2>&1; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { log "server exited:"; tail -n 30 "$WORK/$db-server.log" >&2; exit 1; }
    sleep 0.5
  done
  log "server not ready after 60 s"; tail -n 30 "$WORK/$db-server.log" >&2; exit 1
}

# fresh_server DB [ARG...]: a fresh database for DB under $WORK/DB, `init` (KEY), and the server on a free loopback port
# with ARGs; sets DATA and BASE.
fresh_server() {
  local db=$1
  shift
  DATA="$WORK/$db"
  database_args "$db" "$DATA"
  init_tenant "$db" "$DATA"
  BASE="http://127.0.0.1:$(free_port)"
  start_server "$db" "$BASE" "$DATA" "$@"
}

# seed_contacts DB BASE COUNT OUT: imports COUNT contacts (gen_csv) through POST /api/v1/contacts/import with KEY and
# writes OUT with one line per contact: its id and its mobile as written in the CSV ("id,(212) 245-1234").
seed_contacts() {
  local db=$1 base=$2 count=$3 out=$4 from to added refused
  log "[$db] seeding $count contacts (one mobile each) through POST /api/v1/contacts/import"
  : >"$out"
  for ((from = 0; from < count; from += 10000)); do
    to=$((from + 10000 < count ? from + 10000 : count))
    gen_csv "$from" "$to" >"$WORK/seed.csv"
    curl -sS --max-time 600 -o "$WORK/import.json" -w '%{http_code}' -H "Authorization: Bearer $KEY" -H 'Content-Type: text/csv' \
      --data-binary @"$WORK/seed.csv" "$base/api/v1/contacts/import" >"$WORK/import.status"
    [[ $(cat "$WORK/import.status") == 200 ]] || { log "import failed: $(cat "$WORK/import.status")"; head -c 2000 "$WORK/import.json" >&2; exit 1; }
    added=$(grep -o '"added":[0-9]*' "$WORK/import.json" | head -n 1 | cut -d: -f2)
    refused=$(grep -o '"refused":[0-9]*' "$WORK/import.json" | head -n 1 | cut -d: -f2)
    [[ "$refused" == 0 && "$added" == $((to - from)) ]] || { log "import added $added, refused $refused of $((to - from)) rows"; exit 1; }
    # The report lists the rows in file order: pair each contact id with the row's mobile number as written in the file.
    paste -d, <(grep -o '"contactId":"[0-9a-f-]*"' "$WORK/import.json" | cut -d'"' -f4) <(tail -n +2 "$WORK/seed.csv" | cut -d, -f6) >>"$out"
  done
  [[ $(grep -c '^[0-9a-f-]\{36\},(' "$out") == "$count" ]] || { log "could not pair contact ids with numbers"; exit 1; }
}

# measure_healthz DB BASE: wrk on /healthz (warm-up, then the measured run) with the server's CPU time and RSS; appends
# "DB healthz BENCH … server_cpu_ms=… rss_mb=…" to $WORK/results.txt.
measure_healthz() {
  local db=$1 base=$2 limit=$((DURATION + WARMUP + 60)) cpu0 line
  wait_quiet
  log "[$db] /healthz: warm-up ${WARMUP} s, then ${DURATION} s at $CONNECTIONS connections, $THREADS threads (wrk)"
  timeout "$limit" wrk -t "$THREADS" -c "$CONNECTIONS" -d "${WARMUP}s" --timeout 5s -s "$BENCH_DIR/healthz.lua" "$base/healthz" \
    >"$WORK/$db-healthz.warmup.txt" 2>&1 || { log "wrk failed"; cat "$WORK/$db-healthz.warmup.txt" >&2; exit 1; }
  cpu0=$(cpu_ms "$SERVER_PID")
  timeout "$limit" wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --timeout 5s --latency -s "$BENCH_DIR/healthz.lua" "$base/healthz" \
    >"$WORK/$db-healthz.txt" 2>&1 || { log "wrk failed"; cat "$WORK/$db-healthz.txt" >&2; exit 1; }
  line=$(grep '^BENCH ' "$WORK/$db-healthz.txt") || { log "wrk printed no result"; cat "$WORK/$db-healthz.txt" >&2; exit 1; }
  line="$line server_cpu_ms=$(($(cpu_ms "$SERVER_PID") - cpu0)) rss_mb=$(rss_mb "$SERVER_PID")"
  echo "$db healthz $line" >>"$WORK/results.txt"
  log "[$db] healthz: ${line#BENCH }"
}

# machine_info: one line for the record (cores, CPU, kernel, .NET runtime, PostgreSQL, load average).
machine_info() {
  local pg="none"
  ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 && pg=$("$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/postgres" --version | awk '{ print $3 }')
  log "machine: nproc $(nproc); $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo); kernel $(uname -r);" \
    ".NET $(dotnet --list-runtimes 2>/dev/null | awk '/AspNetCore/ { v = $2 } END { print v }'); PostgreSQL $pg;" \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

# wait_quiet: before a measured run, waits (at most BENCH_QUIET_MAX seconds, default 900) until no test run and no other
# Vouch server is running on this shared machine (this script's own server does not count) and the machine as a whole
# is below BENCH_QUIET_CPU percent busy (default 25: half a core of two) over 3 s.
wait_quiet() {
  local waited=0 others busy
  while true; do
    others=$(pgrep -f "testhost|vstest|dotnet test|Vouch.Server.dll" | grep -vx "${SERVER_PID:-none}" | tr '\n' ' ' || true)
    busy=$(busy_percent 3)
    [[ -z "${others// /}" && $busy -lt ${BENCH_QUIET_CPU:-25} ]] && break
    ((waited % 60 == 0)) && log "waiting for the machine to be quiet (other test runs: ${others:-none}; ${busy}% busy)"
    if ((waited >= ${BENCH_QUIET_MAX:-900})); then log "still busy after $waited s: measuring anyway"; return 0; fi
    sleep 10
    waited=$((waited + 10))
  done
  ((waited == 0)) || log "quiet after $waited s"
}

# busy_percent SECONDS: how busy all cores together were over SECONDS (user, nice, system, irq, softirq, steal), 0-100.
busy_percent() {
  local a b
  a=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
  sleep "$1"
  b=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); t = y[2] - x[2]; printf "%d", (t > 0 ? 100 * (y[1] - x[1]) / t : 0) }'
}

# ---- Shared by the benchmarks whose load generator checks its own run (bench/inbound.sh, bench/secrets.sh) ------------

FAILED_CHECKS=0

# run_load LABEL RESULT OUT LIMIT COMMAND...: one measured run of a load generator that prints a BENCH line and CHECK lines
# and exits 0, or 4 when a check failed. Waits for a quiet machine, runs COMMAND with a time limit of LIMIT seconds
# (output in OUT.txt and OUT.err), appends "RESULT BENCH … load_before=… load_after=…" to $WORK/results.txt and the CHECK
# lines, each prefixed with [LABEL], to $WORK/checks.txt, and counts a run with a failed check in FAILED_CHECKS.
run_load() {
  local label=$1 result=$2 out=$3 limit=$4 load0 rc=0 line
  shift 4
  wait_quiet
  load0=$(cut -d' ' -f1 /proc/loadavg)
  log "[$label] load average $load0"
  timeout "$limit" "$@" >"$out.txt" 2>"$out.err" || rc=$?
  [[ $rc == 0 || $rc == 4 ]] || { log "the load generator failed ($rc)"; cat "$out.txt" "$out.err" >&2; exit 1; }
  line=$(grep '^BENCH ' "$out.txt") || { log "no result"; cat "$out.err" >&2; exit 1; }
  [[ -s "$out.err" ]] && cat "$out.err" >&2
  sed "s/^/[$label] /" <(grep '^CHECK ' "$out.txt") | tee -a "$WORK/checks.txt" >&2
  [[ $rc == 0 ]] || FAILED_CHECKS=$((FAILED_CHECKS + 1))
  line="$line load_before=$load0 load_after=$(cut -d' ' -f1 /proc/loadavg)"
  echo "$result $line" >>"$WORK/results.txt"
  log "[$label] ${line#BENCH }"
}

# check_audit_chain DB DATA: once DB's server has stopped, `audit verify` on its database: the chain the run appended to
# must still verify end to end. A CHECK line to $WORK/checks.txt; a failure counts in FAILED_CHECKS.
check_audit_chain() {
  local db=$1 data=$2
  if timeout 300 dotnet "$DLL" audit verify --Vouch:DataDirectory="$data" "${DB_ARGS[@]}" >"$WORK/$db-audit.txt" 2>&1; then
    echo "[$db] CHECK ok   audit chain: $(tail -n 1 "$WORK/$db-audit.txt")" | tee -a "$WORK/checks.txt" >&2
  else
    echo "[$db] CHECK FAIL audit chain: $(tail -n 3 "$WORK/$db-audit.txt" | tr '\n' ' ')" | tee -a "$WORK/checks.txt" >&2
    FAILED_CHECKS=$((FAILED_CHECKS + 1))
  fi
}

# finish_database DB DATA: the server's peak memory; then the server stopped and the audit chain of its database verified.
finish_database() {
  log "[$1] server peak resident memory (VmHWM) $(hwm_mb "$SERVER_PID") MB"
  stop_server
  check_audit_chain "$1" "$2"
}

# each_database: the script's bench_database for each of DATABASES in turn, then the machine's state once more.
each_database() {
  local db
  for db in $DATABASES; do bench_database "$db"; done
  machine_info
}

# BENCH_TABLE_AWK: what the result tables of bench/inbound.sh and bench/secrets.sh share, put before each one's own awk
# program over $WORK/results.txt (lines "DB KIND BENCH key=value …"; KIND healthz for the ceiling).
#   val(KEY)            the value of KEY on the current line
#   add_row(COUNT, ALL) row n from the current line: db, kind, clients, rps, p50, p90, p99, rss, count (the value of COUNT;
#                       requests for /healthz), bad (errors; non-2xx and socket errors for /healthz), checks, load (load
#                       average before→after), cpu and pg (server and PostgreSQL CPU ms per unit of ALL, requests for
#                       /healthz), others (other processes' cores over load_s + drain_s); ceiling[db] from /healthz
#   lead(i, LABEL)      the row's first cells: database, LABEL (GET /healthz (ceiling) for /healthz), rate, p50, p90, p99,
#                       ratio to /healthz, count
#   print_table(TITLE, HEADER, ALIGN)  TITLE, then the markdown table: HEADER, ALIGN and row(i) for each row, which the
#                       script defines
BENCH_TABLE_AWK='
  function val(key,   i, kv) { for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) return kv[2] } return "" }
  function add_row(countkey, allkey,   all, secs) {
    n++; db[n] = $1; kind[n] = $2; clients[n] = val("clients"); rps[n] = val("rps"); p50[n] = val("p50_ms"); p90[n] = val("p90_ms"); p99[n] = val("p99_ms")
    rss[n] = val("rss_mb"); checks[n] = val("checks"); load[n] = val("load_before") "→" val("load_after")
    count[n] = $2 == "healthz" ? val("requests") : val(countkey); all = $2 == "healthz" ? val("requests") : val(allkey)
    bad[n] = $2 == "healthz" ? val("non2xx") + val("socket_errors") : val("errors")
    cpu[n] = all > 0 ? val("server_cpu_ms") / all : 0; pg[n] = all > 0 ? val("postgres_cpu_ms") / all : 0
    secs = val("load_s") + val("drain_s"); others[n] = secs > 0 ? val("others_cpu_ms") / 1000 / secs : 0
    if ($2 == "healthz") ceiling[$1] = rps[n]
    return all
  }
  function print_table(title, header, align,   i) {
    printf "\n%s\n\n%s\n%s\n", title, header, align
    for (i = 1; i <= n; i++) print row(i)
  }
  function lead(i, label) {
    return sprintf("| %s | %s | %.0f | %.2f | %.2f | %.2f | %.1f%% | %d", db[i], kind[i] == "healthz" ? "GET /healthz (ceiling)" : label,
      rps[i], p50[i], p90[i], p99[i], 100 * rps[i] / ceiling[db[i]], count[i])
  }
'

# bench_exit: the raw files when BENCH_KEEP=1, then the exit status: 4 when a check failed, 3 when a request failed
# (non2xx, socket_errors or errors in $WORK/results.txt), else 0.
bench_exit() {
  local f bad
  if [[ "${BENCH_KEEP:-}" == 1 ]]; then
    for f in "$WORK"/*.txt; do { echo "== $f"; cat "$f"; } >&2; done
  fi
  bad=$(awk '{ for (i = 3; i <= NF; i++) if ($i ~ /^(non2xx|socket_errors|errors)=/) { split($i, kv, "="); s += kv[2] } } END { print s + 0 }' "$WORK/results.txt")
  if [[ "$FAILED_CHECKS" != 0 ]]; then log "FAILED: $FAILED_CHECKS runs with failed checks (see the CHECK lines)"; exit 4; fi
  if [[ "$bad" != 0 ]]; then log "WARNING: $bad failed requests (see the table)"; exit 3; fi
  log "all checks passed"
}
