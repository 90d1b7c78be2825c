# Sourced by loadtest/run, loadtest/attack and loadtest/failover: the application in
# production mode (DEBUG off, PostgreSQL, gunicorn) on a fresh database holding the demo
# and the load test's posts. The caller may set OUT and export more settings before
# sourcing; afterwards $GUNICORN is the gunicorn master's pid (stopped on exit, or by
# stop_gunicorn) and load prints the machine's load average.
#
# With START_GUNICORN=false the caller starts its servers itself, one start_gunicorn
# PORT NAME each (loadtest/failover: two instances behind HAProxy), and stops them with
# stop_gunicorn from its own exit trap: this file then sets no trap.

VENV=${VENV:-.venv}
PG=${LOADTEST_PG:-postgres://postgres@127.0.0.1:5432}
DB=${LOADTEST_DB:-iscg_loadtest}
PORT=${LOADTEST_PORT:-8800}
# The usual gunicorn advice for synchronous workers: two per core, plus one.
WORKERS=${LOADTEST_WORKERS:-$((2 * $(nproc) + 1))}
OUT=${OUT:-loadtest/out}
mkdir -p "$OUT"

# Production settings, on plain HTTP at 127.0.0.1: no TLS redirect, no secure-only cookies.
export DATABASE_URL="$PG/$DB" DEBUG=false ALLOWED_HOSTS=127.0.0.1 \
  SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false \
  SECURE_HSTS_SECONDS=0 STATIC_ROOT="$(cd "$OUT" && pwd)/static" LOG_LEVEL=WARNING
SECRET_KEY=$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY

# What else the machine is doing weighs on the figures: say it.
load() { [ -r /proc/loadavg ] && cut -d' ' -f1-3 /proc/loadavg || echo "?"; }

echo "Base $DB : création, migrations, démonstration, postes du test de charge"
psql "$PG/postgres" -q -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
"$VENV/bin/python" manage.py migrate --noinput -v 0
DEVTOOLS=true "$VENV/bin/python" manage.py load_demo > /dev/null
DEVTOOLS=true "$VENV/bin/python" manage.py prepare_loadtest
"$VENV/bin/python" manage.py collectstatic --noinput -v 0

# Every gunicorn master started here, for stop_gunicorn.
GUNICORNS=()

# start_gunicorn PORT [NAME]: a gunicorn master on 127.0.0.1:PORT, once it answers;
# $GUNICORN is its pid. NAME tells its logs apart (gunicorn-NAME.log, server-NAME.log).
start_gunicorn() {
  local port=$1 suffix=${2:+-$2}
  echo "gunicorn${2:+ $2} sur 127.0.0.1:$port, $WORKERS workers"
  "$VENV/bin/gunicorn" config.wsgi --bind "127.0.0.1:$port" --workers "$WORKERS" \
    --preload --timeout 60 --error-logfile "$OUT/gunicorn$suffix.log" \
    >> "$OUT/server$suffix.log" 2>&1 &
  GUNICORN=$!
  GUNICORNS+=("$GUNICORN")
  for _ in $(seq 1 60); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/connexion/" && break
    sleep 0.5
  done
}

# stop_gunicorn [PID...]: stops those masters (all of them by default), gracefully
# (SIGTERM: each worker ends the request it serves), and waits for them.
stop_gunicorn() {
  local stopping=("$@") pid kept=()
  [ $# -gt 0 ] || stopping=("${GUNICORNS[@]}")
  for pid in "${stopping[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${stopping[@]}"; do wait "$pid" 2>/dev/null || true; done
  for pid in "${GUNICORNS[@]}"; do
    [[ " ${stopping[*]} " == *" $pid "* ]] || kept+=("$pid")
  done
  GUNICORNS=("${kept[@]}")
}

if [ "${START_GUNICORN:-true}" = true ]; then
  trap stop_gunicorn EXIT
  start_gunicorn "$PORT"
fi
