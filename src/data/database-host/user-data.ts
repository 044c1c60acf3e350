/**
 * The cloud-init user data of the staging database host (DB-4..DB-8), rendered from the real files
 * in `./files` (scripts, configuration templates, systemd units) and a few typed parameters.
 *
 * The parameters only ever land in one generated file, `/etc/tracker-db/host.env`, which every
 * script sources; scripts and templates are embedded verbatim. No secret value is a parameter:
 * the host reads its passwords from Secrets Manager at boot (DB-7).
 *
 * Three outputs:
 * - `databaseHostUserDataBase64Gzip(params)`: what the instance uses, for `user_data_base64`
 *   (EC2 allows 16 KB; gzip'd it is about 11.6 KB): Terraform computes
 *   `base64gzip(join("", [base64decode("<literal>"), <token>, ...]))`. Not `Fn.base64gzip(text)`:
 *   see that function's comment.
 * - `renderDatabaseHostUserData(params)` (target `terraform`): one string for a plain Terraform
 *   attribute (`user_data`), where Terraform would interpret `${...}` and `%{...}`. Every literal
 *   `${` / `%{` of the files is escaped to `$${` / `%%{` BEFORE the parameters are substituted, so
 *   that cdktf tokens (themselves `${...}`) stay live.
 * - `renderDatabaseHostUserData(params, { target: "plain" })`: exactly what the host receives, with
 *   concrete values, for `cloud-init schema`, `shellcheck` and the other offline tests. Tokens are
 *   rejected here.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Fn, Token } from "../../cdktf";
import type { DatabaseVersions, EnvironmentName } from "../../config/types";
import { POSTGRES_PORT, VALKEY_PORT } from "../../network/security-groups";

/** Where the files the host runs live in this repository. */
export const DATABASE_HOST_FILES_DIR = path.join(__dirname, "files");

/**
 * The operating system of the host: Ubuntu 22.04 LTS (jammy) on arm64, the base of production's
 * `timescale/timescaledb-ha` Patroni image (see docs/DESIGN.md "Database host: installation method").
 */
export const DATABASE_HOST_OS = {
  name: "Ubuntu",
  version: "22.04",
  codename: "jammy",
  /** Canonical's public SSM parameter that always names the current AMI. */
  amiParameter: "/aws/service/canonical/ubuntu/server/22.04/stable/current/arm64/hvm/ebs-gp2/ami-id",
} as const;

/**
 * The Valkey release installed for each `DatabaseVersions.valkey` (major.minor): Valkey publishes
 * checksummed binary tarballs per Ubuntu release and architecture on download.valkey.io.
 */
export const VALKEY_RELEASES: Readonly<Record<string, string>> = {
  "8.0": "8.0.11",
};

/** The CloudWatch metrics the host's health probe publishes every minute (DB-8). */
export const DATABASE_HOST_METRICS = {
  namespace: "Tracker/DatabaseHost",
  /** The only dimension: stable across instance replacement, so alarms keep working. */
  dimensionName: "Environment",
  postgresUp: "PostgresUp",
  valkeyUp: "ValkeyUp",
  dataVolumeUsedPercent: "DataVolumeUsedPercent",
  rootVolumeUsedPercent: "RootVolumeUsedPercent",
} as const;

/** Parameters of the user data. Any string may be a cdktf token (`terraform` target only). */
export interface DatabaseHostUserDataParams {
  readonly environment: EnvironmentName;
  readonly region: string;
  readonly versions: DatabaseVersions;
  /** The EBS data volume the host attaches itself (`vol-...`). */
  readonly dataVolumeId: string;
  /** The fixed private IP of the host's network interface: listen address and certificate SAN. */
  readonly privateIp: string;
  readonly databaseName: string;
  readonly databaseUser: string;
  /** Secrets Manager ARN of the application's PostgreSQL password. */
  readonly postgresPasswordSecretArn: string;
  /** Secrets Manager ARN of the Valkey password. */
  readonly redisPasswordSecretArn: string;
  /** Parameter Store name the host publishes its CA certificate (PEM) to. */
  readonly caCertificateParameterName: string;
  /**
   * The private application subnets allowed in `pg_hba.conf`. Each element a CIDR or a string
   * token; a list token cannot be split here.
   */
  readonly applicationSubnetCidrs: readonly string[];
  /** The VPC-internal DNS namespace, e.g. `staging.tracker.internal`; names `db.` and `redis.` in it. */
  readonly internalNamespace: string;
  /** @default DATABASE_HOST_METRICS.namespace */
  readonly metricNamespace?: string;
  /** Valkey release (major.minor.patch). @default VALKEY_RELEASES[versions.valkey] */
  readonly valkeyRelease?: string;
  /** SHA-256 of the Valkey tarball, checked instead of the published checksum file. @default - published checksum */
  readonly valkeySha256?: string;
  /** Valkey `maxmemory`. @default "1gb" */
  readonly valkeyMaxMemory?: string;
}

