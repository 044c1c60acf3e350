import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { PRODUCTION, STAGING } from "../src/config/environments";
import { SERVICE_CATALOG } from "../src/config/service-catalog";
import type { EnvironmentDefinition, ParameterName } from "../src/config/types";
import { EnvironmentKey } from "../src/encryption/environment-key";
import { RuntimeParameters } from "../src/runtime-config/parameters";
import { EPHEMERAL_RANDOM_PASSWORD, providedSecrets, RuntimeSecrets } from "../src/runtime-config/secrets";
import { renderServiceVariables } from "../scripts/lib/service-variables";
import { only, referenceOf, resources, synthConstructs, synthTracker, type SynthesizedStack } from "./support/synth";

interface Built {
  readonly json: SynthesizedStack;
  readonly text: string;
  readonly secrets: RuntimeSecrets;
  readonly parameters: RuntimeParameters;
}

function build(env: EnvironmentDefinition): Built {
  let secrets!: RuntimeSecrets;
  let parameters!: RuntimeParameters;
  const json = synthConstructs(env, (stack) => {
    const key = new EnvironmentKey(stack, "key", { environment: env });
    secrets = new RuntimeSecrets(stack, "secrets", { environment: env.name, kmsKeyArn: key.arn });
    parameters = new RuntimeParameters(stack, "parameters", { environment: env });
  });
  return { json, text: JSON.stringify(json), secrets, parameters };
}

// Synthesized once per environment for the whole file.
const built = { staging: build(STAGING), production: build(PRODUCTION) };

const EXPECTED_PARAMETERS: Record<"staging" | "production", Record<ParameterName, string>> = {
  staging: {
    "api-url": "https://api.tracker.staging.glimpse.technology",
    "postgres-host": "db.staging.tracker.internal",
    "postgres-port": "5432",
    "postgres-db": "tracker",
    "postgres-user": "tracker",
    "redis-host": "redis.staging.tracker.internal",
    "redis-port": "6379",
    "redis-user": "default",
    "redis-tls": "true",
    // DB-9: the staging host's Valkey runs in cluster mode, like production's MemoryDB.
    "redis-cluster": "true",
    "access-token-expire-minutes": "30",
    "refresh-token-expire-days": "7",
    algorithm: "HS256",
    "anisette-url": "http://anisette-v3.staging.tracker.internal:6969",
    "database-ca-certificate": "PEM, published by the database host at its first boot",
  },
  production: {
    "api-url": "https://api.tracker.glimpse.technology",
    // PRD-2: production publishes its external endpoints themselves (TLS hostname verification).
    "postgres-host": "patroni.tracker-production.internal",
    "postgres-port": "5432",
    "postgres-db": "tracker",
    "postgres-user": "tracker",
    "redis-host": "clustercfg.tracker-production.memorydb.eu-central-1.amazonaws.com",
    "redis-port": "6379",
    "redis-user": "tracker",
    "redis-tls": "true",
    "redis-cluster": "true",
    "access-token-expire-minutes": "30",
    "refresh-token-expire-days": "7",
    algorithm: "HS256",
    "anisette-url": "http://anisette-v3.production.tracker.internal:6969",
    "database-ca-certificate": "system",
  },
};

