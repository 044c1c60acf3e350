#!/usr/bin/env bash
# DB-4: converge the database host. Run by tracker-db-bootstrap.service at every boot (cloud-init
# only enables and starts it on the first one); every step is idempotent.
set -euo pipefail
BIN_DIR="$(dirname "$(readlink -f "$0")")"
# shellcheck source=SCRIPTDIR/lib.sh
source "$BIN_DIR/lib.sh"

exec 9>/run/tracker-db-bootstrap.lock
flock -n 9 || die "another bootstrap is running"

# 1. Take the files of the current user data (they may have changed since the first boot), then
#    continue with the fresh copy of this script.
if [[ "${TRACKER_DB_SYNCED:-}" != "1" ]]; then
  "$BIN_DIR/sync-user-data-files.py" || log "could not refresh files from the user data; using the current ones"
  systemctl daemon-reload
  exec 9>&-
  TRACKER_DB_SYNCED=1 exec "$BIN_DIR/bootstrap.sh" "$@"
fi
# shellcheck source=/dev/null
source "$TRACKER_DB_ENV_FILE"

log "converging the ${TRACKER_ENVIRONMENT:?} database host"
# Liveness is reported from the start, so a convergence that fails shows up as PostgresUp/ValkeyUp 0.
systemctl enable --now tracker-db-health.timer
"$BIN_DIR/install-packages.sh" install
"$BIN_DIR/ensure-data-volume.sh"
"$BIN_DIR/tls.sh" ensure-ca
"$BIN_DIR/tls.sh" publish
"$BIN_DIR/configure-postgres.sh" all
"$BIN_DIR/configure-valkey.sh" all
log "database host ready: PostgreSQL on $PRIVATE_IP:$POSTGRES_PORT, Valkey (TLS) on $PRIVATE_IP:$VALKEY_PORT"
