/**
 * The files the staging database host runs (src/data/database-host/files), checked offline by real
 * tools: cloud-init's schema, shellcheck, Debian's PostgreSQL 15 + PostGIS and redis-server 7 on
 * loopback, e2fsprogs on image files.
 *
 * The functional tests run the scripts exactly as the host receives them: the user data is
 * rendered (plain target) with loopback test values, and the files are extracted from it by the
 * host's own sync-user-data-files.py. Test substitutions, and nothing else: the private IP is
 * 127.0.0.2, the application subnets are 127.0.0.0/8, paths and ports are temporary, and
 * TimescaleDB (not in Debian) is neither preloaded nor created (see docs/DESIGN.md).
 *
 * Tools come from .ci/install-test-tools.sh. With CI=true a missing tool FAILS the test; locally
 * the test is skipped with a message naming the tool.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Lazy } from "../src/cdktf";
import { STAGING } from "../src/config/environments";
import { internalNamespace, parameterName } from "../src/config/naming";
import {
  DATABASE_HOST_FILES,
  DATABASE_HOST_FILES_DIR,
  HOST_ENV_PATH,
  renderDatabaseHostUserData,
  stripComments,
  type DatabaseHostUserDataParams,
} from "../src/data/database-host/user-data";

const CI = process.env.CI === "true" || process.env.CI === "1";
const PG_BIN = "/usr/lib/postgresql/15/bin";
const isRoot = process.getuid?.() === 0;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function which(tool: string): boolean {
  if (tool.startsWith("/")) return existsSync(tool);
  return spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).status === 0;
}

/** Missing tools fail under CI and skip (with a message) locally. */
function needTools(ctx: { skip: () => void }, tools: readonly string[], needsRoot = false): void {
  const missing = tools.filter((t) => !which(t));
  if (needsRoot && !isRoot) missing.push("root (postgres must be run via runuser)");
  if (missing.length === 0) return;
  const message = `missing ${missing.join(", ")}: install them with .ci/install-test-tools.sh`;
  if (CI) throw new Error(message);
  console.warn(`SKIPPED: ${message}`);
  ctx.skip();
}

type Env = Record<string, string | undefined>;

function run(command: string, args: readonly string[], env: Env = {}, input?: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    encoding: "utf8",
    env: { ...process.env, ...env },
    input,
    timeout: 120_000,
  });
}

function ok(command: string, args: readonly string[], env: Env = {}, input?: string): string {
  const result = run(command, args, env, input);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `tracker-db-${prefix}-`));
  chmodSync(dir, 0o755);
  return dir;
}

// ---------------------------------------------------------------------------------------------
// The two renders: realistic staging values, and loopback test values
// ---------------------------------------------------------------------------------------------

const exampleParams: DatabaseHostUserDataParams = {
  environment: "staging",
  region: STAGING.region,
  versions: STAGING.databaseVersions,
  dataVolumeId: "vol-0123456789abcdef0",
  privateIp: "10.42.64.10",
  databaseName: "tracker",
  databaseUser: "tracker",
  postgresPasswordSecretArn:
    "arn:aws:secretsmanager:eu-central-1:802732539686:secret:tracker/staging/postgres-password-AbCdEf",
  redisPasswordSecretArn: "arn:aws:secretsmanager:eu-central-1:802732539686:secret:tracker/staging/redis-password-AbCdEf",
  caCertificateParameterName: parameterName("staging", "database-ca-certificate"),
  applicationSubnetCidrs: ["10.42.16.0/20", "10.42.32.0/20"],
  internalNamespace: internalNamespace("staging"),
};

const testParams: DatabaseHostUserDataParams = {
  ...exampleParams,
  privateIp: "127.0.0.2",
  applicationSubnetCidrs: ["127.0.0.0/8"],
};

const work = tempDir("files");
const examplePlain = renderDatabaseHostUserData(exampleParams, { target: "plain" });
const examplePath = join(work, "user-data.yaml");
writeFileSync(examplePath, examplePlain);
const testPath = join(work, "user-data-test.yaml");
writeFileSync(testPath, renderDatabaseHostUserData(testParams, { target: "plain" }));

/** Extracts the host's files from a user-data file with the host's own sync script. */
function extract(userData: string, root: string): string {
  return ok("python3", [join(DATABASE_HOST_FILES_DIR, "sync-user-data-files.py"), "--user-data", userData, "--root", root]);
}

