/**
 * A dedicated VPC (NET-1..NET-6): public, private-application and private-data subnets in every
 * availability zone, NAT per the environment's strategy (gateways, or one NAT instance), an S3 gateway endpoint, flow logs, and the
 * default security group emptied. No subnet maps public IPs on launch.
 */
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Route53ZoneAssociation } from "@cdktf/provider-aws/lib/route53-zone-association";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcPeeringConnection } from "@cdktf/provider-aws/lib/vpc-peering-connection";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Construct } from "constructs";
import { resourceName } from "../config/naming";
import type { CreatedNetworkDefinition, EnvironmentDefinition, SubnetTiers } from "../config/types";
import { FlowLogs } from "./flow-logs";
import { NatInstance } from "./nat-instance";
import type { Network } from "./network";

export interface CreatedNetworkProps {
  readonly environment: EnvironmentDefinition;
  readonly definition: CreatedNetworkDefinition;
  /** KMS key that encrypts the flow-log group. */
  readonly kmsKeyArn: string;
}

export class CreatedNetwork extends Construct implements Network {
  readonly vpc: Vpc;
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly publicSubnetIds: string[];
  readonly applicationSubnetIds: string[];
  readonly applicationSubnetCidrs: string[];
  readonly dataSubnetIds: string[];
  readonly availabilityZones: string[];
  readonly natGateways: NatGateway[];
  /** The NAT instance with `natStrategy: "instance"`. */
  readonly natInstance?: NatInstance;

  constructor(scope: Construct, id: string, props: CreatedNetworkProps) {
    super(scope, id);
    const env = props.environment;
    const def = props.definition;
    const name = (component: string) => resourceName(env.name, component);
    const azs = [...env.availabilityZones];
    this.availabilityZones = azs;

    this.vpc = new Vpc(this, "vpc", {
      cidrBlock: def.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: name("vpc") },
    });
    this.vpcId = this.vpc.id;
    this.vpcCidr = this.vpc.cidrBlock;

    // NET-4 / CKV2_AWS_12: the default security group allows nothing.
    new DefaultSecurityGroup(this, "default-security-group", {
      vpcId: this.vpc.id,
      tags: { Name: name("default-deny") },
    });

    const subnets: SubnetTiers<Subnet[]> = { public: [], application: [], data: [] };
    for (const tier of ["public", "application", "data"] as const) {
      def.subnets[tier].forEach((cidr, i) => {
        const az = azs[i]!;
        subnets[tier].push(
          new Subnet(this, `${tier}-subnet-${az}`, {
            vpcId: this.vpc.id,
            cidrBlock: cidr,
            availabilityZone: az,
            mapPublicIpOnLaunch: false,
            tags: { Name: name(`${tier}-${az}`), Tier: tier },
          }),
        );
      });
    }
    this.publicSubnetIds = subnets.public.map((s) => s.id);
    this.applicationSubnetIds = subnets.application.map((s) => s.id);
    this.applicationSubnetCidrs = subnets.application.map((s) => s.cidrBlock);
    this.dataSubnetIds = subnets.data.map((s) => s.id);

    // Public tier: the only route to the internet gateway.
    const igw = new InternetGateway(this, "internet-gateway", { vpcId: this.vpc.id, tags: { Name: name("igw") } });
    const publicRoutes = new RouteTable(this, "public-routes", { vpcId: this.vpc.id, tags: { Name: name("public") } });
    new Route(this, "public-default-route", {
      routeTableId: publicRoutes.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: igw.id,
    });
    subnets.public.forEach((subnet, i) => {
      new RouteTableAssociation(this, `public-association-${azs[i]}`, { subnetId: subnet.id, routeTableId: publicRoutes.id });
    });

    // NAT (NET-3): one gateway for the VPC, one per AZ, or one NAT instance (COST-1).
    if (def.natStrategy === "instance") {
      this.natInstance = new NatInstance(this, "nat-instance", {
        environment: env,
        vpcId: this.vpc.id,
        subnetId: subnets.public[0]!.id,
        privateCidrs: [...def.subnets.application, ...def.subnets.data],
        kmsKeyArn: props.kmsKeyArn,
        ...(def.natInstanceType ? { instanceType: def.natInstanceType } : {}),
      });
      this.natInstance.node.addDependency(igw);
    }
    const natAzs = def.natStrategy === "instance" ? [] : def.natStrategy === "per-az" ? azs : [azs[0]!];
    this.natGateways = natAzs.map((az) => {
      const i = azs.indexOf(az);
      const eip = new Eip(this, `nat-eip-${az}`, { domain: "vpc", tags: { Name: name(`nat-${az}`) } });
      return new NatGateway(this, `nat-${az}`, {
        allocationId: eip.allocationId,
        subnetId: subnets.public[i]!.id,
        connectivityType: "public",
        tags: { Name: name(`nat-${az}`) },
        dependsOn: [igw],
      });
    });

    // Private tiers (NET-2): per AZ one route table, egress through NAT only.
    const privateRouteTableIds: string[] = [];
    azs.forEach((az, i) => {
      const table = new RouteTable(this, `private-routes-${az}`, {
        vpcId: this.vpc.id,
        tags: { Name: name(`private-${az}`) },
      });
      privateRouteTableIds.push(table.id);
      new Route(this, `private-default-route-${az}`, {
        routeTableId: table.id,
        destinationCidrBlock: "0.0.0.0/0",
        ...(this.natInstance
          ? { networkInterfaceId: this.natInstance.networkInterface.id }
          : { natGatewayId: this.natGateways[def.natStrategy === "per-az" ? i : 0]!.id }),
      });
      for (const tier of ["application", "data"] as const) {
        new RouteTableAssociation(this, `${tier}-association-${az}`, {
          subnetId: subnets[tier][i]!.id,
          routeTableId: table.id,
        });
      }
    });

    // PRD-2: peerings with existing VPCs (production's Patroni and MemoryDB), routed from the private
    // tiers only, back to the application subnets only.
    for (const peering of def.peerings ?? []) {
      const connection = new VpcPeeringConnection(this, `peering-${peering.name}`, {
        vpcId: this.vpc.id,
        peerVpcId: peering.peerVpcId,
        autoAccept: true,
        tags: { Name: name(`peering-${peering.name}`) },
      });
      privateRouteTableIds.forEach((tableId, i) => {
        new Route(this, `peering-${peering.name}-route-${azs[i]}`, {
          routeTableId: tableId,
          destinationCidrBlock: peering.peerCidr,
          vpcPeeringConnectionId: connection.id,
        });
      });
      for (const peerTable of peering.peerRouteTableIds) {
        def.subnets.application.forEach((cidr, i) => {
          new Route(this, `peering-${peering.name}-return-${peerTable}-${azs[i]}`, {
            routeTableId: peerTable,
            destinationCidrBlock: cidr,
            vpcPeeringConnectionId: connection.id,
          });
        });
      }
      for (const zoneId of peering.privateZoneIds ?? []) {
        new Route53ZoneAssociation(this, `peering-${peering.name}-zone-${zoneId}`, { zoneId, vpcId: this.vpc.id });
      }
    }

    // NET-6: S3 (and so ECR layers) without NAT processing charges.
    new VpcEndpoint(this, "s3-endpoint", {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${env.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: privateRouteTableIds,
      tags: { Name: name("s3") },
    });

    new FlowLogs(this, "flow-logs", {
      environment: env.name,
      accountId: env.accountId,
      vpcId: this.vpc.id,
      retentionDays: env.logRetentionDays,
      kmsKeyArn: props.kmsKeyArn,
    });
  }
}
