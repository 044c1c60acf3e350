/**
 * DB-7, CFG-1, CFG-3: the secret scan's detectors one at a time (policies/secret-scan.ts), each with
 * the smallest input it must catch, the nearest input it must let pass, and the exact masked excerpt
 * an operator reads in the finding (the value itself never printed).
 */
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { decodeUserData, entropy, isSecretLookingName, scanTerraformJson, scanText, secretLookingEnvironmentNames } from "../policies/secret-scan";

const hits = (text: string) => scanText(text, "where").map((h) => `${h.kind}: ${h.excerpt}`);

describe("DB-7: detectors in free text", () => {
  it("private keys of any algorithm, masked to their first two characters and length", () => {
    expect(scanText("-----BEGIN EC PRIVATE KEY-----", "user-data")).toEqual([
      { location: "user-data", kind: "private key", excerpt: "--…(30)" },
    ]);
    expect(hits("-----BEGIN PRIVATE KEY-----")).toEqual(["private key: --…(27)"]);
    expect(hits("-----BEGIN ENCRYPTED PRIVATE KEY-----")).toEqual(["private key: --…(37)"]);
    expect(hits("-----BEGIN PUBLIC KEY-----")).toEqual([]);
  });

  it("AWS access key IDs: AKIA or ASIA and exactly 16 more upper-case letters or digits, as a whole word", () => {
    expect(hits(`id=${"ASIA"}ABCDEFGHIJ234567`)).toEqual(["AWS access key ID: AS…(20)"]);
    expect(hits(`${"AKIA"}ABCDEFGHIJ23456`)).toEqual([]);
    expect(hits(`${"AKIA"}ABCDEFGHIJ2345678`)).toEqual([]);
    expect(hits(`X${"AKIA"}ABCDEFGHIJ234567`)).toEqual([]);
    expect(hits(`${"AKIA"}abcdefghij234567`)).toEqual([]);
  });

  it("password literals under each key name and separator, from four characters; the value is masked in the excerpt", () => {
    expect(hits('password = "abcd"')).toEqual(['password literal: password = "****']);
    expect(hits("PASSWD: hunter22")).toEqual(["password literal: PASSWD: hu…(8)"]);
    expect(hits("'db_password': 'Tr0ub4dor'")).toEqual(["password literal: db_password': 'Tr…(9)"]);
    expect(hits("secret_key=abcdefgh")).toEqual(["password literal: secret_key=ab…(8)"]);
    expect(hits("API_KEY=abcdefgh")).toEqual(["password literal: API_KEY=ab…(8)"]);
    expect(hits("auth_token=abcdefgh")).toEqual(["password literal: auth_token=ab…(8)"]);
    expect(hits("password=abc")).toEqual([]);
    expect(hits("mypassword=abcdefgh")).toEqual([]);
  });

  it("placeholders are not literals: variables, templates, <...>, %(...)s, words such as required, ARNs", () => {
    for (const value of ["$PW", "${PW}", "$(cat /run/pw)", "{{ pw }}", "<password>", "%(pw)s", "null", "None", "TRUE", "required", "changeme_placeholder", "arn:aws:secretsmanager:eu-central-1:1:secret:x"]) {
      expect(hits(`password=${value}`), value).toEqual([]);
    }
    expect(hits("password=nullable1")).toEqual(["password literal: password=nu…(9)"]);
    expect(hits("password=xarn:aws")).toEqual(["password literal: password=xa…(8)"]);
  });

  it("a placeholder is the whole value: text before or after a template, <...>, %( or a word is a literal", () => {
    expect(hits("password=abc<pw>")).toEqual(["password literal: password=ab…(7)"]);
    expect(hits("password=<pw>abc")).toEqual(["password literal: password=<p…(7)"]);
    expect(hits("password=abcd%(pw")).toEqual(["password literal: password=ab…(8)"]);
    expect(hits("password=notnull")).toEqual(["password literal: password=no…(7)"]);
    expect(hits("requirepass ab{{pw}}")).toEqual(["password literal: requirepass ab…(8)"]);
  });

  it("Valkey requirepass and masterauth at the start of a line or of a quoted string, not in a comment", () => {
    expect(hits("requirepass s3cr3tvalue")).toEqual(["password literal: requirepass s3…(11)"]);
    expect(hits("bind 0.0.0.0\n  masterauth abcd\n")).toEqual(["password literal:   masterauth ****"]);
    expect(hits("printf '%s' 'requirepass abcdefgh' > f")).toEqual(["password literal: 'requirepass ab…(8)"]);
    expect(hits("# requirepass abcdefgh")).toEqual([]);
    expect(hits("requirepass abc")).toEqual([]);
  });

  it("credentials in a URL, including Valkey's empty user name", () => {
    expect(hits("postgres://tracker:pa55word@db:5432/tracker")).toEqual(["credentials in URL: postgres://tracker:pa…(8)@"]);
    expect(hits("rediss://:s3cretvalue@cache:6379")).toEqual(["credentials in URL: rediss://:s3…(11)@"]);
    expect(hits("postgres://tracker:ab@db")).toEqual([]);
    expect(hits("postgres://tracker@db:5432/tracker")).toEqual([]);
    expect(hits("postgres://tracker:${PW}@db")).toEqual([]);
  });
});

