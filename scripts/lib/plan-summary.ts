/**
 * The pull-request plan summary (CD-1): counts of adds / changes / destroys per stack, read from
 * `terraform show -json` of the plan that `cdktf plan` saved, plus the full plan text folded in
 * `<details>`. The plan workflow joins one section per environment stack into a single comment.
 */

interface ResourceChange {
  readonly address?: string;
  readonly mode?: string;
  readonly change?: { readonly actions?: readonly string[] };
}

export interface PlanJson {
  readonly resource_changes?: readonly ResourceChange[];
  readonly output_changes?: Record<string, { readonly actions?: readonly string[] }>;
}

export interface PlanCounts {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  /** Replacements are also counted in `add` and `destroy`, as Terraform's own "Plan:" line does. */
  readonly replace: number;
  readonly addresses: {
    readonly create: readonly string[];
    readonly update: readonly string[];
    readonly replace: readonly string[];
    readonly delete: readonly string[];
  };
}

export function countPlan(plan: PlanJson): PlanCounts {
  const create: string[] = [];
  const update: string[] = [];
  const replace: string[] = [];
  const del: string[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === "data") continue;
    const actions = rc.change?.actions ?? [];
    const address = rc.address ?? "?";
    if (actions.includes("create") && actions.includes("delete")) replace.push(address);
    else if (actions.includes("create")) create.push(address);
    else if (actions.includes("update")) update.push(address);
    else if (actions.includes("delete")) del.push(address);
  }
  return {
    add: create.length + replace.length,
    change: update.length,
    destroy: del.length + replace.length,
    replace: replace.length,
    addresses: { create, update, replace, delete: del },
  };
}

export interface StackSection {
  readonly stack: string;
  readonly environment: string;
  /** Undefined when the plan failed. */
  readonly plan?: PlanJson;
  /** `terraform show` of the plan, or the failing command's output. */
  readonly planText: string;
  readonly failed?: boolean;
  /** Infracost's diff, when it ran. */
  readonly costText?: string;
  /** @default 28000 (two stacks fit GitHub's 65,536-character comment limit) */
  readonly maxPlanChars?: number;
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n... (truncated: ${text.length - max} more characters; the full plan is in the job log and artifact)`;
}

/** A fenced block that the plan's own text cannot close early. */
function fence(text: string, lang = ""): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const ticks = "`".repeat(longest + 1);
  return `${ticks}${lang}\n${text}\n${ticks}`;
}

export function renderStackSection(section: StackSection): string {
  const max = section.maxPlanChars ?? 28_000;
  const title = `### \`${section.stack}\` (${section.environment})`;
  if (section.failed || !section.plan) {
    return [
      title,
      "",
      "**:x: Plan failed.** The end of the output:",
      "",
      "<details><summary>Output</summary>",
      "",
      fence(truncate(section.planText.split("\n").slice(-80).join("\n"), max)),
      "",
      "</details>",
      "",
    ].join("\n");
  }
  const counts = countPlan(section.plan);
  const nothing = counts.add + counts.change + counts.destroy === 0;
  const lines = [
    title,
    "",
    nothing
      ? "**No changes.** The infrastructure matches the configuration."
      : `**${counts.add} to add, ${counts.change} to change, ${counts.destroy} to destroy**` +
        (counts.replace > 0 ? ` (of which ${counts.replace} replaced)` : ""),
    "",
  ];
  const listed: [string, readonly string[]][] = [
    [":warning: Replace", counts.addresses.replace],
    [":wastebasket: Destroy", counts.addresses.delete],
    [":sparkles: Create", counts.addresses.create],
    [":pencil2: Update", counts.addresses.update],
  ];
  for (const [label, addresses] of listed) {
    if (addresses.length === 0) continue;
    const shown = addresses.slice(0, 50).map((a) => `\`${a}\``).join(", ");
    lines.push(`- ${label} (${addresses.length}): ${shown}${addresses.length > 50 ? ", ..." : ""}`);
  }
  if (!nothing) lines.push("");
  if (section.costText) {
    lines.push("<details><summary>Cost difference (Infracost)</summary>", "", fence(section.costText), "", "</details>", "");
  }
  lines.push("<details><summary>Full plan</summary>", "", fence(truncate(section.planText, max), "hcl"), "", "</details>", "");
  return lines.join("\n");
}
