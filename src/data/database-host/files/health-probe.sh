#!/usr/bin/env bash
# DB-8: liveness and disk usage of the database host, published to CloudWatch every minute
# (tracker-db-health.timer). A failed check is published as 0, never skipped, and a host that
# stops publishing is caught by the alarms treating missing data as breaching.
#
#   health-probe.sh           measure and publish
#   health-probe.sh --print   measure and print the metric data JSON instead (tests, debugging)
#
# Namespace METRIC_NAMESPACE (Tracker/DatabaseHost), dimension Environment=<env>, metrics:
#   PostgresUp, ValkeyUp (1 or 0, Count), DataVolumeUsedPercent, RootVolumeUsedPercent (Percent).
set -uo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"

METRIC_NAMESPACE="${METRIC_NAMESPACE:-Tracker/DatabaseHost}"
POSTGRES_CA_FILE="${POSTGRES_CA_FILE:-$POSTGRES_CONFIG_DIR/tls/ca.crt}"
VALKEY_CA_FILE="${VALKEY_CA_FILE:-$VALKEY_CONFIG_DIR/tls/ca.crt}"
VALKEY_PASSWORD_FILE="${VALKEY_PASSWORD_FILE:-$SECRETS_DIR/valkey-password}"

# pg_isready over TLS on the private address, verifying the certificate like a client would.
postgres_up() {
  "$POSTGRES_BIN/pg_isready" -q -t 5 -d "host=$PRIVATE_IP port=$POSTGRES_PORT dbname=postgres \
sslmode=verify-full sslrootcert=$POSTGRES_CA_FILE connect_timeout=5" && echo 1 || echo 0
}

# An authenticated CLUSTER INFO over TLS (the password in the environment, not argv): up means
# cluster_state:ok, every slot served, which is what cluster clients need (DB-9).
valkey_up() {
  local password reply
  password=$(<"$VALKEY_PASSWORD_FILE") || { echo 0; return; }
  reply=$(VALKEYCLI_AUTH="$password" REDISCLI_AUTH="$password" timeout 10 "$VALKEY_CLI" --tls \
    --cacert "$VALKEY_CA_FILE" -h "$PRIVATE_IP" -p "$VALKEY_PORT" CLUSTER INFO 2>/dev/null)
  [[ $'\n'"${reply//$'\r'/}"$'\n' == *$'\n'"cluster_state:ok"$'\n'* ]] && echo 1 || echo 0
}

used_percent() {
  df -P "$1" | awk 'NR == 2 { sub("%", "", $5); print $5 }'
}

metric() {
  printf '{"MetricName":"%s","Value":%s,"Unit":"%s","Dimensions":[{"Name":"Environment","Value":"%s"}]}' \
    "$1" "$2" "$3" "$TRACKER_ENVIRONMENT"
}

main() {
  require_vars TRACKER_ENVIRONMENT PRIVATE_IP POSTGRES_PORT VALKEY_PORT
  local data=() json
  data+=("$(metric PostgresUp "$(postgres_up)" Count)")
  data+=("$(metric ValkeyUp "$(valkey_up)" Count)")
  if mountpoint -q "$DATA_MOUNT"; then
    data+=("$(metric DataVolumeUsedPercent "$(used_percent "$DATA_MOUNT")" Percent)")
  else
    log "$DATA_MOUNT is not mounted: DataVolumeUsedPercent not published"
  fi
  data+=("$(metric RootVolumeUsedPercent "$(used_percent /)" Percent)")
  json="[$(IFS=,; echo "${data[*]}")]"
  if [[ "${1:-}" == "--print" ]]; then
    printf '%s\n' "$json"
    return 0
  fi
  require_vars AWS_REGION
  aws cloudwatch put-metric-data --region "$AWS_REGION" --namespace "$METRIC_NAMESPACE" \
    --metric-data "$json"
}

main "$@"
