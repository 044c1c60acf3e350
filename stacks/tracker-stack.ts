/**
 * One environment's stack (ACC-1): network -> data -> edge -> services -> observability.
 * Each concern is a construct from `src/`; this file only wires their typed outputs together.
 */
import type { Construct } from "constructs";
import { TerraformStack } from "../src/cdktf";
import { environmentStackName } from "../src/config/naming";
import { SERVICE_CATALOG } from "../src/config/service-catalog";
import type { EnvironmentDefinition, ServiceDefinition } from "../src/config/types";
import { EnvironmentKey } from "../src/encryption/environment-key";
import { AdoptedNetwork } from "../src/network/adopted-network";
import { CreatedNetwork } from "../src/network/created-network";
import type { Network } from "../src/network/network";
import { SecurityGroupMatrix } from "../src/network/security-groups";
import { awsProvider, cloudflareProvider, stateBackend } from "./providers";

export interface TrackerStackProps {
  readonly environment: EnvironmentDefinition;
  /** @default - the service catalog */
  readonly catalog?: readonly ServiceDefinition[];
}

export class TrackerStack extends TerraformStack {
  readonly environment: EnvironmentDefinition;
  readonly key: EnvironmentKey;
  readonly network: Network;
  readonly securityGroups: SecurityGroupMatrix;

  constructor(scope: Construct, props: TrackerStackProps, id: string = environmentStackName(props.environment.name)) {
    super(scope, id);
    const env = props.environment;
    const catalog = props.catalog ?? SERVICE_CATALOG;
    this.environment = env;

    awsProvider(this, env);
    cloudflareProvider(this);
    stateBackend(this, env, id);

    // --- encryption -----------------------------------------------------------------------------
    this.key = new EnvironmentKey(this, "key", { environment: env });

    // --- network (NET-*) ------------------------------------------------------------------------
    this.network =
      env.network.mode === "create"
        ? new CreatedNetwork(this, "network", { environment: env, definition: env.network, kmsKeyArn: this.key.arn })
        : new AdoptedNetwork(this, "network", { environment: env, definition: env.network, kmsKeyArn: this.key.arn });

    // --- security groups (SG-*) -----------------------------------------------------------------
    this.securityGroups = new SecurityGroupMatrix(this, "security-groups", {
      environment: env.name,
      vpcId: this.network.vpcId,
      catalog,
      dataPlane: env.dataPlane,
    });

    // --- runtime configuration: secrets and parameters (CFG-*) ----------------------------------

    // --- image repositories (ECR-*) -------------------------------------------------------------

    // --- data plane: staging database host (DB-*) or production's external endpoints (PRD-2) ----

    // --- internal names (ECS-8) -----------------------------------------------------------------

    // --- alarm topic (OBS-2) --------------------------------------------------------------------

    // --- edge: certificate, load balancer, public DNS (EDGE-*) ----------------------------------

    // --- cluster and services (ECS-*, EFS-*) ----------------------------------------------------

    // --- alarms (OBS-*) -------------------------------------------------------------------------
  }
}
