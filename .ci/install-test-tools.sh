#!/usr/bin/env bash
# Installs the Debian packages the offline checks need (__tests__/integration/database-host-files.test.ts, and
# shellcheck for the workflows' scripts, openssl for the smoke test's local HTTPS server):
# cloud-init's schema validator, shellcheck, PostgreSQL 15
# with PostGIS, redis-server/redis-cli (Valkey's configuration language is Redis 7's), OpenSSL,
# e2fsprogs (mkfs.ext4, debugfs), fdisk (sfdisk), util-linux (blkid, runuser), iproute2 (ss: which
# sockets the servers listen on; ip for network namespaces), iptables (the NAT instance's script,
# run in a network namespace: __tests__/nat-instance.test.ts) and python3-redis (redis-py's
# RedisCluster: the cluster-aware client that proves DB-9 against the live server).
# Terraform is not installed here: it is preinstalled on the CI machines (checked at the end).
#
# Non-interactive, no recommended extras, and no service left running: the packaged "main"
# PostgreSQL cluster is never created and no daemon is started by the package scripts (the tests
# start their own servers on loopback in temporary directories).
set -euo pipefail

PACKAGES=(
  cloud-init
  shellcheck
  postgresql
  postgresql-15-postgis-3
  redis-server
  redis-tools
  openssl
  e2fsprogs
  fdisk
  util-linux
  iproute2
  python3
  python3-yaml
  iproute2
  iptables
  python3-redis
)

SUDO=()
if [[ "$(id -u)" != "0" ]]; then
  SUDO=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive

# No packaged cluster: postgresql-common reads createcluster.d before creating "main".
"${SUDO[@]}" install -d -m 0755 /etc/postgresql-common/createcluster.d
echo "create_main_cluster = false" | "${SUDO[@]}" tee /etc/postgresql-common/createcluster.d/00-ci-no-main-cluster.conf >/dev/null

# No daemon started by maintainer scripts while installing (the Debian policy-rc.d mechanism).
POLICY=/usr/sbin/policy-rc.d
created_policy=false
if [[ ! -e "$POLICY" ]]; then
  printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$POLICY" >/dev/null
  "${SUDO[@]}" chmod 0755 "$POLICY"
  created_policy=true
fi
cleanup() {
  if [[ "$created_policy" == "true" ]]; then
    "${SUDO[@]}" rm -f "$POLICY"
  fi
}
trap cleanup EXIT

"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"

# Stop whatever a package may still have started (no-ops on a clean CI runner).
if command -v pg_lsclusters >/dev/null; then
  pg_lsclusters -h 2>/dev/null | while read -r version cluster _port status _rest; do
    if [[ "$status" == online* ]]; then
      "${SUDO[@]}" pg_ctlcluster "$version" "$cluster" stop || true
    fi
  done
fi
if command -v systemctl >/dev/null && systemctl is-active --quiet redis-server 2>/dev/null; then
  "${SUDO[@]}" systemctl stop redis-server || true
fi

for tool in ip iptables iptables-save cloud-init shellcheck openssl mkfs.ext4 debugfs sfdisk blkid runuser ss redis-server redis-cli \
  /usr/lib/postgresql/15/bin/initdb /usr/lib/postgresql/15/bin/pg_ctl; do
  command -v "$tool" >/dev/null || { echo "install-test-tools: $tool is still missing" >&2; exit 1; }
done
/usr/bin/python3 -c "import redis.cluster" || { echo "install-test-tools: python3-redis (redis.cluster) is still missing" >&2; exit 1; }
# Terraform is not a Debian package: the CI machines have Terraform 1.11 preinstalled at
# /usr/local/bin/terraform (the workflows use hashicorp/setup-terraform). The variable-validation
# and user-data tests run it, so a runner without it must stop here, not skip them.
command -v terraform >/dev/null || {
  echo "install-test-tools: terraform is missing: it is not installed by this script; the CI machines have" \
    "Terraform 1.11 preinstalled at /usr/local/bin/terraform (elsewhere: https://releases.hashicorp.com/terraform/)" >&2
  exit 1
}
echo "install-test-tools: $(terraform version | head -1); $(cloud-init --version 2>&1 | head -1); $(shellcheck --version | sed -n 's/^version: /shellcheck /p'); $(/usr/lib/postgresql/15/bin/postgres --version); $(redis-server --version | cut -d' ' -f1-3)"
