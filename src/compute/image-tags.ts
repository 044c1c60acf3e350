/**
 * Image tags as deployment inputs (ECS-11): one Terraform variable per catalog service, named
 * `imageTagVariableName(service)` (e.g. `image_tag_tracker_fetcher`). CI sets each one as
 * `TF_VAR_image_tag_<service>` (the commit SHA of a fresh build, or the tag the service runs now for
 * an infrastructure-only deploy: scripts/current-image-tags.ts). There is deliberately no default:
 * synth needs no values, and a plan without a tag fails instead of silently deploying something.
 *
 * Terraform owns the task definitions (docs/DESIGN.md "Who owns the task definition").
 */
import { Fn, TerraformVariable, Token } from "../cdktf";
import { Construct } from "constructs";
import { imageTagVariableName } from "../config/naming";
import type { EnvironmentDefinition, ServiceDefinition, ServiceName } from "../config/types";

/** Docker's tag grammar (the same as scripts/lib/image-tags.ts checks on the CI side). */
export const IMAGE_TAG_PATTERN = "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$";

export interface ImageTagsProps {
  readonly environment: EnvironmentDefinition;
  /** The services that get a tag variable. */
  readonly catalog: readonly ServiceDefinition[];
}

export class ImageTags extends Construct {
  /** The Terraform variable of each service, by service name. */
  readonly variables: Readonly<Partial<Record<ServiceName, TerraformVariable>>>;

  constructor(scope: Construct, id: string, props: ImageTagsProps) {
    super(scope, id);
    const production = props.environment.name === "production";
    const variables: Partial<Record<ServiceName, TerraformVariable>> = {};
    for (const service of props.catalog) {
      const name = imageTagVariableName(service.name);
      const variable = new TerraformVariable(this, name, {
        type: "string",
        description:
          `Image tag of ${service.name} in ${props.environment.name} (the commit SHA built by CI); ` +
          `pass it as TF_VAR_${name}.`,
        nullable: false,
      });
      // CI passes TF_VAR_<name>: the variable's name must be exactly `name`, not a hashed path.
      variable.overrideLogicalId(name);
      variable.addValidation({
        condition: Token.asString(Fn.can(Fn.regex(IMAGE_TAG_PATTERN, variable.stringValue))),
        errorMessage: `${name} must be a Docker image tag (${IMAGE_TAG_PATTERN}), such as the commit SHA.`,
      });
      if (production) {
        variable.addValidation({
          condition: `\${${variableAddress(name)} != "latest"}`,
          errorMessage: `${name} must not be "latest" in production (ECS-11); deploy the commit SHA.`,
        });
      }
      variables[service.name] = variable;
    }
    this.variables = variables;
  }

  /** The image tag of a service: a reference to its Terraform variable. */
  tagOf(service: ServiceName): string {
    const variable = this.variables[service];
    if (!variable) throw new Error(`ImageTags: no image tag variable for service "${service}"`);
    return variable.stringValue;
  }
}

function variableAddress(name: string): string {
  return `var.${name}`;
}
