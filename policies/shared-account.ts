/**
 * What "only this project's" means for the shared-account rules (SHR-1, SHR-2). The staging account
 * holds other projects' resources; anything that selects resources by tag, name or prefix must select
 * only ours. A value is this project's when it is
 *
 * - a reference to a resource this stack manages (`${aws_ecs_cluster.x.arn}`), or
 * - a name in the project's namespace (ACC-5): `tracker` as a whole name segment, as in
 *   `tracker-staging-db-snapshots`, `/ecs/tracker-staging/api`, `secret:tracker/staging/*`,
 *   `Project = tracker`. In a wildcard value the name must sit inside one literal part, bounded
 *   by separators there: `arn:...:log-group:/ecs/tracker-staging*` is ours, `arn:...:log-group:*`,
 *   `*tracker-*` and `*` are everyone's.
 *
 * A tag is this project's when its value is, or when its key is in the project's tag namespace
 * (`tracker:snapshot-policy`) with a literal value. `Environment = staging`, `ManagedBy = cdktf` or a
 * `Name` without the prefix are carried by other projects' resources too.
 */
import { PROJECT } from "../src/config/naming";
import { interpolations, type PolicyContext } from "./engine";

const WILDCARD = /[*?]/;
/** `tracker` as a whole segment of a name: start or a separator before it, a separator or the end after it. */
const PROJECT_SEGMENT = new RegExp(`(^|[^A-Za-z0-9])${PROJECT}([^A-Za-z0-9]|$)`);

/** What precedes the first wildcard of a value (`*` or `?` outside `${...}`), and whether it has one. */
export function beforeFirstWildcard(value: string): { readonly prefix: string; readonly wildcard: boolean } {
  let i = 0;
  while (i < value.length) {
    if (value.startsWith("${", i)) {
      i += (interpolations(value.slice(i))[0] ?? "").length + 3;
      continue;
    }
    if (value[i] === "*" || value[i] === "?") return { prefix: value.slice(0, i), wildcard: true };
    i++;
  }
  return { prefix: value, wildcard: false };
}

/** Whether a literal name is in the project's namespace (`tracker-...`, `/tracker/...`, `tracker`). */
export function isProjectName(text: string): boolean {
  return PROJECT_SEGMENT.test(text);
}

/** The literal parts of a value between its wildcards (`*`, `?` outside `${...}`). */
function literalChunks(value: string): string[] {
  const chunks: string[] = [];
  let current = "";
  let i = 0;
  while (i < value.length) {
    if (value.startsWith("${", i)) {
      const length = (interpolations(value.slice(i))[0] ?? "").length + 3;
      // A computed value may be any text, so it is never the boundary of the project's name:
      // `${var.env}tracker-*` can expand to `nottracker-*`; `${var.env}/tracker-*` keeps its `/`.
      current += "x";
      i += length;
      continue;
    }
    if (value[i] === "*" || value[i] === "?") {
      chunks.push(current);
      current = "";
    } else {
      current += value[i];
    }
    i++;
  }
  chunks.push(current);
  return chunks;
}

/**
 * Whether a selector value (a name, an ARN, a pattern) can only match this project's resources:
 * a reference to a resource of this stack before any wildcard, or the project's name as a whole
 * segment inside one literal part (`task-definition/tracker-*`, `arn:aws:ecs:*:1234:cluster/tracker-staging-*`).
 * A wildcard next to the name does not count as its boundary: `*tracker-*` also matches `nottracker-x`.
 */
export function isOwnedValue(value: unknown, ctx: PolicyContext): boolean {
  if (typeof value !== "string" || value.trim() === "") return false;
  const { prefix } = beforeFirstWildcard(value);
  if (ctx.referenced(prefix).some((r) => r.kind === "resource")) return true;
  const chunks = literalChunks(value);
  return chunks.some((chunk, i) => {
    const before = i === 0 ? "(^|[^A-Za-z0-9])" : "[^A-Za-z0-9]";
    const after = i === chunks.length - 1 ? "([^A-Za-z0-9]|$)" : "[^A-Za-z0-9]";
    return new RegExp(`${before}${PROJECT}${after}`).test(chunk);
  });
}

/** Whether a tag (as a selector) is carried only by this project's resources. */
export function isOwnedTag(key: string, value: unknown, ctx: PolicyContext): boolean {
  if (isOwnedValue(value, ctx)) return true;
  return key.startsWith(`${PROJECT}:`) && typeof value === "string" && value.trim() !== "" && !WILDCARD.test(value);
}

/** `key=value` for messages. */
export function tagText(key: string, value: unknown): string {
  return `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`;
}
