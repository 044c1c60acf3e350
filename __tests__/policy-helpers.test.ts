/**
 * The helpers several policy rules share (policies/aws.ts, policies/iam.ts), against what AWS and
 * Terraform mean: a security-group rule in each of its three Terraform forms, protocol numbers, port
 * ranges, open CIDRs however written, public subnets, IAM action globs and NotAction. Expected values
 * are what AWS documents, written out.
 */
import { describe, expect, it } from "vitest";
import { coversPort, firstBlock, isOpenCidr, isPublicSubnet, portLabel, securityGroupRules, tag, type SecurityGroupRule } from "../policies/aws";
import { PolicyContext, type PolicyStatement, type TerraformJson, type TfConfig, type TfResource } from "../policies/engine";
import { actionMatches, declaredStatements, grants, isIdentityDocument, onAnyResource, trustStatements } from "../policies/iam";
import { beforeFirstWildcard, isOwnedTag, isOwnedValue, isProjectName, tagText } from "../policies/shared-account";

const resource = (type: string, config: TfConfig, name = "r"): TfResource => ({ kind: "resource", type, name, address: `${type}.${name}`, config });
const rule = (r: Partial<SecurityGroupRule>): SecurityGroupRule => ({
  direction: "ingress",
  protocol: "tcp",
  fromPort: 443,
  toPort: 443,
  cidrs: [],
  referencesGroup: false,
  description: undefined,
  where: "x",
  ...r,
});

describe("policy helpers: open CIDRs", () => {
  it("any /0, IPv4 or IPv6, however written, is the whole address space; a longer prefix is not", () => {
    for (const cidr of ["0.0.0.0/0", "::/0", "::0/0", "0:0:0:0:0:0:0:0/0", "10.0.0.0/0", " 0.0.0.0/00 "]) expect(isOpenCidr(cidr), cidr).toBe(true);
    for (const cidr of ["10.0.0.0/16", "0.0.0.0/10", "::/64", "192.168.0.0/20", "0.0.0.0"]) expect(isOpenCidr(cidr), cidr).toBe(false);
    // A prefix written with a leading zero is still that prefix: /01 is half the address space, not all of it.
    expect(isOpenCidr("128.0.0.0/01")).toBe(false);
  });
});

