#!/usr/bin/env bash
# Load run of secret links (issue 5) against the real server on loopback: create a secret through POST /api/v1/secrets
# (encrypted by the client, end to end), open its link's page as the recipient, press Reveal (antiforgery token and
# cookie), decrypt and compare; at 1, 16 and 64 concurrent clients, on SQLite and on PostgreSQL, next to GET /healthz
# (wrk) as the ceiling of the same run. After each run the load generator checks through the API that every secret
# created was revealed exactly once and that the sampled second reveals were all refused; after each database the audit
# chain is verified. The script exits 4 if a check failed, 3 if any request failed.
# The file scenario sends one 10 MB file with each secret: declared at create, uploaded with PUT
# /api/v1/secrets/{id}/files/{fileId}, fetched after Reveal with the grant (GET /s/{token}?handler=File), compared byte for
# byte (every 10th also decrypted); it reports MiB/s up and down, the server's resident memory sampled every second (start,
# peak, end) and what reached the disk, and after each run waits for the sweep to delete every file of the run.
#
#   bench/secrets.sh                                  # both databases, text secrets of 1 KB, 1/16/64 clients, 15 s each
#   BENCH_DATABASES=sqlite BENCH_CLIENTS="16" BENCH_DURATION=5 bench/secrets.sh
#   BENCH_SCENARIOS=file bench/secrets.sh             # both databases, 10 MB files, 1/4/16 clients, 15 s each
#   BENCH_SCENARIOS="text file" bench/secrets.sh      # both, next to one /healthz per database
#
# Knobs (environment): BENCH_DATABASES ("sqlite postgres"), BENCH_CLIENTS ("1 16 64"; 16 is the target's figure),
# BENCH_SCENARIOS ("text"; the load generator's --scenario: text, file), BENCH_BYTES (1024: content per secret; with
# files, the message sent with them), BENCH_FILE_BYTES (10485760: the file of each secret of the file scenario),
# BENCH_FILE_CLIENTS ("1 4 16": client counts of the file scenario), BENCH_DECRYPT_EVERY (10: every 10th download is also
# decrypted), BENCH_SWEEP_WAIT (90: seconds after a file run to wait for the sweep to delete its files; 0 for no wait), BENCH_SECOND_REVEAL_EVERY (50: every 50th round trip presses Reveal a second
# time, which must be refused; 0 for never), BENCH_DURATION (15, seconds), BENCH_WARMUP (20, seconds: covers the tiered JIT), BENCH_CONNECTIONS /
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
FILE_BYTES=${BENCH_FILE_BYTES:-10485760}
FILE_CLIENTS=${BENCH_FILE_CLIENTS:-1 4 16}
DECRYPT_EVERY=${BENCH_DECRYPT_EVERY:-10}
SWEEP_WAIT=${BENCH_SWEEP_WAIT:-90}
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

  local scenario clients limit=$((DURATION + WARMUP + 600)) watch="" counts file_args
  [[ "$db" == postgres ]] && watch="postgres:$(head -n 1 "$PG_DATA/postmaster.pid")"
  for scenario in $SCENARIOS; do
    counts=$CLIENTS file_args=()
    if [[ "$scenario" == file ]]; then
      # A 10 MB round trip takes seconds at 16 clients: a longer time limit per request; the local file region's folder
      # to sample and to watch the sweep empty after the run.
      counts=$FILE_CLIENTS
      file_args=(--file-bytes "$FILE_BYTES" --decrypt-every "$DECRYPT_EVERY" --files-dir "$data/files" --sweep-wait "$SWEEP_WAIT" --timeout-ms 60000)
    fi
    for clients in $counts; do
      if [[ "$scenario" == file ]]; then
        log "[$db] file secrets ($FILE_BYTES-byte files, $BYTES-byte messages): warm-up ${WARMUP} s, then ${DURATION} s at $clients clients"
      else
        log "[$db] $scenario secrets of $BYTES bytes: warm-up ${WARMUP} s, then ${DURATION} s at $clients clients"
      fi
      run_load "$db, $scenario, $clients clients" "$db $scenario" "$WORK/$db-$scenario-$clients" "$limit" \
        dotnet "$LOAD" --base "$base" --key "$KEY" --scenario "$scenario" --bytes "$BYTES" --clients "$clients" \
        --duration "$DURATION" --warmup "$WARMUP" --second-reveal-every "$SECOND_REVEAL_EVERY" \
        --server-pid "$SERVER_PID" --clk-tck "$(getconf CLK_TCK)" --watch "$watch" "${file_args[@]}"
    done
  done
  # The audit chain the secrets appended to must still verify end to end.
  finish_database "$db" "$data"
}

