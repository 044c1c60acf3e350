/** What every later construct needs from the network, whether created or adopted. */
import type { NatInstance } from "./nat-instance";

export interface Network {
  readonly vpcId: string;
  /** The VPC's IPv4 CIDR. */
  readonly vpcCidr: string;
  /** One per availability zone, in `availabilityZones` order: ALB and NAT gateways. */
  readonly publicSubnetIds: readonly string[];
  /** One per availability zone: ECS tasks. */
  readonly applicationSubnetIds: readonly string[];
  /** CIDRs of the application subnets (e.g. for the database host's pg_hba). */
  readonly applicationSubnetCidrs: readonly string[];
  /** One per availability zone: the database host and EFS mount targets. */
  readonly dataSubnetIds: readonly string[];
  readonly availabilityZones: readonly string[];
  /** The NAT instance of a created network with `natStrategy: "instance"` (NET-3). */
  readonly natInstance?: NatInstance;
}
