/**
 * DB-4, DB-7: the database host's user data as text, without servers: size, Terraform escaping, and
 * the values the renderer refuses. (The integration suite runs the same render against cloud-init,
 * shellcheck, PostgreSQL and Valkey; these checks need none of them, so they run in `npm test` and
 * under mutation testing.)
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { Lazy } from "../src/cdktf";
import {
  DATABASE_HOST_FILES,
  DATABASE_HOST_FILES_DIR,
  escapeTerraformTemplate,
  renderDatabaseHostUserData,
  stripComments,
} from "../src/data/database-host/user-data";
import { EXAMPLE_HOST_PARAMS } from "./support/database-host-params";


const examplePlain = renderDatabaseHostUserData(EXAMPLE_HOST_PARAMS, { target: "plain" });

describe("the database host's user data, rendered", () => {
  it("DB-4: gzip'd, the user data stays well below EC2's 16 KB limit", () => {
    expect(gzipSync(examplePlain, { level: 6 }).length).toBeLessThan(14 * 1024);
  });

  it("DB-4: the Terraform target escapes every literal ${ and %{ and leaves tokens live", () => {
    const token = Lazy.stringValue({ produce: () => "vol-0token" });
    const rendered = renderDatabaseHostUserData({ ...EXAMPLE_HOST_PARAMS, dataVolumeId: token });
    expect(rendered).toContain(`DATA_VOLUME_ID='${token}'`);
    const withoutTokens = rendered.split(token).join("");
    expect(withoutTokens).not.toMatch(/(^|[^$])\$\{/);
    expect(withoutTokens).not.toMatch(/(^|[^%])%\{/);
    // Terraform's unescaping of the concrete render gives back exactly the plain render.
    const concrete = renderDatabaseHostUserData(EXAMPLE_HOST_PARAMS);
    expect(concrete).not.toBe(examplePlain);
    expect(concrete.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{")).toBe(examplePlain);
  });

  it("DB-4: the plain target refuses tokens, and values that cannot be written to host.env", () => {
    const token = Lazy.stringValue({ produce: () => "x" });
    expect(() => renderDatabaseHostUserData({ ...EXAMPLE_HOST_PARAMS, privateIp: token }, { target: "plain" })).toThrow(
      /PRIVATE_IP: the plain user data needs a concrete value/,
    );
    expect(() => renderDatabaseHostUserData({ ...EXAMPLE_HOST_PARAMS, databaseName: "x'; rm -rf /" })).toThrow(/DATABASE_NAME/);
    expect(() => renderDatabaseHostUserData({ ...EXAMPLE_HOST_PARAMS, applicationSubnetCidrs: [] })).toThrow(/applicationSubnetCidrs/);
    expect(() =>
      renderDatabaseHostUserData({ ...EXAMPLE_HOST_PARAMS, versions: { ...EXAMPLE_HOST_PARAMS.versions, valkey: "7.9" } }),
    ).toThrow(/no Valkey release is known for "7.9"/);
  });

  it("DB-7: the user data carries secret ARNs and names, never a password", () => {
    const hostEnv = examplePlain.split("\n").filter((l) => /^\s+[A-Z_]+='/.test(l));
    expect(hostEnv.some((l) => l.includes("POSTGRES_PASSWORD_SECRET_ARN='arn:aws:secretsmanager:"))).toBe(true);
    for (const line of hostEnv) {
      const name = line.trim().split("=")[0]!;
      if (/PASSWORD|SECRET/.test(name)) expect(name).toMatch(/_SECRET_ARN$/);
    }
  });

  it("DB-4: host.env, the one file the host's scripts read their settings from, has every setting, quoted, in a stable order", () => {
    const start = examplePlain.indexOf("  - path: /etc/tracker-db/host.env\n");
    const end = examplePlain.indexOf("  - path: ", start + 1);
    expect(examplePlain.slice(start, end)).toBe(
      [
        "  - path: /etc/tracker-db/host.env",
        "    permissions: '0644'",
        "    owner: root:root",
        "    content: |",
        "      # Settings of the tracker database host, written by cloud-init from the Terraform user data.",
        "      # No secret values: passwords are read from Secrets Manager at boot.",
        "      TRACKER_ENVIRONMENT='staging'",
        "      AWS_REGION='eu-central-1'",
        "      AWS_DEFAULT_REGION='eu-central-1'",
        "      UBUNTU_CODENAME='jammy'",
        "      POSTGRES_MAJOR='16'",
        "      TIMESCALEDB_VERSION='2.17.2'",
        "      POSTGIS_VERSION='3.5'",
        "      VALKEY_VERSION='8.0.11'",
        "      VALKEY_SHA256=''",
        "      VALKEY_MAXMEMORY='1gb'",
        "      DATA_VOLUME_ID='vol-0123456789abcdef0'",
        "      PRIVATE_IP='10.42.64.10'",
        "      POSTGRES_PORT='5432'",
        "      VALKEY_PORT='6379'",
        "      DB_HOSTNAME='db.staging.tracker.internal'",
        "      REDIS_HOSTNAME='redis.staging.tracker.internal'",
        "      DATABASE_NAME='tracker'",
        "      DATABASE_USER='tracker'",
        "      APPLICATION_SUBNET_CIDRS='10.42.16.0/20 10.42.32.0/20'",
        "      POSTGRES_PASSWORD_SECRET_ARN='arn:aws:secretsmanager:eu-central-1:802732539686:secret:tracker/staging/postgres-password-AbCdEf'",
        "      REDIS_PASSWORD_SECRET_ARN='arn:aws:secretsmanager:eu-central-1:802732539686:secret:tracker/staging/redis-password-AbCdEf'",
        "      CA_CERTIFICATE_PARAMETER_NAME='/tracker/staging/database-ca-certificate'",
        "      METRIC_NAMESPACE='Tracker/DatabaseHost'",
        "",
      ].join("\n"),
    );
  });

  it("DB-4: cloud-init writes each host file where the units and scripts expect it, executable exactly when it is run", () => {
    const written = [...examplePlain.matchAll(/^ {2}- path: (\S+)\n {4}permissions: '(\d{4})'\n {4}owner: root:root$/gm)].map((m) => `${m[2]} ${m[1]}`);
    expect(written).toEqual([
      "0644 /etc/tracker-db/host.env",
      "0644 /opt/tracker-db/bin/lib.sh",
      "0755 /opt/tracker-db/bin/bootstrap.sh",
      "0755 /opt/tracker-db/bin/sync-user-data-files.py",
      "0755 /opt/tracker-db/bin/install-packages.sh",
      "0755 /opt/tracker-db/bin/ensure-data-volume.sh",
      "0755 /opt/tracker-db/bin/tls.sh",
      "0755 /opt/tracker-db/bin/configure-postgres.sh",
      "0755 /opt/tracker-db/bin/configure-valkey.sh",
      "0755 /opt/tracker-db/bin/health-probe.sh",
      "0644 /opt/tracker-db/templates/apt/pgdg.list",
      "0644 /opt/tracker-db/templates/apt/timescaledb.list",
      "0644 /opt/tracker-db/templates/apt/tracker-db.pref",
      "0644 /opt/tracker-db/templates/postgresql/postgresql.conf",
      "0644 /opt/tracker-db/templates/postgresql/pg_hba.conf",
      "0644 /opt/tracker-db/templates/valkey/valkey.conf",
      "0644 /etc/systemd/system/tracker-db-bootstrap.service",
      "0644 /etc/systemd/system/tracker-postgresql.service",
      "0644 /etc/systemd/system/tracker-valkey.service",
      "0644 /etc/systemd/system/tracker-db-health.service",
      "0644 /etc/systemd/system/tracker-db-health.timer",
    ]);
  });

  it("DB-4: read back as YAML reads a literal block, each file's content is the repository's file without its comments", () => {
    // The user data around the files is the template's, untouched.
    const template = readFileSync(join(DATABASE_HOST_FILES_DIR, "cloud-config.yaml"), "utf8");
    const [before, after] = template.split("{{WRITE_FILES}}\n");
    expect(examplePlain.startsWith(before!)).toBe(true);
    expect(examplePlain.endsWith(after!)).toBe(true);
    const lines = examplePlain.slice(before!.length, examplePlain.length - after!.length).split("\n");
    // `  - path: <path>`, permissions, owner, `    content: |`, then the block: 6 spaces of indentation,
    // blank lines empty; the block ends at the next entry (a literal block keeps one final newline).
    const files = new Map<string, string>();
    for (let i = 0; i < lines.length; ) {
      const path = /^ {2}- path: (\S+)$/.exec(lines[i]!)?.[1];
      expect(path, `line ${i}: ${lines[i]}`).toBeDefined();
      expect(lines[i + 3]).toBe("    content: |");
      const body: string[] = [];
      for (i += 4; i < lines.length && !lines[i]!.startsWith("  - path: "); i++) {
        const line = lines[i]!;
        if (line !== "") expect(line.startsWith("      "), `${path}: ${line}`).toBe(true);
        body.push(line.slice(6));
      }
      while (body.length > 0 && body[body.length - 1] === "") body.pop();
      files.set(path!, body.join("\n") + "\n");
    }
    expect([...files.keys()]).toEqual(["/etc/tracker-db/host.env", ...DATABASE_HOST_FILES.map((f) => f.path)]);
    for (const file of DATABASE_HOST_FILES) {
      const expected = stripComments(readFileSync(join(DATABASE_HOST_FILES_DIR, file.source), "utf8")).replace(/\n*$/, "\n");
      expect(files.get(file.path), file.source).toBe(expected);
    }
  });

  it("DB-4: every setting the host's scripts use is in host.env (the scripts fail on an unset one: set -u)", () => {
    const set = new Set([...examplePlain.matchAll(/^ {6}([A-Z][A-Z0-9_]*)='/gm)].map((m) => m[1]));
    // The settings read by name in the host's scripts and units (after `source host.env`).
    for (const name of ["DATA_VOLUME_ID", "PRIVATE_IP", "POSTGRES_PORT", "VALKEY_PORT", "APPLICATION_SUBNET_CIDRS", "VALKEY_MAXMEMORY", "METRIC_NAMESPACE"]) {
      expect(set.has(name), name).toBe(true);
      expect(examplePlain).toMatch(new RegExp(`\\$\\{?${name}\\b`));
    }
  });

  it("DB-4: the default target is Terraform's: literal ${ and %{ arrive escaped", () => {
    const concrete = renderDatabaseHostUserData(EXAMPLE_HOST_PARAMS);
    expect(concrete).toBe(renderDatabaseHostUserData(EXAMPLE_HOST_PARAMS, { target: "terraform" }));
    // A shell parameter expansion of the host's scripts, as Terraform must read it (and give back).
    expect(examplePlain).toContain('"${');
    expect(concrete).toContain('"$${');
    expect(concrete).not.toMatch(/(^|[^$])\$\{/);
  });

  it.each([
    ["a single quote", "trac'ker", '"trac\'ker"'],
    ["a newline", "trac\nker", '"trac\\nker"'],
    ["a backslash", "trac\\ker", '"trac\\\\ker"'],
    ["a Terraform interpolation", "trac${x}ker", '"trac${x}ker"'],
    ["a Terraform directive", "trac%{x}ker", '"trac%{x}ker"'],
  ])("DB-4: host.env refuses %s in a value, naming the setting", (_what, databaseName, shown) => {
    expect(() => renderDatabaseHostUserData({ ...EXAMPLE_HOST_PARAMS, databaseName }, { target: "plain" })).toThrow(
      `DATABASE_NAME: ${shown} cannot be written to host.env`,
    );
  });

  it("DB-4: a value that is a token is not checked at synth (Terraform fills it in) and stays a reference", () => {
    const token = Lazy.stringValue({ produce: () => "vol-0token" });
    expect(() => renderDatabaseHostUserData({ ...EXAMPLE_HOST_PARAMS, dataVolumeId: token })).not.toThrow();
  });

  it("DB-4: the plain target names the setting that is still a token", () => {
    const token = Lazy.stringValue({ produce: () => "x" });
    expect(() => renderDatabaseHostUserData({ ...EXAMPLE_HOST_PARAMS, privateIp: token }, { target: "plain" })).toThrow(
      "PRIVATE_IP: the plain user data needs a concrete value, got a token",
    );
  });
});

describe("DB-4: comments are stripped from the host files to keep the user data small", () => {
  it("DB-4: the shebang on line 1 and shellcheck directives stay; full-line comments go; code with a trailing comment stays", () => {
    const script = [
      "#!/usr/bin/env bash",
      "# What this script does.",
      "  # an indented comment",
      "# shellcheck source=/dev/null",
      "set -euo pipefail",
      'echo "#not a comment" # trailing',
      "#!/bin/false is a comment when it is not the first line",
      "",
    ].join("\n");
    expect(stripComments(script)).toBe(
      ["#!/usr/bin/env bash", "# shellcheck source=/dev/null", "set -euo pipefail", 'echo "#not a comment" # trailing', ""].join("\n"),
    );
  });

  it("DB-4: an indented shellcheck directive stays; a comment that only mentions shellcheck goes", () => {
    expect(stripComments("if true; then\n  # shellcheck disable=SC2086\n  echo $x\nfi\n")).toBe(
      "if true; then\n  # shellcheck disable=SC2086\n  echo $x\nfi\n",
    );
    expect(stripComments("# see # shellcheck disable=SC2086 below\necho ok\n")).toBe("echo ok\n");
  });

  it("DB-4: Terraform's template sequences in literal text are escaped, each exactly once", () => {
    expect(escapeTerraformTemplate('a="${b}" %{ if c } $${d} %%{e}')).toBe('a="$${b}" %%{ if c } $$${d} %%%{e}');
    expect(escapeTerraformTemplate("no sequences: $HOME 100% {}")).toBe("no sequences: $HOME 100% {}");
  });

  it("DB-4: a file without a shebang loses a first-line comment; blank runs shrink to one blank line; leading blank lines go", () => {
    expect(stripComments("# a config comment\nkey value\n")).toBe("key value\n");
    expect(stripComments("a\n\n\n\nb\n")).toBe("a\n\nb\n");
    expect(stripComments("# header\n\n\nport 6379\n")).toBe("port 6379\n");
  });

  it("DB-4: every script of the host still starts with its interpreter line in the user data", () => {
    for (const script of ["bootstrap.sh", "install-packages.sh", "ensure-data-volume.sh", "tls.sh", "configure-postgres.sh", "configure-valkey.sh", "health-probe.sh"]) {
      const at = examplePlain.indexOf(`  - path: /opt/tracker-db/bin/${script}\n`);
      expect(at, script).toBeGreaterThan(0);
      const firstLine = examplePlain.slice(at).split("\n")[4];
      expect(firstLine, script).toBe("      #!/usr/bin/env bash");
    }
    const sync = examplePlain.indexOf("  - path: /opt/tracker-db/bin/sync-user-data-files.py\n");
    expect(examplePlain.slice(sync).split("\n")[4]).toBe("      #!/usr/bin/env python3");
  });
});
