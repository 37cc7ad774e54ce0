#!/usr/bin/env bash
# The embedded default's two backends compared (issue 21): FerretDB 1.24.2 on SQLite and on
# PostgreSQL, interleaved (A, B, A, B) because the machine is shared. Each round starts `npm start`
# on an empty database (the seed time is the demo seeder's own), runs the worklog, pages and
# assessment benchmarks through the gateway, stops the platform, then runs the import torture test
# on the same backend. Output: one folder of logs per round under $OUT.
#
#   loadtest/backends.sh [checkout] [rounds: "sqlite postgresql sqlite postgresql"]
#
# Run it from a checkout of its own (one launcher per checkout). PostgreSQL rounds use
# MINGBAI_PG_URL (default: the machine's server, database mingbai_backends, dropped first).
set -euo pipefail
ROOT=$(cd "${1:-.}" && pwd)
ROUNDS=${2:-"sqlite postgresql sqlite postgresql"}
OUT=${OUT:-$ROOT/.data/backends-$(date -u +%Y%m%dT%H%M)}
PORT=${PORT:-3310}
PG_URL=${MINGBAI_PG_URL:-postgres://postgres@127.0.0.1:5432/mingbai_backends}
NODE=$ROOT/node_modules/.bin/node
mkdir -p "$OUT"
cd "$ROOT"
export MINGBAI_NAMESPACE=backends PORT LOG_LEVEL=warn

stamp() { while IFS= read -r line; do printf '%s %s\n' "$(date -u +%H:%M:%S)" "$line"; done; }

n=0
for backend in $ROUNDS; do
  n=$((n + 1))
  dir=$OUT/$n-$backend
  mkdir -p "$dir"
  echo "round $n: $backend, $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/rounds.txt"
  if [ "$backend" = sqlite ]; then
    rm -rf .data/ferretdb
  else
    admin="${PG_URL%/*}/postgres"
    psql "$admin" -qc "drop database if exists ${PG_URL##*/} with (force)"
  fi
  build=$([ $n -gt 1 ] && echo --no-build || true)
  MINGBAI_FERRETDB_BACKEND=$backend MINGBAI_PG_URL=$PG_URL node deploy/local/launcher.js start $build \
    > >(stamp > "$dir/start.log") 2>&1 &
  launcher=$!
  # Ready once the seeder has finished and the welcome is printed.
  until grep -q "Press Ctrl-C to stop" "$dir/start.log" 2>/dev/null; do
    sleep 5
    kill -0 $launcher 2>/dev/null || { echo "launcher exited" >> "$dir/start.log"; break; }
  done
  mongo=$(grep -o 'on 127.0.0.1:[0-9]*' "$dir/start.log" | head -1 | sed 's/on /mongodb:\/\//')/
  echo "load before benches: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$dir/bench.log"
  BASE=http://127.0.0.1:$PORT MONGO_URL=$mongo BACKEND=$backend DURATION=8 $NODE loadtest/run.ts >> "$dir/bench.log" 2>&1 || true
  BASE=http://127.0.0.1:$PORT DURATION=8 $NODE loadtest/pages-bench.ts >> "$dir/bench.log" 2>&1 || true
  BASE=http://127.0.0.1:$PORT N=20 $NODE loadtest/assessment-bench.ts --gateway >> "$dir/bench.log" 2>&1 || true
  echo "load after benches: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$dir/bench.log"
  kill -INT $launcher
  wait $launcher || true
  MINGBAI_FERRETDB_BACKEND=$backend node deploy/local/launcher.js test test/integration/import-torture.test.ts \
    --no-e2e --no-build > >(stamp > "$dir/torture.log") 2>&1 || true
  echo "round $n done $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/rounds.txt"
done
