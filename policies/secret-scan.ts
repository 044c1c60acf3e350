/**
 * The secret scan (DB-7, CFG-1, CFG-3): nothing in a synthesized stack or in rendered user data
 * looks like a credential, and no container environment variable has a secret-looking name.
 *
 * Detectors (each deliberately simple, with the false-positive guards noted):
 * - private keys: `-----BEGIN ... PRIVATE KEY-----`;
 * - AWS access key IDs: `AKIA` / `ASIA` + 16 upper-case alphanumerics;
 * - password literals: `password=...`, `password: ...`, `requirepass ...`, `PGPASSWORD=...`, where the
 *   value is a literal (not `$VAR`, `${...}`, `$(...)`, `{{ ... }}`, or a placeholder like `<...>`);
 * - credentials in URLs: `scheme://user:literal@host`;
 * - attributes with a secret-looking key (password, secret_string, auth_token, private_key, ...)
 *   holding a literal, and any secret-looking key holding a long high-entropy literal.
 */
import { gunzipSync } from "node:zlib";
import type { TerraformJson } from "./engine";

export interface SecretHit {
  /** Where: `resource.aws_instance.db.user_data` or a file name. */
  readonly location: string;
  readonly kind: string;
  /** The match with its value masked. */
  readonly excerpt: string;
}

/** Segments that make an environment variable or key name secret-looking. */
const SECRET_SEGMENTS = new Set(["PASSWORD", "PASSWD", "PASS", "PWD", "SECRET", "TOKEN", "KEY", "CREDENTIAL", "CREDENTIALS", "APIKEY", "PASSPHRASE", "PRIVATE"]);

/**
 * Whether a name (env var, parameter, attribute) names a secret: its last segment is one of
 * PASSWORD, SECRET, TOKEN, KEY, ... (`SECRET_KEY`, `REDIS_PASSWORD`, `API_TOKEN`), or it contains
 * PRIVATE_KEY / SECRET_ACCESS. `ACCESS_TOKEN_EXPIRE_MINUTES` is not secret: its last segment is MINUTES.
 */
export function isSecretLookingName(name: string): boolean {
  // a bare "key" (tag keys, S3 object keys, the backend's state key) names nothing secret
  if (/^key$/i.test(name)) return false;
  const upper = name.toUpperCase().replace(/[^A-Z0-9]+/g, "_").replace(/^_|_$/g, "");
  if (/PRIVATE_?KEY|SECRET_?ACCESS|AUTH_?DATA/.test(upper)) return true;
  const segments = upper.split("_");
  return SECRET_SEGMENTS.has(segments[segments.length - 1] ?? "");
}

/** Shannon entropy in bits per character. */
export function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    h -= p * Math.log2(p);
  }
  return h;
}

const mask = (s: string) => (s.length <= 4 ? "****" : `${s.slice(0, 2)}…(${s.length})`);

