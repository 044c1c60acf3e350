/**
 * The staging database host (DB-1..DB-8): one Graviton EC2 instance that runs PostgreSQL +
 * TimescaleDB + PostGIS and Valkey, configured by its own user data (./database-host/files), with
 * its data on a separate encrypted EBS volume that outlives the instance.
 *
 * - DB-1: private data subnet, IMDSv2 only, encrypted gp3 root, no key pair, SSM Session Manager.
 * - DB-2: a separate encrypted gp3 data volume (`prevent_destroy`, final snapshot) that the
 *   instance attaches itself at boot, so a replaced instance finds its data again.
 * - DB-3: a daily DLM snapshot policy with retention from configuration. It selects the data volume
 *   by one tag that only that volume carries (`tracker:snapshot-policy = tracker-<env>-db-snapshots`):
 *   DLM ORs target tags, so a generic tag (`Environment=staging`) would snapshot every other
 *   project's volumes in the shared staging account (SHR-1). Its role may use the environment key,
 *   which encrypts the volume, through EC2 only (the AWS managed DLM policy grants no KMS use).
 * - DB-4..DB-7: cloud-init user data (gzip'd) with no secret in it; passwords come from Secrets
 *   Manager through the instance role, which is granted exactly the ARNs it reads.
 * - DB-8: EC2 recover action on StatusCheckFailed_System; the host's probe publishes liveness and
 *   disk metrics (DATABASE_HOST_METRICS) that src/observability/database-host-alarms.ts alarms on.
 *
 * The host's private IP belongs to a separate network interface, so the `db`/`redis` names and the
 * certificate's IP SAN survive instance replacement. The AMI is looked up from Canonical's public SSM
 * parameter and ignored after creation: a new Ubuntu release never replaces the instance.
 */
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { DlmLifecyclePolicy } from "@cdktf/provider-aws/lib/dlm-lifecycle-policy";
import { EbsVolume } from "@cdktf/provider-aws/lib/ebs-volume";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { NetworkInterface } from "@cdktf/provider-aws/lib/network-interface";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { Construct } from "constructs";
import { instanceStatusAlarm } from "../observability/instance-status-alarm";
import { PROJECT, parameterName, resourceName, workloadBoundaryArn } from "../config/naming";
import type { DatabaseHostDefinition, EnvironmentDefinition } from "../config/types";
import {
  DATABASE_HOST_METRICS,
  DATABASE_HOST_OS,
  databaseHostUserDataBase64Gzip,
  type DatabaseHostUserDataParams,
} from "./database-host/user-data";

export { DATABASE_HOST_METRICS, DATABASE_HOST_OS } from "./database-host/user-data";

/** Short name of the Parameter Store parameter holding the host CA's certificate (PEM). */
export const DATABASE_HOST_CA_PARAMETER = "database-ca-certificate";

/**
 * The tag the snapshot policy selects the data volume by (SHR-1). Its key is in the project's tag
 * namespace and its value is the snapshot policy's own name (`tracker-<env>-db-snapshots`): no
 * other project's volume carries it, and no other volume of ours does either.
 */
export const SNAPSHOT_TARGET_TAG = `${PROJECT}:snapshot-policy`;
/** The component name of the snapshot policy and its role; the target tag's value is its resource name. */
export const SNAPSHOT_POLICY_COMPONENT = "db-snapshots";
/**
 * The tag that marks the instance the host's role may attach the data volume to (value
 * `tracker-<env>-db-host`): a tag-selected IAM grant must name something only this project uses.
 */
export const HOST_ROLE_TAG = `${PROJECT}:role`;

/** The value of the CA parameter until the host's first boot publishes the real certificate. */
export const CA_PARAMETER_PLACEHOLDER = "pending: published by the database host at its first boot";

export interface DatabaseHostProps {
  /** The environment; its `dataPlane` must be a host definition (staging). */
  readonly environment: EnvironmentDefinition;
  /** The private data subnets (NET-2); the host runs in the first one. */
  readonly dataSubnetIds: readonly string[];
  /** The availability zone of `dataSubnetIds[0]`, where the data volume is created. */
  readonly availabilityZone: string;
  /** Security groups of the host's network interface (PostgreSQL and Valkey, SG-4). */
  readonly securityGroupIds: readonly string[];
  /** The private application subnets' CIDRs: the only sources `pg_hba.conf` accepts (DB-5). */
  readonly applicationSubnetCidrs: readonly string[];
  /** Secrets Manager ARN of the application's PostgreSQL password (CFG-1). */
  readonly postgresPasswordSecretArn: string;
  /** Secrets Manager ARN of the Valkey password (CFG-1). */
  readonly redisPasswordSecretArn: string;
  /** The environment's KMS key: encrypts both EBS volumes and the secrets the host reads. */
  readonly kmsKeyArn: string;
  /** The VPC-internal DNS namespace (ECS-8), e.g. `staging.tracker.internal`. */
  readonly internalNamespaceName: string;
  /**
   * SNS topic notified when the recover alarm fires or clears.
   * @default - the alarm only recovers the instance, it notifies nobody
   */
  readonly alarmTopicArn?: string;
  /**
   * Size of the root volume in GiB (operating system and packages only).
   * @default 20
   */
  readonly rootVolumeGiB?: number;
  /**
   * UTC time of the daily snapshot, `HH:MM`.
   * @default "03:00"
   */
  readonly snapshotTime?: string;
}