describe.each(["staging", "production"] as const)("runtime configuration (%s)", (envName) => {
  const { json, text, secrets, parameters } = built[envName];
  const [keyName] = only(json, KmsKey.tfResourceType);
  const keyArn = referenceOf(KmsKey.tfResourceType, keyName, "arn");

  it("CFG-1: exactly the three secrets tracker/<env>/{postgres-password,secret-key,redis-password}", () => {
    const names = resources(json, SecretsmanagerSecret.tfResourceType).map(([, s]) => s.name).sort();
    expect(names).toEqual([
      `tracker/${envName}/postgres-password`,
      `tracker/${envName}/redis-password`,
      `tracker/${envName}/secret-key`,
    ]);
    expect(Object.keys(secrets.secrets).sort()).toEqual(["postgres-password", "redis-password", "secret-key"]);
    expect(secrets.secrets["secret-key"].name).toBe(`tracker/${envName}/secret-key`);
  });

  it("CFG-1: every secret is encrypted with the environment key, recoverable for 30 days, protected from destroy", () => {
    for (const [, secret] of resources(json, SecretsmanagerSecret.tfResourceType)) {
      expect(secret.kms_key_id).toBe(keyArn);
      expect(secret.recovery_window_in_days).toBe(30);
      expect(secret.lifecycle?.prevent_destroy).toBe(true);
    }
    expect(secrets.kmsKeyArn).toMatch(/^\$\{TfToken\[/);
  });

  it("CFG-1: no secret value in the synthesized JSON (no secret_string / secret_binary anywhere)", () => {
    expect(text).not.toMatch(/"secret_string"/);
    expect(text).not.toMatch(/"secret_binary"/);
    expect(text).not.toMatch(/"value_wo"|"insecure_value"/);
  });

  it("CFG-1: each value is written once, write-only, from an ephemeral AWS-generated password of 40 letters and digits", () => {
    const ephemeral = (json.ephemeral as Record<string, Record<string, Record<string, unknown>>>)[EPHEMERAL_RANDOM_PASSWORD]!;
    // Named after the construct's path below the stack (here `secrets`), so the same in both
    // environments' stacks: a plan diff between staging and production shows no renamed block.
    expect(Object.keys(ephemeral).sort()).toEqual([
      "password_secrets_postgres-password",
      "password_secrets_redis-password",
      "password_secrets_secret-key",
    ]);
    for (const generator of Object.values(ephemeral)) {
      expect(generator).toMatchObject({ password_length: 40, exclude_punctuation: true, include_space: false });
    }
    const versions = resources(json, SecretsmanagerSecretVersion.tfResourceType);
    expect(versions).toHaveLength(3);
    const secretAddresses = resources(json, SecretsmanagerSecret.tfResourceType).map(([n]) => referenceOf(SecretsmanagerSecret.tfResourceType, n, "id"));
    const generatorRefs = Object.keys(ephemeral).map((n) => `\${ephemeral.${EPHEMERAL_RANDOM_PASSWORD}.${n}.random_password}`);
    // Each version writes a different generator into a different secret.
    expect(versions.map(([, v]) => v.secret_id).sort()).toEqual(secretAddresses.sort());
    expect(versions.map(([, v]) => v.secret_string_wo).sort()).toEqual(generatorRefs.sort());
    // A fixed version number: the new password each plan generates is not written again.
    for (const [, version] of versions) expect(version.secret_string_wo_version).toBe(1);
  });

  it("CFG-2, PRD-2: one String parameter per name under /tracker/<env>/, with the values derived from the definition", () => {
    const actual = Object.fromEntries(
      resources(json, SsmParameter.tfResourceType).map(([, p]) => {
        expect(p.type).toBe("String");
        // Standard tier: free and enough for these values (Advanced costs per parameter and month).
        expect(p.tier).toBe("Standard");
        expect(p.description).toBe(`tracker ${envName} runtime configuration (CFG-2): ${String(p.name).replace(`/tracker/${envName}/`, "")}`);
        return [p.name, p.value];
      }),
    );
    const expected = Object.fromEntries(
      Object.entries(EXPECTED_PARAMETERS[envName]).map(([short, value]) => [`/tracker/${envName}/${short}`, value]),
    );
    expect(actual).toEqual(expected);
  });

  it("CFG-2: the construct exposes every parameter's name and ARN", () => {
    expect(Object.keys(parameters.parameters).sort()).toEqual(Object.keys(EXPECTED_PARAMETERS[envName]).sort());
    expect(parameters.parameters["postgres-host"].name).toBe(`/tracker/${envName}/postgres-host`);
    expect(parameters.parameters["postgres-host"].arn).toMatch(/^\$\{TfToken\[/);
  });
});

describe("DB-9: the Redis cluster flag", () => {
  it("DB-9: staging publishes redis-cluster=true, the same flag as production's MemoryDB", () => {
    const flag = (envName: "staging" | "production") =>
      resources(built[envName].json, SsmParameter.tfResourceType).find(([, p]) => p.name === `/tracker/${envName}/redis-cluster`)?.[1]
        .value;
    expect(flag("production")).toBe("true");
    expect(flag("staging")).toBe("true");
  });
});

describe("documented environment variables", () => {
  it("CFG-3: docs/configuration-variables.md is the output of scripts/print-service-variables.ts", () => {
    const doc = readFileSync(join(__dirname, "..", "docs", "configuration-variables.md"), "utf8");
    const generated = doc.match(/<!-- BEGIN service-variables[^\n]*-->\n([\s\S]*)<!-- END service-variables -->/);
    expect(generated, "the generated section's markers").not.toBeNull();
    expect(generated![1]).toBe(renderServiceVariables());
  });

  it("CFG-3: every service's table lists exactly the secrets and parameters the catalog gives it", () => {
    const text = renderServiceVariables();
    const api = text.split("### ")[1]!;
    expect(api).toContain("| `POSTGRES_PASSWORD` | Secrets Manager `tracker/<env>/postgres-password` |");
    expect(api).toContain("| `POSTGRES_HOST` | Parameter Store `/tracker/<env>/postgres-host` | `db.staging.tracker.internal` |");
    const frontend = text.split("### ")[2]!;
    expect(frontend.startsWith("frontend")).toBe(true);
    expect(frontend).not.toContain("POSTGRES");
  });

  it("CFG-3: a service with as many secrets as parameters still gets its table; one with neither says so", () => {
    const api = SERVICE_CATALOG.find((c) => c.name === "api")!;
    const anisette = SERVICE_CATALOG.find((c) => c.name === "anisette")!;
    const text = renderServiceVariables([{ ...api, secrets: ["secret-key"], parameters: ["api-url"] }, anisette], [STAGING]);
    expect(text).toBe(
      [
        "### api",
        "",
        "| Variable | Source | staging |",
        "| --- | --- | --- |",
        "| `SECRET_KEY` | Secrets Manager `tracker/<env>/secret-key` | *generated: 40 letters and digits* |",
        `| \`API_URL\` | Parameter Store \`/tracker/<env>/api-url\` | \`https://api.tracker.staging.glimpse.technology\` |`,
        "",
        "### anisette",
        "",
        "No variables from Secrets Manager or Parameter Store.",
        "",
      ].join("\n"),
    );
  });
});

describe("PRD-2: production's existing credentials", () => {
  it("PRD-2 / CFG-1: with an external data plane, the database and Redis passwords are not generated, the secret key is", () => {
    const json = synthTracker(PRODUCTION);
    const versions = resources(json, "aws_secretsmanager_secret_version").map(([, v]) => v);
    const secretOf = (ref: string) => resources(json, "aws_secretsmanager_secret").find(([n]) => ref === `\${aws_secretsmanager_secret.${n}.id}`)![1].name;
    expect(versions.map((v) => secretOf(v.secret_id))).toEqual(["tracker/production/secret-key"]);
    expect(resources(json, "aws_secretsmanager_secret").map(([, s]) => s.name).sort()).toEqual([
      "tracker/production/postgres-password",
      "tracker/production/redis-password",
      "tracker/production/secret-key",
    ]);
    expect(providedSecrets(PRODUCTION)).toEqual(["postgres-password", "redis-password"]);
    // The first-deploy runbook targets them by these addresses.
    expect(json.resource?.["aws_secretsmanager_secret"]?.["provided_postgres_password"]?.["name"]).toBe("tracker/production/postgres-password");
    expect(json.resource?.["aws_secretsmanager_secret"]?.["provided_redis_password"]?.["name"]).toBe("tracker/production/redis-password");
    expect(providedSecrets(STAGING)).toEqual([]);
    expect(resources(synthTracker(STAGING), "aws_secretsmanager_secret_version")).toHaveLength(3);
  });
});

describe("CFG-2: the parameters follow the catalog they are given", () => {
  // anisette moved to another port in a catalog handed to the construct (as a test catalog or a
  // future catalog change would): anisette-url follows it, not the default catalog's 6969.
  let moved!: RuntimeParameters;
  const json = synthConstructs(STAGING, (stack) => {
    const catalog = SERVICE_CATALOG.map((s) => (s.name === "anisette" ? { ...s, port: 7000 } : s));
    moved = new RuntimeParameters(stack, "parameters", { environment: STAGING, catalog });
  });

  it("CFG-2: anisette-url names the port of the catalog given", () => {
    expect(moved.values["anisette-url"]).toBe("http://anisette-v3.staging.tracker.internal:7000");
    expect(only(json, SsmParameter.tfResourceType, (p) => p.name === "/tracker/staging/anisette-url")[1].value).toBe(
      "http://anisette-v3.staging.tracker.internal:7000",
    );
  });
});

describe("CFG-1: the ephemeral password blocks have valid Terraform names wherever the construct sits", () => {
  // A block name is letters, digits, `_` and `-`: any other character of the construct's path
  // (a space, a dot) becomes `_`, or Terraform refuses the configuration.
  const json = synthConstructs(STAGING, (stack) => {
    new RuntimeSecrets(stack, "runtime secrets.v2", { environment: "staging", kmsKeyArn: "arn:aws:kms:eu-central-1:802732539686:key/stub" });
  });

  it("CFG-1: `runtime secrets.v2` -> password_runtime_secrets_v2_<secret>", () => {
    const ephemeral = (json.ephemeral as Record<string, Record<string, unknown>>)[EPHEMERAL_RANDOM_PASSWORD]!;
    expect(Object.keys(ephemeral).sort()).toEqual([
      "password_runtime_secrets_v2_postgres-password",
      "password_runtime_secrets_v2_redis-password",
      "password_runtime_secrets_v2_secret-key",
    ]);
  });
});
