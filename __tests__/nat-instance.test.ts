/**
 * NET-3 / COST-1: staging's NAT instance. The synthesized wiring (routes and address on a fixed
 * interface, source/destination check off, only HTTP/HTTPS from the private subnets, IMDSv2,
 * encrypted root, self-recovery), its user data checked by cloud-init and shellcheck, and its
 * forwarding script run for real, twice, in a network namespace of its own.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { natInstanceScript, natInstanceUserData } from "../src/network/nat-instance";
import { environment, only, referenceOf, resources, synthTracker } from "./support/synth";

const CI = process.env["CI"] === "true";
const which = (tool: string) => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
const isRoot = process.getuid?.() === 0;

/** Missing tools fail under CI and skip (with a message) locally. */
function needTools(ctx: { skip: () => void }, tools: readonly string[], needsRoot = false): void {
  const missing = tools.filter((t) => !which(t));
  if (needsRoot && !isRoot) missing.push("root (network namespaces)");
  if (missing.length === 0) return;
  const message = `missing ${missing.join(", ")}: install them with .ci/install-test-tools.sh`;
  if (CI) throw new Error(message);
  console.warn(`SKIPPED: ${message}`);
  ctx.skip();
}

/** Staging's private subnets (application and data tiers), as the environment definition gives them. */
const PRIVATE_CIDRS = ["10.42.16.0/20", "10.42.32.0/20", "10.42.64.0/24", "10.42.65.0/24"];

