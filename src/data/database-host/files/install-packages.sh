#!/usr/bin/env bash
# DB-5: PostgreSQL from PGDG, TimescaleDB from Timescale's apt repository, PostGIS from PGDG, at
# the versions pinned in the environment definition; the AWS CLI. Skips apt entirely when the
# pinned versions are already installed, so later boots do not depend on the repositories.
#
#   install-packages.sh render-apt DIR   write DIR/sources.list.d/*.list and DIR/preferences.d/*
#   install-packages.sh package-versions print the exact "package=version" pairs apt would install
#   install-packages.sh install          configure the repositories and install (the host's path)
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"

# The PGDG signing key (https://www.postgresql.org/download/linux/ubuntu/).
PGDG_KEY_URL="https://www.postgresql.org/media/keys/ACCC4CF8.asc"
PGDG_KEY_FINGERPRINT="B97B0AFCAA1A47F044F244A07FCC7D46ACCC4CF8"
TIMESCALEDB_KEY_URL="https://packagecloud.io/timescale/timescaledb/gpgkey"
# Optional: the Timescale key's fingerprint, checked when set.
TIMESCALEDB_KEY_FINGERPRINT="${TIMESCALEDB_KEY_FINGERPRINT:-}"
APT_ROOT="${APT_ROOT:-/etc/apt}"
APT_GET=(apt-get -q -y -o DPkg::Lock::Timeout=900 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

require_vars POSTGRES_MAJOR TIMESCALEDB_VERSION POSTGIS_VERSION UBUNTU_CODENAME
POSTGIS_MAJOR=${POSTGIS_VERSION%%.*}
TIMESCALEDB_PACKAGES=("timescaledb-2-postgresql-$POSTGRES_MAJOR" "timescaledb-2-loader-postgresql-$POSTGRES_MAJOR")
POSTGIS_PACKAGES=("postgresql-$POSTGRES_MAJOR-postgis-$POSTGIS_MAJOR" "postgresql-$POSTGRES_MAJOR-postgis-$POSTGIS_MAJOR-scripts")

render_apt() {
  local dir=$1
  install -d -m 0755 "$dir/sources.list.d" "$dir/preferences.d"
  render_template "$TEMPLATE_DIR/apt/pgdg.list" "$dir/sources.list.d/pgdg.list"
  render_template "$TEMPLATE_DIR/apt/timescaledb.list" "$dir/sources.list.d/timescaledb.list"
  render_template "$TEMPLATE_DIR/apt/tracker-db.pref" "$dir/preferences.d/tracker-db.pref"
}

# version_matches VERSION: is VERSION one of the pinned upstream versions?
timescaledb_version_matches() { [[ "$1" == "$TIMESCALEDB_VERSION"~* ]]; }
postgis_version_matches() { [[ "$1" == "$POSTGIS_VERSION".* ]]; }

installed_version() {
  dpkg-query -W -f '${Version}' "$1" 2>/dev/null || true
}

already_installed() {
  local package
  [[ -x "$POSTGRES_BIN/postgres" ]] || return 1
  command -v aws >/dev/null || return 1
  for package in "${TIMESCALEDB_PACKAGES[@]}"; do
    timescaledb_version_matches "$(installed_version "$package")" || return 1
  done
  for package in "${POSTGIS_PACKAGES[@]}"; do
    postgis_version_matches "$(installed_version "$package")" || return 1
  done
}

# newest_matching PACKAGE PREDICATE: the newest version apt knows that PREDICATE accepts.
newest_matching() {
  local package=$1 predicate=$2 version
  while read -r version; do
    if "$predicate" "$version"; then
      printf '%s\n' "$version"
      return 0
    fi
  done < <(apt-cache madison "$package" | awk -F'|' '{ gsub(/ /, "", $2); print $2 }')
  die "no $package version matching the pinned version is available from the repositories"
}

package_versions() {
  local package
  for package in "${TIMESCALEDB_PACKAGES[@]}"; do
    printf '%s=%s\n' "$package" "$(newest_matching "$package" timescaledb_version_matches)"
  done
  for package in "${POSTGIS_PACKAGES[@]}"; do
    printf '%s=%s\n' "$package" "$(newest_matching "$package" postgis_version_matches)"
  done
}

fetch_key() {
  local url=$1 keyring=$2 fingerprint=$3 tmp actual
  tmp=$(mktemp)
  retry 5 10 curl -fsSL -o "$tmp" "$url"
  gpg --batch --yes --dearmor -o "$keyring.new" "$tmp"
  rm -f "$tmp"
  if [[ -n "$fingerprint" ]]; then
    actual=$(gpg --batch --show-keys --with-colons "$keyring.new" | awk -F: '$1 == "fpr" { print $10; exit }')
    [[ "$actual" == "$fingerprint" ]] || die "$url: key fingerprint $actual, expected $fingerprint"
  fi
  chmod 0644 "$keyring.new"
  mv -f "$keyring.new" "$keyring"
}

install_aws_cli() {
  command -v aws >/dev/null && return 0
  if command -v snap >/dev/null; then
    snap wait system seed.loaded
    retry 5 10 snap install aws-cli --classic
  else
    "${APT_GET[@]}" install --no-install-recommends awscli
  fi
}

install_packages() {
  export DEBIAN_FRONTEND=noninteractive
  if already_installed; then
    log "PostgreSQL $POSTGRES_MAJOR, TimescaleDB $TIMESCALEDB_VERSION and PostGIS $POSTGIS_VERSION already installed"
    return 0
  fi
  retry 5 10 "${APT_GET[@]}" update
  "${APT_GET[@]}" install --no-install-recommends ca-certificates curl gnupg openssl
  install -d -m 0755 /etc/apt/keyrings
  fetch_key "$PGDG_KEY_URL" /etc/apt/keyrings/pgdg.gpg "$PGDG_KEY_FINGERPRINT"
  fetch_key "$TIMESCALEDB_KEY_URL" /etc/apt/keyrings/timescaledb.gpg "$TIMESCALEDB_KEY_FINGERPRINT"
  render_apt "$APT_ROOT"
  retry 5 10 "${APT_GET[@]}" update
  # No packaged "main" cluster: the cluster lives on the data volume and runs under our own unit.
  "${APT_GET[@]}" install --no-install-recommends postgresql-common
  sed -ri 's/^#?[[:space:]]*create_main_cluster[[:space:]]*=.*/create_main_cluster = false/' \
    /etc/postgresql-common/createcluster.conf
  local versions=() listing
  # Not `< <(...)`: a failure inside package_versions must stop the script here, not later in apt.
  listing=$(package_versions)
  mapfile -t versions <<<"$listing"
  "${APT_GET[@]}" install --no-install-recommends --allow-downgrades \
    "postgresql-$POSTGRES_MAJOR" "postgresql-client-$POSTGRES_MAJOR" "${versions[@]}"
  apt-mark hold "${TIMESCALEDB_PACKAGES[@]}" "${POSTGIS_PACKAGES[@]}" >/dev/null
  systemctl disable --now postgresql.service >/dev/null 2>&1 || true
  install_aws_cli
  log "installed: ${versions[*]}"
}

main() {
  case "${1:-}" in
    render-apt) render_apt "${2:?directory}" ;;
    package-versions) package_versions ;;
    install) install_packages ;;
    *) die "usage: install-packages.sh render-apt DIR | package-versions | install" ;;
  esac
}

main "$@"
