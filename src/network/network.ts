/** What every later construct needs from the network, whether created or adopted. */
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
}
