/**
 * The policy engine's value helpers and its reader of cdktf's `jsonencode(...)` literals
 * (policies/engine.ts): what a rule sees when a Terraform attribute is written by hand, in HCL, or with
 * interpolations. Expected values are what Terraform means by the text.
 */
import { describe, expect, it } from "vitest";
import {
  asNumber,
  blocks,
  interpolations,
  isFalse,
  isToken,
  isTrue,
  NO_SUBJECTS_ADDRESS,
  parseHclLiteral,
  parseJsonDocument,
  PolicyContext,
  referencesIn,
  runRules,
  type Rule,
  type TfConfig,
  stringList,
  stringsIn,
  type TerraformJson,
} from "../policies/engine";

describe("policy engine: value helpers", () => {
  it("blocks: a list of objects as it is, a bare object as a list of one, nothing else", () => {
    expect(blocks(undefined)).toEqual([]);
    expect(blocks(null)).toEqual([]);
    expect(blocks({ a: 1 })).toEqual([{ a: 1 }]);
    expect(blocks([{ a: 1 }, "x", null, [1], { b: 2 }])).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it("stringList: a string as a list of one, the strings of a list, nothing for null", () => {
    expect(stringList(undefined)).toEqual([]);
    expect(stringList(null)).toEqual([]);
    expect(stringList("a")).toEqual(["a"]);
    expect(stringList(["a", 1, null, "b"])).toEqual(["a", "b"]);
  });

  it("asNumber: numbers and numeric strings (Terraform accepts both), nothing else", () => {
    expect(asNumber(7)).toBe(7);
    expect(asNumber(" 30 ")).toBe(30);
    expect(asNumber("-2.5")).toBe(-2.5);
    expect(asNumber("1e3")).toBeUndefined();
    expect(asNumber("30 days")).toBeUndefined();
    expect(asNumber(true)).toBeUndefined();
    expect(asNumber(undefined)).toBeUndefined();
  });
});

describe("policy engine: interpolations", () => {
  it("the body of each ${...}, with nested braces and braces inside strings kept whole", () => {
    expect(interpolations("no expression")).toEqual([]);
    expect(interpolations("${aws_s3_bucket.logs.id}")).toEqual(["aws_s3_bucket.logs.id"]);
    expect(interpolations('a-${jsonencode({"k" = "}"})}-b-${var.x}')).toEqual(['jsonencode({"k" = "}"})', "var.x"]);
    expect(interpolations('${replace("a\\"}", "}", "")}')).toEqual(['replace("a\\"}", "}", "")']);
  });

  it("a quote just before ${ is not part of the expression", () => {
    expect(interpolations('"${var.a}"')).toEqual(["var.a"]);
  });

  it("an interpolation that never closes runs to the end of the text", () => {
    expect(interpolations("x ${aws_lb.alb.arn")).toEqual(["aws_lb.alb.arn"]);
  });
});

describe("policy engine: parseHclLiteral (the argument of cdktf's jsonencode)", () => {
  it("objects with = or :, quoted or bare keys; tuples; numbers, booleans and null", () => {
    expect(parseHclLiteral('{ a = 1, "b-c": [true, false, null, -2.5, 1e3], d = {} , e = [] }')).toEqual({
      a: 1,
      "b-c": [true, false, null, -2.5, 1000],
      d: {},
      e: [],
    });
  });

  it("strings keep JSON escapes; a template string keeps its interpolation; a reference or call becomes ${...}", () => {
    expect(parseHclLiteral('["a\\"b", "line\\nnext", "pre-${aws_x.y.id}-post", aws_iam_role.r.arn, format("%s-%s", a.b, [1, 2])]')).toEqual([
      'a"b',
      "line\nnext",
      "pre-${aws_x.y.id}-post",
      "${aws_iam_role.r.arn}",
      '${format("%s-%s", a.b, [1, 2])}',
    ]);
    expect(parseHclLiteral('{ k = lookup(m, "x,y") }')).toEqual({ k: '${lookup(m, "x,y")}' });
  });

  it("exponents of more than one digit; a $ or { inside a string is text, not an interpolation", () => {
    expect(parseHclLiteral("[1e10, -2.5E+12]")).toEqual([1e10, -2.5e12]);
    expect(parseHclLiteral('{ price = "cost $5", brace = "a{", next = "b" }')).toEqual({ price: "cost $5", brace: "a{", next: "b" });
    expect(parseHclLiteral('["x{", "y"]')).toEqual(["x{", "y"]);
  });

  it("a string with an escape JSON does not know is kept as written", () => {
    expect(parseHclLiteral('"a\\qb"')).toBe("a\\qb");
  });

  it("text it cannot read is an error that says where", () => {
    expect(() => parseHclLiteral("{ = 1 }")).toThrow("HCL: bad key at 2");
    expect(() => parseHclLiteral("{ a 1 }")).toThrow("HCL: expected = at 4");
    expect(() => parseHclLiteral("{ a = 1")).toThrow("HCL: unterminated object");
    expect(() => parseHclLiteral("[1, 2")).toThrow("HCL: unterminated tuple");
    expect(() => parseHclLiteral("{ a = 1 } x")).toThrow("HCL: trailing text at 10");
  });
});

describe("policy engine: Terraform's booleans and tokens", () => {
  it("isTrue and isFalse accept the boolean and its string form (Terraform converts both), nothing else", () => {
    expect([true, "true"].map(isTrue)).toEqual([true, true]);
    expect([false, "false", "TRUE", 1, "", undefined].map(isTrue)).toEqual([false, false, false, false, false, false]);
    expect([false, "false"].map(isFalse)).toEqual([true, true]);
    expect([true, "true", "FALSE", 0, "", undefined].map(isFalse)).toEqual([false, false, false, false, false, false]);
  });

  it("isToken: a string holding ${...} anywhere; a plain string or a non-string is not", () => {
    expect(isToken("${aws_lb.alb.arn}")).toBe(true);
    expect(isToken("arn:${data.aws_partition.p.partition}:s3:::x")).toBe(true);
    expect(isToken("arn:aws:s3:::x")).toBe(false);
    expect(isToken({ a: "${aws_lb.alb.arn}" })).toBe(false);
  });

  it("asNumber: more than one decimal digit is still a number", () => {
    expect(asNumber("0.25")).toBe(0.25);
  });

  it("stringsIn: every string of a nested value, in order", () => {
    expect([...stringsIn({ a: "x", b: [1, "y", { c: ["z", null] }], d: true })]).toEqual(["x", "y", "z"]);
    expect([...stringsIn(7)]).toEqual([]);
  });
});

describe("policy engine: references inside ${...}", () => {
  it("type.name with its attribute, data sources as data.<type>.<name>, an index skipped", () => {
    expect(referencesIn("${aws_s3_bucket.logs.arn}")).toEqual([{ address: "aws_s3_bucket.logs", attribute: "arn" }]);
    expect(referencesIn("${data.aws_iam_policy_document.assume.json}")).toEqual([
      { address: "data.aws_iam_policy_document.assume", attribute: "json" },
    ]);
    expect(referencesIn("${aws_subnet.private[10].id}")).toEqual([{ address: "aws_subnet.private", attribute: "id" }]);
    expect(referencesIn('${aws_subnet.private["a"].id}')).toEqual([{ address: "aws_subnet.private", attribute: "id" }]);
    expect(referencesIn("${aws_security_group.db}")).toEqual([{ address: "aws_security_group.db" }]);
  });

  it("a reference after a space, a parenthesis or a comma counts; text outside ${...} does not", () => {
    expect(referencesIn('${format("%s/%s", aws_lb.alb.arn_suffix,aws_lb_target_group.web.arn_suffix)}')).toEqual([
      { address: "aws_lb.alb", attribute: "arn_suffix" },
      { address: "aws_lb_target_group.web", attribute: "arn_suffix" },
    ]);
    expect(referencesIn("${ aws_lb.alb.arn }")).toEqual([{ address: "aws_lb.alb", attribute: "arn" }]);
    expect(referencesIn("aws_lb.alb.arn")).toEqual([]);
  });

  it("a name that is part of a longer path is not a reference (module outputs, a local's attribute)", () => {
    expect(referencesIn("${module.aws_vpc.main.id}")).toEqual([]);
    expect(referencesIn("${local.aws_thing.value}")).toEqual([]);
  });
});

describe("policy engine: parseHclLiteral, the forms cdktf and hand-written HCL produce", () => {
  it("bare keys of several characters, numbers of several digits, exponents with a sign, spaces before commas", () => {
    expect(parseHclLiteral('{ retention_in_days = 365, "Version" = "2012-10-17", big = 1e+3, small = 25e-2, half = 0.50 }')).toEqual({
      retention_in_days: 365,
      Version: "2012-10-17",
      big: 1000,
      small: 0.25,
      half: 0.5,
    });
    expect(parseHclLiteral("[10 , 20 ]")).toEqual([10, 20]);
    expect(parseHclLiteral("42")).toBe(42);
    expect(parseHclLiteral(" true ")).toBe(true);
  });

  it("a template string whose interpolation holds quotes is one string, even after another interpolation", () => {
    expect(parseHclLiteral('["${aws_x.y.id}", "arn:${lookup(var.m, "partition")}:s3:::b", 2]')).toEqual([
      "${aws_x.y.id}",
      'arn:${lookup(var.m, "partition")}:s3:::b',
      2,
    ]);
  });

  it("an expression argument keeps strings that hold brackets, commas and escaped quotes", () => {
    expect(parseHclLiteral('[format("%s)", a.b), 1]')).toEqual(['${format("%s)", a.b)}', 1]);
    expect(parseHclLiteral('[join("\\",", [a.b]), 2]')).toEqual(['${join("\\",", [a.b])}', 2]);
  });

  it("a string that never closes is an error that says where it starts", () => {
    expect(() => parseHclLiteral('{ a = "abc }')).toThrow("HCL: unterminated string at 6");
    expect(() => parseHclLiteral('"abc\\"')).toThrow("HCL: unterminated string at 0");
  });
});

describe("policy engine: parseJsonDocument", () => {
  it("nothing is nothing, a JSON value that is already parsed is itself", () => {
    expect(parseJsonDocument(undefined)).toBeUndefined();
    expect(parseJsonDocument(null)).toBeUndefined();
    expect(parseJsonDocument({ Version: "2012-10-17" })).toEqual({ Version: "2012-10-17" });
  });

  it("a JSON object or array string, with surrounding whitespace", () => {
    expect(parseJsonDocument('  {"a": [1]}\n')).toEqual({ a: [1] });
    expect(parseJsonDocument('[{"name": "web"}]')).toEqual([{ name: "web" }]);
  });

  it("${jsonencode(<literal>)} as cdktf writes it, with surrounding whitespace", () => {
    expect(parseJsonDocument(' ${jsonencode({ a = [aws_lb.alb.arn] })} ')).toEqual({ a: ["${aws_lb.alb.arn}"] });
  });

  it("not a document: other expressions, jsonencode inside a longer string, scalars, broken text", () => {
    expect(parseJsonDocument("${data.aws_iam_policy_document.d.json}")).toBeUndefined();
    expect(parseJsonDocument("prefix-${jsonencode({ a = 1 })}")).toBeUndefined();
    expect(parseJsonDocument("${jsonencode({ a = 1 })}-suffix")).toBeUndefined();
    expect(parseJsonDocument("${jsonencode({ = 1 })}")).toBeUndefined();
    expect(parseJsonDocument("42")).toBeUndefined();
    expect(parseJsonDocument('"a string"')).toBeUndefined();
    expect(parseJsonDocument('{"a": ')).toBeUndefined();
  });
});

describe("policy engine: IAM statements, whatever form the policy is written in", () => {
  const statement = {
    effect: "Allow",
    actions: [],
    notActions: [],
    resources: [],
    notResources: [],
    principals: [],
    conditions: [],
  };
  const json: TerraformJson = {
    data: {
      aws_iam_policy_document: {
        base: { statement: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] }] },
        merged: {
          source_policy_documents: ["${data.aws_iam_policy_document.base.json}"],
          override_policy_documents: ["${data.aws_iam_policy_document.deny.json}", "${data.aws_iam_policy_document.missing.json}"],
          statement: [
            {
              effect: "Allow",
              not_actions: ["iam:*"],
              not_resources: ["arn:aws:s3:::secret/*"],
              principals: [{ identifiers: ["arn:aws:iam::111111111111:root"] }],
              condition: [{ values: ["x"] }],
            },
          ],
        },
        deny: { statement: { effect: "Deny", actions: "s3:DeleteObject", resources: "*" } },
        loop_a: { source_policy_documents: ["${data.aws_iam_policy_document.loop_b.json}"], statement: [{ actions: ["a:A"] }] },
        loop_b: { source_policy_documents: ["${data.aws_iam_policy_document.loop_a.json}"], statement: [{ actions: ["b:B"] }] },
      },
    },
    resource: { aws_iam_policy: { p: { policy: "{}" } } },
  };
  const context = new PolicyContext({ name: "fixture", json });

  it("a JSON policy: one statement or a list, principals, conditions, Not* elements; non-objects dropped", () => {
    const doc = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        "not a statement",
        null,
        {
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111111111111:root", Service: ["ecs-tasks.amazonaws.com"] },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": "111111111111", "aws:SourceArn": ["a", "b"] },
            Bool: "not an object",
          },
        },
        { Effect: "Deny", Principal: "*", NotAction: ["s3:GetObject"], Resource: "*", NotResource: "arn:aws:s3:::b" },
        { Effect: "Allow", Principal: "arn:aws:iam::111111111111:root", Action: ["s3:*"] },
      ],
    });
    expect(context.policyStatements(doc)).toEqual([
      {
        ...statement,
        actions: ["sts:AssumeRole"],
        principals: [
          { type: "AWS", identifiers: ["arn:aws:iam::111111111111:root"] },
          { type: "Service", identifiers: ["ecs-tasks.amazonaws.com"] },
        ],
        conditions: [
          { test: "StringEquals", variable: "aws:SourceAccount", values: ["111111111111"] },
          { test: "StringEquals", variable: "aws:SourceArn", values: ["a", "b"] },
        ],
      },
      {
        ...statement,
        effect: "Deny",
        notActions: ["s3:GetObject"],
        resources: ["*"],
        notResources: ["arn:aws:s3:::b"],
        principals: [{ type: "*", identifiers: ["*"] }],
      },
      // A Principal that is a string other than "*" is not valid IAM: no principal is read from it.
      { ...statement, actions: ["s3:*"] },
    ]);
    expect(context.policyStatements(JSON.stringify({ Statement: { Effect: "Allow", Action: "s3:GetObject" } }))).toEqual([
      { ...statement, actions: ["s3:GetObject"] },
    ]);
  });

  it("a parsed object and ${jsonencode(...)} read the same as the JSON string", () => {
    const parsed = { Statement: [{ Effect: "Allow", Action: ["logs:PutLogEvents"], Resource: "${aws_cloudwatch_log_group.g.arn}" }] };
    const expected = [{ ...statement, actions: ["logs:PutLogEvents"], resources: ["${aws_cloudwatch_log_group.g.arn}"] }];
    expect(context.policyStatements(parsed)).toEqual(expected);
    expect(context.policyStatements(JSON.stringify(parsed))).toEqual(expected);
    expect(
      context.policyStatements('${jsonencode({ Statement = [{ Effect = "Allow", Action = ["logs:PutLogEvents"], Resource = aws_cloudwatch_log_group.g.arn }] })}'),
    ).toEqual(expected);
  });

  it("a document reference reads the data source with its source and override documents; one it cannot find or read is skipped", () => {
    expect(context.policyStatements(" ${data.aws_iam_policy_document.merged.json} ")).toEqual([
      { ...statement, actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] },
      { ...statement, effect: "Deny", actions: ["s3:DeleteObject"], resources: ["*"] },
      {
        ...statement,
        notActions: ["iam:*"],
        notResources: ["arn:aws:s3:::secret/*"],
        principals: [{ type: "", identifiers: ["arn:aws:iam::111111111111:root"] }],
        conditions: [{ test: "", variable: "", values: ["x"] }],
      },
    ]);
    expect(context.policyStatements("${data.aws_iam_policy_document.missing.json}")).toBeUndefined();
  });

  it("documents that include each other are read once each, not forever", () => {
    expect(context.policyStatements("${data.aws_iam_policy_document.loop_a.json}")?.map((s) => s.actions)).toEqual([["b:B"], ["a:A"]]);
  });

  it("a JSON document that is not an object holds no statement", () => {
    expect(context.policyStatements(42)).toEqual([]);
    // A statement whose Condition is null has no condition (not an error).
    expect(context.policyStatements(JSON.stringify({ Statement: [{ Effect: "Deny", Action: "s3:*", Condition: null }] }))?.[0]?.conditions).toEqual([]);
    expect(context.policyStatements("${jsonencode(null)}")).toEqual([]);
    expect(context.policyStatements('${jsonencode("text")}')).toEqual([]);
  });

  it("unreadable: nothing, another resource's attribute, a document reference inside longer text", () => {
    expect(context.policyStatements(undefined)).toBeUndefined();
    expect(context.policyStatements(null)).toBeUndefined();
    expect(context.policyStatements("${aws_iam_policy.p.policy}")).toBeUndefined();
    expect(context.policyStatements("${data.aws_iam_policy_document.base.json}x")).toBeUndefined();
    expect(context.policyStatements("x${data.aws_iam_policy_document.base.json}")).toBeUndefined();
    expect(context.policyStatements("not json")).toBeUndefined();
    expect(context.policyStatements("[1, 2]")).toEqual([]);
  });
});

