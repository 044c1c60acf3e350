/**
 * Synthesizes stacks for the tests, once per stack per test file (ARCHITECTURE.md "Tests"), and
 * helpers to read the synthesized JSON by resource type and property rather than by hashed name.
 */
import { beforeEach } from "vitest";
import { getCurrentTest } from "vitest/suite";
import { BootstrapStack } from "../../stacks/bootstrap-stack";
import { TrackerStack } from "../../stacks/tracker-stack";
import { TerraformStack, Testing } from "../../src/cdktf";
import { awsProvider } from "../../stacks/providers";
import { ENVIRONMENTS, PROJECT_DEFINITION } from "../../src/config/environments";
import type { EnvironmentDefinition, EnvironmentName } from "../../src/config/types";

/** A synthesized cdk.tf.json. */
export interface SynthesizedStack {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly terraform?: Record<string, unknown>;
  readonly provider?: Record<string, unknown[]>;
  readonly variable?: Record<string, Record<string, unknown>>;
  readonly output?: Record<string, Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/**
 * Synthesized stacks, shared by every test file a vitest worker runs (vitest.config.ts: `isolate:
 * false`). Each is deep-frozen, so a test that changes one throws instead of changing what the next
 * file reads: copy it (`structuredClone`) to build a variant.
 */
type Synthesized = { readonly json: SynthesizedStack } | { readonly error: unknown };
let cache = new WeakMap<EnvironmentDefinition, Map<string, Synthesized>>();

let cacheTag: string | undefined;

/** Empties the cache (Stryker's initial run: each file synthesizes, so its tests count as covering the code). */
export function clearSynthCache(): void {
  cache = new WeakMap();
  cacheTag = undefined;
}

/** Keeps the cache while `tag` (Stryker's active mutant) stays the same; empties it when it changes. */
export function keepSynthCacheFor(tag: string): void {
  if (tag !== cacheTag) clearSynthCache();
  cacheTag = tag;
}

/**
 * What `build` returns; when it throws while vitest collects the file, `fallback`, and every test of
 * the file (or of the describe block it was called in) fails with the build's error. Most files build
 * their stacks while vitest collects them; a build that throws there would leave the file with no tests
 * at all, which Stryker's vitest runner counts as a surviving mutant. Inside a test it simply throws.
 */
export function builtOrFailEachTest<T>(build: () => T, fallback: T): T {
  try {
    return build();
  } catch (error) {
    if (getCurrentTest() !== undefined) throw error;
    beforeEach(() => {
      throw error;
    });
    return fallback;
  }
}

const EMPTY_STACK: SynthesizedStack = Object.freeze({});

/** The stack cached for this definition object (a variant built in one file is never another's) and key. */
function cached(env: EnvironmentDefinition, key: string, synth: () => SynthesizedStack): SynthesizedStack {
  let byKey = cache.get(env);
  if (!byKey) cache.set(env, (byKey = new Map()));
  let entry = byKey.get(key);
  if (!entry) {
    try {
      entry = { json: deepFreeze(synth()) };
    } catch (error) {
      entry = { error };
    }
    byKey.set(key, entry);
  }
  const found = entry;
  return builtOrFailEachTest(() => {
    if ("error" in found) throw found.error;
    return found.json;
  }, EMPTY_STACK);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}

export function environment(name: EnvironmentName): EnvironmentDefinition {
  const env = ENVIRONMENTS.find((e) => e.name === name);
  if (!env) throw new Error(`no environment ${name}`);
  return env;
}

/** The environment stack of a definition, synthesized once per test file (cached by `key`). */
export function synthTracker(env: EnvironmentDefinition, key: string = env.name): SynthesizedStack {
  return cached(env, `tracker:${key}`, () =>
    JSON.parse(Testing.synth(new TrackerStack(Testing.app(), { environment: env }))) as SynthesizedStack,
  );
}

/** The bootstrap stack of a definition's account, synthesized once per test file. */
export function synthBootstrap(env: EnvironmentDefinition, key: string = env.name): SynthesizedStack {
  return cached(env, `bootstrap:${key}`, () =>
    JSON.parse(
      Testing.synth(new BootstrapStack(Testing.app(), { environment: env, project: PROJECT_DEFINITION })),
    ) as SynthesizedStack,
  );
}

/** Every resource of a type: `[name, properties]` pairs. */
export function resources(stack: SynthesizedStack, type: string): [string, Record<string, any>][] {
  return Object.entries(stack.resource?.[type] ?? {}) as [string, Record<string, any>][];
}

/** Every data source of a type. */
export function dataSources(stack: SynthesizedStack, type: string): [string, Record<string, any>][] {
  return Object.entries(stack.data?.[type] ?? {}) as [string, Record<string, any>][];
}

/** The single resource of a type whose properties match `where` (throws when not exactly one). */
export function only(stack: SynthesizedStack, type: string, where: (r: Record<string, any>) => boolean = () => true): [string, Record<string, any>] {
  const found = resources(stack, type).filter(([, r]) => where(r));
  if (found.length !== 1) throw new Error(`expected one ${type} matching, found ${found.length}`);
  return found[0]!;
}

/** `${aws_vpc.network_vpc_1234.id}` -> the address `aws_vpc.network_vpc_1234`. */
export function referenceOf(type: string, name: string, attribute: string): string {
  return `\${${type}.${name}.${attribute}}`;
}

/** The `type.name` addresses an expression string refers to. */
export function referencedAddresses(expression: unknown): string[] {
  const text = typeof expression === "string" ? expression : JSON.stringify(expression);
  return [...text.matchAll(/\$\{(?:data\.)?([a-z0-9_]+\.[A-Za-z0-9_-]+)\.[a-z0-9_.[\]"*]+\}/g)].map((m) => m[1]!);
}

/** A bare stack with the environment's AWS provider holding what `build` adds, synthesized once: for construct tests. */
export function synthConstructs(env: EnvironmentDefinition, build: (stack: TerraformStack) => void): SynthesizedStack {
  const stack = new TerraformStack(Testing.app(), `constructs-${env.name}`);
  return builtOrFailEachTest(() => {
    awsProvider(stack, env);
    build(stack);
    return JSON.parse(Testing.synth(stack)) as SynthesizedStack;
  }, EMPTY_STACK);
}
