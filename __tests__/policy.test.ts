/**
 * The security policy suite over every stack of every environment (ARCHITECTURE.md principle 6,
 * issue 6): every rule of `policies/` passes on every synthesized stack, or a recorded exception
 * in `policies/exceptions.ts` covers the finding; no exception is stale; and the secret scan finds
 * nothing in any stack or in the database host's rendered user data.
 *
 * Each stack is synthesized once for this file (`__tests__/support/synth.ts`).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { PRODUCTION_ADOPTED_BY_TAGS } from "./support/variants";
import { describe, expect, it } from "vitest";
import { bootstrapStackName, environmentStackName } from "../src/config/naming";
import { ENVIRONMENTS, PRODUCTION } from "../src/config/environments";
import { DATABASE_HOST_FILES_DIR, renderDatabaseHostUserData } from "../src/data/database-host/user-data";
import { PolicyContext, type StackUnderTest, type TerraformJson } from "../policies/engine";
import { evaluate, formatException, formatFinding } from "../policies/evaluate";
import { EXCEPTIONS } from "../policies/exceptions";
import { RULES } from "../policies/index";
import { scanTerraformJson, scanText, secretLookingEnvironmentNames } from "../policies/secret-scan";
import { synthBootstrap, synthTracker } from "./support/synth";

interface LabelledStack extends StackUnderTest {
  /** The test title's name for the stack (a variant of a stack keeps the stack's name for exceptions). */
  readonly label: string;
}

const productionAdopted = PRODUCTION_ADOPTED_BY_TAGS;

const STACKS: LabelledStack[] = [
  ...ENVIRONMENTS.flatMap((env) => [
    { name: environmentStackName(env.name), label: environmentStackName(env.name), json: synthTracker(env) as TerraformJson },
    { name: bootstrapStackName(env.name), label: bootstrapStackName(env.name), json: synthBootstrap(env) as TerraformJson },
  ]),
  {
    name: environmentStackName(PRODUCTION.name),
    label: `${environmentStackName(PRODUCTION.name)} (adopted network, PRD-2)`,
    json: synthTracker(productionAdopted, "policy-production-adopted") as TerraformJson,
  },
];
const RESULT = evaluate(STACKS);

describe("policy suite over every synthesized stack", () => {
  for (const stack of STACKS) {
    it(`${stack.label}: every check passes or a recorded exception covers it (CKV_AWS_*, CKV2_AWS_*, AVD-AWS-*, Security Hub)`, () => {
      const evaluation = evaluate([stack]);
      expect(evaluation.failures.map(formatFinding)).toEqual([]);
    });
  }

  it("no recorded exception is stale (each still covers a finding)", () => {
    expect(RESULT.stale.map(formatException)).toEqual([]);
  });

  it("every exception names a known rule and a known stack, and gives a reason", () => {
    const ruleIds = RULES.map((r) => r.id);
    const stackNames = STACKS.map((s) => s.name);
    for (const e of EXCEPTIONS) {
      expect(ruleIds, formatException(e)).toContain(e.ruleId);
      expect(["*", ...stackNames], formatException(e)).toContain(e.stack);
      expect(e.reason.length, formatException(e)).toBeGreaterThan(20);
    }
  });

  it("every exception is listed in docs/DESIGN.md's Security exceptions section", () => {
    const design = readFileSync(path.join(__dirname, "..", "docs", "DESIGN.md"), "utf8");
    const section = design.split(/^## Security exceptions$/m)[1]?.split(/^## /m)[0] ?? "";
    expect(section, "docs/DESIGN.md has no '## Security exceptions' section").not.toBe("");
    for (const e of EXCEPTIONS) expect(section, formatException(e)).toContain(`\`${e.ruleId}\``);
  });

  it("every rule inspects at least one resource of the real stacks (no rule watches a type we never create)", () => {
    const contexts = STACKS.map((s) => new PolicyContext(s));
    const idle = RULES.filter((r) => !contexts.some((ctx) => r.resourceTypes.some((t) => ctx.resources(t).length > 0))).map((r) => r.id);
    expect(idle).toEqual([]);
  });

  it("the rules actually look at these stacks (each stack has resources the rules inspect)", () => {
    for (const stack of STACKS) {
      const ctx = new PolicyContext(stack);
      const inspected = RULES.flatMap((r) => r.resourceTypes).filter((t) => ctx.resources(t).length > 0);
      expect(inspected.length, stack.name).toBeGreaterThan(0);
    }
  });
});

describe("secret scan (DB-7, CFG-1, CFG-3)", () => {
  for (const stack of STACKS) {
    it(`DB-7/CFG-1: ${stack.label}: no string in cdk.tf.json looks like a credential`, () => {
      expect(scanTerraformJson(stack.json, stack.name)).toEqual([]);
    });

    it(`CFG-3 / ECS.8: ${stack.label}: no container environment entry has a secret-looking name`, () => {
      const ctx = new PolicyContext(stack);
      const names = ctx.resources("aws_ecs_task_definition").flatMap((td) => {
        const containers = ctx.containerDefinitions(td);
        expect(containers, `${td.address}: container_definitions unreadable`).toBeDefined();
        return secretLookingEnvironmentNames(containers ?? []);
      });
      expect(names).toEqual([]);
    });
  }

  it("DB-7: the database host's rendered user data (plain target) carries no credential", () => {
    const staging = ENVIRONMENTS.find((e) => e.dataPlane.mode === "host") ?? ENVIRONMENTS[0]!;
    const text = renderDatabaseHostUserData(
      {
        environment: staging.name,
        region: staging.region,
        versions: staging.databaseVersions,
        dataVolumeId: "vol-0123456789abcdef0",
        privateIp: "10.42.64.10",
        databaseName: "tracker",
        databaseUser: "tracker",
        postgresPasswordSecretArn: `arn:aws:secretsmanager:${staging.region}:${staging.accountId}:secret:tracker/${staging.name}/postgres-password-AbCdEf`,
        redisPasswordSecretArn: `arn:aws:secretsmanager:${staging.region}:${staging.accountId}:secret:tracker/${staging.name}/redis-password-AbCdEf`,
        caCertificateParameterName: `/tracker/${staging.name}/redis-ca-certificate`,
        applicationSubnetCidrs: ["10.42.16.0/20", "10.42.32.0/20"],
        internalNamespace: `${staging.name}.tracker.internal`,
      },
      { target: "plain" },
    );
    expect(text.length).toBeGreaterThan(1000);
    expect(scanText(text, "user-data")).toEqual([]);
  });

  it("DB-7: no file the database host runs (src/data/database-host/files) carries a credential", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const full = path.join(dir, entry);
        if (statSync(full).isDirectory()) walk(full);
        else files.push(full);
      }
    };
    walk(DATABASE_HOST_FILES_DIR);
    expect(files.length).toBeGreaterThan(0);
    const hits = files.flatMap((f) => scanText(readFileSync(f, "utf8"), path.relative(DATABASE_HOST_FILES_DIR, f)));
    expect(hits).toEqual([]);
  });
});
