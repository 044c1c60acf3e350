/**
 * The name of an ALB target group (EDGE-6). AWS allows 32 characters; `tracker-production-frontend`
 * is 27. Target groups are `create_before_destroy` (a replaced group must exist before the listener
 * rule and the ECS service move to it), so two generations must not share a name: the name ends in
 * a short fingerprint of the settings that force replacement (port, protocol, target type). A
 * change of those gives a new name; anything else keeps it.
 *
 * DLV-1: a public service has a second, alternate target group for ECS's canary deployments. Its
 * name has the same base (ECS swaps the two groups' roles with every deployment anyway, so neither
 * is "the" primary for long) and a fingerprint that also covers the role, so the twins never share a
 * name; the `Name` tag says which is which. (A `-alt` in the name would not fit 32 characters in
 * every environment, and names must follow one scheme in all of them, ACC-3.)
 */
import { createHash } from "node:crypto";
import { resourceName } from "../config/naming";
import type { EnvironmentName, ServiceName } from "../config/types";

/** The longest name AWS accepts for a target group. */
export const TARGET_GROUP_NAME_MAX = 32;

/** The settings of a target group whose change replaces it. */
export interface TargetGroupIdentity {
  readonly port: number;
  readonly protocol: string;
  readonly targetType: string;
}

/** Which of a service's two target groups (DLV-1). */
export type TargetGroupRole = "primary" | "alternate";

/**
 * `tracker-<env>-<service>-<4 hex>`, the base cut (never the fingerprint) to fit 32 characters; the
 * fingerprint of the alternate group also covers its role.
 */
export function targetGroupName(
  env: EnvironmentName,
  service: ServiceName,
  identity: TargetGroupIdentity,
  role: TargetGroupRole = "primary",
): string {
  const fingerprint = createHash("sha256")
    .update(`${identity.protocol}:${identity.port}:${identity.targetType}${role === "alternate" ? ":alternate" : ""}`)
    .digest("hex")
    .slice(0, 4);
  const room = TARGET_GROUP_NAME_MAX - fingerprint.length - 1;
  const base = resourceName(env, service).slice(0, room).replace(/-+$/, "");
  return `${base}-${fingerprint}`;
}
