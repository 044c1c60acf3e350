/**
 * An existing VPC and its subnets, adopted instead of created (PRD-2): looked up by ID or by tags
 * (one subnet per tier and availability zone). Nothing of it is managed here except an optional flow
 * log, which is additive.
 */
import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { Construct } from "constructs";
import type { AdoptedNetworkDefinition, EnvironmentDefinition } from "../config/types";
import { FlowLogs } from "./flow-logs";
import type { Network } from "./network";

export interface AdoptedNetworkProps {
  readonly environment: EnvironmentDefinition;
  readonly definition: AdoptedNetworkDefinition;
  /** KMS key that encrypts the flow-log group. */
  readonly kmsKeyArn: string;
}

export class AdoptedNetwork extends Construct implements Network {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly publicSubnetIds: string[];
  readonly applicationSubnetIds: string[];
  readonly applicationSubnetCidrs: string[];
  readonly dataSubnetIds: string[];
  readonly availabilityZones: string[];

  constructor(scope: Construct, id: string, props: AdoptedNetworkProps) {
    super(scope, id);
    const env = props.environment;
    const def = props.definition;
    this.availabilityZones = [...env.availabilityZones];

    const vpc = new DataAwsVpc(this, "vpc", "id" in def.vpc ? { id: def.vpc.id } : { tags: { ...def.vpc.tags } });
    this.vpcId = vpc.id;
    this.vpcCidr = vpc.cidrBlock;

    // NET-4 / EC2.15: only subnets that do not hand out public IPs are adopted. EC2 applies the
    // filter in the lookup, so a subnet with map_public_ip_on_launch = true fails the plan
    // ("no matching EC2 Subnet found") instead of being used.
    const privateIpsOnly = [{ name: "map-public-ip-on-launch", values: ["false"] }];
    const lookup = (tier: "public" | "application" | "data"): DataAwsSubnet[] => {
      const selector = def.subnets[tier];
      if ("ids" in selector) {
        return selector.ids.map(
          (subnetId, i) => new DataAwsSubnet(this, `${tier}-subnet-${i}`, { id: subnetId, vpcId: vpc.id, filter: privateIpsOnly }),
        );
      }
      return this.availabilityZones.map(
        (az) =>
          new DataAwsSubnet(this, `${tier}-subnet-${az}`, {
            vpcId: vpc.id,
            availabilityZone: az,
            tags: { ...selector.tags },
            filter: privateIpsOnly,
          }),
      );
    };
    const publicSubnets = lookup("public");
    const applicationSubnets = lookup("application");
    const dataSubnets = lookup("data");
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.applicationSubnetIds = applicationSubnets.map((s) => s.id);
    this.applicationSubnetCidrs = applicationSubnets.map((s) => s.cidrBlock);
    this.dataSubnetIds = dataSubnets.map((s) => s.id);

    if (def.flowLogs ?? true) {
      new FlowLogs(this, "flow-logs", {
        environment: env.name,
        accountId: env.accountId,
        vpcId: vpc.id,
        retentionDays: env.logRetentionDays,
        kmsKeyArn: props.kmsKeyArn,
      });
    }
  }
}
