#!/usr/bin/env bash
# DB-6, DB-9: Valkey with TLS, a password from Secrets Manager, persistence on the data volume,
# in cluster mode with this one node owning every slot (as production's MemoryDB is a cluster).
#
#   configure-valkey.sh install            install the pinned Valkey release (checksum-verified)
#   configure-valkey.sh render DIR         write DIR/valkey.conf and DIR/auth.conf; the password
#                                          comes from VALKEY_PASSWORD
#   configure-valkey.sh cluster-init       assign every slot this node does not own yet to it
#                                          (idempotent) and wait for cluster_state:ok; the
#                                          password comes from VALKEY_PASSWORD
#   configure-valkey.sh exec-server        run the server in the foreground (systemd ExecStart)
#   configure-valkey.sh all                everything, as the host does at every boot
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"

VALKEY_USER="${VALKEY_USER:-valkey}"
VALKEY_MAXMEMORY="${VALKEY_MAXMEMORY:-1gb}"
VALKEY_SERVICE="${VALKEY_SERVICE:-tracker-valkey.service}"
VALKEY_DOWNLOAD_BASE="${VALKEY_DOWNLOAD_BASE:-https://download.valkey.io/releases}"

install_valkey() {
  require_vars VALKEY_VERSION UBUNTU_CODENAME
  local arch name tmp expected actual installed=""
  if [[ -x "$VALKEY_PREFIX/bin/valkey-server" ]]; then
    installed=$("$VALKEY_PREFIX/bin/valkey-server" --version | sed -n 's/.* v=\([0-9.]*\) .*/\1/p')
  fi
  if [[ "$installed" == "$VALKEY_VERSION" ]]; then
    return 0
  fi
  case "$(uname -m)" in
    aarch64) arch=arm64 ;;
    x86_64) arch=x86_64 ;;
    *) die "no Valkey release artifact for $(uname -m)" ;;
  esac
  name="valkey-$VALKEY_VERSION-$UBUNTU_CODENAME-$arch"
  tmp=$(mktemp -d)
  log "installing Valkey $VALKEY_VERSION ($name) over ${installed:-nothing}"
  retry 5 10 curl -fsSL -o "$tmp/$name.tar.gz" "$VALKEY_DOWNLOAD_BASE/$name.tar.gz"
  # A checksum pinned in the repository wins; otherwise the one published next to the artifact.
  expected="${VALKEY_SHA256:-}"
  if [[ -z "$expected" ]]; then
    retry 5 10 curl -fsSL -o "$tmp/$name.tar.gz.sha256" "$VALKEY_DOWNLOAD_BASE/$name.tar.gz.sha256"
    expected=$(awk '{ print $1; exit }' "$tmp/$name.tar.gz.sha256")
  fi
  actual=$(sha256sum "$tmp/$name.tar.gz" | awk '{ print $1 }')
  [[ "$actual" == "$expected" ]] || die "checksum mismatch for $name.tar.gz: $actual != $expected"
  tar -xzf "$tmp/$name.tar.gz" -C "$tmp"
  install -m 0755 "$tmp/$name/bin/valkey-server" "$tmp/$name/bin/valkey-cli" "$VALKEY_PREFIX/bin/"
  rm -rf "$tmp"
}

ensure_user() {
  getent passwd "$VALKEY_USER" >/dev/null ||
    useradd --system --user-group --home-dir "$VALKEY_DATA_DIR" --no-create-home --shell /usr/sbin/nologin "$VALKEY_USER"
}

render() {
  local dir=$1
  require_vars PRIVATE_IP REDIS_HOSTNAME VALKEY_PORT VALKEY_PASSWORD
  [[ "$VALKEY_PASSWORD" =~ ^[!-~]+$ && "$VALKEY_PASSWORD" != *'"'* && "$VALKEY_PASSWORD" != *\\* ]] ||
    die "the Valkey password must be printable ASCII without spaces, quotes or backslashes"
  VALKEY_CONFIG_DIR=$dir
  install -d -m 0755 "$dir"
  render_template "$TEMPLATE_DIR/valkey/valkey.conf" "$dir/valkey.conf"
  chmod 0644 "$dir/valkey.conf"
  printf 'requirepass "%s"\n' "$VALKEY_PASSWORD" | write_secret_file "$dir/auth.conf" "root:$(id -gn "$VALKEY_USER")" 0640
}

exec_server() {
  exec "$VALKEY_PREFIX/bin/valkey-server" "$VALKEY_CONFIG_DIR/valkey.conf"
}