export type UserDataTarget = "terraform" | "plain";

export interface RenderOptions {
  /** @default "terraform" */
  readonly target?: UserDataTarget;
}

/** One file written by cloud-init: repository source (below `files/`), host path, mode. */
interface ManagedFile {
  readonly source: string;
  readonly path: string;
  readonly permissions: "0644" | "0755";
}

const BIN = "/opt/tracker-db/bin";
const TEMPLATES = "/opt/tracker-db/templates";
const UNITS = "/etc/systemd/system";

/** Every file the host runs, in the order cloud-init writes them. */
export const DATABASE_HOST_FILES: readonly ManagedFile[] = [
  { source: "lib.sh", path: `${BIN}/lib.sh`, permissions: "0644" },
  { source: "bootstrap.sh", path: `${BIN}/bootstrap.sh`, permissions: "0755" },
  { source: "sync-user-data-files.py", path: `${BIN}/sync-user-data-files.py`, permissions: "0755" },
  { source: "install-packages.sh", path: `${BIN}/install-packages.sh`, permissions: "0755" },
  { source: "ensure-data-volume.sh", path: `${BIN}/ensure-data-volume.sh`, permissions: "0755" },
  { source: "tls.sh", path: `${BIN}/tls.sh`, permissions: "0755" },
  { source: "configure-postgres.sh", path: `${BIN}/configure-postgres.sh`, permissions: "0755" },
  { source: "configure-valkey.sh", path: `${BIN}/configure-valkey.sh`, permissions: "0755" },
  { source: "health-probe.sh", path: `${BIN}/health-probe.sh`, permissions: "0755" },
  { source: "apt/pgdg.list", path: `${TEMPLATES}/apt/pgdg.list`, permissions: "0644" },
  { source: "apt/timescaledb.list", path: `${TEMPLATES}/apt/timescaledb.list`, permissions: "0644" },
  { source: "apt/tracker-db.pref", path: `${TEMPLATES}/apt/tracker-db.pref`, permissions: "0644" },
  { source: "postgresql/postgresql.conf", path: `${TEMPLATES}/postgresql/postgresql.conf`, permissions: "0644" },
  { source: "postgresql/pg_hba.conf", path: `${TEMPLATES}/postgresql/pg_hba.conf`, permissions: "0644" },
  { source: "valkey/valkey.conf", path: `${TEMPLATES}/valkey/valkey.conf`, permissions: "0644" },
  ...[
    "tracker-db-bootstrap.service",
    "tracker-postgresql.service",
    "tracker-valkey.service",
    "tracker-db-health.service",
    "tracker-db-health.timer",
  ].map((unit): ManagedFile => ({ source: `systemd/${unit}`, path: `${UNITS}/${unit}`, permissions: "0644" })),
];

/** The file all scripts source; the only place parameters appear. */
export const HOST_ENV_PATH = "/etc/tracker-db/host.env";

