#!/usr/bin/env bash
# DB-5, DB-6: the host's own certificate authority and the server certificate that PostgreSQL
# and Valkey present. The CA lives on the data volume, so a replaced instance keeps it and the
# published CA certificate stays valid for clients.
#
#   tls.sh ensure-ca              create CA_DIR/ca.key + ca.crt once
#   tls.sh issue DIR OWNER        (re)issue DIR/server.key + server.crt + ca.crt for OWNER when
#                                 missing, expiring within 30 days, or the names changed
#   tls.sh publish                put the CA certificate into Parameter Store when it changed
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"

CA_DAYS="${CA_DAYS:-3650}"
SERVER_DAYS="${SERVER_DAYS:-825}"
RENEW_SECONDS=$((30 * 24 * 3600))

subject_alt_names() {
  require_vars DB_HOSTNAME REDIS_HOSTNAME PRIVATE_IP
  printf 'DNS:%s,DNS:%s,DNS:localhost,IP:%s,IP:127.0.0.1' "$DB_HOSTNAME" "$REDIS_HOSTNAME" "$PRIVATE_IP"
}

ensure_ca() {
  require_vars TRACKER_ENVIRONMENT
  install -d -m 0700 "$CA_DIR"
  if [[ -s "$CA_DIR/ca.key" && -s "$CA_DIR/ca.crt" ]]; then
    return 0
  fi
  log "creating the host certificate authority in $CA_DIR"
  local config
  config=$(mktemp)
  cat >"$config" <<CONF
[req]
distinguished_name = dn
x509_extensions = ca_ext
prompt = no
[dn]
CN = tracker-${TRACKER_ENVIRONMENT} database host CA
[ca_ext]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
CONF
  (
    umask 077
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$CA_DIR/ca.key.new"
    openssl req -x509 -new -config "$config" -key "$CA_DIR/ca.key.new" -days "$CA_DAYS" \
      -sha256 -out "$CA_DIR/ca.crt.new"
  )
  rm -f "$config"
  chmod 0644 "$CA_DIR/ca.crt.new"
  mv -f "$CA_DIR/ca.key.new" "$CA_DIR/ca.key"
  mv -f "$CA_DIR/ca.crt.new" "$CA_DIR/ca.crt"
}

needs_issue() {
  local dir=$1 sans=$2
  [[ -s "$dir/server.key" && -s "$dir/server.crt" && -s "$dir/server.san" ]] || return 0
  [[ "$(<"$dir/server.san")" == "$sans" ]] || return 0
  cmp -s "$dir/ca.crt" "$CA_DIR/ca.crt" || return 0
  ! openssl x509 -in "$dir/server.crt" -noout -checkend "$RENEW_SECONDS" >/dev/null
}

issue() {
  local dir=$1 owner=$2 sans config
  sans=$(subject_alt_names)
  install -d -m 0755 "$dir"
  if ! needs_issue "$dir" "$sans"; then
    return 0
  fi
  log "issuing the server certificate in $dir for $sans"
  config=$(mktemp)
  # clientAuth too: with tls-cluster, a Valkey node presents this certificate to its peers on the
  # cluster bus, and they verify it as a client certificate (DB-9).
  cat >"$config" <<CONF
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $sans
CONF
  (
    umask 077
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/server.key.new"
    openssl req -new -key "$dir/server.key.new" -subj "/CN=$DB_HOSTNAME" -out "$dir/server.csr"
    openssl x509 -req -in "$dir/server.csr" -CA "$CA_DIR/ca.crt" -CAkey "$CA_DIR/ca.key" \
      -set_serial "0x$(openssl rand -hex 16)" -days "$SERVER_DAYS" -sha256 \
      -extfile "$config" -out "$dir/server.crt.new"
  )
  rm -f "$config" "$dir/server.csr"
  install -m 0644 "$CA_DIR/ca.crt" "$dir/ca.crt"
  chown "$owner" "$dir/server.key.new" "$dir/server.crt.new"
  chmod 0600 "$dir/server.key.new"
  chmod 0644 "$dir/server.crt.new"
  mv -f "$dir/server.key.new" "$dir/server.key"
  mv -f "$dir/server.crt.new" "$dir/server.crt"
  printf '%s\n' "$sans" >"$dir/server.san"
}

publish() {
  require_vars CA_CERTIFICATE_PARAMETER_NAME AWS_REGION
  local current wanted
  wanted=$(<"$CA_DIR/ca.crt")
  current=$(aws ssm get-parameter --region "$AWS_REGION" --name "$CA_CERTIFICATE_PARAMETER_NAME" \
    --query Parameter.Value --output text 2>/dev/null || true)
  if [[ "$current" == "$wanted" ]]; then
    return 0
  fi
  log "publishing the CA certificate to $CA_CERTIFICATE_PARAMETER_NAME"
  aws ssm put-parameter --region "$AWS_REGION" --name "$CA_CERTIFICATE_PARAMETER_NAME" \
    --type String --overwrite --value "file://$CA_DIR/ca.crt" >/dev/null
}

main() {
  case "${1:-}" in
    ensure-ca) ensure_ca ;;
    issue) issue "${2:?directory}" "${3:?owner}" ;;
    publish) publish ;;
    *) die "usage: tls.sh ensure-ca | issue DIR OWNER | publish" ;;
  esac
}

main "$@"
