/**
 * The files the staging database host runs (src/data/database-host/files), checked offline by real
 * tools: cloud-init's schema, shellcheck, Debian's PostgreSQL 15 + PostGIS and redis-server 7 on
 * loopback, e2fsprogs on image files.
 *
 * The functional tests run the scripts exactly as the host receives them: the user data is
 * rendered (plain target) with loopback test values, and the files are extracted from it by the
 * host's own sync-user-data-files.py. Test substitutions, and nothing else: the private IP is a
 * loopback address of the run's own, the application subnets are 127.0.0.0/8, paths are temporary,
 * and TimescaleDB (not in Debian) is neither preloaded nor created (see docs/DESIGN.md). The ports
 * are the host's own (5432, 6379, cluster bus 16379): a port taken fails the run, it never moves.
 * The table "Host properties proven live" in docs/DESIGN.md lists what the live tests prove.
 *
 * Tools come from .ci/install-test-tools.sh. With CI=true a missing tool FAILS the test; locally
 * the test is skipped with a message naming the tool.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STAGING } from "../../src/config/environments";
import {
  DATABASE_HOST_FILES,
  DATABASE_HOST_FILES_DIR,
  HOST_ENV_PATH,
  renderDatabaseHostUserData,
  stripComments,
  type DatabaseHostUserDataParams,
} from "../../src/data/database-host/user-data";
import { EXAMPLE_HOST_PARAMS } from "../support/database-host-params";

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

/** Lets pending I/O (vitest's worker RPC among it) through between synchronous steps. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs a tool from the suite's own directory (mode 0755), never from the process's: tools run as
 * postgres or redis must not depend on whether their user can enter the checkout (issue 10).
 */
function run(command: string, args: readonly string[], env: Env = {}, input?: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    encoding: "utf8",
    env: { ...process.env, ...env },
    input,
    cwd: work,
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

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `tracker-db-${prefix}-`));
  chmodSync(dir, 0o755);
  return dir;
}

// ---------------------------------------------------------------------------------------------
// The two renders: realistic staging values, and loopback test values
// ---------------------------------------------------------------------------------------------

const exampleParams: DatabaseHostUserDataParams = EXAMPLE_HOST_PARAMS;

/**
 * A loopback address of this run's own (127.1.0.1 .. 127.254.255.254) as the private IP: the live
 * tests listen on the host's real ports, and parallel runs on one machine must not collide.
 */
const testPrivateIp = `127.${1 + randomInt(254)}.${randomInt(256)}.${1 + randomInt(254)}`;

const testParams: DatabaseHostUserDataParams = {
  ...exampleParams,
  privateIp: testPrivateIp,
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
// docs/DESIGN.md "Host properties proven live" (issue 10, item 3)
// ---------------------------------------------------------------------------------------------

describe("documented live properties", () => {
  it("DB-5, DB-6, DB-9: every test named in the DESIGN table of host properties exists, and every live test is in the table", () => {
    const design = readFileSync(join(__dirname, "..", "..", "docs", "DESIGN.md"), "utf8");
    const section = design.split("**Host properties proven live (issue 10).**")[1];
    expect(section, "the section in docs/DESIGN.md").toBeDefined();
    const rows = section!.split("\n").filter((line) => /^\| (?!Property|---)/.test(line));
    expect(rows.length).toBeGreaterThanOrEqual(12);
    const named = rows.flatMap((row) => row.split(" | ")[1]!.replace(/ \|$/, "").split(/; (?=DB-)/));
    const source = readFileSync(__filename, "utf8");
    const live = source.split('describe("services started for real').pop()!;
    const liveTitles = [...live.matchAll(/\n  it\("([^"]+)"/g)].map((m) => m[1]!);
    expect(liveTitles.length).toBeGreaterThanOrEqual(15);
    expect([...new Set(named)].sort()).toEqual([...liveTitles].sort());
  });
});

// ---------------------------------------------------------------------------------------------
// PostgreSQL and Valkey started for real (DB-5, DB-6, DB-8, DB-9)
// ---------------------------------------------------------------------------------------------

/**
 * What a reviewer knows about the host, written out here and never read from the code under test:
 * the servers' ports, the cluster bus port (client port + 10000), the TLS minimum, the slot count.
 */
const REVIEWER = {
  postgresPort: 5432,
  valkeyPort: 6379,
  valkeyClusterBusPort: 16379,
  tlsMinimum: "TLSv1.2",
  clusterSlots: 16384,
  redisName: "redis.staging.tracker.internal",
  dbName: "db.staging.tracker.internal",
} as const;

/** Fails (never skips, never moves to another port) when a port the host really uses is taken. */
async function assertFree(ip: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `${ip}:${port} is taken (${error.code}): the live tests run the host's real ports ` +
            `${REVIEWER.postgresPort}, ${REVIEWER.valkeyPort} and ${REVIEWER.valkeyClusterBusPort} on a loopback ` +
            `address of their own, so only a server listening on all addresses can collide; stop it`,
        ),
      ),
    );
    server.listen(port, ip, () => server.close(() => resolve()));
  });
}

