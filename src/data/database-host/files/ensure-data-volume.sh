#!/usr/bin/env bash
# DB-2, DB-4: attach, format-if-blank and mount the separate EBS data volume. Safe on every boot.
#
#   ensure-data-volume.sh                      attach + format-if-blank + mount (the host's path)
#   ensure-data-volume.sh attach               attach DATA_VOLUME_ID to this instance, print device
#   ensure-data-volume.sh format-if-blank DEV  create ext4 on DEV only when DEV carries no signature
#   ensure-data-volume.sh mount DEV            mount DEV by UUID at DATA_MOUNT through /etc/fstab
#
# format-if-blank needs no mount and no loop device, so tests run it against an image file.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"

FSTAB="${FSTAB:-/etc/fstab}"
IMDS="${IMDS:-http://169.254.169.254/latest}"
ATTACH_DEVICE_NAME="${ATTACH_DEVICE_NAME:-/dev/sdf}"

imds() {
  local token
  token=$(curl -fsS -X PUT "$IMDS/api/token" -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')
  curl -fsS -H "X-aws-ec2-metadata-token: $token" "$IMDS/$1"
}

# The stable path of an EBS volume on Nitro instances: the NVMe serial is the volume ID sans '-'.
device_path() {
  printf '/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_%s\n' "${DATA_VOLUME_ID/-/}"
}

volume_attachment() {
  aws ec2 describe-volumes --region "$AWS_REGION" --volume-ids "$DATA_VOLUME_ID" \
    --query 'Volumes[0].[State,Attachments[0].InstanceId]' --output text
}

# Succeeds once the volume is free (or already ours); a replaced instance's old attachment
# disappears when that instance terminates.
volume_available_for() {
  local instance_id=$1 state attached_to
  read -r state attached_to < <(volume_attachment)
  [[ "$state" == "available" || "$attached_to" == "$instance_id" ]]
}

attach() {
  require_vars DATA_VOLUME_ID AWS_REGION
  local device instance_id state attached_to
  device=$(device_path)
  if [[ ! -e "$device" ]]; then
    instance_id=$(imds meta-data/instance-id)
    log "waiting for $DATA_VOLUME_ID to be free for $instance_id"
    retry 60 10 volume_available_for "$instance_id" || die "$DATA_VOLUME_ID stays attached elsewhere"
    read -r state attached_to < <(volume_attachment)
    if [[ "$attached_to" != "$instance_id" ]]; then
      log "attaching $DATA_VOLUME_ID ($state) to $instance_id as $ATTACH_DEVICE_NAME"
      aws ec2 attach-volume --region "$AWS_REGION" --volume-id "$DATA_VOLUME_ID" \
        --instance-id "$instance_id" --device "$ATTACH_DEVICE_NAME" >/dev/null
    fi
    retry 60 5 test -e "$device" || die "$device did not appear after attaching $DATA_VOLUME_ID"
  fi
  readlink -f "$device"
}

# Exit status of `blkid -p`: 0 = a signature was found, 2 = nothing found, anything else = error.
format_if_blank() {
  local device=$1 status=0
  [[ -e "$device" ]] || die "no such device: $device"
  blkid -p -o export "$device" >/dev/null 2>&1 || status=$?
  case "$status" in
    0)
      log "$device already carries a filesystem or partition table: not formatting"
      ;;
    2)
      log "$device is blank: creating ext4 (label $DATA_LABEL)"
      mkfs.ext4 -q -L "$DATA_LABEL" "$device"
      ;;
    *)
      die "blkid could not probe $device (status $status): refusing to format"
      ;;
  esac
  blkid -p -o value -s UUID "$device"
}

mount_volume() {
  local device=$1 uuid line
  uuid=$(blkid -p -o value -s UUID "$device")
  [[ -n "$uuid" ]] || die "$device has no filesystem UUID"
  line="UUID=$uuid $DATA_MOUNT ext4 defaults,noatime,nofail,x-systemd.device-timeout=30s 0 2"
  install -d -m 0755 "$DATA_MOUNT"
  if ! grep -qxF "$line" "$FSTAB"; then
    # Replace any older line for the mount point (a restored snapshot has another UUID).
    sed -i "\\|[[:space:]]${DATA_MOUNT}[[:space:]]|d" "$FSTAB"
    printf '%s\n' "$line" >>"$FSTAB"
    systemctl daemon-reload
  fi
  if ! mountpoint -q "$DATA_MOUNT"; then
    mount "$DATA_MOUNT"
  fi
  mountpoint -q "$DATA_MOUNT" || die "$DATA_MOUNT is not mounted"
}

main() {
  local device
  case "${1:-all}" in
    attach) attach ;;
    format-if-blank) format_if_blank "${2:?device or image file}" ;;
    mount) mount_volume "${2:?device}" ;;
    all)
      device=$(attach)
      format_if_blank "$device" >/dev/null
      mount_volume "$device"
      ;;
    *) die "unknown command: $1" ;;
  esac
}

main "$@"