describe("DB-7: user data as EC2 receives it", () => {
  const script = "#!/bin/sh\nexport PGPASSWORD=literalpassword\n";

  it("gzip + base64 and plain base64 are decoded; base64 is recognized even when the attribute does not say so", () => {
    expect(decodeUserData(gzipSync(Buffer.from(script)).toString("base64"), true)).toBe(script);
    expect(decodeUserData(Buffer.from(script).toString("base64"), true)).toBe(script);
    expect(decodeUserData(Buffer.from(script).toString("base64"), false)).toBe(script);
  });

  it("a Terraform expression, plain text, or bytes that are not text are scanned as written", () => {
    expect(decodeUserData("${base64gzip(templatefile(\"x\", {}))}", true)).toBe("${base64gzip(templatefile(\"x\", {}))}");
    expect(decodeUserData(script, false)).toBe(script);
    expect(decodeUserData("abcde", false)).toBe("abcde");
    const binary = Buffer.from([0x00, 0x01, 0x02, 0x03, 0x10, 0x11]).toString("base64");
    expect(decodeUserData(binary, true)).toBe(binary);
    const brokenGzip = Buffer.from([0x1f, 0x8b, 0x00, 0x01, 0x02, 0x03]).toString("base64");
    expect(decodeUserData(brokenGzip, true)).toBe(brokenGzip);
  });
});