describe("policy engine: the context a rule sees", () => {
  const json: TerraformJson = {
    provider: { aws: [{ region: "eu-central-1" }, { alias: "edge", default_tags: [{ tags: { Environment: "staging" } }] }] },
    resource: {
      aws_s3_bucket: { logs: { bucket: "tracker-logs" }, other: { bucket: "${var.name}" } },
      aws_s3_bucket_versioning: {
        by_ref: { bucket: "${aws_s3_bucket.logs.id}" },
        by_name: { bucket: "tracker-logs" },
        unrelated: { bucket: "someone-else" },
        by_token: { bucket: "${var.name}" },
      },
      aws_ecs_task_definition: {
        web: { container_definitions: '[{"name": "web"}, "x", null]' },
        odd: { container_definitions: '{"name": "web"}' },
      },
      aws_iam_role: { self: { name: "${aws_iam_role.self.id}", description: "${aws_s3_bucket.logs.arn}", tags: { b: "${aws_s3_bucket.logs.id}" } } },
    },
  };
  const context = new PolicyContext({ name: "tracker-production", json });
  const r = (address: string) => context.byAddr(address)!;

  it("the stack name, and the environment from the provider's Environment tag before the stack name", () => {
    expect(context.stackName).toBe("tracker-production");
    expect(context.environment).toBe("staging");
    expect(context.isProduction).toBe(false);
    expect(new PolicyContext({ name: "tracker-production", json: {} }).environment).toBe("production");
    expect(new PolicyContext({ name: "tracker-production", json: {} }).isProduction).toBe(true);
    expect(new PolicyContext({ name: "fixture", json: { provider: { aws: [{ region: "x" }] } } }).environment).toBeUndefined();
    // Default tags without an Environment tag (or with a non-text one): the stack name decides.
    const tagged = (tags: TfConfig) => new PolicyContext({ name: "tracker-staging", json: { provider: { aws: [{ default_tags: [{ tags }] }] } } });
    expect(tagged({ Project: "tracker" }).environment).toBe("staging");
    expect(tagged({ Environment: "${var.env}" }).environment).toBe("${var.env}");
  });

  it("looks resources up by address; unknown addresses are undefined", () => {
    expect(r("aws_s3_bucket.logs").config).toEqual({ bucket: "tracker-logs" });
    expect(context.byAddr("aws_s3_bucket.nope")).toBeUndefined();
  });

  it("referrers: each resource and attribute that references a target, never the target itself", () => {
    expect(context.referrers(r("aws_s3_bucket.logs")).map(([x, a]) => `${x.address}.${a}`)).toEqual([
      "aws_s3_bucket_versioning.by_ref.bucket",
      "aws_iam_role.self.description",
      "aws_iam_role.self.tags",
    ]);
    expect(context.referrers(r("aws_iam_role.self"))).toEqual([]);
  });

  it("companions by reference or by a literal name equal to the target's; an unresolved name matches nothing", () => {
    const names = (target: string) =>
      context.companions(r(target), "aws_s3_bucket_versioning", "bucket", ["bucket"]).map((c) => c.address);
    expect(names("aws_s3_bucket.logs")).toEqual(["aws_s3_bucket_versioning.by_ref", "aws_s3_bucket_versioning.by_name"]);
    expect(names("aws_s3_bucket.other")).toEqual([]);
    expect(context.companions(r("aws_s3_bucket.logs"), "aws_s3_bucket_versioning", "bucket").map((c) => c.address)).toEqual([
      "aws_s3_bucket_versioning.by_ref",
    ]);
  });

  it("container definitions: the objects of the JSON list, undefined when it is not a list", () => {
    expect(context.containerDefinitions(r("aws_ecs_task_definition.web"))).toEqual([{ name: "web" }]);
    expect(context.containerDefinitions(r("aws_ecs_task_definition.odd"))).toBeUndefined();
  });
});

