#!/usr/bin/env bash
# Serve the site for `make run`: Django's development server plus the background-task worker
# (GEDCOM imports and exports run there), both stopped together with Ctrl-C.
set -euo pipefail
PY=${PY:-.venv/bin/python}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

"$PY" manage.py db_worker --backend db --queue-name '*' &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM

echo
echo "Tamyr is at http://$HOST:$PORT/  (administration: http://$HOST:$PORT/admin/)"
"$PY" manage.py ensure_admin
echo "Background worker running (pid $worker). Stop both with Ctrl-C."
echo
"$PY" manage.py runserver "$HOST:$PORT"
