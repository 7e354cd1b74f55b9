#!/usr/bin/env bash
# Load test of the scoped project list: serves a database filled by `hezuo bench-data`, creates
# (once) an area user for one district and an API token for it, and runs wrk with 32
# connections for 15 seconds against /api/v1/projects?district=… on the loopback interface,
# printing latency percentiles. Goal (issue 3): p99 < 50 ms at 100k projects.
#
#   bench/wrk.sh sqlite:///work/benchdb/b100k.db [DISTRICT]
#   bench/wrk.sh postgres://postgres@127.0.0.1:5432/hezuo_bench 330502
#
# Environment: HEZUO (binary, default target/release/hezuo), PORT (default: any free port),
# CONNECTIONS (32), DURATION (15s), THREADS (2).
set -euo pipefail

DB=${1:?"usage: bench/wrk.sh DATABASE_URL [DISTRICT]"}
DISTRICT=${2:-330502}
HEZUO=${HEZUO:-target/release/hezuo}
PORT=${PORT:-0}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-15s}
THREADS=${THREADS:-2}
BENCH_USER="bench_area_${DISTRICT}"

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }
[ -x "$HEZUO" ] || { echo "$HEZUO not found: cargo build --release -p hezuo-cli" >&2; exit 1; }

# The account may exist from an earlier run; a new token is made each time.
echo "bench-area-2024" | "$HEZUO" --db "$DB" user add "$BENCH_USER" --role area \
    --area "$DISTRICT" --password-stdin 2>/dev/null || true
TOKEN=$("$HEZUO" --db "$DB" token create "$BENCH_USER" --label wrk 2>/dev/null | tail -n 1)
[ -n "$TOKEN" ] || { echo "could not create a token for $BENCH_USER" >&2; exit 1; }

SCRIPT=$(mktemp --suffix=.lua)
LOG=$(mktemp)
FIRST=$(mktemp)
HEZUO_LOG=${HEZUO_LOG:-warn} "$HEZUO" --db "$DB" serve --bind "127.0.0.1:${PORT}" >"$LOG" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true; rm -f "$SCRIPT" "$LOG" "$FIRST"' EXIT
cat >"$SCRIPT" <<'LUA'
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.headers["Accept"] = "application/json"
LUA

# Wait (at most 20 s) for the server to print the address it listens on.
BASE=""
for _ in $(seq 1 100); do
    BASE=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$LOG" | head -n 1 || true)
    [ -n "$BASE" ] && break
    kill -0 "$SERVER" 2>/dev/null || { cat "$LOG" >&2; exit 1; }
    sleep 0.2
done
[ -n "$BASE" ] || { echo "the server did not start" >&2; cat "$LOG" >&2; exit 1; }
URL="${BASE}/api/v1/projects?district=${DISTRICT}"

# One request by hand first: the token must work and the page must be in scope.
STATUS=$(curl -s -o "$FIRST" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$URL")
if [ "$STATUS" != 200 ]; then
    echo "GET $URL answered $STATUS:" >&2
    cat "$FIRST" >&2
    exit 1
fi
echo "GET $URL → 200, $(grep -o '"total":[0-9]*' "$FIRST") projects in scope"

TOKEN="$TOKEN" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$SCRIPT" "$URL"
