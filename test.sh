#!/usr/bin/env bash
# Runs the whole test suite on a Debian 12 machine that has only the .NET SDK: installs what the tests need
# (PostgreSQL binaries, Chromium, Node and npm; smtp4dev, Prism and s3rver under .tools/) when missing, builds once,
# runs every test project, and ends with one line
#   Total: N passed, M failed[, K skipped]
# Exit code is non-zero when the build or any test failed. Extra arguments go to `dotnet test` (e.g. --filter X).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

say() { printf '==> %s\n' "$*"; }

# Keep the SDK quiet and off the network (telemetry would try to reach the internet).
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET SDK (dotnet) is not on PATH; install the .NET 10 SDK first." >&2
  exit 1
fi

# --- prerequisites ---------------------------------------------------------------------------------------------
# The tests start their own throwaway PostgreSQL cluster (only the binaries are needed, no running service) and
# drive Debian's Chromium for browser tests. npm installs Prism, the stand-in for vendor APIs.
missing=()
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -eq 0 ]]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "test.sh: need to install ${missing[*]} but not running as root and sudo is not available." >&2
    exit 1
  fi
  # Another apt run (e.g. unattended upgrades) may hold the lock for a while; wait for it instead of failing.
  apt=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -q)
  say "updating package lists…"
  "${apt[@]}" update >/dev/null
  for package in "${missing[@]}"; do
    say "installing ${package}…"
    "${apt[@]}" install -y "$package" >/dev/null
  done
else
  say "postgresql, chromium and npm already installed"
fi

# The provider tests run stand-ins on loopback: smtp4dev (a .NET tool) for SMTP, Prism (npm) serving the vendors'
# API descriptions, and s3rver (npm, the @20minutes fork: it checks Signature Version 4) for S3-compatible file
# regions. All live in the git-ignored .tools/, pinned; the tests find them there (or through VOUCH_SMTP4DEV,
# VOUCH_PRISM and VOUCH_S3RVER). A version marker check keeps this instant when they are present.
smtp4dev_version=3.15.0
prism_version=5.14.2
s3rver_version=4.0.4
if [[ ! -d .tools/.store/rnwood.smtp4dev/$smtp4dev_version ]]; then
  say "installing smtp4dev ${smtp4dev_version} into .tools/…"
  if [[ -e .tools/smtp4dev ]]; then
    dotnet tool uninstall --tool-path .tools Rnwood.Smtp4dev >/dev/null
  fi
  dotnet tool install --tool-path .tools Rnwood.Smtp4dev --version "$smtp4dev_version" >/dev/null
fi
if ! grep -qs "\"version\": \"$prism_version\"" .tools/prism/node_modules/@stoplight/prism-cli/package.json; then
  say "installing Prism ${prism_version} into .tools/prism…"
  npm install --prefix .tools/prism --no-audit --no-fund --no-update-notifier --loglevel=error \
    "@stoplight/prism-cli@$prism_version" >/dev/null
fi
if ! grep -qs "\"version\": \"$s3rver_version\"" .tools/s3rver/node_modules/@20minutes/s3rver/package.json; then
  say "installing s3rver ${s3rver_version} into .tools/s3rver…"
  npm install --prefix .tools/s3rver --no-audit --no-fund --no-update-notifier --loglevel=error \
    "@20minutes/s3rver@$s3rver_version" >/dev/null
fi

# --- tests -------------------------------------------------------------------------------------------------------
results=.test-results
rm -rf "$results"

say "building and running tests (Release)…"
# The default trx file names are unique per assembly (vstest adds [1], [2] on clashes), so every assembly's
# counts survive; a fixed LogFileName would be overwritten by the next assembly.
status=0
dotnet test Vouch.slnx -c Release --results-directory "$results" --logger trx "$@" || status=$?

# Pulls one attribute's value out of a <Counters .../> element.
attr() {
  local value
  value=$(sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$2")
  echo "${value:-0}"
}

passed=0 failed=0 skipped=0
shopt -s nullglob
trx_files=("$results"/*.trx)
shopt -u nullglob
if ((${#trx_files[@]} > 0)); then
  say "results per test assembly:"
fi
for trx in "${trx_files[@]}"; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1 || true)
  [[ -n $counters ]] || continue
  total=$(attr total "$counters"); executed=$(attr executed "$counters"); ok=$(attr passed "$counters")
  bad=$(($(attr failed "$counters") + $(attr error "$counters") + $(attr timeout "$counters") + $(attr aborted "$counters")))
  skip=$((total - executed))
  assembly=$(grep -o 'codeBase="[^"]*"' "$trx" | head -n 1 | sed 's/codeBase="\(.*\)"/\1/' || true)
  printf '    %s: %d passed, %d failed, %d skipped\n' "$(basename "${assembly:-$trx}")" "$ok" "$bad" "$skip"
  passed=$((passed + ok)) failed=$((failed + bad)) skipped=$((skipped + skip))
done

# A build error or a crashed test host leaves no failed test behind; the summary line must still not read as a pass.
if ((status != 0 && failed == 0)); then
  say "dotnet test exited with code $status without a failed test (build error or test host crash): counted as 1 failure"
  failed=1
fi

summary="Total: $passed passed, $failed failed"
((skipped == 0)) || summary+=", $skipped skipped"
echo
echo "$summary"

if ((failed > 0 || status != 0)); then
  exit 1
fi