each_database

# The table: each rate as a ratio to the /healthz rate of the same server; CPU per round trip (server; load generator;
# PostgreSQL's processes) over the whole load (warm-up, measured period and stragglers; the checks' reads excluded),
# divided by every round trip started in it. Text secrets (and /healthz) first, unless the run sent files only.
if grep -q '^[^ ]* text BENCH ' "$WORK/results.txt" || ! grep -q '^[^ ]* file BENCH ' "$WORK/results.txt"; then
awk -v bytes="$BYTES" -v dur="$DURATION" -v conns="$CONNECTIONS" -v threads="$THREADS" -v every="$SECOND_REVEAL_EVERY" "$BENCH_TABLE_AWK"'
  $2 != "file" {
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
fi

# The file table: round trips per second counted by those that ended in the measured period (a 10 MB round trip is long
# enough that requiring it to begin there too would leave out about one per client), p50/p90/p99 over those that began
# and ended in it; MiB/s of ciphertext (2^20 bytes) up (the uploads) and down (the downloads) whose transfer ended in the
# period, and their sum; the cores each process used over the whole load; the server's resident memory sampled every
# second (start, peak, end); the files in the local file region at the peak, what the machine's disks wrote during the
# load and until the end of the sweep wait (/proc/diskstats: the page cache absorbs the files, and a file deleted before
# it was written back never reaches the disk), and the files left once the sweep had had its time after the run.
if grep -q '^[^ ]* file BENCH ' "$WORK/results.txt"; then
awk -v fbytes="$FILE_BYTES" -v bytes="$BYTES" -v dur="$DURATION" -v conns="$CONNECTIONS" -v threads="$THREADS" "$BENCH_TABLE_AWK"'
  $2 == "healthz" || $2 == "file" {
    all = add_row("ended", "started")
    if ($2 == "file") {
      rps[n] = val("rps_ended"); secs = val("load_s")
      up[n] = val("upload_mib_s"); down[n] = val("download_mib_s"); sum[n] = val("total_mib_s")
      steps[n] = sprintf("%.0f / %.0f / %.1f / %.1f / %.0f", val("create_p50_ms"), val("upload_p50_ms"), val("open_p50_ms"), val("reveal_p50_ms"), val("download_p50_ms"))
      p99s[n] = sprintf("%.0f / %.0f", val("upload_p99_ms"), val("download_p99_ms"))
      cores[n] = sprintf("%.2f / %.2f / %s", val("server_cpu_ms") / 1000 / secs, val("loadgen_cpu_ms") / 1000 / secs, $1 == "postgres" ? sprintf("%.2f", val("postgres_cpu_ms") / 1000 / secs) : "–")
      mem[n] = val("rss_start_mb") " / " val("rss_peak_mb") " / " val("rss_end_mb")
      disk[n] = val("files_peak") " (" val("files_peak_mib") ") / " val("machine_disk_write_mib") " → " val("machine_disk_write_mib_by_sweep_end") " / " val("files_left") " at " val("files_left_at_s") " s"
    }
  }
  function row(i) {
    if (kind[i] == "healthz") return sprintf("%s | %d | | | | | | %.3f | | %s | | | | |", lead(i), bad[i], cpu[i], rss[i])
    return sprintf("%s | %d | %.1f | %.1f | **%.1f** | %s | %s | %.1f | %s | %s | %s | %.2f | %s | %s |", lead(i, sprintf("%s, %d client%s", kind[i], clients[i], clients[i] == 1 ? "" : "s")),
      bad[i], up[i], down[i], sum[i], steps[i], p99s[i], cpu[i], cores[i], mem[i], disk[i], others[i], load[i], checks[i])
  }
  END {
    print_table(sprintf("%d-byte files (ciphertext %d bytes with its chunk tags) with %d-byte messages, %d s a run after a warm-up; /healthz with wrk (%d connections, %d threads)", fbytes, fbytes + 16 + 16 * int((fbytes + 1048575) / 1048576), bytes, dur, conns, threads),
      "| database | scenario | round trips per second (ended in the period) | p50 ms | p90 ms | p99 ms | ratio to /healthz | count | errors | upload MiB/s | download MiB/s | up + down MiB/s | create / upload / open / reveal / download p50 ms | upload / download p99 ms | server CPU ms per round trip | cores: server / load generator / PostgreSQL | server RSS start / peak / end, MB | files at peak (MiB) / MiB the disks wrote in the load → by the end of the sweep wait / files left, s after the load | other processes, cores | load average | checks |",
      "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
  }' "$WORK/results.txt"
fi

bench_exit
