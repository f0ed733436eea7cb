#!/usr/bin/env bash
# Serve the platform with its background worker (deadline sweeps, notifications): `make run`.
# The worker runs beside the web server and stops with it.
set -euo pipefail
cd "$(dirname "$0")/.."
EGOV=.venv/bin/egov
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

$EGOV migrate --noinput -v 0
$EGOV seed-demo
$EGOV demo-users --table

$EGOV worker --interval 2 &
worker=$!
trap 'kill $worker 2>/dev/null || true; wait $worker 2>/dev/null || true' EXIT INT TERM
echo "Worker started (pid $worker). Serving on http://$HOST:$PORT/  (Ctrl-C to stop)"
$EGOV runserver "$HOST:$PORT"