all() {
  require_vars REDIS_PASSWORD_SECRET_ARN AWS_REGION
  mountpoint -q "$DATA_MOUNT" || die "$DATA_MOUNT is not mounted: refusing to start Valkey"
  install_valkey
  ensure_user
  install -d -m 0750 -o "$VALKEY_USER" -g "$VALKEY_USER" "$VALKEY_DATA_DIR"
  # A replaced instance may have given the valkey user another UID than the one that wrote the data.
  chown -R "$VALKEY_USER:$VALKEY_USER" "$VALKEY_DATA_DIR"
  VALKEY_PASSWORD=$(read_secret "$REDIS_PASSWORD_SECRET_ARN")
  render "$VALKEY_CONFIG_DIR"
  # The health probe authenticates with the same password; only root can read it.
  printf '%s' "$VALKEY_PASSWORD" | write_secret_file "$SECRETS_DIR/valkey-password" root:root 0600
  "$(dirname "$(readlink -f "$0")")/tls.sh" issue "$VALKEY_CONFIG_DIR/tls" "$VALKEY_USER:$VALKEY_USER"
  systemctl restart "$VALKEY_SERVICE"
  # The unit is Type=simple: the restart returns before Valkey serves. Ready means an authenticated
  # TLS PING on the private address, as clients and the health probe do it...
  retry 30 2 valkey_ready || die "Valkey does not answer an authenticated TLS PING on $PRIVATE_IP:$VALKEY_PORT"
  # ...and a cluster whose every slot is served (cluster_state:ok), as cluster clients need it.
  cluster_init
}

# valkey_cli ARG...: an authenticated TLS command on the private address, verifying the host CA.
# The password travels in the environment, not argv; replies lose the \r of CLUSTER INFO.
valkey_cli() {
  local reply
  reply=$(VALKEYCLI_AUTH="$VALKEY_PASSWORD" REDISCLI_AUTH="$VALKEY_PASSWORD" timeout 10 \
    "$VALKEY_CLI" --tls --cacert "$VALKEY_CONFIG_DIR/tls/ca.crt" \
    -h "$PRIVATE_IP" -p "$VALKEY_PORT" "$@" 2>/dev/null) || return 1
  printf '%s\n' "${reply//$'\r'/}"
}

valkey_ready() {
  [[ "$(valkey_cli PING)" == "PONG" ]]
}

cluster_ok() {
  [[ $'\n'"$(valkey_cli CLUSTER INFO)"$'\n' == *$'\n'"cluster_state:ok"$'\n'* ]]
}

# The slot ranges (start end ...) of 0..16383 that the `myself` line of CLUSTER NODES does not list.
missing_slot_ranges() {
  awk '
    / myself/ {
      for (i = 9; i <= NF; i++) {
        if ($i ~ /^\[/) continue                # a slot being imported or migrated
        n = split($i, r, "-")
        for (s = r[1]; s <= r[n]; s++) owned[s] = 1
      }
    }
    END {
      start = -1
      for (s = 0; s <= 16384; s++) {
        if (s < 16384 && !(s in owned)) { if (start < 0) start = s; continue }
        if (start >= 0) { printf "%d %d ", start, s - 1; start = -1 }
      }
    }'
}

# DB-9: one node owning all 16384 slots. At first boot none is assigned; nodes.conf on the data
# volume keeps the assignment across restarts and instance replacement, so later boots add nothing.
cluster_init() {
  require_vars PRIVATE_IP VALKEY_PORT VALKEY_PASSWORD
  local nodes ranges reply
  nodes=$(valkey_cli CLUSTER NODES) || die "CLUSTER NODES failed on $PRIVATE_IP:$VALKEY_PORT (is cluster-enabled on?)"
  [[ "$nodes" == *myself* ]] || die "CLUSTER NODES does not list this node: $nodes"
  if (($(grep -c . <<<"$nodes") != 1)); then
    die "the cluster has other nodes than this one; refusing to assign slots: $nodes"
  fi
  ranges=$(missing_slot_ranges <<<"$nodes")
  if [[ -n "$ranges" ]]; then
    log "assigning slots ${ranges% } to this node"
    # shellcheck disable=SC2086 # one word per slot number
    reply=$(valkey_cli CLUSTER ADDSLOTSRANGE $ranges)
    [[ "$reply" == "OK" ]] || die "CLUSTER ADDSLOTSRANGE $ranges failed: $reply"
  fi
  retry 60 1 cluster_ok || die "Valkey on $PRIVATE_IP:$VALKEY_PORT does not report cluster_state:ok"
}

main() {
  case "${1:-}" in
    install) install_valkey ;;
    render) render "${2:?directory}" ;;
    cluster-init) cluster_init ;;
    exec-server) exec_server ;;
    all) all ;;
    *) die "usage: configure-valkey.sh install | render DIR | cluster-init | exec-server | all" ;;
  esac
}

main "$@"
