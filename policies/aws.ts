/**
 * AWS-specific helpers shared by several rules (security-group rule normalization, well-known
 * values). Kept apart from the generic engine.
 */
import { asNumber, block, blocks, isTrue, stringList, type PolicyContext, type TfConfig, type TfResource } from "./engine";

/**
 * Whether a CIDR is the whole address space: any prefix length 0, IPv4 or IPv6, however written
 * (`0.0.0.0/0`, `::/0`, `::0/0`, `0:0:0:0:0:0:0:0/0`, `10.0.0.0/0`).
 */
export function isOpenCidr(cidr: string): boolean {
  return /\/0+$/.test(cidr.trim());
}

/** One security-group rule, whichever of the three Terraform forms declared it. */
export interface SecurityGroupRule {
  readonly direction: "ingress" | "egress";
  /** `tcp`, `udp`, `icmp`, or `-1` (all). Numbers are mapped to names (6 -> tcp). */
  readonly protocol: string;
  readonly fromPort: number | undefined;
  readonly toPort: number | undefined;
  readonly cidrs: readonly string[];
  /** Whether the peer is another security group or a prefix list rather than a CIDR. */
  readonly referencesGroup: boolean;
  readonly description: unknown;
  /** Where the rule is declared, for messages (`ingress[0]` of an inline group, or the rule resource). */
  readonly where: string;
}

function protocolName(value: unknown): string {
  const p = String(value ?? "-1").toLowerCase();
  if (p === "6") return "tcp";
  if (p === "17") return "udp";
  if (p === "all") return "-1";
  return p;
}

/** The rules a resource declares: inline blocks of `aws_security_group`, or a rule resource. */
export function securityGroupRules(resource: TfResource): SecurityGroupRule[] {
  const c = resource.config;
  switch (resource.type) {
    case "aws_security_group":
    case "aws_default_security_group": {
      const out: SecurityGroupRule[] = [];
      for (const direction of ["ingress", "egress"] as const) {
        blocks(c[direction]).forEach((r, i) => {
          out.push({
            direction,
            protocol: protocolName(r["protocol"]),
            fromPort: asNumber(r["from_port"]),
            toPort: asNumber(r["to_port"]),
            cidrs: [...stringList(r["cidr_blocks"]), ...stringList(r["ipv6_cidr_blocks"])],
            referencesGroup: stringList(r["security_groups"]).length > 0 || isTrue(r["self"]) || stringList(r["prefix_list_ids"]).length > 0,
            description: r["description"],
            where: `${direction}[${i}]`,
          });
        });
      }
      return out;
    }
    case "aws_vpc_security_group_ingress_rule":
    case "aws_vpc_security_group_egress_rule": {
      const protocol = protocolName(c["ip_protocol"]);
      return [
        {
          direction: resource.type.endsWith("ingress_rule") ? "ingress" : "egress",
          protocol,
          fromPort: protocol === "-1" ? undefined : asNumber(c["from_port"]),
          toPort: protocol === "-1" ? undefined : asNumber(c["to_port"]),
          cidrs: [...stringList(c["cidr_ipv4"]), ...stringList(c["cidr_ipv6"])],
          referencesGroup: c["referenced_security_group_id"] !== undefined || c["prefix_list_id"] !== undefined,
          description: c["description"],
          where: resource.address,
        },
      ];
    }
    case "aws_security_group_rule":
      return [
        {
          direction: c["type"] === "egress" ? "egress" : "ingress",
          protocol: protocolName(c["protocol"]),
          fromPort: asNumber(c["from_port"]),
          toPort: asNumber(c["to_port"]),
          cidrs: [...stringList(c["cidr_blocks"]), ...stringList(c["ipv6_cidr_blocks"])],
          referencesGroup: c["source_security_group_id"] !== undefined || isTrue(c["self"]) || stringList(c["prefix_list_ids"]).length > 0,
          description: c["description"],
          where: resource.address,
        },
      ];
    default:
      return [];
  }
}

export const SECURITY_GROUP_RULE_TYPES: readonly string[] = [
  "aws_security_group",
  "aws_vpc_security_group_ingress_rule",
  "aws_vpc_security_group_egress_rule",
  "aws_security_group_rule",
];

/** Whether a rule covers a port (protocol -1, or a tcp/udp range holding it). */
export function coversPort(rule: SecurityGroupRule, port: number): boolean {
  if (rule.protocol === "-1") return true;
  if (rule.protocol !== "tcp" && rule.protocol !== "udp") return false;
  if (rule.fromPort === undefined || rule.toPort === undefined) return true;
  // from_port 0 / to_port 0 with tcp is rejected by AWS; from -1 to -1 means all for some forms
  if (rule.fromPort === -1 && rule.toPort === -1) return true;
  return rule.fromPort <= port && port <= rule.toPort;
}

export function portLabel(rule: SecurityGroupRule): string {
  if (rule.protocol === "-1") return "all traffic";
  if (rule.fromPort === undefined || rule.toPort === undefined) return `${rule.protocol}/all ports`;
  return rule.fromPort === rule.toPort ? `${rule.protocol}/${rule.fromPort}` : `${rule.protocol}/${rule.fromPort}-${rule.toPort}`;
}

/** A tag value of a resource (its own `tags`), when literal. */
export function tag(resource: TfResource, key: string): string | undefined {
  const tags = resource.config["tags"] as TfConfig | undefined;
  const v = tags && typeof tags === "object" ? tags[key] : undefined;
  return typeof v === "string" ? v : undefined;
}

/** The first block of an attribute as an object (never undefined). */
export function firstBlock(config: TfConfig, key: string): TfConfig {
  return block(config[key]) ?? {};
}

/**
 * Whether a subnet is public: its route table (explicit association) has a route to an internet
 * gateway, or it maps public IPs on launch. Subnets that are not resources of the stack (IDs,
 * data sources) are judged by their own config only.
 */
export function isPublicSubnet(subnet: TfResource, ctx: PolicyContext): boolean {
  if (isTrue(subnet.config["map_public_ip_on_launch"])) return true;
  for (const association of ctx.companions(subnet, "aws_route_table_association", "subnet_id")) {
    const table = ctx.resolve(association.config["route_table_id"]);
    if (!table) continue;
    const inline = blocks(table.config["route"]).map((r) => r["gateway_id"]);
    const separate = ctx.companions(table, "aws_route", "route_table_id").map((r) => r.config["gateway_id"]);
    if ([...inline, ...separate].some((g) => ctx.referenced(g).some((x) => x.type === "aws_internet_gateway") || (typeof g === "string" && g.startsWith("igw-")))) {
      return true;
    }
  }
  return false;
}
