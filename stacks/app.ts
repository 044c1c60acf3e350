/**
 * Builds every stack of the project from the environment definitions: one `TrackerStack` per
 * environment and one `BootstrapStack` per account. Validation runs first, so invalid
 * configuration throws before any construct exists and nothing is written.
 */
import { App } from "../src/cdktf";
import { ENVIRONMENTS, PROJECT_DEFINITION } from "../src/config/environments";
import { SERVICE_CATALOG } from "../src/config/service-catalog";
import type { EnvironmentDefinition, ProjectDefinition, ServiceDefinition } from "../src/config/types";
import { validateEnvironments } from "../src/config/validate";
import { BootstrapStack } from "./bootstrap-stack";
import { TrackerStack } from "./tracker-stack";

export interface BuildAppOptions {
  /** @default ENVIRONMENTS */
  readonly environments?: readonly EnvironmentDefinition[];
  /** @default SERVICE_CATALOG */
  readonly catalog?: readonly ServiceDefinition[];
  /** @default PROJECT_DEFINITION */
  readonly project?: ProjectDefinition;
  /** @default - cdktf's default (`cdktf.out`, or what the CLI passes) */
  readonly outdir?: string;
  /**
   * Keep the bootstrap stacks' state in this directory (absolute) for their very first apply
   * (README "First bootstrap"). @default - the S3 state backend
   */
  readonly bootstrapLocalStateDirectory?: string;
}

/** Validates the configuration, then builds the App with every stack. Throws ConfigValidationError. */
export function buildApp(options: BuildAppOptions = {}): App {
  const environments = options.environments ?? ENVIRONMENTS;
  const catalog = options.catalog ?? SERVICE_CATALOG;
  const project = options.project ?? PROJECT_DEFINITION;
  validateEnvironments(environments, catalog, project);
  const app = new App(options.outdir ? { outdir: options.outdir } : {});
  for (const environment of environments) {
    new BootstrapStack(app, {
      environment,
      project,
      ...(options.bootstrapLocalStateDirectory !== undefined
        ? { localStateDirectory: options.bootstrapLocalStateDirectory }
        : {}),
      catalog,
    });
    new TrackerStack(app, { environment, catalog });
  }
  return app;
}