describe("policy helpers: security-group rules in each Terraform form", () => {
  it("inline ingress and egress blocks of aws_security_group, numbered, with IPv4 and IPv6 ranges and group peers", () => {
    const sg = resource("aws_security_group", {
      ingress: [
        { protocol: "6", from_port: 443, to_port: 443, cidr_blocks: ["0.0.0.0/0"], ipv6_cidr_blocks: ["::/0"], description: "https" },
        { protocol: "tcp", from_port: "5432", to_port: "5432", security_groups: ["${aws_security_group.app.id}"] },
        { protocol: "udp", from_port: 53, to_port: 53, self: true },
        { protocol: "tcp", from_port: 443, to_port: 443, prefix_list_ids: ["pl-123"] },
      ],
      egress: { protocol: "-1", from_port: 0, to_port: 0, cidr_blocks: ["0.0.0.0/0"] },
    });
    expect(securityGroupRules(sg)).toEqual([
      { direction: "ingress", protocol: "tcp", fromPort: 443, toPort: 443, cidrs: ["0.0.0.0/0", "::/0"], referencesGroup: false, description: "https", where: "ingress[0]" },
      { direction: "ingress", protocol: "tcp", fromPort: 5432, toPort: 5432, cidrs: [], referencesGroup: true, description: undefined, where: "ingress[1]" },
      { direction: "ingress", protocol: "udp", fromPort: 53, toPort: 53, cidrs: [], referencesGroup: true, description: undefined, where: "ingress[2]" },
      { direction: "ingress", protocol: "tcp", fromPort: 443, toPort: 443, cidrs: [], referencesGroup: true, description: undefined, where: "ingress[3]" },
      { direction: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrs: ["0.0.0.0/0"], referencesGroup: false, description: undefined, where: "egress[0]" },
    ]);
    expect(securityGroupRules(resource("aws_default_security_group", { ingress: [{ protocol: "17", from_port: 1, to_port: 2 }] }))).toEqual([
      { direction: "ingress", protocol: "udp", fromPort: 1, toPort: 2, cidrs: [], referencesGroup: false, description: undefined, where: "ingress[0]" },
    ]);
  });

  it("aws_vpc_security_group_*_rule: ip_protocol -1 has no ports; a referenced group or prefix list is a peer", () => {
    expect(
      securityGroupRules(resource("aws_vpc_security_group_ingress_rule", { ip_protocol: "tcp", from_port: 80, to_port: 81, cidr_ipv4: "10.0.0.0/16", description: "alb" })),
    ).toEqual([{ direction: "ingress", protocol: "tcp", fromPort: 80, toPort: 81, cidrs: ["10.0.0.0/16"], referencesGroup: false, description: "alb", where: "aws_vpc_security_group_ingress_rule.r" }]);
    expect(securityGroupRules(resource("aws_vpc_security_group_egress_rule", { ip_protocol: "-1", from_port: 0, to_port: 0, cidr_ipv6: "::/0" }))).toEqual([
      { direction: "egress", protocol: "-1", fromPort: undefined, toPort: undefined, cidrs: ["::/0"], referencesGroup: false, description: undefined, where: "aws_vpc_security_group_egress_rule.r" },
    ]);
    expect(securityGroupRules(resource("aws_vpc_security_group_egress_rule", { ip_protocol: "ALL" }))[0]!.protocol).toBe("-1");
    expect(securityGroupRules(resource("aws_vpc_security_group_ingress_rule", { ip_protocol: "tcp", referenced_security_group_id: "sg-1" }))[0]!.referencesGroup).toBe(true);
    expect(securityGroupRules(resource("aws_vpc_security_group_ingress_rule", { ip_protocol: "tcp", prefix_list_id: "pl-1" }))[0]!.referencesGroup).toBe(true);
  });

  it("aws_security_group_rule: type egress or ingress; a missing protocol means all traffic", () => {
    expect(securityGroupRules(resource("aws_security_group_rule", { type: "egress", protocol: "tcp", from_port: 443, to_port: 443, ipv6_cidr_blocks: ["::/0"] }))).toEqual([
      { direction: "egress", protocol: "tcp", fromPort: 443, toPort: 443, cidrs: ["::/0"], referencesGroup: false, description: undefined, where: "aws_security_group_rule.r" },
    ]);
    const ingress = securityGroupRules(resource("aws_security_group_rule", { type: "ingress", source_security_group_id: "sg-1", description: "d" }))[0]!;
    expect([ingress.direction, ingress.protocol, ingress.referencesGroup, ingress.description]).toEqual(["ingress", "-1", true, "d"]);
    expect(securityGroupRules(resource("aws_security_group_rule", { type: "ingress", self: "true" }))[0]!.referencesGroup).toBe(true);
    expect(securityGroupRules(resource("aws_security_group_rule", { type: "ingress", prefix_list_ids: ["pl-1"] }))[0]!.referencesGroup).toBe(true);
    expect(securityGroupRules(resource("aws_security_group_rule", { type: "ingress", cidr_blocks: ["10.0.0.0/8"] }))[0]!.referencesGroup).toBe(false);
  });

  it("other resource types declare no rules", () => {
    expect(securityGroupRules(resource("aws_lb", { security_groups: ["sg-1"] }))).toEqual([]);
  });
});

describe("policy helpers: ports", () => {
  it("all traffic covers every port; tcp and udp ranges cover what they hold; icmp covers no port", () => {
    expect(coversPort(rule({ protocol: "-1", fromPort: 0, toPort: 0 }), 22)).toBe(true);
    expect(coversPort(rule({ fromPort: 20, toPort: 22 }), 22)).toBe(true);
    expect(coversPort(rule({ fromPort: 22, toPort: 22 }), 22)).toBe(true);
    expect(coversPort(rule({ fromPort: 23, toPort: 30 }), 22)).toBe(false);
    expect(coversPort(rule({ fromPort: 10, toPort: 21 }), 22)).toBe(false);
    expect(coversPort(rule({ protocol: "udp", fromPort: 0, toPort: 65535 }), 22)).toBe(true);
    expect(coversPort(rule({ protocol: "icmp", fromPort: -1, toPort: -1 }), 22)).toBe(false);
  });

  it("a tcp rule with unknown ports, or -1 to -1, is read as all ports (checked, not skipped)", () => {
    expect(coversPort(rule({ fromPort: undefined, toPort: 443 }), 22)).toBe(true);
    expect(coversPort(rule({ fromPort: 443, toPort: undefined }), 22)).toBe(true);
    expect(coversPort(rule({ fromPort: -1, toPort: -1 }), 22)).toBe(true);
    expect(coversPort(rule({ fromPort: -1, toPort: 20 }), 22)).toBe(false);
    // Only both ends at -1 mean all ports; one end at -1 is an (empty) range like any other.
    expect(coversPort(rule({ fromPort: 30, toPort: -1 }), 22)).toBe(false);
  });

  it("labels read as an operator writes them", () => {
    expect(portLabel(rule({ protocol: "-1" }))).toBe("all traffic");
    expect(portLabel(rule({}))).toBe("tcp/443");
    expect(portLabel(rule({ protocol: "udp", fromPort: 1024, toPort: 65535 }))).toBe("udp/1024-65535");
    expect(portLabel(rule({ fromPort: undefined, toPort: undefined }))).toBe("tcp/all ports");
    expect(portLabel(rule({ fromPort: 443, toPort: undefined }))).toBe("tcp/all ports");
    expect(portLabel(rule({ fromPort: undefined, toPort: 443 }))).toBe("tcp/all ports");
  });
});