/** The TCP listeners (address:port) of one process, from `ss`. */
function listenersOf(pid: number): string[] {
  return ok("ss", ["-ltnpH"])
    .split("\n")
    .filter((line) => line.includes(`pid=${pid},`))
    .map((line) => line.trim().split(/\s+/)[3]!)
    .sort();
}

/**
 * OpenSSL settings that would allow TLS 1.0/1.1 (no library minimum, security level 0): the servers
 * run with them, so that only their own configuration (`tls-protocols`, `ssl_min_protocol_version`)
 * refuses old protocols, and the probing client can offer them at all.
 */
const PERMISSIVE_OPENSSL_CONF = `openssl_conf = openssl_init
[openssl_init]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
MinProtocol = TLSv1
CipherString = DEFAULT@SECLEVEL=0
`;

/** A cluster-aware client (redis-py's RedisCluster, Debian python3-redis) as the services use one. */
const CLUSTER_CLIENT = `
import json, os, sys
from redis.cluster import RedisCluster
host, port, ca = sys.argv[1], int(sys.argv[2]), sys.argv[3]
client = RedisCluster(host=host, port=port, password=os.environ["VALKEY_PASSWORD"], ssl=True,
                      ssl_ca_certs=ca, ssl_cert_reqs="required", ssl_check_hostname=True)
keys = ["tracker:alpha", "tracker:beta", "tracker:gamma", "{user:42}:session", "{user:42}:queue"]
for key in keys:
    client.set(key, "value-of-" + key)
print(json.dumps({
    "nodes": sorted("%s:%s" % (n.host, n.port) for n in client.get_nodes()),
    "slots": {key: client.keyslot(key) for key in keys},
    "values": {key: client.get(key).decode() for key in keys},
}))
client.close()
`;

