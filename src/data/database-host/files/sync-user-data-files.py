#!/usr/bin/env python3
"""DB-4: re-apply the files of the *current* EC2 user data at every boot.

cloud-init writes `write_files` once per instance. When Terraform changes the user data in place
(`user_data_replace_on_change = false`: stop, modify, start), cloud-init sees the same instance ID
and skips them, so this script, run first by bootstrap.sh at every boot, writes the managed files
(/opt/tracker-db, /etc/tracker-db, /etc/systemd/system/tracker-*) from the fresh user data.

  sync-user-data-files.py [--user-data FILE] [--root DIR]

Without --user-data it reads the user data from IMDSv2. Prints one line per changed file.
"""
import argparse
import gzip
import os
import sys
import urllib.request

import yaml

MANAGED_PREFIXES = ("/opt/tracker-db/", "/etc/tracker-db/", "/etc/systemd/system/tracker-")
IMDS = "http://169.254.169.254/latest"


def fetch_user_data() -> bytes:
    token_request = urllib.request.Request(
        f"{IMDS}/api/token", method="PUT", headers={"X-aws-ec2-metadata-token-ttl-seconds": "60"}
    )
    with urllib.request.urlopen(token_request, timeout=5) as response:
        token = response.read().decode()
    data_request = urllib.request.Request(f"{IMDS}/user-data", headers={"X-aws-ec2-metadata-token": token})
    with urllib.request.urlopen(data_request, timeout=5) as response:
        return response.read()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user-data", help="read the user data from this file instead of IMDS")
    parser.add_argument("--root", default="/", help="write below this directory (tests)")
    args = parser.parse_args()

    if args.user_data:
        with open(args.user_data, "rb") as handle:
            raw = handle.read()
    else:
        raw = fetch_user_data()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8")
    if not text.startswith("#cloud-config"):
        print("user data is not a #cloud-config document", file=sys.stderr)
        return 1

    config = yaml.safe_load(text) or {}
    for entry in config.get("write_files", []):
        path = entry["path"]
        if not path.startswith(MANAGED_PREFIXES) or entry.get("encoding") not in (None, "text/plain"):
            continue
        target = os.path.join(args.root, path.lstrip("/"))
        content = entry.get("content", "").encode("utf-8")
        mode = int(str(entry.get("permissions", "0644")), 8)
        try:
            with open(target, "rb") as handle:
                unchanged = handle.read() == content
        except FileNotFoundError:
            unchanged = False
        if unchanged and (os.stat(target).st_mode & 0o7777) == mode:
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        temporary = f"{target}.sync-tmp"
        with open(temporary, "wb") as handle:
            handle.write(content)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
        print(f"updated {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
