#!/usr/bin/env bash
# Adds a migration named $1 for both database providers from the one model in Vouch.Core.
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: eng/add-migration.sh MigrationName}"
if [ ! -x .tools/dotnet-ef ]; then
  dotnet tool install --tool-path .tools dotnet-ef --version "10.*"
fi
for provider in Sqlite Postgres; do
  .tools/dotnet-ef migrations add "$name" \
    --project "src/Vouch.Data.$provider" \
    --startup-project "src/Vouch.Data.$provider" \
    --output-dir Migrations
done