describe("services started for real on the host's ports", () => {
  const redisPy = "/usr/lib/python3/dist-packages/redis/cluster.py";
  const tools = [
    "/usr/bin/python3",
    redisPy,
    "openssl",
    "runuser",
    "ss",
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
  // Another loopback address: a server listening on all addresses would answer there.
  const otherIp = privateIp.replace(/\.(\d+)$/, (_, last: string) => `.${(Number(last) % 254) + 1}`);
  const appPassword = `pw-${randomBytes(12).toString("hex")}'"; $x`;
  const valkeyPassword = `vk-${randomBytes(16).toString("hex")}!#`;
  const originalCwd = process.cwd();
  let hiddenCwd = "";
  let dir = "";
  let env: Env = {};
  let bin = "";
  let ca = "";
  let opensslConf = "";
  let valkey: ChildProcess | undefined;
  let valkeyLog = "";
  let pgStarted = false;

  const pgConnection = (extra: string) =>
    `host=${privateIp} port=${REVIEWER.postgresPort} dbname=${testParams.databaseName} user=${testParams.databaseUser} connect_timeout=5 ${extra}`;
  const psql = (connection: string, sql: string, password = appPassword) =>
    run(`${PG_BIN}/psql`, ["-X", "-A", "-t", "-d", connection, "-c", sql], { PGPASSWORD: password, PGSSLMODE: undefined });
  const cli = (args: readonly string[], password?: string) =>
    run("redis-cli", ["-h", privateIp, "-p", String(REVIEWER.valkeyPort), ...args], { REDISCLI_AUTH: password });
  /** An authenticated redis-cli over TLS, verifying the host CA; `\r` of CLUSTER INFO removed. */
  const tlsCli = (...args: string[]) => cli(["--tls", "--cacert", ca, ...args], valkeyPassword).stdout.replace(/\r/g, "").trim();
  const clusterInfo = () => Object.fromEntries(tlsCli("CLUSTER", "INFO").split("\n").map((l) => l.split(":") as [string, string]));
  const valkeyScript = (...args: string[]) => run(join(bin, "configure-valkey.sh"), args, env);
  /** openssl s_client with a fixed protocol version against one of the servers. */
  const sClient = (port: number, protocol: string, extra: readonly string[] = []) => {
    const result = run(
      "openssl",
      ["s_client", "-connect", `${privateIp}:${port}`, `-${protocol}`, "-cipher", "DEFAULT@SECLEVEL=0", "-brief", ...extra],
      { OPENSSL_CONF: opensslConf },
      "",
    );
    return { status: result.status, output: result.stdout + result.stderr };
  };

  async function startValkey(): Promise<void> {
    valkeyLog = "";
    valkey = spawn("runuser", ["-u", "redis", "--", "redis-server", join(dir, "valkey-conf", "valkey.conf")], {
      stdio: ["ignore", "pipe", "pipe"],
      cwd: work,
      env: { ...process.env, OPENSSL_CONF: opensslConf },
    });
    valkey.stdout?.on("data", (d: Buffer) => (valkeyLog += d.toString()));
    valkey.stderr?.on("data", (d: Buffer) => (valkeyLog += d.toString()));
    for (let i = 0; i < 100; i++) {
      if (tlsCli("PING") === "PONG") return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`redis-server does not answer an authenticated TLS PING on ${privateIp}:${REVIEWER.valkeyPort}:\n${valkeyLog}`);
  }

  async function stopValkey(): Promise<void> {
    const child = valkey;
    valkey = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    tlsCli("SHUTDOWN");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill("SIGTERM");
  }

  function valkeyPid(): number {
    return Number(/process_id:(\d+)/.exec(tlsCli("INFO", "server"))?.[1]);
  }

  beforeAll(async () => {
    if (!available) return;
    // Issue 10, "where the checkout lives": the whole section runs from a directory that only root
    // may enter (mode 0700, as `mktemp -d` creates it), like a checkout made under one. Every tool
    // runs from the suite's own directory (`run`), so the postgres user never inherits it.
    hiddenCwd = mkdtempSync(join(tmpdir(), "tracker-db-checkout-"));
    process.chdir(hiddenCwd);
    for (const port of [REVIEWER.postgresPort, REVIEWER.valkeyPort, REVIEWER.valkeyClusterBusPort]) await assertFree(privateIp, port);

    dir = tempDir("services");
    const host = hostFiles();
    bin = host.bin;
    ca = join(dir, "ca", "ca.crt");
    opensslConf = join(dir, "openssl-permissive.cnf");
    writeFileSync(opensslConf, PERMISSIVE_OPENSSL_CONF);
    mkdirSync(join(dir, "run"));
    mkdirSync(join(dir, "valkey-data"));
    ok("chown", ["-R", "postgres:postgres", dir]);
    ok("chown", ["redis:redis", join(dir, "valkey-data")]);
    // Only paths, the application password and what Debian lacks differ from the host; the ports,
    // the addresses, the names and the TLS settings are the rendered host.env's and templates'.
    env = {
      ...host.env,
      POSTGRES_PORT: undefined,
      VALKEY_PORT: undefined,
      CA_DIR: join(dir, "ca"),
      POSTGRES_BIN: PG_BIN,
      POSTGRES_DATA_DIR: join(dir, "pgdata"),
      POSTGRES_SOCKET_DIR: join(dir, "run"),
      POSTGRES_SHARED_BUFFERS: "128MB",
      POSTGRES_EFFECTIVE_CACHE_SIZE: "256MB",
      // TimescaleDB is not packaged by Debian: neither preloaded nor created here.
      POSTGRES_PRELOAD_LIBRARIES: "",
      POSTGRES_EXTENSIONS: "postgis",
      POSTGRES_APP_PASSWORD: appPassword,
      // Debian's redis-server package creates the unprivileged user "redis": the server runs as it,
      // so the generated files' owners and modes are exercised as on the host (user "valkey").
      VALKEY_USER: "redis",
      VALKEY_DATA_DIR: join(dir, "valkey-data"),
      VALKEY_CONFIG_DIR: join(dir, "valkey-conf"),
      VALKEY_CLI: "redis-cli",
      VALKEY_PASSWORD: valkeyPassword,
      OPENSSL_CONF: opensslConf,
    };
    // Each step yields to the event loop first: a chain of synchronous child processes must not hold
    // the worker for a minute, or vitest's worker RPC times out ("Timeout calling onTaskUpdate").
    const script = async (name: string, ...args: string[]) => {
      await yieldToEventLoop();
      return ok(join(bin, name), args, env);
    };

    // PostgreSQL: generated configuration + TLS, initdb, started with pg_ctl as postgres.
    await script("configure-postgres.sh", "render", join(dir, "pgconf"));
    await script("tls.sh", "ensure-ca");
    await script("tls.sh", "issue", join(dir, "pgconf", "tls"), "postgres:postgres");
    await script("configure-postgres.sh", "init");
    await yieldToEventLoop();
    ok("runuser", ["-u", "postgres", "--", `${PG_BIN}/pg_ctl`, "-D", join(dir, "pgconf"), "-l", join(dir, "postgres.log"), "-w", "-t", "60", "start"], env);
    pgStarted = true;
    await script("configure-postgres.sh", "ensure-database");
    await script("configure-postgres.sh", "ensure-database"); // idempotent

    // Valkey configuration, started with Debian's redis-server; the slots assigned as at first boot.
    await script("configure-valkey.sh", "render", join(dir, "valkey-conf"));
    await script("tls.sh", "issue", join(dir, "valkey-conf", "tls"), "redis:redis");
    writeFileSync(join(dir, "valkey-password"), valkeyPassword, { mode: 0o600 });
    await startValkey();
    await script("configure-valkey.sh", "cluster-init");
  });

  afterAll(async () => {
    await stopValkey();
    if (pgStarted) {
      run("runuser", ["-u", "postgres", "--", `${PG_BIN}/pg_ctl`, "-D", join(dir, "pgconf"), "-m", "fast", "-w", "stop"]);
    }
    process.chdir(originalCwd);
    if (hiddenCwd) rmSync(hiddenCwd, { recursive: true, force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("DB-5: the live tests do not depend on where the checkout is (run from a 0700 directory)", (ctx) => {
    needTools(ctx, tools, true);
    expect(process.cwd()).toBe(hiddenCwd);
    expect((statSync(hiddenCwd).mode & 0o777).toString(8)).toBe("700");
    // The hazard is real: PostgreSQL's tools, run as postgres from there, cannot enter it.
    const fromHidden = spawnSync("runuser", ["-u", "postgres", "--", `${PG_BIN}/psql`, "--version"], { encoding: "utf8" });
    expect(fromHidden.stderr).toContain("could not change directory");
    // The suite's own runner starts them from its directory instead.
    const viaRunner = run("runuser", ["-u", "postgres", "--", `${PG_BIN}/psql`, "--version"]);
    expect(viaRunner.stderr).toBe("");
    expect(run("runuser", ["-u", "postgres", "--", "pwd"]).stdout.trim()).toBe(work);
  });

  it("DB-5: a client with TLS (verify-full against the host CA) and the password connects; postgis is created", (ctx) => {
    needTools(ctx, tools, true);
    const viaIp = psql(
      pgConnection(`sslmode=verify-full sslrootcert=${ca}`),
      "select ssl from pg_stat_ssl where pid = pg_backend_pid(); select extname from pg_extension where extname = 'postgis'; select current_setting('password_encryption');",
    );
    expect(viaIp.stderr).toBe("");
    expect(viaIp.stdout.trim().split("\n")).toEqual(["t", "postgis", "scram-sha-256"]);
    // The internal name in the certificate: db.<namespace>.
    const viaName = psql(
      `host=${REVIEWER.dbName} hostaddr=${privateIp} port=${REVIEWER.postgresPort} dbname=${testParams.databaseName} user=${testParams.databaseUser} sslmode=verify-full sslrootcert=${ca}`,
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

  it("DB-5: PostgreSQL listens on port 5432 of the private address only, and the superuser cannot log in over the network", (ctx) => {
    needTools(ctx, tools, true);
    const postmaster = Number(readFileSync(join(dir, "pgdata", "postmaster.pid"), "utf8").split("\n")[0]);
    expect(listenersOf(postmaster)).toEqual([`${privateIp}:5432`]);
    const elsewhere = run(`${PG_BIN}/psql`, ["-X", "-d", `host=${otherIp} port=5432 dbname=postgres user=tracker sslmode=require connect_timeout=3`, "-c", "select 1"], { PGPASSWORD: appPassword });
    expect(elsewhere.status).not.toBe(0);
    expect(elsewhere.stderr).toMatch(/Connection refused/);
    const superuser = psql(`host=${privateIp} port=${REVIEWER.postgresPort} dbname=postgres user=postgres sslmode=require`, "select 1");
    expect(superuser.stderr).toMatch(/pg_hba\.conf rejects connection for host .* user "postgres"/);
  });

  it("DB-5: PostgreSQL refuses TLS 1.0 and 1.1 and accepts TLS 1.2 and 1.3 with the host's certificate", (ctx) => {
    needTools(ctx, tools, true);
    for (const old of ["tls1", "tls1_1"]) {
      const refused = sClient(REVIEWER.postgresPort, old, ["-starttls", "postgres"]);
      expect(refused.status, old).not.toBe(0);
      // The server's alert: the client did offer the old version, the server refused it.
      expect(refused.output, old).toMatch(/alert protocol version/);
    }
    for (const [flag, version] of [["tls1_2", "TLSv1.2"], ["tls1_3", "TLSv1.3"]]) {
      const accepted = sClient(REVIEWER.postgresPort, flag!, ["-starttls", "postgres", "-CAfile", ca, "-verify_return_error", "-verify_hostname", REVIEWER.dbName]);
      expect(accepted.output, flag).toContain(`Protocol version: ${version}`);
      expect(accepted.output, flag).toContain("Verification: OK");
    }
    const setting = run("runuser", [
      "-u", "postgres", "--", `${PG_BIN}/psql`, "-X", "-A", "-t", "-h", join(dir, "run"), "-p", String(REVIEWER.postgresPort), "-d", "postgres",
      "-c", "show ssl_min_protocol_version",
    ]);
    expect(setting.stdout.trim()).toBe(REVIEWER.tlsMinimum);
  });

  it("DB-5: the role's password is stored as a SCRAM verifier and the app owns its database", (ctx) => {
    needTools(ctx, tools, true);
    const result = run("runuser", [
      "-u", "postgres", "--", `${PG_BIN}/psql`, "-X", "-A", "-t", "-h", join(dir, "run"), "-p", String(REVIEWER.postgresPort), "-d", "postgres",
      "-c", `select left(rolpassword, 14), rolsuper from pg_authid where rolname = '${testParams.databaseUser}'`,
      "-c", `select pg_get_userbyid(datdba) from pg_database where datname = '${testParams.databaseName}'`,
    ]);
    expect(result.stderr).toBe("");
    expect(result.stdout.trim().split("\n")).toEqual(["SCRAM-SHA-256$|f", testParams.databaseUser]);
  });

  it("DB-6: a client with the CA and the password can SET and GET over TLS; data is persisted (AOF)", (ctx) => {
    needTools(ctx, tools, true);
    expect(tlsCli("SET", "tracker:test", "hello")).toBe("OK");
    expect(tlsCli("GET", "tracker:test")).toBe("hello");
    expect(tlsCli("--sni", REVIEWER.redisName, "PING")).toBe("PONG");
    expect(existsSync(join(dir, "valkey-data", "appendonlydir"))).toBe(true);
    expect(tlsCli("CONFIG", "GET", "appendonly").split("\n")).toEqual(["appendonly", "yes"]);
  });

  it("DB-6: without the password, without the CA, or without TLS the client is refused", (ctx) => {
    needTools(ctx, tools, true);
    const noPassword = cli(["--tls", "--cacert", ca, "GET", "tracker:test"]);
    expect(noPassword.stdout + noPassword.stderr).toMatch(/NOAUTH/);
    const wrongPassword = cli(["--tls", "--cacert", ca, "GET", "tracker:test"], "wrong");
    expect(wrongPassword.stdout + wrongPassword.stderr).toMatch(/WRONGPASS|invalid password/);
    const noCa = cli(["--tls", "GET", "tracker:test"], valkeyPassword);
    expect(noCa.stdout + noCa.stderr).toMatch(/certificate verify failed/);
    const elsewhere = run("redis-cli", ["--tls", "--cacert", ca, "-h", otherIp, "-p", String(REVIEWER.valkeyPort), "PING"], {
      REDISCLI_AUTH: valkeyPassword,
    });
    expect(elsewhere.stdout + elsewhere.stderr).toMatch(/Connection refused/);
  });

  it("DB-6: no plaintext Valkey listener: only TLS on 6379 and the TLS cluster bus on 16379 of the private address", (ctx) => {
    needTools(ctx, tools, true);
    expect(listenersOf(valkeyPid())).toEqual([`${privateIp}:16379`, `${privateIp}:6379`]);
    expect(tlsCli("CONFIG", "GET", "port").split("\n")).toEqual(["port", "0"]);
    // A plaintext client on the port gets no Redis reply at all (not even NOAUTH): the server
    // only speaks TLS there.
    const plain = cli(["PING"], valkeyPassword);
    expect(plain.stdout + plain.stderr).not.toMatch(/PONG|NOAUTH|WRONGPASS/);
    expect(plain.stdout + plain.stderr).toMatch(/Connection reset|Server closed the connection|I\/O error/);
    // The cluster bus speaks TLS too, and admits only peers presenting a certificate.
    const bus = sClient(REVIEWER.valkeyClusterBusPort, "tls1_2", [
      "-CAfile", ca, "-verify_return_error",
      "-cert", join(dir, "valkey-conf", "tls", "server.crt"), "-key", join(dir, "valkey-conf", "tls", "server.key"),
    ]);
    expect(bus.output).toContain("Protocol version: TLSv1.2");
    expect(sClient(REVIEWER.valkeyClusterBusPort, "tls1_2", ["-CAfile", ca]).output).toMatch(/alert handshake failure/);
  });

  it("DB-6: Valkey refuses TLS 1.0 and 1.1 and accepts TLS 1.2 and 1.3 with the host's certificate", (ctx) => {
    needTools(ctx, tools, true);
    for (const old of ["tls1", "tls1_1"]) {
      const refused = sClient(REVIEWER.valkeyPort, old);
      expect(refused.status, old).not.toBe(0);
      expect(refused.output, old).toMatch(/alert protocol version/);
    }
    for (const [flag, version] of [["tls1_2", "TLSv1.2"], ["tls1_3", "TLSv1.3"]]) {
      const accepted = sClient(REVIEWER.valkeyPort, flag!, ["-CAfile", ca, "-verify_return_error", "-verify_hostname", REVIEWER.redisName]);
      expect(accepted.output, flag).toContain(`Protocol version: ${version}`);
      expect(accepted.output, flag).toContain("Verification: OK");
    }
  });

  it("DB-9: Valkey is a cluster of one node owning all 16384 slots, reporting cluster_state:ok over TLS with the password", (ctx) => {
    needTools(ctx, tools, true);
    const info = clusterInfo();
    expect(tlsCli("INFO", "cluster")).toContain("cluster_enabled:1");
    expect(info["cluster_state"]).toBe("ok");
    expect(info["cluster_slots_assigned"]).toBe(String(REVIEWER.clusterSlots));
    expect(info["cluster_slots_ok"]).toBe(String(REVIEWER.clusterSlots));
    expect(info["cluster_known_nodes"]).toBe("1");
    expect(info["cluster_size"]).toBe("1");
    // What a cluster client is told: slots 0-16383 on the private address and port 6379, which the
    // certificate names; the internal name rides along as the hostname.
    expect(tlsCli("CLUSTER", "SLOTS").split("\n")).toEqual([
      "0", "16383", privateIp, "6379", expect.stringMatching(/^[0-9a-f]{40}$/), "hostname", REVIEWER.redisName,
    ]);
    // The assignment lives in nodes.conf on the data volume.
    expect(readFileSync(join(dir, "valkey-data", "nodes.conf"), "utf8")).toMatch(/myself,master .* connected 0-16383\n/);
  });

  it("DB-9: a cluster-aware client (redis-py RedisCluster, redis-cli -c) sets and gets keys in different slots over verified TLS", (ctx) => {
    needTools(ctx, tools, true);
    const result = run("/usr/bin/python3", ["-c", CLUSTER_CLIENT, privateIp, String(REVIEWER.valkeyPort), ca], {
      VALKEY_PASSWORD: valkeyPassword,
    });
    expect(result.stderr).toBe("");
    const reply = JSON.parse(result.stdout) as { nodes: string[]; slots: Record<string, number>; values: Record<string, string> };
    expect(reply.nodes).toEqual([`${privateIp}:6379`]);
    expect(new Set(Object.values(reply.slots)).size).toBe(4); // the two {user:42} keys share a slot
    for (const [key, value] of Object.entries(reply.values)) expect(value).toBe(`value-of-${key}`);
    // redis-cli in cluster mode (follows MOVED/ASK) reads what the Python client wrote.
    expect(tlsCli("-c", "GET", "tracker:beta")).toBe("value-of-tracker:beta");
    expect(tlsCli("-c", "SET", "tracker:delta", "4")).toBe("OK");
    expect(tlsCli("-c", "GET", "tracker:delta")).toBe("4");
    // Cluster mode, as on MemoryDB: only database 0, and multi-key commands stay within one slot.
    expect(tlsCli("SELECT", "1")).toMatch(/SELECT is not allowed in cluster mode/);
    expect(tlsCli("MGET", "tracker:alpha", "tracker:beta")).toMatch(/CROSSSLOT/);
  });

  it("DB-9: assigning the slots is idempotent, survives a restart, and repairs slots that went missing", async (ctx) => {
    needTools(ctx, tools, true);
    const again = valkeyScript("cluster-init");
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).not.toContain("assigning slots");
    const nodeId = tlsCli("CLUSTER", "MYID");

    await stopValkey();
    await startValkey();
    // After a restart the node keeps its identity and its slots from nodes.conf, with no step run.
    for (let i = 0; i < 50 && clusterInfo()["cluster_state"] !== "ok"; i++) await new Promise((r) => setTimeout(r, 200));
    expect(clusterInfo()["cluster_state"]).toBe("ok");
    expect(clusterInfo()["cluster_slots_assigned"]).toBe("16384");
    expect(tlsCli("CLUSTER", "MYID")).toBe(nodeId);
    expect(tlsCli("GET", "tracker:test")).toBe("hello");
    const afterRestart = valkeyScript("cluster-init");
    expect(afterRestart.status, afterRestart.stderr).toBe(0);
    expect(afterRestart.stderr).not.toContain("assigning slots");

    // Slots that went missing (by hand, or claimed one by one from older data) are assigned again.
    expect(tlsCli("CLUSTER", "DELSLOTSRANGE", "100", "199", "16000", "16383")).toBe("OK");
    const repaired = valkeyScript("cluster-init");
    expect(repaired.status, repaired.stderr).toBe(0);
    expect(repaired.stderr).toContain("assigning slots 100 199 16000 16383 to this node");
    expect(clusterInfo()["cluster_slots_assigned"]).toBe("16384");
    expect(clusterInfo()["cluster_state"]).toBe("ok");
  });

  it("DB-8, DB-9: the health probe reports PostgresUp and ValkeyUp 1 while both answer, ValkeyUp 0 while a slot is unserved or the password is wrong", async (ctx) => {
    needTools(ctx, tools, true);
    const probeEnv: Env = {
      ...env,
      POSTGRES_CONFIG_DIR: join(dir, "pgconf"),
      VALKEY_PASSWORD_FILE: join(dir, "valkey-password"),
      DATA_MOUNT: dir,
    };
    type Metric = { MetricName: string; Value: number; Unit: string; Dimensions: Array<{ Name: string; Value: string }> };
    const probe = (extra: Env = {}) =>
      Object.fromEntries((JSON.parse(ok(join(bin, "health-probe.sh"), ["--print"], { ...probeEnv, ...extra })) as Metric[]).map((m) => [m.MetricName, m]));
    const up = probe();
    expect(up["PostgresUp"]?.Value).toBe(1);
    expect(up["ValkeyUp"]?.Value).toBe(1);
    expect(up["RootVolumeUsedPercent"]?.Unit).toBe("Percent");
    expect(up["RootVolumeUsedPercent"]?.Value).toBeGreaterThanOrEqual(0);
    for (const metric of Object.values(up)) expect(metric.Dimensions).toEqual([{ Name: "Environment", Value: "staging" }]);

    // One slot without an owner: PING still answers, but cluster clients fail, so Valkey is down.
    expect(tlsCli("CLUSTER", "DELSLOTS", "5000")).toBe("OK");
    for (let i = 0; i < 50 && clusterInfo()["cluster_state"] !== "fail"; i++) await new Promise((r) => setTimeout(r, 100));
    expect(tlsCli("PING")).toBe("PONG");
    expect(probe()["ValkeyUp"]?.Value).toBe(0);
    expect(valkeyScript("cluster-init").status).toBe(0);
    expect(probe()["ValkeyUp"]?.Value).toBe(1);

    // A wrong password for Valkey; a CA that did not sign PostgreSQL's certificate (verify-full).
    writeFileSync(join(dir, "wrong-password"), "wrong", { mode: 0o600 });
    ok("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=another CA",
      "-days", "1", "-keyout", join(dir, "other-ca.key"), "-out", join(dir, "other-ca.crt")]);
    const refused = probe({ VALKEY_PASSWORD_FILE: join(dir, "wrong-password"), POSTGRES_CA_FILE: join(dir, "other-ca.crt") });
    expect(refused["ValkeyUp"]?.Value).toBe(0);
    expect(refused["PostgresUp"]?.Value).toBe(0);
  });
});
