/**
 * Runs the rules over stacks and applies the recorded exceptions: what remains is a failure, and
 * so is every exception that no longer matches a finding (a stale exception hides nothing and
 * would silently cover a future regression, so it must be deleted).
 */
import { PolicyContext, runRules, type Finding, type Rule, type StackUnderTest } from "./engine";
import { EXCEPTIONS, type PolicyException } from "./exceptions";
import { RULES } from "./index";

export interface ExceptedFinding {
  readonly finding: Finding;
  readonly exception: PolicyException;
}

export interface Evaluation {
  /** Findings no exception covers: each is a failure. */
  readonly failures: readonly Finding[];
  /** Findings an exception covers, with the exception. */
  readonly excepted: readonly ExceptedFinding[];
  /** Exceptions (for the evaluated stacks) that matched nothing: each is a failure. */
  readonly stale: readonly PolicyException[];
}

function getPath(config: Record<string, unknown>, path: string): unknown {
  let value: unknown = config;
  for (const key of path.split(".")) {
    if (Array.isArray(value)) value = value[0];
    if (!value || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Whether an exception applies to a stack name. */
export function exceptionAppliesToStack(exception: PolicyException, stack: string): boolean {
  return exception.stack === "*" || exception.stack === stack;
}

/** Whether an exception covers a finding. */
export function exceptionMatches(exception: PolicyException, finding: Finding, context: PolicyContext): boolean {
  if (exception.ruleId !== finding.ruleId) return false;
  if (!exceptionAppliesToStack(exception, finding.stack)) return false;
  const target = exception.target;
  if ("address" in target) return target.address === finding.address;
  if (target.resourceType !== finding.resourceType) return false;
  const resource = context.byAddr(finding.address);
  if (!resource) return false;
  if (target.property) {
    const actual = getPath(resource.config, target.property.path);
    if (typeof actual !== "string") return false;
    if (target.property.equals !== undefined && actual !== target.property.equals) return false;
    if (target.property.matches !== undefined && !target.property.matches.test(actual)) return false;
  }
  return true;
}

export function evaluate(
  stacks: readonly StackUnderTest[],
  rules: readonly Rule[] = RULES,
  exceptions: readonly PolicyException[] = EXCEPTIONS,
): Evaluation {
  const failures: Finding[] = [];
  const excepted: ExceptedFinding[] = [];
  const used = new Set<PolicyException>();
  for (const stack of stacks) {
    const context = new PolicyContext(stack);
    for (const finding of runRules(stack, rules)) {
      const exception = exceptions.find((e) => exceptionMatches(e, finding, context));
      if (exception) {
        used.add(exception);
        excepted.push({ finding, exception });
      } else {
        failures.push(finding);
      }
    }
  }
  const evaluated = stacks.map((s) => s.name);
  const stale = exceptions.filter((e) => !used.has(e) && (e.stack === "*" || evaluated.includes(e.stack)));
  return { failures, excepted, stale };
}

/** One line per finding, for assertion messages and the report. */
export function formatFinding(f: Finding): string {
  return `${f.stack}: ${f.ruleId} (${f.mirrors.join(", ")}) ${f.address}: ${f.message}`;
}

export function formatException(e: PolicyException): string {
  const target = "address" in e.target ? e.target.address : `${e.target.resourceType}${e.target.property ? `[${e.target.property.path}=${e.target.property.equals ?? e.target.property.matches}]` : ""}`;
  return `${e.stack}: ${e.ruleId} ${target}`;
}