describe("policy engine: a rule that expects subjects and finds none", () => {
  const rule: Rule = {
    id: "example",
    mirrors: ["CKV_AWS_0"],
    description: "an example",
    resourceTypes: ["aws_subnet", "data.aws_subnet"],
    expectedIn: ["tracker-staging"],
    check: () => ["always"],
  };

  it("reports one finding that names both types and the stack, and none where not expected", () => {
    expect(runRules({ name: "tracker-staging", json: {} }, [rule])).toEqual([
      {
        ruleId: "example",
        mirrors: ["CKV_AWS_0"],
        stack: "tracker-staging",
        address: "(no subjects)",
        resourceType: "aws_subnet | data.aws_subnet",
        message:
          "expects at least one aws_subnet or data.aws_subnet in tracker-staging and found none: " +
          "it would pass by checking nothing (follow the type the stack now uses, or change expectedIn)",
      },
    ]);
    expect(NO_SUBJECTS_ADDRESS).toBe("(no subjects)");
    expect(runRules({ name: "tracker-production", json: {} }, [rule])).toEqual([]);
  });

  it("with a subject, the rule's own findings and no other", () => {
    expect(runRules({ name: "tracker-staging", json: { data: { aws_subnet: { s: {} } } } }, [rule])).toEqual([
      expect.objectContaining({ address: "data.aws_subnet.s", resourceType: "data.aws_subnet", message: "always" }),
    ]);
  });
});