/** Terraform template escaping of literal text (never of tokens). */
export function escapeTerraformTemplate(text: string): string {
  // A replacer function: in a replacement *string*, "$$" would collapse to "$".
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/** The `host.env` settings, by variable name, in a stable order. */
export function hostEnvironment(params: DatabaseHostUserDataParams): ReadonlyArray<readonly [string, string]> {
  const valkeyRelease = params.valkeyRelease ?? VALKEY_RELEASES[params.versions.valkey];
  if (valkeyRelease === undefined) {
    throw new Error(
      `databaseVersions.valkey: no Valkey release is known for "${params.versions.valkey}"; ` +
        `add it to VALKEY_RELEASES in src/data/database-host/user-data.ts or pass valkeyRelease`,
    );
  }
  if (params.applicationSubnetCidrs.length === 0) {
    throw new Error("applicationSubnetCidrs: at least one application subnet must reach PostgreSQL");
  }
  for (const cidr of params.applicationSubnetCidrs) {
    if (cidr.includes("#{TfToken")) {
      throw new Error("applicationSubnetCidrs: pass one string (or string token) per CIDR, not a list token");
    }
  }
  return [
    ["TRACKER_ENVIRONMENT", params.environment],
    ["AWS_REGION", params.region],
    ["AWS_DEFAULT_REGION", params.region],
    ["UBUNTU_CODENAME", DATABASE_HOST_OS.codename],
    ["POSTGRES_MAJOR", params.versions.postgres],
    ["TIMESCALEDB_VERSION", params.versions.timescaledb],
    ["POSTGIS_VERSION", params.versions.postgis],
    ["VALKEY_VERSION", valkeyRelease],
    ["VALKEY_SHA256", params.valkeySha256 ?? ""],
    ["VALKEY_MAXMEMORY", params.valkeyMaxMemory ?? "1gb"],
    ["DATA_VOLUME_ID", params.dataVolumeId],
    ["PRIVATE_IP", params.privateIp],
    // The ports the security groups open (and the runtime parameters publish) are the ones the
    // servers listen on.
    ["POSTGRES_PORT", String(POSTGRES_PORT)],
    ["VALKEY_PORT", String(VALKEY_PORT)],
    ["DB_HOSTNAME", `db.${params.internalNamespace}`],
    ["REDIS_HOSTNAME", `redis.${params.internalNamespace}`],
    ["DATABASE_NAME", params.databaseName],
    ["DATABASE_USER", params.databaseUser],
    ["APPLICATION_SUBNET_CIDRS", params.applicationSubnetCidrs.join(" ")],
    ["POSTGRES_PASSWORD_SECRET_ARN", params.postgresPasswordSecretArn],
    ["REDIS_PASSWORD_SECRET_ARN", params.redisPasswordSecretArn],
    ["CA_CERTIFICATE_PARAMETER_NAME", params.caCertificateParameterName],
    ["METRIC_NAMESPACE", params.metricNamespace ?? DATABASE_HOST_METRICS.namespace],
  ];
}

function readSource(source: string): string {
  return readFileSync(path.join(DATABASE_HOST_FILES_DIR, source), "utf8");
}

/**
 * Drops full-line comments (keeping the shebang and `# shellcheck` directives) and repeated blank
 * lines, to keep the gzip'd user data well below EC2's 16 KB. The repository keeps the comments.
 */
export function stripComments(content: string): string {
  const kept = content.split("\n").filter((line, index) => {
    if (index === 0 && line.startsWith("#!")) return true;
    return !/^\s*#/.test(line) || /^\s*# shellcheck /.test(line);
  });
  return kept.join("\n").replace(/\n{3,}/g, "\n\n").replace(/^\n+/, "");
}

/** A `write_files` entry whose content is a YAML literal block. */
function writeFileEntry(filePath: string, permissions: string, content: string): string {
  if (/^[ \t]/.test(content)) {
    throw new Error(`${filePath}: content must not start with whitespace (YAML literal block)`);
  }
  const body = content
    .replace(/\n$/, "")
    .split("\n")
    .map((line) => (line === "" ? "" : `      ${line}`))
    .join("\n");
  return [`  - path: ${filePath}`, `    permissions: '${permissions}'`, "    owner: root:root", "    content: |", body].join(
    "\n",
  );
}

/** A piece of the user data: literal text, or a setting's value (possibly a token). */
type Segment = { readonly literal: string } | { readonly value: string; readonly name: string };

/** The user data as literal text and the settings' values, in order. */
function renderSegments(params: DatabaseHostUserDataParams): Segment[] {
  const settings = hostEnvironment(params);
  const hostEnv =
    "# Settings of the tracker database host, written by cloud-init from the Terraform user data.\n" +
    "# No secret values: passwords are read from Secrets Manager at boot.\n" +
    settings.map(([name]) => `${name}='{{${name}}}'`).join("\n") +
    "\n";
  const entries = [
    writeFileEntry(HOST_ENV_PATH, "0644", hostEnv),
    ...DATABASE_HOST_FILES.map((file) => writeFileEntry(file.path, file.permissions, stripComments(readSource(file.source)))),
  ];
  const template = readSource("cloud-config.yaml");
  if (!template.includes("{{WRITE_FILES}}")) {
    throw new Error("cloud-config.yaml: the {{WRITE_FILES}} marker is missing");
  }
  const text = template.replace("{{WRITE_FILES}}", () => entries.join("\n"));

  const values = new Map(settings);
  for (const [name, value] of settings) {
    if (!Token.isUnresolved(value) && (/['\n\\]/.test(value) || value.includes("${") || value.includes("%{"))) {
      throw new Error(`${name}: ${JSON.stringify(value)} cannot be written to host.env`);
    }
  }
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(/\{\{([A-Z][A-Z0-9_]*)\}\}/g)) {
    const name = match[1]!;
    const value = values.get(name);
    if (value === undefined) throw new Error(`cloud-config: unknown placeholder {{${name}}}`);
    segments.push({ literal: text.slice(last, match.index) }, { name, value });
    last = match.index + match[0].length;
  }
  segments.push({ literal: text.slice(last) });
  return segments;
}

/**
 * The user data of the database host (`#cloud-config`) as one string.
 * @param params typed parameters; strings may be tokens when `target` is `terraform`
 * @param options `target: "plain"` for the unescaped text the host runs (tests); `terraform` for a
 *   plain Terraform string attribute such as `user_data` (literal `${`/`%{` escaped, tokens live)
 */
export function renderDatabaseHostUserData(params: DatabaseHostUserDataParams, options: RenderOptions = {}): string {
  const target = options.target ?? "terraform";
  return renderSegments(params)
    .map((segment) => {
      if ("literal" in segment) return target === "terraform" ? escapeTerraformTemplate(segment.literal) : segment.literal;
      if (target === "plain" && Token.isUnresolved(segment.value)) {
        throw new Error(`${segment.name}: the plain user data needs a concrete value, got a token`);
      }
      return segment.value;
    })
    .join("");
}

/** cdktf's encoding of a string token inside a string. */
const TOKEN_PATTERN = /\$\{TfToken\[[^\]]+\]\}/g;

/**
 * The user data for `user_data_base64`: `base64gzip(join("", [base64decode("<literal>"), <token>,
 * ...]))`, evaluated by Terraform.
 *
 * Why not `Fn.base64gzip(renderDatabaseHostUserData(params))`: inside a function call cdktf writes
 * the text as an HCL string literal, escapes `${` itself (a pre-escaped `$${` would reach the host as
 * `$${`), leaves `%{`, `"` and `\` alone, and refuses unescaped double quotes. Base64 literals need no
 * escaping at all, and the tokens stay plain references.
 */
export function databaseHostUserDataBase64Gzip(params: DatabaseHostUserDataParams): string {
  // Concrete values join the literal text; only tokens stay separate list elements.
  const parts: string[] = [];
  let literal = "";
  const flush = () => {
    if (literal !== "") parts.push(Fn.base64decode(Buffer.from(literal, "utf8").toString("base64")));
    literal = "";
  };
  for (const segment of renderSegments(params)) {
    const text = "literal" in segment ? segment.literal : segment.value;
    let last = 0;
    for (const match of text.matchAll(TOKEN_PATTERN)) {
      literal += text.slice(last, match.index);
      flush();
      parts.push(match[0]);
      last = match.index + match[0].length;
    }
    literal += text.slice(last);
  }
  flush();
  return Fn.base64gzip(parts.length === 1 ? parts[0]! : Fn.join("", parts));
}
