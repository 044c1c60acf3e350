/**
 * The policy engine: a small, dependency-free evaluator of security rules over the synthesized
 * Terraform JSON (`cdk.tf.json`) of a stack, in the spirit of cdk-nag, Checkov and Trivy.
 *
 * - A parsed stack is the `cdk.tf.json` object as Terraform reads it (`resource`, `data`, ...).
 * - A rule lists the resource types it looks at and returns one message per violation, and
 *   declares the stacks in which it must find at least one of them (`expectedIn`): a stack
 *   listed there without any subject fails, so no rule passes by having nothing to look at.
 * - `PolicyContext` gives rules what they need to look across resources: references such as
 *   `"${aws_s3_bucket.logs.id}"` resolved to the resource they name, companion resources (the
 *   `aws_s3_bucket_versioning` of a bucket, the `aws_lb_listener`s of a load balancer), container
 *   definitions and IAM policy documents parsed whatever their form (plain JSON string with
 *   interpolations, `${jsonencode(...)}`, or a `data.aws_iam_policy_document`).
 */

/** A Terraform JSON configuration block; values are JSON values possibly holding `${...}` tokens. */
export type TfConfig = Record<string, unknown>;

/** The synthesized `cdk.tf.json` of one stack. */
export interface TerraformJson {
  readonly resource?: Record<string, Record<string, TfConfig>>;
  readonly data?: Record<string, Record<string, TfConfig>>;
  readonly provider?: Record<string, TfConfig[]>;
  readonly terraform?: TfConfig;
  readonly [key: string]: unknown;
}

/** A stack under evaluation: its name (the cdktf stack ID) and its synthesized JSON. */
export interface StackUnderTest {
  readonly name: string;
  readonly json: TerraformJson;
}

/** One resource or data source of a stack. Data sources have type `data.<type>`. */
export interface TfResource {
  readonly kind: "resource" | "data";
  /** `aws_s3_bucket`, or `data.aws_iam_policy_document` for data sources. */
  readonly type: string;
  /** The Terraform name (cdktf's logical ID). */
  readonly name: string;
  /** `type.name`, as Terraform and the exceptions address it. */
  readonly address: string;
  readonly config: TfConfig;
}

/** A failed check on one resource. */
export interface Finding {
  readonly ruleId: string;
  readonly mirrors: readonly string[];
  readonly stack: string;
  readonly address: string;
  readonly resourceType: string;
  readonly message: string;
}

export interface Rule {
  /** Stable kebab-case ID; the file name under `policies/rules/`. */
  readonly id: string;
  /** The scanner IDs this rule mirrors: Checkov (CKV_AWS_*, CKV2_AWS_*), Trivy (AVD-AWS-*), Security Hub (ELB.5...), and requirement IDs. */
  readonly mirrors: readonly string[];
  readonly description: string;
  /** Resource types the rule is called for; data sources as `data.<type>`. */
  readonly resourceTypes: readonly string[];
  /**
   * The stacks (cdktf stack IDs, `policies/stacks.ts`) that must hold at least one subject of this
   * rule (a resource or data source of `resourceTypes`). Evaluated there without one, the rule
   * reports a `NO_SUBJECTS_ADDRESS` finding instead of passing vacuously. `[]`: a guard for
   * resources no stack has today.
   */
  readonly expectedIn: readonly string[];
  /** Returns one message per violation; empty when the resource complies. */
  check(resource: TfResource, context: PolicyContext): readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Small value helpers
// ---------------------------------------------------------------------------------------------

/** Terraform JSON blocks are lists of objects in cdktf output, but a hand-written one may be a bare object. */
export function blocks(value: unknown): TfConfig[] {
  // undefined and null become [undefined] / [null], which the filter drops.
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is TfConfig => typeof v === "object" && v !== null && !Array.isArray(v));
}

/** The first block of a nested block attribute (`root_block_device`, `metadata_options`, ...). */
export function block(value: unknown): TfConfig | undefined {
  return blocks(value)[0];
}