describe("NET-3/COST-1: staging egress through one NAT instance", () => {
  const stack = synthTracker(environment("staging"));
  const [instanceName, instance] = only(stack, "aws_instance", (i) => i["tags"]?.["Name"] === "tracker-staging-nat");
  const [eniName, eni] = only(stack, "aws_network_interface", (n) => n["tags"]?.["Name"] === "tracker-staging-nat");
  const [sgName] = only(stack, "aws_security_group", (g) => g["tags"]["Name"] === "tracker-staging-nat");
  const eniRef = referenceOf("aws_network_interface", eniName, "id");
  const publicSubnet = resources(stack, "aws_subnet").find(([, s]) => s["cidr_block"] === "10.42.0.0/24")![0];

  it("NET-3: no NAT gateway; a t4g.nano from Amazon Linux 2023 arm64 on a fixed interface in the first public subnet", () => {
    expect(resources(stack, "aws_nat_gateway")).toEqual([]);
    expect(instance["instance_type"]).toBe("t4g.nano");
    expect(instance["primary_network_interface"]).toEqual({ network_interface_id: eniRef });
    expect(eni["subnet_id"]).toBe(referenceOf("aws_subnet", publicSubnet, "id"));
    expect(eni["source_dest_check"]).toBe(false);
    expect(eni["description"]).toBe("staging NAT instance (survives the instance's replacement)");
    const amiParameter = /data\.aws_ssm_parameter\.([\w-]+)\.insecure_value/.exec(String(instance["ami"]))![1]!;
    expect(stack.data!["aws_ssm_parameter"]![amiParameter]!["name"]).toBe("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
  });

  it("NET-3: every private route table sends 0.0.0.0/0 to the interface, so a replaced instance keeps the routes", () => {
    const defaults = resources(stack, "aws_route").filter(([, r]) => r["destination_cidr_block"] === "0.0.0.0/0" && r["gateway_id"] === undefined);
    expect(defaults).toHaveLength(2);
    for (const [, route] of defaults) {
      expect(route["network_interface_id"]).toBe(eniRef);
      expect(route["nat_gateway_id"]).toBeUndefined();
    }
    const [, address] = only(stack, "aws_eip", (e) => e["tags"]?.["Name"] === "tracker-staging-nat");
    expect(address["network_interface"]).toBe(eniRef);
    expect(address["domain"]).toBe("vpc");
  });

  it("SG-4/SG-6: its group admits, by group reference, exactly the groups that send to the internet, and lets only HTTP/HTTPS out", () => {
    const groupRef = referenceOf("aws_security_group", sgName, "id");
    expect(eni["security_groups"]).toEqual([groupRef]);
    const groupName = (ref: string) => resources(stack, "aws_security_group").find(([n]) => referenceOf("aws_security_group", n, "id") === ref)?.[1]["tags"]["Name"];
    const ingress = resources(stack, "aws_vpc_security_group_ingress_rule").filter(([, r]) => r["security_group_id"] === groupRef).map(([, r]) => r);
    for (const r of ingress) expect(r["cidr_ipv4"]).toBeUndefined();
    // The tasks pull images and call APIs over HTTPS; the database host also fetches apt packages over HTTP.
    expect(ingress.map((r) => `${r["ip_protocol"]} ${r["from_port"]}-${r["to_port"]} ${groupName(r["referenced_security_group_id"])}`).sort()).toEqual([
      "tcp 443-443 tracker-staging-anisette",
      "tcp 443-443 tracker-staging-application",
      "tcp 443-443 tracker-staging-database",
      "tcp 443-443 tracker-staging-workers",
      "tcp 80-80 tracker-staging-database",
    ]);
    const egress = resources(stack, "aws_vpc_security_group_egress_rule").filter(([, r]) => r["security_group_id"] === groupRef).map(([, r]) => r);
    expect(egress.map((r) => `${r["ip_protocol"]} ${r["from_port"]}-${r["to_port"]} ${r["cidr_ipv4"]}`).sort()).toEqual(["tcp 443-443 0.0.0.0/0", "tcp 80-80 0.0.0.0/0"]);
    for (const r of [...ingress, ...egress]) expect(String(r["description"]).length).toBeGreaterThan(10);
    // Each rule named in the console like everything else.
    expect(egress.map((r) => r["tags"]["Name"]).sort()).toEqual(["tracker-staging-nat-out-443", "tracker-staging-nat-out-80"]);
    expect(ingress.map((r) => r["tags"]["Name"]).sort()).toEqual([
      "tracker-staging-nat-in-anisette-443",
      "tracker-staging-nat-in-application-443",
      "tracker-staging-nat-in-database-443",
      "tracker-staging-nat-in-database-80",
      "tracker-staging-nat-in-workers-443",
    ]);
  });

  it("DB-1 practice: IMDSv2 only, encrypted root volume with the environment key, no key pair, no instance role", () => {
    // The endpoint on (the AL2023 boot needs it) but tokens required; tags not exposed in the metadata.
    expect(instance["metadata_options"]).toEqual({ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1, instance_metadata_tags: "disabled" });
    const [keyName] = only(stack, "aws_kms_key");
    // 8 GiB gp3, gone with the instance (the instance is stateless; the interface keeps address and routes).
    expect(instance["root_block_device"]).toEqual({
      volume_type: "gp3",
      volume_size: 8,
      encrypted: true,
      kms_key_id: referenceOf("aws_kms_key", keyName, "arn"),
      delete_on_termination: true,
      tags: { Name: "tracker-staging-nat-root" },
    });
    // The definition's instance type (the default when it names none is the smallest Graviton type).
    expect(instance["instance_type"]).toBe("t4g.nano");
    expect(instance["tags"]).toEqual({ Name: "tracker-staging-nat" });
    expect(instance["key_name"]).toBeUndefined();
    expect(instance["iam_instance_profile"]).toBeUndefined();
  });

  it("NET-3: it recovers by itself: EC2 recover on the system check, reboot on the instance check", () => {
    const alarms = resources(stack, "aws_cloudwatch_metric_alarm").filter(([, a]) => a["dimensions"]?.["InstanceId"] === referenceOf("aws_instance", instanceName, "id"));
    expect(alarms.map(([, a]) => `${a["metric_name"]} -> ${a["alarm_actions"]}`).sort()).toEqual([
      "StatusCheckFailed_Instance -> arn:aws:automate:eu-central-1:ec2:reboot",
      "StatusCheckFailed_System -> arn:aws:automate:eu-central-1:ec2:recover",
    ]);
    expect(instance["maintenance_options"]).toEqual({ auto_recovery: "default" });
    // What the alarm e-mail says, and its name.
    expect(alarms.map(([, a]) => `${a["alarm_name"]}: ${a["alarm_description"]}`).sort()).toEqual([
      "tracker-staging-nat-reboot: The staging NAT instance failed its EC2 instance status check for 2 minutes: EC2 reboots it; tracker-nat.service configures forwarding again at boot.",
      "tracker-staging-nat-recover: The staging NAT instance failed its EC2 system status check for 2 minutes: EC2 moves it to healthy hardware (same interface, address and routes).",
    ]);
  });

  it("NET-3: it forwards for exactly staging's application and data subnets", () => {
    const userData = String(instance["user_data"]);
    // The script is the cloud-config's base64 (`encoding: b64`) file content.
    const script = Buffer.from(/content: "([A-Za-z0-9+/]{200,}={0,2})"/.exec(userData)?.[1] ?? "", "base64").toString("utf8");
    expect(script).toContain("10.42.16.0/20 10.42.32.0/20 10.42.64.0/24 10.42.65.0/24");
    // Not the public subnets: their traffic goes to the internet gateway directly.
    expect(script).not.toContain("10.42.0.0/24");
  });

  it("NET-3: a changed script replaces the instance (it is stateless); a new AMI waits for the next replacement; the address exists first", () => {
    expect(instance["user_data_replace_on_change"]).toBe(true);
    expect(instance["lifecycle"]).toEqual({ ignore_changes: ["ami"] });
    const [addressName] = only(stack, "aws_eip", (e) => e["network_interface"] === eniRef);
    expect(instance["depends_on"]).toEqual([`aws_eip.${addressName}`]);
  });

  it("NET-3: the instance type is the definition's, t4g.nano when it names none", () => {
    const staging = environment("staging");
    if (staging.network.mode !== "create") throw new Error("staging creates its network");
    const { natInstanceType: _type, ...withoutType } = staging.network;
    const typeOf = (network: typeof staging.network, key: string) =>
      only(synthTracker({ ...staging, network }, key), "aws_instance", (i) => i["tags"]?.["Name"] === "tracker-staging-nat")[1]["instance_type"];
    expect(typeOf({ ...withoutType, natInstanceType: "t4g.micro" }, "staging-nat-micro")).toBe("t4g.micro");
    expect(typeOf(withoutType, "staging-nat-default")).toBe("t4g.nano");
  });

  it("NET-3: production keeps a NAT gateway per availability zone and has no NAT instance", () => {
    const production = synthTracker(environment("production"));
    expect(resources(production, "aws_nat_gateway")).toHaveLength(3);
    expect(resources(production, "aws_instance")).toEqual([]);
  });
});

describe("NET-3: the NAT instance's boot files, checked by real tools", () => {
  const dir = mkdtempSync(join(tmpdir(), "nat-"));
  const userData = join(dir, "user-data.yaml");
  const script = join(dir, "nat.sh");
  writeFileSync(userData, natInstanceUserData(PRIVATE_CIDRS));
  writeFileSync(script, natInstanceScript(PRIVATE_CIDRS), { mode: 0o755 });
  const namespace = `tracker-nat-${process.pid}`;
  afterAll(() => {
    spawnSync("ip", ["netns", "delete", namespace]);
  });

  it("the user data is valid cloud-config and carries the script as rendered", (ctx) => {
    needTools(ctx, ["cloud-init"]);
    const result = spawnSync("cloud-init", ["schema", "--config-file", userData], { encoding: "utf8" });
    expect(result.stdout + result.stderr).toContain("Valid cloud-config");
    const embedded = /content: "([A-Za-z0-9+/=]+)"/.exec(readFileSync(userData, "utf8"))![1]!;
    expect(Buffer.from(embedded, "base64").toString("utf8")).toBe(readFileSync(script, "utf8"));
  });

  it("shellcheck finds nothing in the script", (ctx) => {
    needTools(ctx, ["shellcheck"]);
    const result = spawnSync("shellcheck", ["--severity=style", script], { encoding: "utf8" });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("run twice in a namespace, it forwards and masquerades exactly the private subnets, once each", (ctx) => {
    needTools(ctx, ["ip", "iptables", "iptables-save"], true);
    const sh = (command: string) => spawnSync("sh", ["-c", command], { encoding: "utf8" });
    expect(sh(`ip netns add ${namespace}`).status).toBe(0);
    const inside = (command: string) => sh(`ip netns exec ${namespace} sh -c '${command}'`);
    // No default route yet: it refuses rather than guessing an interface.
    const early = inside(`TRACKER_NAT_SYSCTL_CONF=${dir}/sysctl.conf ${script}`);
    expect(early.status).toBe(1);
    expect(early.stderr).toContain("tracker-nat: no default route yet");
    // An uplink with a default route, as ens5 has on the instance (a veth pair: no dummy module needed).
    const uplink = inside("ip link add uplink0 type veth peer name uplink1 && ip addr add 192.0.2.10/24 dev uplink0 && ip link set uplink0 up && ip link set uplink1 up && ip route add default via 192.0.2.1 dev uplink0");
    expect(uplink.stderr).toBe("");
    for (let run = 0; run < 2; run++) {
      const result = inside(`TRACKER_NAT_SYSCTL_CONF=${dir}/sysctl.conf ${script}`);
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
    }
    expect(inside("cat /proc/sys/net/ipv4/ip_forward").stdout.trim()).toBe("1");
    expect(readFileSync(join(dir, "sysctl.conf"), "utf8")).toBe("net.ipv4.ip_forward = 1\n");
    const rules = inside("iptables-save").stdout.split("\n");
    expect(rules.filter((r) => r.includes("MASQUERADE")).sort()).toEqual(PRIVATE_CIDRS.map((c) => `-A POSTROUTING -s ${c} -o uplink0 -j MASQUERADE`).sort());
    expect(rules.filter((r) => r.startsWith("-A FORWARD")).sort()).toEqual(
      [...PRIVATE_CIDRS.map((c) => `-A FORWARD -s ${c} -o uplink0 -j ACCEPT`), "-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"].sort(),
    );
  });
});