describe("policy helpers: tags, blocks and public subnets", () => {
  it("a literal tag value of the resource's own tags; none otherwise", () => {
    expect(tag(resource("aws_instance", { tags: { Name: "db", Count: 2 } }), "Name")).toBe("db");
    expect(tag(resource("aws_instance", { tags: { Count: 2 } }), "Count")).toBeUndefined();
    expect(tag(resource("aws_instance", { tags: "${local.tags}" }), "Name")).toBeUndefined();
    expect(tag(resource("aws_instance", {}), "Name")).toBeUndefined();
    expect(tag(resource("aws_instance", { tags: null }), "Name")).toBeUndefined();
  });

  it("firstBlock: the first block of an attribute, or an empty object", () => {
    expect(firstBlock({ metadata_options: [{ http_tokens: "required" }, { http_tokens: "optional" }] }, "metadata_options")).toEqual({ http_tokens: "required" });
    expect(firstBlock({}, "metadata_options")).toEqual({});
  });

  it("public: maps public IPs, or its route table routes to an internet gateway (inline route, aws_route, or an igw- ID)", () => {
    const json: TerraformJson = {
      resource: {
        aws_internet_gateway: { igw: {} },
        aws_nat_gateway: { nat: {} },
        aws_vpn_gateway: { vgw: {} },
        aws_subnet: { mapped: { map_public_ip_on_launch: "true" }, inline: {}, separate: {}, literal: {}, private: {}, lonely: {}, dangling: {}, vpn: {}, vpnId: {} },
        aws_route_table: {
          // the internet route is the second of two: one route to an internet gateway makes the subnet public
          inline: { route: [{ cidr_block: "10.0.0.0/8", nat_gateway_id: "${aws_nat_gateway.nat.id}" }, { cidr_block: "0.0.0.0/0", gateway_id: "${aws_internet_gateway.igw.id}" }] },
          // gateway_id also takes virtual private gateways: a route to one is not a route to the internet
          vpn: { route: [{ cidr_block: "0.0.0.0/0", gateway_id: "${aws_vpn_gateway.vgw.id}" }] },
          vpnId: { route: [{ cidr_block: "0.0.0.0/0", gateway_id: "vgw-0abc" }] },
          separate: {},
          literal: { route: [{ gateway_id: "igw-0abc" }] },
          private: { route: [{ nat_gateway_id: "${aws_nat_gateway.nat.id}" }] },
        },
        aws_route: { to_igw: { route_table_id: "${aws_route_table.separate.id}", gateway_id: "${aws_internet_gateway.igw.id}" } },
        aws_route_table_association: {
          inline: { subnet_id: "${aws_subnet.inline.id}", route_table_id: "${aws_route_table.inline.id}" },
          separate: { subnet_id: "${aws_subnet.separate.id}", route_table_id: "${aws_route_table.separate.id}" },
          literal: { subnet_id: "${aws_subnet.literal.id}", route_table_id: "${aws_route_table.literal.id}" },
          private: { subnet_id: "${aws_subnet.private.id}", route_table_id: "${aws_route_table.private.id}" },
          dangling: { subnet_id: "${aws_subnet.dangling.id}", route_table_id: "rtb-0123" },
          vpn: { subnet_id: "${aws_subnet.vpn.id}", route_table_id: "${aws_route_table.vpn.id}" },
          vpnId: { subnet_id: "${aws_subnet.vpnId.id}", route_table_id: "${aws_route_table.vpnId.id}" },
        },
      },
    };
    const ctx = new PolicyContext({ name: "fixture", json });
    const publicOf = (name: string) => isPublicSubnet(ctx.byAddr(`aws_subnet.${name}`)!, ctx);
    expect(["mapped", "inline", "separate", "literal"].map(publicOf)).toEqual([true, true, true, true]);
    expect(["private", "lonely", "dangling", "vpn", "vpnId"].map(publicOf)).toEqual([false, false, false, false, false]);
  });
});