/** Where the test render's files land, as on the host. */
const hostRoot = join(work, "host");
let extracted = false;
function hostFiles(): { bin: string; env: Env } {
  if (!extracted) {
    extract(testPath, hostRoot);
    extracted = true;
  }
  return {
    bin: join(hostRoot, "opt/tracker-db/bin"),
    env: {
      TRACKER_DB_ENV_FILE: join(hostRoot, HOST_ENV_PATH),
      TEMPLATE_DIR: join(hostRoot, "opt/tracker-db/templates"),
    },
  };
}

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// cloud-init, Terraform escaping, size
// ---------------------------------------------------------------------------------------------

describe("user data", () => {
  it("DB-4: cloud-init schema accepts the rendered user data", (ctx) => {
    needTools(ctx, ["cloud-init"]);
    const result = run("cloud-init", ["schema", "--config-file", examplePath]);
    expect(result.stderr + result.stdout).toContain("Valid cloud-config");
    expect(result.status).toBe(0);
  });

  it("DB-4: gzip'd, the user data stays well below EC2's 16 KB limit", () => {
    expect(gzipSync(examplePlain, { level: 6 }).length).toBeLessThan(14 * 1024);
  });

  it("DB-4: the Terraform target escapes every literal ${ and %{ and leaves tokens live", () => {
    const token = Lazy.stringValue({ produce: () => "vol-0token" });
    const rendered = renderDatabaseHostUserData({ ...exampleParams, dataVolumeId: token });
    expect(rendered).toContain(`DATA_VOLUME_ID='${token}'`);
    const withoutTokens = rendered.split(token).join("");
    expect(withoutTokens).not.toMatch(/(^|[^$])\$\{/);
    expect(withoutTokens).not.toMatch(/(^|[^%])%\{/);
    // Terraform's unescaping of the concrete render gives back exactly the plain render.
    const concrete = renderDatabaseHostUserData(exampleParams);
    expect(concrete).not.toBe(examplePlain);
    expect(concrete.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{")).toBe(examplePlain);
  });

  it("DB-4: the plain target refuses tokens, and values that cannot be written to host.env", () => {
    const token = Lazy.stringValue({ produce: () => "x" });
    expect(() => renderDatabaseHostUserData({ ...exampleParams, privateIp: token }, { target: "plain" })).toThrow(
      /PRIVATE_IP: the plain user data needs a concrete value/,
    );
    expect(() => renderDatabaseHostUserData({ ...exampleParams, databaseName: "x'; rm -rf /" })).toThrow(/DATABASE_NAME/);
    expect(() => renderDatabaseHostUserData({ ...exampleParams, applicationSubnetCidrs: [] })).toThrow(/applicationSubnetCidrs/);
    expect(() =>
      renderDatabaseHostUserData({ ...exampleParams, versions: { ...exampleParams.versions, valkey: "7.9" } }),
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

  it("DB-4: the host's sync script extracts every file verbatim (comments stripped), idempotently, also from gzip", (ctx) => {
    needTools(ctx, ["python3"]);
    const root = join(work, "extract");
    const first = extract(examplePath, root);
    expect(first.split("\n").filter(Boolean)).toHaveLength(DATABASE_HOST_FILES.length + 1);
    for (const file of DATABASE_HOST_FILES) {
      const target = join(root, file.path);
      expect(readFileSync(target, "utf8"), file.source).toBe(
        stripComments(readFileSync(join(DATABASE_HOST_FILES_DIR, file.source), "utf8")),
      );
      expect((statSync(target).mode & 0o777).toString(8), file.source).toBe(file.permissions.slice(1));
    }
    expect(readFileSync(join(root, HOST_ENV_PATH), "utf8")).toContain("PRIVATE_IP='10.42.64.10'");
    expect(extract(examplePath, root)).toBe("");
    const gzipped = join(work, "user-data.gz");
    writeFileSync(gzipped, gzipSync(examplePlain));
    writeFileSync(join(root, "opt/tracker-db/bin/tls.sh"), "changed\n");
    expect(extract(gzipped, root).trim()).toBe("updated /opt/tracker-db/bin/tls.sh");
  });
});

// ---------------------------------------------------------------------------------------------
// shellcheck
// ---------------------------------------------------------------------------------------------

describe("scripts", () => {
  const scripts = readdirSync(DATABASE_HOST_FILES_DIR).filter((f) => f.endsWith(".sh"));

  it("DB-4: shellcheck passes on every script in the repository", (ctx) => {
    needTools(ctx, ["shellcheck"]);
    expect(scripts.length).toBeGreaterThanOrEqual(8);
    const result = spawnSync("shellcheck", ["-x", "--severity=style", ...scripts], {
      cwd: DATABASE_HOST_FILES_DIR,
      encoding: "utf8",
    });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("DB-4: shellcheck passes on the scripts as rendered into the user data", (ctx) => {
    needTools(ctx, ["shellcheck", "python3"]);
    const root = join(work, "shellcheck");
    extract(examplePath, root);
    const bin = join(root, "opt/tracker-db/bin");
    const rendered = readdirSync(bin).filter((f) => f.endsWith(".sh"));
    expect(rendered.sort()).toEqual([...scripts].sort());
    const result = spawnSync("shellcheck", ["-x", "--severity=style", ...rendered], { cwd: bin, encoding: "utf8" });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("DB-4: the Python helper compiles", (ctx) => {
    needTools(ctx, ["python3"]);
    ok("python3", ["-m", "py_compile", join(DATABASE_HOST_FILES_DIR, "sync-user-data-files.py")], {
      PYTHONPYCACHEPREFIX: join(work, "pycache"),
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The data volume (DB-2, DB-4)
// ---------------------------------------------------------------------------------------------

describe("data volume", () => {
  const tools = ["python3", "mkfs.ext4", "debugfs", "blkid"];

  function formatIfBlank(image: string): SpawnSyncReturns<string> {
    const { bin, env } = hostFiles();
    return run(join(bin, "ensure-data-volume.sh"), ["format-if-blank", image], env);
  }

  it("DB-4: a volume that already holds a filesystem is never reformatted and keeps its files (run twice)", (ctx) => {
    needTools(ctx, tools);
    const dir = tempDir("volume");
    const content = join(dir, "content");
    mkdirSync(join(content, "postgresql"), { recursive: true });
    writeFileSync(join(content, "postgresql", "PG_VERSION"), "16\n");
    const image = join(dir, "existing.img");
    ok("mkfs.ext4", ["-q", "-F", "-L", "tracker-data", "-d", content, image, "32M"]);
    const uuid = ok("blkid", ["-p", "-o", "value", "-s", "UUID", image]).trim();
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);

    for (let i = 0; i < 2; i++) {
      const result = formatIfBlank(image);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout.trim()).toBe(uuid);
      expect(result.stderr).toContain("not formatting");
      expect(ok("debugfs", ["-R", "cat /postgresql/PG_VERSION", image])).toBe("16\n");
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("DB-4: a blank volume gets an ext4 filesystem exactly once", (ctx) => {
    needTools(ctx, tools);
    const dir = tempDir("volume");
    const image = join(dir, "blank.img");
    writeFileSync(image, "");
    ok("truncate", ["-s", "32M", image]);

    const first = formatIfBlank(image);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toContain("is blank: creating ext4");
    const uuid = first.stdout.trim();
    expect(ok("blkid", ["-p", "-o", "value", "-s", "TYPE", image]).trim()).toBe("ext4");
    expect(ok("blkid", ["-p", "-o", "value", "-s", "LABEL", image]).trim()).toBe("tracker-data");

    const second = formatIfBlank(image);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout.trim()).toBe(uuid);
    expect(second.stderr).not.toContain("creating ext4");
    rmSync(dir, { recursive: true, force: true });
  });

  it("DB-4: a volume with a partition table or unknown data is not formatted either", (ctx) => {
    needTools(ctx, [...tools, "sfdisk"]);
    const dir = tempDir("volume");
    const image = join(dir, "partitioned.img");
    writeFileSync(image, "");
    ok("truncate", ["-s", "32M", image]);
    ok("sfdisk", ["-q", image], {}, "label: gpt\n,,L\n");
    const result = formatIfBlank(image);
    expect(result.stderr).toContain("not formatting");
    expect(run("blkid", ["-p", "-o", "value", "-s", "TYPE", image]).stdout.trim()).toBe("");
    rmSync(dir, { recursive: true, force: true });
  });
});

// ---------------------------------------------------------------------------------------------
// The apt step (DB-5): repositories, pins and version selection for TimescaleDB and PostGIS
// ---------------------------------------------------------------------------------------------

describe("packages", () => {
  it("DB-5: the rendered apt sources and pins parse with apt and pin the configured versions", (ctx) => {
    needTools(ctx, ["python3", "apt-cache"]);
    const { bin, env } = hostFiles();
    const dir = tempDir("apt");
    ok(join(bin, "install-packages.sh"), ["render-apt", dir], env);
    const pgdg = readFileSync(join(dir, "sources.list.d/pgdg.list"), "utf8");
    const timescale = readFileSync(join(dir, "sources.list.d/timescaledb.list"), "utf8");
    const pins = readFileSync(join(dir, "preferences.d/tracker-db.pref"), "utf8");
    const { postgres, timescaledb, postgis } = STAGING.databaseVersions;
    expect(pgdg).toContain("deb [signed-by=/etc/apt/keyrings/pgdg.gpg] https://apt.postgresql.org/pub/repos/apt jammy-pgdg main");
    expect(timescale).toContain(
      "deb [signed-by=/etc/apt/keyrings/timescaledb.gpg] https://packagecloud.io/timescale/timescaledb/ubuntu/ jammy main",
    );
    expect(pins).toContain(`Package: timescaledb-2-postgresql-${postgres} timescaledb-2-loader-postgresql-${postgres}\nPin: version ${timescaledb}~*\nPin-Priority: 1001`);
    expect(pins).toContain(`Package: postgresql-${postgres}-postgis-3 postgresql-${postgres}-postgis-3-scripts\nPin: version ${postgis}.*\nPin-Priority: 1001`);

    const policy = run("apt-cache", [
      "-o", "Dir::Etc::SourceList=/dev/null",
      "-o", `Dir::Etc::SourceParts=${join(dir, "sources.list.d")}`,
      "-o", "Dir::Etc::Preferences=/dev/null",
      "-o", `Dir::Etc::PreferencesParts=${join(dir, "preferences.d")}`,
      "policy",
    ]);
    expect(policy.stderr).not.toMatch(/^[EW]:/m);
    expect(policy.status).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it("DB-5: the exact TimescaleDB and PostGIS versions are chosen from what the repositories offer", (ctx) => {
    needTools(ctx, ["python3"]);
    const { bin, env } = hostFiles();
    const dir = tempDir("madison");
    // A stand-in for `apt-cache madison` with what the repositories list (newest first).
    writeFileSync(
      join(dir, "apt-cache"),
      `#!/bin/sh
case "$2" in
  timescaledb-2-postgresql-16|timescaledb-2-loader-postgresql-16)
    printf '%s | 2.18.0~ubuntu22.04 | https://packagecloud.io/timescale/timescaledb/ubuntu jammy/main arm64 Packages\\n' "$2"
    printf '%s | 2.17.20~ubuntu22.04 | https://packagecloud.io/timescale/timescaledb/ubuntu jammy/main arm64 Packages\\n' "$2"
    printf '%s | 2.17.2~ubuntu22.04 | https://packagecloud.io/timescale/timescaledb/ubuntu jammy/main arm64 Packages\\n' "$2"
    printf '%s | 2.17.1~ubuntu22.04 | https://packagecloud.io/timescale/timescaledb/ubuntu jammy/main arm64 Packages\\n' "$2" ;;
  postgresql-16-postgis-3|postgresql-16-postgis-3-scripts)
    printf '%s | 3.6.0+dfsg-1.pgdg22.04+1 | https://apt.postgresql.org/pub/repos/apt jammy-pgdg/main arm64 Packages\\n' "$2"
    printf '%s | 3.5.2+dfsg-1.pgdg22.04+1 | https://apt-archive.postgresql.org/pub/repos/apt jammy-pgdg-archive/main arm64 Packages\\n' "$2"
    printf '%s | 3.5.1+dfsg-1.pgdg22.04+1 | https://apt-archive.postgresql.org/pub/repos/apt jammy-pgdg-archive/main arm64 Packages\\n' "$2" ;;
esac
`,
    );
    chmodSync(join(dir, "apt-cache"), 0o755);
    const versions = ok(join(bin, "install-packages.sh"), ["package-versions"], {
      ...env,
      PATH: `${dir}:${process.env.PATH}`,
    });
    expect(versions.trim().split("\n")).toEqual([
      "timescaledb-2-postgresql-16=2.17.2~ubuntu22.04",
      "timescaledb-2-loader-postgresql-16=2.17.2~ubuntu22.04",
      "postgresql-16-postgis-3=3.5.2+dfsg-1.pgdg22.04+1",
      "postgresql-16-postgis-3-scripts=3.5.2+dfsg-1.pgdg22.04+1",
    ]);
    rmSync(dir, { recursive: true, force: true });
  });
});

// ---------------------------------------------------------------------------------------------
// PostgreSQL and Valkey started for real (DB-5, DB-6, DB-8)
// ---------------------------------------------------------------------------------------------

describe("services started for real on loopback", () => {
  const tools = [
    "python3",
    "openssl",
    "runuser",
    `${PG_BIN}/initdb`,
    `${PG_BIN}/pg_ctl`,
    `${PG_BIN}/psql`,
    `${PG_BIN}/pg_isready`,
    "/usr/share/postgresql/15/extension/postgis.control",
    "redis-server",
    "redis-cli",
  ];
  const available = tools.every(which) && isRoot && run("getent", ["passwd", "redis"]).status === 0;
  const privateIp = testParams.privateIp;
  const appPassword = `pw-${randomBytes(12).toString("hex")}'"; $x`;
  const valkeyPassword = `vk-${randomBytes(16).toString("hex")}!#`;
  let dir = "";
  let env: Env = {};
  let bin = "";
  let pgPort = 0;
  let valkeyPort = 0;
  let valkey: ChildProcess | undefined;
  let pgStarted = false;

  const pgConnection = (extra: string) =>
    `host=${privateIp} port=${pgPort} dbname=${testParams.databaseName} user=${testParams.databaseUser} connect_timeout=5 ${extra}`;
  const psql = (connection: string, sql: string, password = appPassword) =>
    run(`${PG_BIN}/psql`, ["-X", "-A", "-t", "-d", connection, "-c", sql], { PGPASSWORD: password, PGSSLMODE: undefined });
  const cli = (args: readonly string[], password?: string) =>
    run("redis-cli", ["-h", privateIp, "-p", String(valkeyPort), ...args], {
      REDISCLI_AUTH: password,
    });

  beforeAll(async () => {
    if (!available) return;
    dir = tempDir("services");
    const host = hostFiles();
    bin = host.bin;
    pgPort = await freePort();
    valkeyPort = await freePort();
    mkdirSync(join(dir, "run"));
    mkdirSync(join(dir, "valkey-data"));
    ok("chown", ["-R", "postgres:postgres", dir]);
    ok("chown", ["redis:redis", join(dir, "valkey-data")]);
    env = {
      ...host.env,
      CA_DIR: join(dir, "ca"),
      POSTGRES_BIN: PG_BIN,
      POSTGRES_DATA_DIR: join(dir, "pgdata"),
      POSTGRES_SOCKET_DIR: join(dir, "run"),
      POSTGRES_PORT: String(pgPort),
      POSTGRES_SHARED_BUFFERS: "128MB",
      POSTGRES_EFFECTIVE_CACHE_SIZE: "256MB",
      // TimescaleDB is not packaged by Debian: neither preloaded nor created here.
      POSTGRES_PRELOAD_LIBRARIES: "",
      POSTGRES_EXTENSIONS: "postgis",
      POSTGRES_APP_PASSWORD: appPassword,
      // Debian's redis-server package creates the unprivileged user "redis": the server runs as it,
      // so the generated files' owners and modes are exercised as on the host (user "valkey").
      VALKEY_USER: "redis",
      VALKEY_PORT: String(valkeyPort),
      VALKEY_DATA_DIR: join(dir, "valkey-data"),
      VALKEY_PASSWORD: valkeyPassword,
    };
    const script = (name: string, ...args: string[]) => ok(join(bin, name), args, env);

    // PostgreSQL: generated configuration + TLS, initdb, started with pg_ctl as postgres.
    script("configure-postgres.sh", "render", join(dir, "pgconf"));
    script("tls.sh", "ensure-ca");
    script("tls.sh", "issue", join(dir, "pgconf", "tls"), "postgres:postgres");
    script("configure-postgres.sh", "init");
    ok("runuser", ["-u", "postgres", "--", `${PG_BIN}/pg_ctl`, "-D", join(dir, "pgconf"), "-l", join(dir, "postgres.log"), "-w", "-t", "60", "start"]);
    pgStarted = true;
    script("configure-postgres.sh", "ensure-database");
    script("configure-postgres.sh", "ensure-database"); // idempotent

    // Valkey configuration, started with Debian's redis-server.
    script("configure-valkey.sh", "render", join(dir, "valkey-conf"));
    script("tls.sh", "issue", join(dir, "valkey-conf", "tls"), "redis:redis");
    writeFileSync(join(dir, "valkey-password"), valkeyPassword, { mode: 0o600 });
    valkey = spawn("runuser", ["-u", "redis", "--", "redis-server", join(dir, "valkey-conf", "valkey.conf")], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    valkey.stdout?.on("data", (d: Buffer) => (log += d.toString()));
    valkey.stderr?.on("data", (d: Buffer) => (log += d.toString()));
    for (let i = 0; i < 50; i++) {
      const ping = cli(["--tls", "--cacert", join(dir, "ca", "ca.crt"), "PING"], valkeyPassword);
      if (ping.stdout.trim() === "PONG") return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`redis-server did not start:\n${log}`);
  });

  afterAll(() => {
    if (valkey) {
      cli(["--tls", "--cacert", join(dir, "ca", "ca.crt"), "SHUTDOWN", "NOSAVE"], valkeyPassword);
      valkey.kill("SIGTERM");
    }
    if (pgStarted) {
      run("runuser", ["-u", "postgres", "--", `${PG_BIN}/pg_ctl`, "-D", join(dir, "pgconf"), "-m", "fast", "-w", "stop"]);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("DB-5: a client with TLS (verify-full against the host CA) and the password connects; postgis is created", (ctx) => {
    needTools(ctx, tools, true);
    const ca = join(dir, "ca", "ca.crt");
    const viaIp = psql(
      pgConnection(`sslmode=verify-full sslrootcert=${ca}`),
      "select ssl from pg_stat_ssl where pid = pg_backend_pid(); select extname from pg_extension where extname = 'postgis'; select current_setting('password_encryption');",
    );
    expect(viaIp.stderr).toBe("");
    expect(viaIp.stdout.trim().split("\n")).toEqual(["t", "postgis", "scram-sha-256"]);
    // The internal name in the certificate: db.<namespace>.
    const viaName = psql(
      `host=db.${testParams.internalNamespace} hostaddr=${privateIp} port=${pgPort} dbname=${testParams.databaseName} user=${testParams.databaseUser} sslmode=verify-full sslrootcert=${ca}`,
      "select postgis_lib_version() is not null",
    );
    expect(viaName.stderr).toBe("");
    expect(viaName.stdout.trim()).toBe("t");
  });

  it("DB-5: without TLS the connection is refused by pg_hba", (ctx) => {
    needTools(ctx, tools, true);
    const result = psql(pgConnection("sslmode=disable"), "select 1");
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/pg_hba\.conf rejects connection .* no encryption/);
  });

  it("DB-5: a wrong password is refused (scram-sha-256)", (ctx) => {
    needTools(ctx, tools, true);
    const result = psql(pgConnection("sslmode=require"), "select 1", "not-the-password");
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`password authentication failed for user "${testParams.databaseUser}"`);
  });

  it("DB-5: PostgreSQL listens on the private address only, and the superuser cannot log in over the network", (ctx) => {
    needTools(ctx, tools, true);
    const loopback = run(`${PG_BIN}/psql`, ["-X", "-d", `host=127.0.0.1 port=${pgPort} dbname=postgres user=tracker sslmode=require connect_timeout=3`, "-c", "select 1"], { PGPASSWORD: appPassword });
    expect(loopback.status).not.toBe(0);
    expect(loopback.stderr).toMatch(/Connection refused/);
    const superuser = psql(`host=${privateIp} port=${pgPort} dbname=postgres user=postgres sslmode=require`, "select 1");
    expect(superuser.stderr).toMatch(/pg_hba\.conf rejects connection for host .* user "postgres"/);
  });

  it("DB-5: the role's password is stored as a SCRAM verifier and the app owns its database", (ctx) => {
    needTools(ctx, tools, true);
    const result = run("runuser", [
      "-u", "postgres", "--", `${PG_BIN}/psql`, "-X", "-A", "-t", "-h", join(dir, "run"), "-p", String(pgPort), "-d", "postgres",
      "-c", `select left(rolpassword, 14), rolsuper from pg_authid where rolname = '${testParams.databaseUser}'`,
      "-c", `select pg_get_userbyid(datdba) from pg_database where datname = '${testParams.databaseName}'`,
    ]);
    expect(result.stderr).toBe("");
    expect(result.stdout.trim().split("\n")).toEqual(["SCRAM-SHA-256$|f", testParams.databaseUser]);
  });

  it("DB-6: a client with the CA and the password can SET and GET over TLS; data is persisted (AOF)", (ctx) => {
    needTools(ctx, tools, true);
    const ca = join(dir, "ca", "ca.crt");
    expect(cli(["--tls", "--cacert", ca, "SET", "tracker:test", "hello"], valkeyPassword).stdout.trim()).toBe("OK");
    expect(cli(["--tls", "--cacert", ca, "GET", "tracker:test"], valkeyPassword).stdout.trim()).toBe("hello");
    expect(cli(["--tls", "--cacert", ca, "--sni", `redis.${testParams.internalNamespace}`, "PING"], valkeyPassword).stdout.trim()).toBe("PONG");
    expect(existsSync(join(dir, "valkey-data", "appendonlydir"))).toBe(true);
    expect(cli(["--tls", "--cacert", ca, "CONFIG", "GET", "appendonly"], valkeyPassword).stdout.trim().split("\n")).toEqual([
      "appendonly",
      "yes",
    ]);
  });

  it("DB-6: without the password, without the CA, or without TLS the client is refused", (ctx) => {
    needTools(ctx, tools, true);
    const ca = join(dir, "ca", "ca.crt");
    const noPassword = cli(["--tls", "--cacert", ca, "GET", "tracker:test"]);
    expect(noPassword.stdout + noPassword.stderr).toMatch(/NOAUTH/);
    const wrongPassword = cli(["--tls", "--cacert", ca, "GET", "tracker:test"], "wrong");
    expect(wrongPassword.stdout + wrongPassword.stderr).toMatch(/WRONGPASS|invalid password/);
    const noCa = cli(["--tls", "GET", "tracker:test"], valkeyPassword);
    expect(noCa.stdout + noCa.stderr).toMatch(/certificate verify failed/);
    const plain = cli(["GET", "tracker:test"], valkeyPassword);
    expect(plain.stdout).not.toContain("hello");
    const loopback = run("redis-cli", ["--tls", "--cacert", ca, "-h", "127.0.0.1", "-p", String(valkeyPort), "PING"], {
      REDISCLI_AUTH: valkeyPassword,
    });
    expect(loopback.stdout + loopback.stderr).toMatch(/Connection refused/);
  });

  it("DB-8: the health probe reports PostgresUp and ValkeyUp 1 while both answer, 0 when Valkey refuses it", (ctx) => {
    needTools(ctx, tools, true);
    const probeEnv: Env = {
      ...env,
      POSTGRES_CONFIG_DIR: join(dir, "pgconf"),
      VALKEY_CONFIG_DIR: join(dir, "valkey-conf"),
      VALKEY_CLI: "redis-cli",
      VALKEY_PASSWORD_FILE: join(dir, "valkey-password"),
      DATA_MOUNT: dir,
    };
    const metrics = JSON.parse(ok(join(bin, "health-probe.sh"), ["--print"], probeEnv)) as Array<{
      MetricName: string;
      Value: number;
      Unit: string;
      Dimensions: Array<{ Name: string; Value: string }>;
    }>;
    const byName = Object.fromEntries(metrics.map((m) => [m.MetricName, m]));
    expect(byName["PostgresUp"]?.Value).toBe(1);
    expect(byName["ValkeyUp"]?.Value).toBe(1);
    expect(byName["RootVolumeUsedPercent"]?.Unit).toBe("Percent");
    expect(byName["RootVolumeUsedPercent"]?.Value).toBeGreaterThanOrEqual(0);
    for (const metric of metrics) expect(metric.Dimensions).toEqual([{ Name: "Environment", Value: "staging" }]);

    writeFileSync(join(dir, "wrong-password"), "wrong", { mode: 0o600 });
    const refused = JSON.parse(
      ok(join(bin, "health-probe.sh"), ["--print"], { ...probeEnv, VALKEY_PASSWORD_FILE: join(dir, "wrong-password"), POSTGRES_PORT: "1" }),
    ) as Array<{ MetricName: string; Value: number }>;
    expect(refused.find((m) => m.MetricName === "ValkeyUp")?.Value).toBe(0);
    expect(refused.find((m) => m.MetricName === "PostgresUp")?.Value).toBe(0);
  });
});
