/**
 * Runs the rules over stacks and applies the recorded exceptions: what remains is a failure, and
 * so is every exception address that no longer matches a finding (a stale exception hides nothing
 * and would silently cover a future regression, so it must be deleted).
 */
import { runRules, type Finding, type Rule, type StackUnderTest } from "./engine";
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
  /**
   * Exceptions (for the evaluated stacks) with an address that matched nothing, narrowed to those
   * addresses: each is a failure.
   */
  readonly stale: readonly PolicyException[];
}

/** Whether an exception applies to a stack name. */
export function exceptionAppliesToStack(exception: PolicyException, stack: string): boolean {
  return exception.stack === "*" || exception.stack === stack;
}

/** Whether an exception covers a finding. */
export function exceptionMatches(exception: PolicyException, finding: Finding): boolean {
  if (exception.ruleId !== finding.ruleId) return false;
  if (!exceptionAppliesToStack(exception, finding.stack)) return false;
  return exception.target.addresses.includes(finding.address);
}

export function evaluate(
  stacks: readonly StackUnderTest[],
  rules: readonly Rule[] = RULES,
  exceptions: readonly PolicyException[] = EXCEPTIONS,
): Evaluation {
  const failures: Finding[] = [];
  const excepted: ExceptedFinding[] = [];
  const used = new Map<PolicyException, Set<string>>();
  for (const stack of stacks) {
    for (const finding of runRules(stack, rules)) {
      const exception = exceptions.find((e) => exceptionMatches(e, finding));
      if (exception) {
        used.set(exception, (used.get(exception) ?? new Set()).add(finding.address));
        excepted.push({ finding, exception });
      } else {
        failures.push(finding);
      }
    }
  }
  const evaluated = stacks.map((s) => s.name);
  const stale = exceptions
    .filter((e) => e.stack === "*" || evaluated.includes(e.stack))
    .map((e) => ({ ...e, target: { addresses: e.target.addresses.filter((a) => !used.get(e)?.has(a)) } }))
    .filter((e) => e.target.addresses.length > 0);
  return { failures, excepted, stale };
}

/** One line per finding, for assertion messages and the report. */
export function formatFinding(f: Finding): string {
  return `${f.stack}: ${f.ruleId} (${f.mirrors.join(", ")}) ${f.address}: ${f.message}`;
}

export function formatException(e: PolicyException): string {
  return `${e.stack}: ${e.ruleId} ${e.target.addresses.join(", ")}`;
}