describe("policy helpers: IAM", () => {
  const statement = (s: Partial<PolicyStatement>): PolicyStatement => ({
    effect: "Allow",
    actions: [],
    notActions: [],
    resources: [],
    notResources: [],
    principals: [],
    conditions: [],
    ...s,
  });

  it("action globs match case-insensitively, * anywhere, other characters literally", () => {
    expect(actionMatches("iam:Pass*", "iam:PassRole")).toBe(true);
    expect(actionMatches("IAM:passrole", "iam:PassRole")).toBe(true);
    expect(actionMatches("*", "s3:GetObject")).toBe(true);
    expect(actionMatches("s3:*Object", "s3:GetObject")).toBe(true);
    expect(actionMatches("s3:Get*", "s3:PutObject")).toBe(false);
    expect(actionMatches("iam:PassRole", "iam:PassRoleX")).toBe(false);
    expect(actionMatches("iam:PassRole", "xiam:PassRole")).toBe(false);
    expect(actionMatches("s3.Get", "s3:Get")).toBe(false);
    expect(actionMatches("s3:Get(Object)", "s3:GetObject")).toBe(false);
  });

  it("grants: an Allow naming the action or a glob of it; NotAction grants everything it does not name; Deny grants nothing", () => {
    expect(grants(statement({ actions: ["iam:*"] }), "iam:PassRole")).toBe(true);
    expect(grants(statement({ actions: ["s3:GetObject", "iam:PassRole"] }), "iam:PassRole")).toBe(true);
    expect(grants(statement({ actions: ["s3:*"] }), "iam:PassRole")).toBe(false);
    expect(grants(statement({ notActions: ["s3:*"] }), "iam:PassRole")).toBe(true);
    // NotAction grants what none of its patterns match: one matching pattern is enough to exclude.
    expect(grants(statement({ notActions: ["s3:*", "iam:*"] }), "s3:GetObject")).toBe(false);
    expect(grants(statement({ notActions: ["iam:*"], actions: ["iam:PassRole"] }), "iam:PassRole")).toBe(false);
    expect(grants(statement({ effect: "Deny", actions: ["*"] }), "iam:PassRole")).toBe(false);
  });

  it("on any resource: Resource * or a NotResource", () => {
    expect(onAnyResource(statement({ resources: ["*"] }))).toBe(true);
    expect(onAnyResource(statement({ notResources: ["arn:aws:s3:::b"] }))).toBe(true);
    expect(onAnyResource(statement({ resources: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"] }))).toBe(false);
  });

  const json: TerraformJson = {
    data: {
      aws_iam_policy_document: {
        identity: { statement: [{ actions: ["s3:GetObject"], resources: ["*"] }] },
        trust: { statement: [{ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ecs-tasks.amazonaws.com"] }] }] },
        bucket: { statement: [{ actions: ["s3:GetObject"], principals: [{ type: "*", identifiers: ["*"] }] }] },
        unused: { statement: [{ actions: ["ec2:*"], resources: ["*"] }] },
        merged_into: { statement: [{ actions: ["logs:*"], resources: ["*"] }] },
        outer: { source_policy_documents: ["${data.aws_iam_policy_document.merged_into.json}"] },
      },
    },
    resource: {
      aws_iam_role: {
        task: {
          assume_role_policy: "${data.aws_iam_policy_document.trust.json}",
          inline_policy: [
            { name: "a", policy: '{"Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}]}' },
            { name: "b", policy: "${data.aws_iam_policy_document.identity.json}" },
          ],
        },
        broken: { assume_role_policy: "${aws_iam_policy.p.policy}", inline_policy: [{ name: "x", policy: "${aws_iam_policy.p.policy}" }] },
      },
      aws_iam_role_policy: { p: { role: "${aws_iam_role.task.id}", policy: "${data.aws_iam_policy_document.identity.json}" } },
      aws_iam_policy: {
        p: { policy: '{"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}' },
        // a hand-written configuration may hold the document as an object, not as JSON text
        object: { policy: { Statement: [{ Effect: "Allow", Action: "logs:PutLogEvents", Resource: "*" }] } },
        spaced: { policy: " ${data.aws_iam_policy_document.identity.json} " },
        prefixed: { policy: "x${data.aws_iam_policy_document.identity.json}" },
        suffixed: { policy: "${data.aws_iam_policy_document.identity.json}x" },
        none: {},
      },
      aws_s3_bucket_policy: { b: { policy: "${data.aws_iam_policy_document.bucket.json}" } },
      aws_iam_policy_attachment: { x: { policy_arn: "${data.aws_iam_policy_document.outer.json}" } },
    },
  };
  const ctx = new PolicyContext({ name: "fixture", json });
  const doc = (name: string) => ctx.byAddr(`data.aws_iam_policy_document.${name}`)!;

  it("identity documents: used as a role, user, group or managed policy, merged into another document, or unused; not a bucket or trust policy", () => {
    expect(["identity", "unused", "merged_into"].map((n) => isIdentityDocument(doc(n), ctx))).toEqual([true, true, true]);
    expect(["trust", "bucket"].map((n) => isIdentityDocument(doc(n), ctx))).toEqual([false, false]);
  });

  it("declared statements: a resource's own inline JSON, not a document it only references (that one is checked once, on its own)", () => {
    const role = ctx.byAddr("aws_iam_role.task")!;
    expect(declaredStatements(role, ctx)?.map((s) => s.actions)).toEqual([["sqs:SendMessage"]]);
    expect(declaredStatements(ctx.byAddr("aws_iam_role_policy.p")!, ctx)).toEqual([]);
    expect(declaredStatements(ctx.byAddr("aws_iam_policy.p")!, ctx)?.map((s) => [s.effect, s.actions])).toEqual([["Deny", ["*"]]]);
    expect(declaredStatements(doc("identity"), ctx)?.map((s) => s.actions)).toEqual([["s3:GetObject"]]);
    expect(declaredStatements(doc("bucket"), ctx)).toEqual([]);
    expect(declaredStatements(ctx.byAddr("aws_iam_role.broken")!, ctx)).toBeUndefined();
  });

  it("declared statements: a document object, a reference with spaces around it, text around a reference, no policy", () => {
    const declared = (name: string) => declaredStatements(ctx.byAddr(`aws_iam_policy.${name}`)!, ctx);
    expect(declared("object")?.map((s) => s.actions)).toEqual([["logs:PutLogEvents"]]);
    expect(declared("spaced")).toEqual([]);
    expect(declared("prefixed")).toBeUndefined();
    expect(declared("suffixed")).toBeUndefined();
    expect(declared("none")).toEqual([]);
  });

  it("trust statements: the role's assume_role_policy, read through a document reference; unreadable is undefined", () => {
    expect(trustStatements(ctx.byAddr("aws_iam_role.task")!, ctx)?.map((s) => s.principals)).toEqual([[{ type: "Service", identifiers: ["ecs-tasks.amazonaws.com"] }]]);
    expect(trustStatements(ctx.byAddr("aws_iam_role.broken")!, ctx)).toBeUndefined();
  });
});

describe("policy helpers: SHR-1/SHR-2, what only this project's resources match in a shared account", () => {
  const ctx = new PolicyContext({
    name: "tracker-staging",
    json: { resource: { aws_ecs_cluster: { c: {} } }, data: { aws_caller_identity: { me: {} } } },
  });

  it("the text before the first wildcard, skipping ${...} (a * inside an expression is not a wildcard)", () => {
    expect(beforeFirstWildcard("arn:aws:logs:*:1:log-group:x")).toEqual({ prefix: "arn:aws:logs:", wildcard: true });
    expect(beforeFirstWildcard("/ecs/tracker-?")).toEqual({ prefix: "/ecs/tracker-", wildcard: true });
    expect(beforeFirstWildcard("${aws_ecs_cluster.c.arn}/*")).toEqual({ prefix: "${aws_ecs_cluster.c.arn}/", wildcard: true });
    // a * inside the second of two interpolations is arithmetic, not a wildcard
    expect(beforeFirstWildcard("${a}-${var.n * 2}")).toEqual({ prefix: "${a}-${var.n * 2}", wildcard: false });
    expect(beforeFirstWildcard('${lookup(m, "*")}-x')).toEqual({ prefix: '${lookup(m, "*")}-x', wildcard: false });
    expect(beforeFirstWildcard("${a.b}${c.d}*")).toEqual({ prefix: "${a.b}${c.d}", wildcard: true });
    expect(beforeFirstWildcard("plain")).toEqual({ prefix: "plain", wildcard: false });
  });

  it("the project's name as a whole segment: tracker-staging, /tracker/, tracker; not trackers or nottracker", () => {
    for (const name of ["tracker", "tracker-staging-db-snapshots", "/ecs/tracker-staging/api", "secret:tracker/staging/x"]) expect(isProjectName(name), name).toBe(true);
    for (const name of ["trackers", "nottracker-x", "tracker2", "Tracker-staging", ""]) expect(isProjectName(name), name).toBe(false);
  });

  it("owned values: a reference to a resource of this stack before any wildcard, or the name inside one literal part", () => {
    const owned = (v: unknown) => isOwnedValue(v, ctx);
    expect(owned("${aws_ecs_cluster.c.arn}")).toBe(true);
    expect(owned("${aws_ecs_cluster.c.arn}/*")).toBe(true);
    expect(owned("arn:aws:logs:eu-central-1:1:log-group:/ecs/tracker-staging*")).toBe(true);
    expect(owned("arn:aws:ecs:*:1234:cluster/tracker-staging-*")).toBe(true);
    expect(owned("tracker-*")).toBe(true);
    expect(owned("*-tracker")).toBe(true);
    // A data source is not this stack's resource; a wildcard next to the name is not its boundary.
    expect(owned("${data.aws_caller_identity.me.account_id}")).toBe(false);
    expect(owned("*${aws_ecs_cluster.c.arn}")).toBe(false);
    expect(owned("arn:aws:logs:eu-central-1:1:log-group:*")).toBe(false);
    expect(owned("*tracker-*")).toBe(false);
    expect(owned("tracker*")).toBe(false);
    expect(owned("*tracker")).toBe(false);
    expect(owned("*")).toBe(false);
    expect(owned("  ")).toBe(false);
    expect(owned(7)).toBe(false);
    // The name inside a reference is not a literal part: another project's bucket looked up by a name
    // that contains "tracker" is not ours; the name must be a whole segment at both ends; ? is a wildcard too.
    expect(owned("${data.aws_s3_bucket.tracker-shared.arn}/*")).toBe(false);
    expect(owned("nottracker-*")).toBe(false);
    expect(owned("/ecs/trackerx")).toBe(false);
    expect(owned("ab?tracker-*")).toBe(false);
    expect(owned("arn:aws:logs:${data.aws_region.r.name}:1:log-group:/ecs/tracker-staging*")).toBe(true);
    expect(owned("${var.env}tracker-*")).toBe(false);
    expect(owned("${var.env}/tracker-*")).toBe(true);
  });

  it("owned tags: an owned value, or a literal value under a key in the tracker: namespace", () => {
    const tagOwned = (k: string, v: unknown) => isOwnedTag(k, v, ctx);
    expect(tagOwned("Project", "tracker")).toBe(true);
    expect(tagOwned("tracker:snapshot-policy", "daily")).toBe(true);
    expect(tagOwned("tracker:snapshot-policy", "dai*")).toBe(false);
    expect(tagOwned("tracker:snapshot-policy", "da?ly")).toBe(false);
    expect(tagOwned("tracker:snapshot-policy", " ")).toBe(false);
    expect(tagOwned("tracker:snapshot-policy", true)).toBe(false);
    expect(tagOwned("trackerx:snapshot-policy", "daily")).toBe(false);
    expect(tagOwned("Environment", "staging")).toBe(false);
    expect(tagOwned("ManagedBy", "cdktf")).toBe(false);
  });

  it("a tag as key=value in messages, non-strings as JSON", () => {
    expect(tagText("Project", "tracker")).toBe("Project=tracker");
    expect(tagText("Enabled", true)).toBe("Enabled=true");
    expect(tagText("List", ["a"])).toBe('List=["a"]');
  });
});
