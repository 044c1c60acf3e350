#!/usr/bin/env bash
# DB-5: PostgreSQL (+ TimescaleDB + PostGIS) with its data directory on the data volume.
#
#   configure-postgres.sh render DIR       write DIR/postgresql.conf and DIR/pg_hba.conf
#   configure-postgres.sh init             initdb POSTGRES_DATA_DIR unless it holds a cluster
#   configure-postgres.sh ensure-database  role, password, database and extensions (idempotent);
#                                          the password comes from POSTGRES_APP_PASSWORD
#   configure-postgres.sh exec-server      run the server in the foreground (systemd ExecStart)
#   configure-postgres.sh all              everything above, as the host does at every boot
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"

POSTGRES_PRELOAD_LIBRARIES="${POSTGRES_PRELOAD_LIBRARIES-timescaledb}"
POSTGRES_EXTENSIONS="${POSTGRES_EXTENSIONS-timescaledb postgis}"
POSTGRES_SERVICE="${POSTGRES_SERVICE:-tracker-postgresql.service}"

memory_mb() {
  awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo
}

render() {
  local dir=$1 cidr rules=""
  require_vars PRIVATE_IP POSTGRES_PORT APPLICATION_SUBNET_CIDRS POSTGRES_DATA_DIR
  if [[ -z "${POSTGRES_SHARED_BUFFERS:-}" ]]; then
    POSTGRES_SHARED_BUFFERS="$(($(memory_mb) / 4))MB"
  fi
  if [[ -z "${POSTGRES_EFFECTIVE_CACHE_SIZE:-}" ]]; then
    POSTGRES_EFFECTIVE_CACHE_SIZE="$(($(memory_mb) / 2))MB"
  fi
  for cidr in $APPLICATION_SUBNET_CIDRS; do
    [[ "$cidr" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}/[0-9]{1,2}$ ]] || die "not an IPv4 CIDR: $cidr"
    rules+=$(printf 'hostssl  all       all       %-18s scram-sha-256' "$cidr")$'\n'
  done
  [[ -n "$rules" ]] || die "APPLICATION_SUBNET_CIDRS is empty: nobody could connect"
  # shellcheck disable=SC2034 # read by render_template
  PG_HBA_APPLICATION_RULES=${rules%$'\n'}
  POSTGRES_CONFIG_DIR=$dir
  install -d -m 0755 "$dir"
  render_template "$TEMPLATE_DIR/postgresql/postgresql.conf" "$dir/postgresql.conf"
  render_template "$TEMPLATE_DIR/postgresql/pg_hba.conf" "$dir/pg_hba.conf"
  chmod 0644 "$dir/postgresql.conf" "$dir/pg_hba.conf"
}

init() {
  if [[ -s "$POSTGRES_DATA_DIR/PG_VERSION" ]]; then
    log "existing cluster in $POSTGRES_DATA_DIR (PostgreSQL $(<"$POSTGRES_DATA_DIR/PG_VERSION")): keeping it"
    # A replaced instance may have given the postgres user another UID than the one that wrote the data.
    if [[ "$(stat -c %U "$POSTGRES_DATA_DIR")" != "postgres" ]]; then
      log "re-owning $POSTGRES_DATA_DIR for this instance's postgres user"
      chown -R postgres:postgres "$POSTGRES_DATA_DIR"
    fi
    return 0
  fi
  log "initialising a new cluster in $POSTGRES_DATA_DIR"
  install -d -m 0700 -o postgres -g postgres "$POSTGRES_DATA_DIR"
  run_as postgres "$POSTGRES_BIN/initdb" --pgdata="$POSTGRES_DATA_DIR" --encoding=UTF8 \
    --locale=C.UTF-8 --data-checksums --auth-local=peer --auth-host=scram-sha-256 \
    --username=postgres >/dev/null
}

psql_admin() {
  run_as postgres env PGOPTIONS='-c client_min_messages=warning' "$POSTGRES_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$POSTGRES_SOCKET_DIR" \
    -p "$POSTGRES_PORT" -U postgres "$@"
}

ensure_database() {
  require_vars POSTGRES_PORT DATABASE_NAME DATABASE_USER POSTGRES_APP_PASSWORD
  local extension sql
  retry 30 2 run_as postgres "$POSTGRES_BIN/pg_isready" -q -h "$POSTGRES_SOCKET_DIR" \
    -p "$POSTGRES_PORT" || die "PostgreSQL does not accept connections"
  # The password travels in the environment (\getenv), never on a command line or in a file.
  psql_admin -d postgres -v db="$DATABASE_NAME" -v app_user="$DATABASE_USER" <<'SQL'
\getenv app_password POSTGRES_APP_PASSWORD
-- Nothing of this session may reach the server log: it carries the password.
SET log_statement = 'none';
SET log_min_duration_statement = -1;
SET log_min_error_statement = 'panic';
SELECT format('CREATE ROLE %I LOGIN', :'app_user')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_user') \gexec
ALTER ROLE :"app_user" WITH LOGIN NOSUPERUSER NOCREATEROLE PASSWORD :'app_password';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'app_user')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
  sql=""
  for extension in $POSTGRES_EXTENSIONS; do
    [[ "$extension" =~ ^[a-z_][a-z0-9_]*$ ]] || die "not an extension name: $extension"
    sql+="CREATE EXTENSION IF NOT EXISTS $extension;"$'\n'
  done
  if [[ -n "$sql" ]]; then
    printf '%s' "$sql" | psql_admin -d "$DATABASE_NAME"
  fi
  log "database $DATABASE_NAME, role $DATABASE_USER and extensions ($POSTGRES_EXTENSIONS) are in place"
}

exec_server() {
  exec "$POSTGRES_BIN/postgres" -c "config_file=$POSTGRES_CONFIG_DIR/postgresql.conf"
}

all() {
  require_vars POSTGRES_PASSWORD_SECRET_ARN AWS_REGION
  mountpoint -q "$DATA_MOUNT" || die "$DATA_MOUNT is not mounted: refusing to start PostgreSQL"
  render "$POSTGRES_CONFIG_DIR"
  "$(dirname "$(readlink -f "$0")")/tls.sh" issue "$POSTGRES_CONFIG_DIR/tls" postgres:postgres
  init
  if systemctl is-active --quiet "$POSTGRES_SERVICE"; then
    systemctl reload "$POSTGRES_SERVICE"
  else
    systemctl start "$POSTGRES_SERVICE"
  fi
  POSTGRES_APP_PASSWORD=$(read_secret "$POSTGRES_PASSWORD_SECRET_ARN")
  export POSTGRES_APP_PASSWORD
  ensure_database
}

main() {
  case "${1:-}" in
    render) render "${2:?directory}" ;;
    init) init ;;
    ensure-database) ensure_database ;;
    exec-server) exec_server ;;
    all) all ;;
    *) die "usage: configure-postgres.sh render DIR | init | ensure-database | exec-server | all" ;;
  esac
}

main "$@"
