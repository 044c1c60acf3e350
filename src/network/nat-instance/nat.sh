#!/bin/bash
# The tracker NAT instance (COST-1, NET-3 "instance"): forwards the private subnets' IPv4 traffic to
# the internet with source NAT. Runs at every boot as a systemd unit (tracker-nat.service), so a
# reboot, a recovery onto new hardware or a replaced instance all converge the same way.
# Idempotent: each rule is added only when it is missing.
set -euo pipefail

readonly PRIVATE_CIDRS="@@PRIVATE_CIDRS@@"
readonly SYSCTL_CONF="${TRACKER_NAT_SYSCTL_CONF:-/etc/sysctl.d/90-tracker-nat.conf}"

log() { echo "tracker-nat: $*"; }

# The interface that holds the default route (ens5 on Nitro instances; not assumed).
interface="$(ip -4 route show default | awk '{ for (i = 1; i < NF; i++) if ($i == "dev") { print $(i + 1); exit } }')"
if [[ -z "$interface" ]]; then
  log "no default route yet" >&2
  exit 1
fi

sysctl -q -w net.ipv4.ip_forward=1
printf 'net.ipv4.ip_forward = 1\n' > "$SYSCTL_CONF"

if ! command -v iptables >/dev/null 2>&1; then
  dnf install -y -q iptables-nft
fi

for cidr in $PRIVATE_CIDRS; do
  if ! iptables -t nat -C POSTROUTING -s "$cidr" -o "$interface" -j MASQUERADE 2>/dev/null; then
    iptables -t nat -A POSTROUTING -s "$cidr" -o "$interface" -j MASQUERADE
    log "masquerading $cidr out of $interface"
  fi
done
# Forward only what the private subnets send out and the answers to it.
iptables -C FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT 2>/dev/null ||
  iptables -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
for cidr in $PRIVATE_CIDRS; do
  iptables -C FORWARD -s "$cidr" -o "$interface" -j ACCEPT 2>/dev/null || iptables -A FORWARD -s "$cidr" -o "$interface" -j ACCEPT
done
log "ready: forwarding $PRIVATE_CIDRS through $interface"