describe("CFG-1: key-aware checks over a stack's JSON", () => {
  const scan = (resource: Record<string, unknown>) =>
    scanTerraformJson({ resource: { aws_thing: { t: resource } } }, "tracker-staging").map((h) => `${h.location} ${h.kind}: ${h.excerpt}`);

  it("a literal under a key that always holds a secret, whatever it looks like; the location is the JSON path", () => {
    expect(scan({ secret_string: "short" })).toEqual(["tracker-staging:resource.aws_thing.t.secret_string literal under key secret_string: sh…(5)"]);
    expect(scan({ master_password: "abc" })).toEqual(["tracker-staging:resource.aws_thing.t.master_password literal under key master_password: ****"]);
    // a list keeps its key for each element; null is nothing to scan
    expect(scan({ password: ["hunter2hunter2"], note: null })).toEqual(["tracker-staging:resource.aws_thing.t.password.0 literal under key password: hu…(14)"]);
    // entropy at exactly 3.5 bits per character counts (8 characters once, 4 twice in 16)
    expect(scan({ signing_secret: "abcdefghIJKLIJKL" })).toEqual(["tracker-staging:resource.aws_thing.t.signing_secret high-entropy literal under key signing_secret: ab…(16)"]);
    expect(scan({ settings: [{ TOKEN: "x1" }] })).toEqual(["tracker-staging:resource.aws_thing.t.settings.0.TOKEN literal under key TOKEN: ****"]);
    expect(scan({ secret_string: "${random_password.p.result}" })).toEqual([]);
    expect(scan({ secret_string: "  " })).toEqual([]);
  });

  it("a long high-entropy literal under a secret-looking key; short, spaced, low-entropy or placeholder values are not", () => {
    expect(scan({ webhook_secret: "Zx8kP2qLm9vR4tWn" })).toEqual([
      "tracker-staging:resource.aws_thing.t.webhook_secret high-entropy literal under key webhook_secret: Zx…(16)",
    ]);
    expect(scan({ webhook_secret: "Zx8kP2qLm9vR4tW" })).toEqual([]);
    expect(scan({ webhook_secret: "Zx8kP2qL m9vR4tWn" })).toEqual([]);
    expect(scan({ webhook_secret: "aaaaaaaabbbbbbbb" })).toEqual([]);
    expect(scan({ webhook_secret: "arn:aws:secretsmanager:eu-central-1:123456789012:secret:x" })).toEqual([]);
    expect(scan({ description: "Zx8kP2qLm9vR4tWn" })).toEqual([]);
  });

  it("keys that name or point at secrets hold no secret: ARNs, IDs, names, versions, KMS keys, idempotency tokens", () => {
    for (const key of ["secret_arn", "kms_key_id", "secret_name", "password_length", "secret_string_wo_version", "valueFrom", "kms_key", "client_token", "idempotency_token"]) {
      expect(scan({ [key]: "Zx8kP2qLm9vR4tWn" }), key).toEqual([]);
    }
  });

  it("user data is decoded before the free-text detectors run", () => {
    const userData = Buffer.from("PGPASSWORD=literalpassword").toString("base64");
    expect(scan({ user_data_base64: userData })).toEqual([
      "tracker-staging:resource.aws_thing.t.user_data_base64 password literal: PGPASSWORD=li…(15)",
    ]);
    expect(scan({ user_data: "PGPASSWORD=literalpassword" })).toEqual(["tracker-staging:resource.aws_thing.t.user_data password literal: PGPASSWORD=li…(15)"]);
    // user_data given base64 anyway, and user_data_base64 without its padding (which only the key tells apart)
    expect(scan({ user_data: userData })).toEqual(["tracker-staging:resource.aws_thing.t.user_data password literal: PGPASSWORD=li…(15)"]);
    expect(scan({ user_data_base64: userData.replace(/=+$/, "") })).toEqual([
      "tracker-staging:resource.aws_thing.t.user_data_base64 password literal: PGPASSWORD=li…(15)",
    ]);
  });
});

describe("CFG-3: secret-looking names", () => {
  it("the last segment names a secret, or the name holds a private key, secret access key or auth data", () => {
    for (const name of ["db.password", "redis-pass", "GITHUB_PWD", "app_secret_", "Api_Key", "SIGNING_PASSPHRASE", "X_CREDENTIALS", "privatekey", "SECRETACCESS_ID", "DOCKER_AUTH_DATA", "auth-data-file"]) {
      expect(isSecretLookingName(name), name).toBe(true);
    }
    // only a bare "key" is exempt; separators of any length are one; AUTHDATA with or without one
    for (const name of ["key-password", "auth--data", "AUTHDATA"]) expect(isSecretLookingName(name), name).toBe(true);
    for (const name of ["Key", "KEY_ID", "PASSWORD_FILE", "TOKEN_EXPIRY", "SECRET_ARN", "PUBLIC_KEY_PATH", ""]) {
      expect(isSecretLookingName(name), name).toBe(false);
    }
  });

  it("entropy in bits per character (Shannon)", () => {
    expect(entropy("aaaa")).toBe(0);
    expect(entropy("abab")).toBe(1);
    expect(entropy("abcd")).toBe(2);
    expect(entropy("aaab")).toBeCloseTo(0.811, 3);
  });

  it("container environment entries named like secrets, by container; entries without a name or list are skipped", () => {
    expect(
      secretLookingEnvironmentNames([
        { name: "api", environment: [{ name: "JWT_SECRET", value: "x" }, { value: "no name" }, { name: "PORT", value: "80" }] },
        { name: "worker", environment: "not a list" },
        { name: "admin" },
        { name: "web", environment: [{ name: "SESSION_TOKEN" }] },
      ]),
    ).toEqual(["api:JWT_SECRET", "web:SESSION_TOKEN"]);
  });
});