export class DatabaseHost extends Construct {
  readonly instance: Instance;
  readonly networkInterface: NetworkInterface;
  readonly dataVolume: EbsVolume;
  readonly role: IamRole;
  readonly caCertificateParameter: SsmParameter;
  readonly recoverAlarm: CloudwatchMetricAlarm;
  readonly snapshotPolicy: DlmLifecyclePolicy;
  /** The fixed private IP (the `db` and `redis` names point here). */
  readonly privateIp: string;
  readonly instanceId: string;
  readonly dataVolumeId: string;
  /** `/tracker/<env>/database-ca-certificate`: the CA clients verify PostgreSQL and Valkey with. */
  readonly caCertificateParameterName: string;
  readonly caCertificateParameterArn: string;
  /** The CloudWatch namespace of the host's probe (dimension `Environment=<env>`). */
  readonly metricNamespace: string = DATABASE_HOST_METRICS.namespace;

  constructor(scope: Construct, id: string, props: DatabaseHostProps) {
    super(scope, id);
    const env = props.environment;
    const definition = hostDefinition(env);
    const name = (component: string) => resourceName(env.name, component);
    if (props.dataSubnetIds.length === 0) {
      throw new Error("DatabaseHost: dataSubnetIds is empty; the host needs a private data subnet");
    }
    if (props.securityGroupIds.length === 0) {
      throw new Error("DatabaseHost: securityGroupIds is empty; the host's interface needs its security groups");
    }

    // --- DB-6: where the host publishes its CA certificate; the host owns the value ----------------
    this.caCertificateParameterName = parameterName(env.name, DATABASE_HOST_CA_PARAMETER);
    this.caCertificateParameter = new SsmParameter(this, "ca-certificate", {
      name: this.caCertificateParameterName,
      type: "String",
      value: CA_PARAMETER_PLACEHOLDER,
      description: `CA certificate (PEM) of the ${env.name} database host: verifies PostgreSQL and Valkey TLS (db, redis)`,
      lifecycle: { ignoreChanges: ["value"] },
    });
    this.caCertificateParameterArn = this.caCertificateParameter.arn;

    // --- DB-1: fixed private address on its own interface ---------------------------------------
    this.networkInterface = new NetworkInterface(this, "interface", {
      subnetId: props.dataSubnetIds[0]!,
      securityGroups: [...props.securityGroupIds],
      description: `${name("db-host")}: PostgreSQL and Valkey (fixed address of db and redis)`,
      tags: { Name: name("db-host") },
    });
    this.privateIp = this.networkInterface.privateIp;

    // --- DB-2: the data volume --------------------------------------------------------------------
    this.dataVolume = new EbsVolume(this, "data", {
      availabilityZone: props.availabilityZone,
      size: definition.dataVolumeGiB,
      type: "gp3",
      encrypted: true,
      kmsKeyId: props.kmsKeyArn,
      finalSnapshot: true,
      // The snapshot policy's target tag: only this volume carries it (not a default tag, SHR-1).
      tags: { Name: name("db-data"), [SNAPSHOT_TARGET_TAG]: name(SNAPSHOT_POLICY_COMPONENT) },
      lifecycle: { preventDestroy: true },
    });
    this.dataVolumeId = this.dataVolume.id;

    // --- DB-1, DB-7: instance role ----------------------------------------------------------------
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        { effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }] },
      ],
    });
    this.role = new IamRole(this, "role", {
      name: name("db-host"),
      description: `Instance role of the ${env.name} database host`,
      assumeRolePolicy: trust.json,
      // IAM-2: capped by the account's workload boundary (bootstrap stack).
      permissionsBoundary: workloadBoundaryArn(env.accountId, env.name),
    });
    new IamRolePolicyAttachment(this, "ssm-core", {
      role: this.role.name,
      policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    });
    const region = env.region;
    // A grant on the environment key for an AWS resource, created by EC2 on the caller's behalf: what
    // attaching an encrypted volume (the host) and snapshotting it (DLM) need, and nothing else.
    const ec2ResourceGrant = (sid: string) => ({
      sid,
      effect: "Allow",
      actions: ["kms:CreateGrant"],
      resources: [props.kmsKeyArn],
      condition: [
        { test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] },
        { test: "StringEquals", variable: "kms:ViaService", values: [`ec2.${region}.amazonaws.com`] },
      ],
    });
    const policy = new DataAwsIamPolicyDocument(this, "policy-document", {
      statement: [
        {
          sid: "ReadPasswords",
          effect: "Allow",
          actions: ["secretsmanager:GetSecretValue"],
          resources: [props.postgresPasswordSecretArn, props.redisPasswordSecretArn],
        },
        {
          sid: "DecryptSecretsAndVolumes",
          effect: "Allow",
          actions: ["kms:Decrypt", "kms:DescribeKey"],
          resources: [props.kmsKeyArn],
          condition: [
            {
              test: "StringEquals",
              variable: "kms:ViaService",
              values: [`secretsmanager.${region}.amazonaws.com`, `ec2.${region}.amazonaws.com`],
            },
          ],
        },
        ec2ResourceGrant("GrantEncryptedVolumeAttachment"),
        {
          sid: "PublishCaCertificate",
          effect: "Allow",
          actions: ["ssm:GetParameter", "ssm:PutParameter"],
          resources: [this.caCertificateParameter.arn],
        },
        {
          sid: "AttachTheDataVolume",
          effect: "Allow",
          actions: ["ec2:AttachVolume"],
          resources: [this.dataVolume.arn],
        },
        {
          sid: "AttachToTheDatabaseHostOnly",
          effect: "Allow",
          actions: ["ec2:AttachVolume"],
          resources: [`arn:aws:ec2:${region}:${env.accountId}:instance/*`],
          condition: [
            { test: "StringEquals", variable: `aws:ResourceTag/${HOST_ROLE_TAG}`, values: [name("db-host")] },
            { test: "StringEquals", variable: "aws:ResourceTag/Environment", values: [env.name] },
          ],
        },
        {
          // DescribeVolumes supports no resource-level permissions.
          sid: "SeeTheDataVolume",
          effect: "Allow",
          actions: ["ec2:DescribeVolumes"],
          resources: ["*"],
        },
        {
          sid: "PublishHealthMetrics",
          effect: "Allow",
          actions: ["cloudwatch:PutMetricData"],
          resources: ["*"],
          condition: [{ test: "StringEquals", variable: "cloudwatch:namespace", values: [DATABASE_HOST_METRICS.namespace] }],
        },
      ],
    });
    new IamRolePolicy(this, "policy", { name: name("db-host"), role: this.role.id, policy: policy.json });
    const profile = new IamInstanceProfile(this, "profile", { name: name("db-host"), role: this.role.name });

    // --- DB-1, DB-4: the instance ---------------------------------------------------------------
    const ami = new DataAwsSsmParameter(this, "ami", { name: DATABASE_HOST_OS.amiParameter });
    const userData: DatabaseHostUserDataParams = {
      environment: env.name,
      region,
      versions: env.databaseVersions,
      dataVolumeId: this.dataVolume.id,
      privateIp: this.networkInterface.privateIp,
      databaseName: definition.databaseName,
      databaseUser: definition.databaseUser,
      postgresPasswordSecretArn: props.postgresPasswordSecretArn,
      redisPasswordSecretArn: props.redisPasswordSecretArn,
      caCertificateParameterName: this.caCertificateParameterName,
      applicationSubnetCidrs: props.applicationSubnetCidrs,
      internalNamespace: props.internalNamespaceName,
    };
    this.instance = new Instance(this, "instance", {
      ami: ami.insecureValue,
      instanceType: definition.instanceType,
      iamInstanceProfile: profile.name,
      primaryNetworkInterface: { networkInterfaceId: this.networkInterface.id },
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      rootBlockDevice: {
        volumeType: "gp3",
        volumeSize: props.rootVolumeGiB ?? 20,
        encrypted: true,
        kmsKeyId: props.kmsKeyArn,
        deleteOnTermination: true,
        tags: { Name: name("db-host-root") },
      },
      monitoring: definition.detailedMonitoring,
      ebsOptimized: true,
      maintenanceOptions: { autoRecovery: "default" },
      userDataBase64: databaseHostUserDataBase64Gzip(userData),
      // A changed user data is applied in place (stop, modify, start); the host's bootstrap
      // re-applies the files of the current user data at every boot (sync-user-data-files.py).
      userDataReplaceOnChange: false,
      tags: { Name: name("db-host"), [HOST_ROLE_TAG]: name("db-host") },
      // New Ubuntu images must not replace the instance (DB-2, DB-4: re-attaching is safe, but
      // replacing a database for an image update is not a plan anyone wants to read).
      lifecycle: { ignoreChanges: ["ami"] },
    });
    this.instanceId = this.instance.id;

    // --- DB-3: daily snapshots of the data volume ----------------------------------------------
    const dlmTrust = new DataAwsIamPolicyDocument(this, "dlm-trust", {
      statement: [
        { effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["dlm.amazonaws.com"] }] },
      ],
    });
    const dlmRole = new IamRole(this, "dlm-role", {
      name: name(SNAPSHOT_POLICY_COMPONENT),
      description: `Data Lifecycle Manager: daily snapshots of the ${env.name} database volume`,
      assumeRolePolicy: dlmTrust.json,
      permissionsBoundary: workloadBoundaryArn(env.accountId, env.name),
    });
    // AWS's policy for DLM snapshot policies. Its EC2 snapshot actions are on "*", but only DLM can
    // assume this role and DLM acts only on what this role's lifecycle policy selects (the target
    // tag below); docs/DESIGN.md "Shared staging account" says why it is kept.
    new IamRolePolicyAttachment(this, "dlm-policy", {
      role: dlmRole.name,
      policyArn: "arn:aws:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole",
    });
    // The managed policy grants no KMS use, and the volume is encrypted with the environment's
    // customer-managed key: DLM's role needs the key users' permissions on it ("Permissions for
    // encryption", Amazon EBS user guide, "Control access to Amazon Data Lifecycle Manager using
    // IAM"), here on that one key and only through EC2. The key policy delegates to IAM.
    // kms:ReEncrypt* and kms:GenerateDataKey* of the AWS documentation, spelled out.
    const dlmKeyUse = new DataAwsIamPolicyDocument(this, "dlm-key-use", {
      statement: [
        {
          sid: "SnapshotTheEncryptedDataVolume",
          effect: "Allow",
          actions: [
            "kms:Encrypt",
            "kms:Decrypt",
            "kms:ReEncryptFrom",
            "kms:ReEncryptTo",
            "kms:GenerateDataKey",
            "kms:GenerateDataKeyWithoutPlaintext",
            "kms:DescribeKey",
          ],
          resources: [props.kmsKeyArn],
          condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [`ec2.${region}.amazonaws.com`] }],
        },
        ec2ResourceGrant("GrantForTheSnapshotOnly"),
      ],
    });
    new IamRolePolicy(this, "dlm-key-policy", {
      name: name(`${SNAPSHOT_POLICY_COMPONENT}-key`),
      role: dlmRole.id,
      policy: dlmKeyUse.json,
    });
    const snapshotPolicyName = name(SNAPSHOT_POLICY_COMPONENT);
    this.snapshotPolicy = new DlmLifecyclePolicy(this, "snapshots", {
      // DLM accepts only letters, digits, spaces, "_" and "-" here.
      description: `${name("db-data")} daily snapshots - ${definition.snapshotRetentionDays} kept`,
      executionRoleArn: dlmRole.arn,
      state: "ENABLED",
      policyDetails: {
        policyType: "EBS_SNAPSHOT_MANAGEMENT",
        resourceTypes: ["VOLUME"],
        // DLM selects a volume that carries ANY of these tags: one tag, that only the data volume has.
        targetTags: { [SNAPSHOT_TARGET_TAG]: snapshotPolicyName },
        schedule: [
          {
            name: "daily",
            createRule: { interval: 24, intervalUnit: "HOURS", times: [props.snapshotTime ?? "03:00"] },
            retainRule: { count: definition.snapshotRetentionDays },
            copyTags: true,
            tagsToAdd: { SnapshotPolicy: snapshotPolicyName },
          },
        ],
      },
      tags: { Name: snapshotPolicyName },
    });

    // --- DB-8: recover from hardware faults -----------------------------------------------------
    const notify = props.alarmTopicArn ? [props.alarmTopicArn] : [];
    this.recoverAlarm = instanceStatusAlarm(this, "recover", {
      alarmName: name("db-host-recover"),
      description:
        `The ${env.name} database host failed its EC2 system status check for 2 minutes: EC2 recovers it onto ` +
        `healthy hardware (same instance ID, private IP and volumes). To do: check the instance in the EC2 ` +
        `console if the alarm does not clear within 15 minutes.`,
      instanceId: this.instance.id,
      region,
      check: "System",
      action: "recover",
      notify,
    });
  }
}

/** The environment's host definition, or a clear error for an environment without a host. */
function hostDefinition(env: EnvironmentDefinition): DatabaseHostDefinition {
  if (env.dataPlane.mode !== "host") {
    throw new Error(
      `${env.name}.dataPlane: mode is "${env.dataPlane.mode}"; the database host is only built for mode "host" (PRD-2)`,
    );
  }
  return env.dataPlane;
}
