/**
 * NET-3 `natStrategy: "instance"` (COST-1): one Graviton NAT instance instead of a NAT gateway, for
 * staging. About $8 a month (t4g.nano, its address and an 8 GiB volume) against $43.
 *
 * - The routes and the public address belong to a fixed network interface (source/destination
 *   check off), not to the instance: a replaced instance takes the same interface, so the private
 *   route tables and the address never change.
 * - It configures itself at every boot (cloud-init writes a systemd unit; `nat.sh` is idempotent).
 * - It recovers by itself: EC2 recovery onto new hardware on a failed system status check, a reboot
 *   on a failed instance status check. While it is down or being replaced (a minute or two), the
 *   private subnets have no internet egress; AWS APIs reached through the S3 gateway endpoint keep
 *   working. That is the trade-off against a NAT gateway, accepted for staging only.
 * - Its own security group admits only our security groups that send to the internet (on HTTP and
 *   HTTPS), by group reference (`admit`, called with SecurityGroupMatrix.internetEgress).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { NetworkInterface } from "@cdktf/provider-aws/lib/network-interface";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { resourceName } from "../config/naming";
import { instanceStatusAlarm } from "../observability/instance-status-alarm";
import type { EnvironmentDefinition } from "../config/types";

/** Amazon Linux 2023 for arm64: small, and with the iptables tooling in its repositories. */
export const NAT_INSTANCE_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";
/** The ports the private subnets may reach the internet on through the NAT instance. */
export const NAT_INSTANCE_PORTS = [80, 443] as const;

const FILES = join(__dirname, "nat-instance");

/** The instance's user data: cloud-config that installs and starts `tracker-nat` (tested by cloud-init's schema check). */
export function natInstanceUserData(privateCidrs: readonly string[]): string {
  const script = readFileSync(join(FILES, "nat.sh"), "utf8").replace("@@PRIVATE_CIDRS@@", privateCidrs.join(" "));
  return readFileSync(join(FILES, "cloud-config.yaml"), "utf8").replace("@@NAT_SCRIPT_BASE64@@", Buffer.from(script).toString("base64"));
}

/** The rendered script alone, for shellcheck and tests. */
export function natInstanceScript(privateCidrs: readonly string[]): string {
  return readFileSync(join(FILES, "nat.sh"), "utf8").replace("@@PRIVATE_CIDRS@@", privateCidrs.join(" "));
}

export interface NatInstanceProps {
  readonly environment: EnvironmentDefinition;
  readonly vpcId: string;
  /** The public subnet it lives in. */
  readonly subnetId: string;
  /** The private subnets' CIDRs (application and data tiers): the only sources it forwards. */
  readonly privateCidrs: readonly string[];
  /** Encrypts the root volume. */
  readonly kmsKeyArn: string;
  /** @default "t4g.nano" */
  readonly instanceType?: string;
}

export class NatInstance extends Construct {
  readonly instance: Instance;
  /** The fixed interface the private route tables send 0.0.0.0/0 to. */
  readonly networkInterface: NetworkInterface;
  readonly securityGroup: SecurityGroup;
  readonly publicIp: Eip;
  private readonly environmentName: EnvironmentDefinition["name"];

  constructor(scope: Construct, id: string, props: NatInstanceProps) {
    super(scope, id);
    const env = props.environment;
    this.environmentName = env.name;
    const name = (component: string) => resourceName(env.name, component);

    this.securityGroup = new SecurityGroup(this, "security-group", {
      // A prefix, as for every group (security-groups.ts): the replacement is created first.
      namePrefix: `${name("nat")}-`,
      description: "NAT instance: HTTP and HTTPS from this project's groups, out to the internet",
      vpcId: props.vpcId,
      tags: { Name: name("nat") },
      lifecycle: { createBeforeDestroy: true },
    });
    for (const port of NAT_INSTANCE_PORTS) {
      new VpcSecurityGroupEgressRule(this, `out-${port}`, {
        securityGroupId: this.securityGroup.id,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        cidrIpv4: "0.0.0.0/0",
        description: `Port ${port} to the internet: the private subnets' egress (and the instance's package updates)`,
        tags: { Name: name(`nat-out-${port}`) },
      });
    }

    this.networkInterface = new NetworkInterface(this, "interface", {
      subnetId: props.subnetId,
      securityGroups: [this.securityGroup.id],
      // A NAT forwards packets that are neither from nor to itself.
      sourceDestCheck: false,
      description: `${env.name} NAT instance (survives the instance's replacement)`,
      tags: { Name: name("nat") },
    });
    this.publicIp = new Eip(this, "address", {
      domain: "vpc",
      networkInterface: this.networkInterface.id,
      tags: { Name: name("nat") },
    });

    const ami = new DataAwsSsmParameter(this, "ami", { name: NAT_INSTANCE_AMI_PARAMETER });
    this.instance = new Instance(this, "instance", {
      ami: ami.insecureValue,
      instanceType: props.instanceType ?? "t4g.nano",
      primaryNetworkInterface: { networkInterfaceId: this.networkInterface.id },
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
      rootBlockDevice: {
        volumeType: "gp3",
        volumeSize: 8,
        encrypted: true,
        kmsKeyId: props.kmsKeyArn,
        deleteOnTermination: true,
        tags: { Name: name("nat-root") },
      },
      monitoring: false,
      ebsOptimized: true,
      maintenanceOptions: { autoRecovery: "default" },
      userData: natInstanceUserData(props.privateCidrs),
      // Stateless: a changed script replaces the instance; the interface keeps routes and address.
      userDataReplaceOnChange: true,
      tags: { Name: name("nat") },
      // A new AMI is picked up when the instance is replaced for another reason, not by itself.
      lifecycle: { ignoreChanges: ["ami"] },
      dependsOn: [this.publicIp],
    });

    const check = (kind: "System" | "Instance", action: "recover" | "reboot", what: string) =>
      instanceStatusAlarm(this, `${action}-alarm`, {
        alarmName: name(`nat-${action}`),
        description: `The ${env.name} NAT instance failed its EC2 ${kind.toLowerCase()} status check for 2 minutes: ${what}`,
        instanceId: this.instance.id,
        region: env.region,
        check: kind,
        action,
      });
    check("System", "recover", "EC2 moves it to healthy hardware (same interface, address and routes).");
    check("Instance", "reboot", "EC2 reboots it; tracker-nat.service configures forwarding again at boot.");
  }

  /**
   * Admits a security group's members on a port (SG-4: by group reference, not CIDR): what they send
   * to the internet on that port is forwarded. Ports outside NAT_INSTANCE_PORTS are refused.
   */
  admit(component: string, securityGroupId: string, port: number): void {
    if (!(NAT_INSTANCE_PORTS as readonly number[]).includes(port)) {
      throw new Error(`NAT instance: ${component} sends to the internet on port ${port}, which it does not forward (only ${NAT_INSTANCE_PORTS.join(", ")})`);
    }
    const id = `in-${component}-${port}`;
    new VpcSecurityGroupIngressRule(this, id, {
      securityGroupId: this.securityGroup.id,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      referencedSecurityGroupId: securityGroupId,
      description: `Port ${port} from ${component}, forwarded to the internet`,
      tags: { Name: resourceName(this.environmentName, `nat-${id}`) },
    });
  }
}