/** A string or list of strings as a list. */
export function stringList(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is string => typeof v === "string");
}

/** Terraform accepts `true` and `"true"`. */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

export function isFalse(value: unknown): boolean {
  return value === false || value === "false";
}

/** Whether a value is (or contains) an unresolved Terraform expression. */
export function isToken(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}

export function asNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------------------------

/** `${aws_s3_bucket.logs.id}`, `${data.aws_iam_policy_document.x.json}`, `aws_lb.alb.arn` inside jsonencode. */
const REFERENCE = /(?<![\w.])(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?(?:\.([A-Za-z_][\w]*))?/g;

export interface Reference {
  readonly address: string;
  readonly attribute?: string;
}

/** Every `type.name[.attr]` reference inside the `${...}` expressions of a string. */
export function referencesIn(text: string): Reference[] {
  const found: Reference[] = [];
  for (const expression of interpolations(text)) {
    for (const m of expression.matchAll(REFERENCE)) {
      const address = `${m[1] ? "data." : ""}${m[2]}.${m[3]}`;
      found.push(m[4] ? { address, attribute: m[4] } : { address });
    }
  }
  return found;
}

/** The bodies of the `${...}` interpolations of a string, braces balanced. */
export function interpolations(text: string): string[] {
  const out: string[] = [];
  let i = text.indexOf("${");
  while (i !== -1) {
    let depth = 0;
    let j = i + 1;
    let inString = false;
    for (; j < text.length; j++) {
      const c = text[j];
      if (inString) {
        if (c === "\\") j++;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === "{") depth++;
      else if (c === "}") {
        depth--;
        if (depth === 0) break;
      }
    }
    out.push(text.slice(i + 2, j));
    i = text.indexOf("${", j + 1);
  }
  return out;
}

/** Every string anywhere inside a JSON value. */
export function* stringsIn(value: unknown): Generator<string> {
  if (typeof value === "string") yield value;
  else if (Array.isArray(value)) for (const v of value) yield* stringsIn(v);
  else if (value && typeof value === "object") for (const v of Object.values(value)) yield* stringsIn(v);
}

// ---------------------------------------------------------------------------------------------
// HCL expressions as cdktf writes them: `${jsonencode({"a" = b.c.d, "e" = [1, true]})}`
// ---------------------------------------------------------------------------------------------

/**
 * Parses the literal argument of a `jsonencode(...)` (HCL object/tuple syntax with `=` or `:`),
 * keeping any non-literal sub-expression (a reference, a function call) as the string `${expr}`.
 * Throws on text it cannot read.
 */
export function parseHclLiteral(text: string): unknown {
  let pos = 0;
  const ws = () => {
    while (pos < text.length && /[\s]/.test(text[pos]!)) pos++;
  };
  const value = (): unknown => {
    ws();
    const c = text[pos];
    if (c === "{") {
      pos++;
      const obj: Record<string, unknown> = {};
      ws();
      while (text[pos] !== "}") {
        ws();
        let key: string;
        if (text[pos] === '"') key = str();
        else {
          const m = /^[\w-]+/.exec(text.slice(pos));
          if (!m) throw new Error(`HCL: bad key at ${pos}`);
          key = m[0];
          pos += key.length;
        }
        ws();
        if (text[pos] !== "=" && text[pos] !== ":") throw new Error(`HCL: expected = at ${pos}`);
        pos++;
        obj[key] = value();
        ws();
        if (text[pos] === ",") pos++;
        ws();
        if (pos >= text.length) throw new Error("HCL: unterminated object");
      }
      pos++;
      return obj;
    }
    if (c === "[") {
      pos++;
      const arr: unknown[] = [];
      ws();
      while (text[pos] !== "]") {
        arr.push(value());
        ws();
        if (text[pos] === ",") pos++;
        ws();
        if (pos >= text.length) throw new Error("HCL: unterminated tuple");
      }
      pos++;
      return arr;
    }
    if (c === '"') return str();
    const literal = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)(?=[\s,\]}]|$)/.exec(text.slice(pos));
    if (literal) {
      pos += literal[0].length;
      return JSON.parse(literal[0]);
    }
    return expression();
  };
  const str = (): string => {
    const start = pos;
    pos++;
    while (pos < text.length && text[pos] !== '"') {
      if (text[pos] === "\\") pos++;
      else if (text[pos] === "$" && text[pos + 1] === "{") {
        // an interpolation inside a template string: skip to its matching brace
        const body = interpolations(text.slice(pos))[0] ?? "";
        pos += body.length + 2;
      }
      pos++;
    }
    if (pos >= text.length) throw new Error(`HCL: unterminated string at ${start}`);
    pos++;
    const raw = text.slice(start, pos);
    try {
      return JSON.parse(raw) as string;
    } catch {
      return raw.slice(1, -1);
    }
  };
  const expression = (): string => {
    const start = pos;
    let depth = 0;
    let inString = false;
    for (; pos < text.length; pos++) {
      const c = text[pos]!;
      if (inString) {
        if (c === "\\") pos++;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if ("([{".includes(c)) depth++;
      else if (")]}".includes(c)) {
        if (depth === 0) break;
        depth--;
      } else if (c === "," && depth === 0) break;
    }
    return "${" + text.slice(start, pos).trim() + "}";
  };
  const result = value();
  ws();
  if (pos !== text.length) throw new Error(`HCL: trailing text at ${pos}`);
  return result;
}

