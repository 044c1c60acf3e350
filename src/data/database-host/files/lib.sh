#!/usr/bin/env bash
# Shared helpers of the database host scripts (sourced, never executed).
#
# Every setting comes from /etc/tracker-db/host.env (written by cloud-init from the Terraform
# user data) or from the environment, so that tests can run the same functions against
# temporary paths. Nothing here holds or logs a secret value.

# shellcheck disable=SC2034 # the variables below are used by the scripts that source this file

TRACKER_DB_ENV_FILE="${TRACKER_DB_ENV_FILE:-/etc/tracker-db/host.env}"
if [[ -r "$TRACKER_DB_ENV_FILE" ]]; then
  # shellcheck source=/dev/null
  source "$TRACKER_DB_ENV_FILE"
fi

# The ports (POSTGRES_PORT, VALKEY_PORT) come from host.env only: the security groups open the same
# numbers (src/network/security-groups.ts), so they are never written down here.

# Layout on the host. Overridable for tests only.
TRACKER_DB_HOME="${TRACKER_DB_HOME:-/opt/tracker-db}"
TEMPLATE_DIR="${TEMPLATE_DIR:-$TRACKER_DB_HOME/templates}"
CONFIG_DIR="${CONFIG_DIR:-/etc/tracker-db}"
DATA_MOUNT="${DATA_MOUNT:-/srv/tracker-data}"
DATA_LABEL="${DATA_LABEL:-tracker-data}"
CA_DIR="${CA_DIR:-$DATA_MOUNT/tls}"
POSTGRES_MAJOR="${POSTGRES_MAJOR:-16}"
POSTGRES_BIN="${POSTGRES_BIN:-/usr/lib/postgresql/$POSTGRES_MAJOR/bin}"
POSTGRES_DATA_DIR="${POSTGRES_DATA_DIR:-$DATA_MOUNT/postgresql/$POSTGRES_MAJOR/main}"
POSTGRES_CONFIG_DIR="${POSTGRES_CONFIG_DIR:-$CONFIG_DIR/postgresql}"
POSTGRES_SOCKET_DIR="${POSTGRES_SOCKET_DIR:-/var/run/postgresql}"
VALKEY_DATA_DIR="${VALKEY_DATA_DIR:-$DATA_MOUNT/valkey}"
VALKEY_CONFIG_DIR="${VALKEY_CONFIG_DIR:-$CONFIG_DIR/valkey}"
VALKEY_PREFIX="${VALKEY_PREFIX:-/usr/local}"
VALKEY_CLI="${VALKEY_CLI:-$VALKEY_PREFIX/bin/valkey-cli}"
SECRETS_DIR="${SECRETS_DIR:-$CONFIG_DIR/secrets}"

log() {
  printf '%s tracker-db[%s]: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${0##*/}" "$*" >&2
}

die() {
  log "ERROR: $*"
  exit 1
}

# require_vars NAME...: fail with one clear message naming every missing setting.
require_vars() {
  local name missing=()
  for name in "$@"; do
    if [[ -z "${!name:-}" ]]; then
      missing+=("$name")
    fi
  done
  if ((${#missing[@]} > 0)); then
    die "missing settings (host.env or environment): ${missing[*]}"
  fi
}

# retry ATTEMPTS DELAY_SECONDS COMMAND...: bounded retry, returns the command's last status.
retry() {
  local attempts=$1 delay=$2 n=1
  shift 2
  until "$@"; do
    if ((n >= attempts)); then
      log "giving up after $n attempts: $*"
      return 1
    fi
    log "attempt $n/$attempts failed, retrying in ${delay}s: $1"
    sleep "$delay"
    n=$((n + 1))
  done
}

# render_template SOURCE DESTINATION: replace every @@NAME@@ with the value of $NAME.
# An unset NAME is an error, so a template can never silently render an empty setting.
render_template() {
  local src=$1 dst=$2 content name value
  content=$(<"$src")
  while [[ $content =~ @@([A-Z][A-Z0-9_]*)@@ ]]; do
    name=${BASH_REMATCH[1]}
    if [[ ! -v $name ]]; then
      die "template ${src##*/}: $name is not set"
    fi
    value=${!name}
    content=${content//"@@${name}@@"/"$value"}
  done
  printf '%s\n' "$content" >"$dst"
}

# run_as USER COMMAND...: run a command as USER (directly when already that user).
run_as() {
  local user=$1
  shift
  if [[ "$(id -un)" == "$user" ]]; then
    "$@"
  else
    runuser -u "$user" -- "$@"
  fi
}

# read_secret ARN: print the secret's value, fetched through the instance role. Secrets Manager or
# the NAT path may be briefly unavailable at boot, so it retries for about five minutes.
read_secret() {
  local arn=$1
  retry 30 10 aws secretsmanager get-secret-value --region "$AWS_REGION" --secret-id "$arn" \
    --query SecretString --output text
}

# write_secret_file PATH OWNER MODE: write stdin to PATH without it ever being world-readable.
write_secret_file() {
  local path=$1 owner=$2 mode=$3 tmp
  # A new directory is private; an existing one (e.g. Valkey's config directory) keeps its mode.
  [[ -d "$(dirname "$path")" ]] || install -d -m 0750 "$(dirname "$path")"
  tmp=$(mktemp "$path.XXXXXX")
  chmod 0600 "$tmp"
  cat >"$tmp"
  chown "$owner" "$tmp"
  chmod "$mode" "$tmp"
  mv -f "$tmp" "$path"
}