/** Whether a literal value is really a reference/placeholder rather than a secret. */
function isPlaceholder(value: string): boolean {
  return (
    /^\$/.test(value) || // $VAR, ${VAR}, $(cmd)
    /^\{\{/.test(value) || // {{ template }}
    /^<.*>$/.test(value) ||
    /^%\(/.test(value) ||
    /^(null|none|true|false|required|changeme_placeholder)$/i.test(value) ||
    /^arn:aws/.test(value)
  );
}

const LINE_PATTERNS: readonly { kind: string; re: RegExp; valueGroup?: number }[] = [
  { kind: "private key", re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/g },
  { kind: "AWS access key ID", re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  {
    kind: "password literal",
    // `password=x`, `password = "x"`, `"password": "x"`, `password: x` (a colon only right after the key,
    // so that psql's `PASSWORD :'variable'` interpolation is not a literal)
    re: /\b(?:password|passwd|pgpassword|db_password|secret_key|api_key|auth_token)\b(?:["']?\s*=\s*|["']?:\s*)["']?([^\s"',;}{)]{4,})/gi,
    valueGroup: 1,
  },
  // Valkey/Redis directives, at the start of a configuration line or of a quoted string (not in comments)
  { kind: "password literal", re: /(?:^|["'`])[ \t]*(?:requirepass|masterauth)[ \t]+["']?([^\s"']{4,})/gim, valueGroup: 1 },
  // `scheme://user:secret@host`, and Valkey's `rediss://:secret@host` (no user name)
  { kind: "credentials in URL", re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"']*:([^\s@/"']{3,})@/gi, valueGroup: 1 },
];

/** Scans free text (user data, a script, one string of the JSON). */
export function scanText(text: string, location: string): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const { kind, re, valueGroup } of LINE_PATTERNS) {
    for (const m of text.matchAll(re)) {
      const value = valueGroup !== undefined ? (m[valueGroup] ?? "") : m[0];
      if (valueGroup !== undefined && isPlaceholder(value)) continue;
      hits.push({ location, kind, excerpt: valueGroup !== undefined ? m[0].replace(value, mask(value)) : mask(m[0]) });
    }
  }
  return hits;
}

/** Keys whose literal value is a secret whatever it looks like. */
const ALWAYS_SECRET_KEYS = /^(password|master_password|secret_string|secret_string_wo|secret_binary|auth_token|private_key|client_secret|api_key|access_key|secret_key|token)$/i;

/** Keys that hold identifiers or references of secrets, not secrets. */
const SECRET_METADATA_KEYS =
  /(_arn|_id|_ids|_name|_names|_length|_version|_version_id|arn|valueFrom|name|description|recovery_window_in_days|_wo_version|kms_key|creation_token|client_token|idempotency_token)$/i;

/**
 * Decodes user data for scanning: literal base64 (optionally gzip) becomes text; a Terraform
 * expression (`${base64gzip(...)}`, `${templatefile(...)}`) is returned as written, since the
 * template text it renders is inside it (or in the template file scanned separately).
 */
export function decodeUserData(value: string, base64: boolean): string {
  if (value.includes("${")) return value;
  const looksBase64 = /^[A-Za-z0-9+/=\s]+$/.test(value) && value.replace(/\s/g, "").length % 4 === 0;
  if (!base64 && !looksBase64) return value;
  try {
    const bytes = Buffer.from(value, "base64");
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) return gunzipSync(bytes).toString("utf8");
    const text = bytes.toString("utf8");
    return /[\x00-\x08\x0e-\x1f]/.test(text) ? value : text;
  } catch {
    return value;
  }
}

/** Scans every string of a synthesized stack, with key-aware checks and user data decoding. */
export function scanTerraformJson(json: TerraformJson, stack: string): SecretHit[] {
  const hits: SecretHit[] = [];
  const walk = (value: unknown, path: string[], key: string) => {
    const location = `${stack}:${path.join(".")}`;
    if (typeof value === "string") {
      let text = value;
      if (key === "user_data" || key === "user_data_base64") text = decodeUserData(value, key === "user_data_base64");
      hits.push(...scanText(text, location));
      // key-aware: a literal (no `${...}` in it) under a secret-looking key
      if (!value.includes("${") && value.trim() !== "" && !SECRET_METADATA_KEYS.test(key)) {
        if (ALWAYS_SECRET_KEYS.test(key)) {
          hits.push({ location, kind: `literal under key ${key}`, excerpt: mask(value) });
        } else if (isSecretLookingName(key) && value.length >= 16 && !/\s/.test(value) && entropy(value) >= 3.5 && !isPlaceholder(value)) {
          hits.push({ location, kind: `high-entropy literal under key ${key}`, excerpt: mask(value) });
        }
      }
      return;
    }
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, String(i)], key));
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, [...path, k], k);
  };
  walk(json, [], "");
  return hits;
}

/** Container environment entries with secret-looking names, over parsed container definitions. */
export function secretLookingEnvironmentNames(containers: readonly Record<string, unknown>[]): string[] {
  const out: string[] = [];
  for (const c of containers) {
    const env = Array.isArray(c["environment"]) ? (c["environment"] as Record<string, unknown>[]) : [];
    for (const e of env) {
      const name = String(e["name"] ?? "");
      if (isSecretLookingName(name)) out.push(`${String(c["name"])}:${name}`);
    }
  }
  return out;
}