/**
 * A JSON document held by an attribute, whatever its form: a JSON string (possibly holding
 * `${...}` interpolations), or `${jsonencode(<literal>)}`. Returns undefined when the value is
 * another expression (a reference to something computed elsewhere).
 */
export function parseJsonDocument(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") return value;
  const trimmed = value.trim();
  const encoded = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(trimmed);
  if (encoded && interpolations(trimmed).length === 1) {
    try {
      return parseHclLiteral(encoded[1]!);
    } catch {
      return undefined;
    }
  }
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// IAM policy documents, normalized
// ---------------------------------------------------------------------------------------------

export interface PolicyPrincipal {
  readonly type: string;
  readonly identifiers: readonly string[];
}

export interface PolicyCondition {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

/** One IAM statement, the same shape whether it came from JSON or from `aws_iam_policy_document`. */
export interface PolicyStatement {
  readonly effect: "Allow" | "Deny";
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  readonly principals: readonly PolicyPrincipal[];
  readonly conditions: readonly PolicyCondition[];
}

function statementsFromJson(doc: unknown): PolicyStatement[] {
  if (!doc || typeof doc !== "object") return [];
  const raw = (doc as TfConfig)["Statement"];
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list
    .filter((s): s is TfConfig => typeof s === "object" && s !== null)
    .map((s) => {
      const principal = s["Principal"];
      const principals: PolicyPrincipal[] =
        principal === "*"
          ? [{ type: "*", identifiers: ["*"] }]
          : principal && typeof principal === "object"
            ? Object.entries(principal as TfConfig).map(([type, ids]) => ({ type, identifiers: stringList(ids) }))
            : [];
      const conditions: PolicyCondition[] = [];
      const condition = s["Condition"];
      if (condition && typeof condition === "object") {
        for (const [test, vars] of Object.entries(condition as TfConfig)) {
          if (vars && typeof vars === "object") {
            for (const [variable, values] of Object.entries(vars as TfConfig)) {
              conditions.push({ test, variable, values: stringList(values) });
            }
          }
        }
      }
      return {
        effect: s["Effect"] === "Deny" ? "Deny" : "Allow",
        actions: stringList(s["Action"]),
        notActions: stringList(s["NotAction"]),
        resources: stringList(s["Resource"]),
        notResources: stringList(s["NotResource"]),
        principals,
        conditions,
      } as const;
    });
}

function statementsFromDataSource(config: TfConfig): PolicyStatement[] {
  return blocks(config["statement"]).map((s) => ({
    effect: s["effect"] === "Deny" ? "Deny" : "Allow",
    actions: stringList(s["actions"]),
    notActions: stringList(s["not_actions"]),
    resources: stringList(s["resources"]),
    notResources: stringList(s["not_resources"]),
    principals: blocks(s["principals"]).map((p) => ({
      type: String(p["type"] ?? ""),
      identifiers: stringList(p["identifiers"]),
    })),
    conditions: blocks(s["condition"]).map((c) => ({
      test: String(c["test"] ?? ""),
      variable: String(c["variable"] ?? ""),
      values: stringList(c["values"]),
    })),
  }));
}

// ---------------------------------------------------------------------------------------------
// The context a rule sees
// ---------------------------------------------------------------------------------------------

export class PolicyContext {
  private readonly byAddress = new Map<string, TfResource>();
  private readonly byType = new Map<string, TfResource[]>();
  private reverse: Map<string, [TfResource, string][]> | undefined;

  constructor(readonly stack: StackUnderTest) {
    for (const kind of ["resource", "data"] as const) {
      const section = stack.json[kind] ?? {};
      for (const [rawType, instances] of Object.entries(section)) {
        const type = kind === "data" ? `data.${rawType}` : rawType;
        for (const [name, config] of Object.entries(instances ?? {})) {
          const r: TfResource = { kind, type, name, address: `${type}.${name}`, config: config ?? {} };
          this.byAddress.set(r.address, r);
          const list = this.byType.get(type) ?? [];
          list.push(r);
          this.byType.set(type, list);
        }
      }
    }
  }

  get stackName(): string {
    return this.stack.name;
  }

  /** The `Environment` default tag of the AWS provider (ACC-5), else guessed from the stack name. */
  get environment(): string | undefined {
    for (const provider of this.stack.json.provider?.["aws"] ?? []) {
      const tags = block(provider["default_tags"])?.["tags"] as TfConfig | undefined;
      if (tags && typeof tags["Environment"] === "string") return tags["Environment"];
    }
    const m = /(staging|production)/.exec(this.stack.name);
    return m?.[1];
  }

  get isProduction(): boolean {
    return this.environment === "production";
  }

  /** Every resource (and data source, as `data.<type>`) of a type. */
  resources(type: string): TfResource[] {
    return this.byType.get(type) ?? [];
  }

  all(): TfResource[] {
    return [...this.byAddress.values()];
  }

  byAddr(address: string): TfResource | undefined {
    return this.byAddress.get(address);
  }

  /** The resources that the `${...}` expressions inside a value name. */
  referenced(value: unknown): TfResource[] {
    const out: TfResource[] = [];
    for (const s of stringsIn(value)) {
      for (const ref of referencesIn(s)) {
        const r = this.byAddress.get(ref.address);
        if (r && !out.includes(r)) out.push(r);
      }
    }
    return out;
  }

  /**
   * Where a resource is used: each `[referrer, attribute]` whose value (at any depth) references it,
   * e.g. `[aws_iam_role_policy.x, "policy"]` for a policy document.
   */
  referrers(target: TfResource): [TfResource, string][] {
    if (!this.reverse) {
      this.reverse = new Map();
      for (const candidate of this.byAddress.values()) {
        for (const [attribute, value] of Object.entries(candidate.config)) {
          for (const r of this.referenced(value)) {
            if (r === candidate) continue;
            const list = this.reverse.get(r.address) ?? [];
            list.push([candidate, attribute]);
            this.reverse.set(r.address, list);
          }
        }
      }
    }
    return this.reverse.get(target.address) ?? [];
  }

  /** The one resource a value such as `"${aws_s3_bucket.x.id}"` names. */
  resolve(value: unknown): TfResource | undefined {
    return this.referenced(value)[0];
  }

  /**
   * The resources of `type` whose `attribute` points at `target`: by reference
   * (`"${aws_s3_bucket.x.id}"`) or, for literal names, by equal value of one of `literalKeys` of
   * the target (e.g. a bucket's `bucket` name).
   */
  companions(target: TfResource, type: string, attribute: string, literalKeys: readonly string[] = []): TfResource[] {
    const literals = literalKeys.map((k) => target.config[k]).filter((v): v is string => typeof v === "string" && !isToken(v));
    return this.resources(type).filter((candidate) => {
      const value = candidate.config[attribute];
      if (this.referenced(value).includes(target)) return true;
      return typeof value === "string" && literals.includes(value);
    });
  }

  /** Parsed container definitions of an `aws_ecs_task_definition` (undefined when not readable). */
  containerDefinitions(taskDefinition: TfResource): TfConfig[] | undefined {
    const parsed = parseJsonDocument(taskDefinition.config["container_definitions"]);
    if (!Array.isArray(parsed)) return undefined;
    return parsed.filter((c): c is TfConfig => typeof c === "object" && c !== null);
  }

  /**
   * The IAM statements of a policy value: a `${data.aws_iam_policy_document.x.json}` reference
   * (including its `source_policy_documents` / `override_policy_documents`), a JSON string, or
   * `${jsonencode(...)}`. Undefined when the document cannot be read.
   */
  policyStatements(value: unknown, seen: Set<string> = new Set()): PolicyStatement[] | undefined {
    // undefined and null: parseJsonDocument gives undefined.
    if (typeof value === "string") {
      const refs = referencesIn(value);
      const whole = /^\$\{[^{}]*\}$/.test(value.trim());
      if (whole && refs.length === 1 && refs[0]!.address.startsWith("data.aws_iam_policy_document.")) {
        const doc = this.byAddress.get(refs[0]!.address);
        return doc ? this.documentStatements(doc, seen) : undefined;
      }
    }
    const parsed = parseJsonDocument(value);
    return parsed === undefined ? undefined : statementsFromJson(parsed);
  }

  /** The statements of a `data.aws_iam_policy_document`, with the documents it merges. */
  documentStatements(doc: TfResource, seen: Set<string> = new Set()): PolicyStatement[] {
    if (seen.has(doc.address)) return [];
    seen.add(doc.address);
    const merged: PolicyStatement[] = [];
    for (const key of ["source_policy_documents", "override_policy_documents"]) {
      for (const source of stringList(doc.config[key])) merged.push(...(this.policyStatements(source, seen) ?? []));
    }
    merged.push(...statementsFromDataSource(doc.config));
    return merged;
  }
}

// ---------------------------------------------------------------------------------------------
// Running rules
// ---------------------------------------------------------------------------------------------

/** The address of the finding a rule reports on a stack where it expected subjects and found none. */
export const NO_SUBJECTS_ADDRESS = "(no subjects)";

/** Every finding of every rule on one stack (no exceptions applied). */
export function runRules(stack: StackUnderTest, rules: readonly Rule[]): Finding[] {
  const context = new PolicyContext(stack);
  const findings: Finding[] = [];
  for (const rule of rules) {
    const subjects = rule.resourceTypes.reduce((n, type) => n + context.resources(type).length, 0);
    if (subjects === 0 && rule.expectedIn.includes(stack.name)) {
      findings.push({
        ruleId: rule.id,
        mirrors: rule.mirrors,
        stack: stack.name,
        address: NO_SUBJECTS_ADDRESS,
        resourceType: rule.resourceTypes.join(" | "),
        message:
          `expects at least one ${rule.resourceTypes.join(" or ")} in ${stack.name} and found none: ` +
          `it would pass by checking nothing (follow the type the stack now uses, or change expectedIn)`,
      });
    }
    for (const type of rule.resourceTypes) {
      for (const resource of context.resources(type)) {
        for (const message of rule.check(resource, context)) {
          findings.push({
            ruleId: rule.id,
            mirrors: rule.mirrors,
            stack: stack.name,
            address: resource.address,
            resourceType: resource.type,
            message,
          });
        }
      }
    }
  }
  return findings;
}
