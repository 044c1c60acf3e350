/**
 * The persistent file system of a catalog service with `storage` (EFS-1, EFS-2), today anisette's
 * provisioning state: an EFS file system encrypted with the environment key, backups on, protected
 * from destroy; a mount target in each subnet the service's tasks run in, guarded by the service's
 * EFS security group (SG-5); an access point that pins a POSIX user (the image's, IMG-1) and its own
 * root directory.
 *
 * `allowOnly(taskRoleArn)` adds the file-system policy: TLS only, and only that role may mount and
 * write, and only through the access point (EFS-2). The task definition mounts it with
 * `transitEncryption: ENABLED`, `authorizationConfig: { accessPointId, iam: ENABLED }`.
 */
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EfsAccessPoint } from "@cdktf/provider-aws/lib/efs-access-point";
import { EfsBackupPolicy } from "@cdktf/provider-aws/lib/efs-backup-policy";
import { EfsFileSystem } from "@cdktf/provider-aws/lib/efs-file-system";
import { EfsFileSystemPolicy } from "@cdktf/provider-aws/lib/efs-file-system-policy";
import { EfsMountTarget } from "@cdktf/provider-aws/lib/efs-mount-target";
import { Construct } from "constructs";
import { resourceName } from "../config/naming";
import type { EnvironmentName, PosixIdentity, ServiceDefinition } from "../config/types";

export type { PosixIdentity } from "../config/types";

/** The NFS client actions a file-system policy governs. */
const CLIENT_ACTIONS = [
  "elasticfilesystem:ClientMount",
  "elasticfilesystem:ClientWrite",
  "elasticfilesystem:ClientRootAccess",
];

export interface ServiceFileSystemProps {
  readonly environment: EnvironmentName;
  /** The catalog service that owns the file system; it must have `storage`. */
  readonly service: ServiceDefinition;
  /** The environment key's ARN (`EnvironmentKey.arn`); the file system is encrypted with it. */
  readonly kmsKeyArn: string;
  /**
   * The subnets the service's tasks run in (the private application subnets, ECS-3), one per
   * availability zone: each gets a mount target, so a task finds one in its own AZ.
   */
  readonly subnetIds: readonly string[];
  /** The service's EFS security group (`SecurityGroupMatrix.fileSystems[service]`): NFS from the service only. */
  readonly securityGroupId: string;
  /**
   * The identity every access through the access point is made as, and the owner of its root.
   * It must be the user the image runs as (IMG-1), which is where the default comes from.
   * @default - the catalog row's `image.user`
   */
  readonly posixUser?: PosixIdentity;
  /**
   * The access point's root directory, created on first use.
   * @default `/<service name>`, e.g. `/anisette`
   */
  readonly rootDirectory?: string;
  /**
   * Permissions of the root directory when EFS creates it.
   * @default "0750"
   */
  readonly rootPermissions?: string;
  /**
   * Move files not read for this long to Infrequent Access (e.g. `AFTER_30_DAYS`).
   * @default - no lifecycle transition (the state is small and read often)
   */
  readonly transitionToIa?: string;
}

export class ServiceFileSystem extends Construct {
  readonly fileSystem: EfsFileSystem;
  readonly accessPoint: EfsAccessPoint;
  readonly mountTargets: readonly EfsMountTarget[];
  readonly fileSystemId: string;
  readonly fileSystemArn: string;
  readonly accessPointId: string;
  readonly accessPointArn: string;
  /** Where the container mounts the file system (the catalog's `storage.efsMountPath`). */
  readonly containerPath: string;
  /** The policy made by `allowOnly`, once called. */
  policy?: EfsFileSystemPolicy;

  private readonly serviceName: string;

  constructor(scope: Construct, id: string, props: ServiceFileSystemProps) {
    super(scope, id);
    const service = props.service;
    if (!service.storage) throw new Error(`file system: service ${service.name} has no storage in the catalog`);
    if (props.subnetIds.length === 0) throw new Error(`file system: ${service.name} needs at least one subnet for mount targets`);
    this.serviceName = service.name;
    this.containerPath = service.storage.efsMountPath;
    const name = resourceName(props.environment, `${service.name}-efs`);
    const owner = props.posixUser ?? service.image.user;
    if (!owner) {
      throw new Error(`file system: ${service.name} has no image.user in the catalog; the access point must write as the image's uid/gid (IMG-1)`);
    }

    this.fileSystem = new EfsFileSystem(this, "file-system", {
      creationToken: name,
      encrypted: true,
      kmsKeyId: props.kmsKeyArn,
      lifecyclePolicy: props.transitionToIa ? [{ transitionToIa: props.transitionToIa }] : undefined,
      tags: { Name: name },
      lifecycle: { preventDestroy: true },
    });

    new EfsBackupPolicy(this, "backup-policy", {
      fileSystemId: this.fileSystem.id,
      backupPolicy: { status: "ENABLED" },
    });

    this.mountTargets = props.subnetIds.map(
      (subnetId, i) =>
        new EfsMountTarget(this, `mount-target-${i}`, {
          fileSystemId: this.fileSystem.id,
          subnetId,
          securityGroups: [props.securityGroupId],
        }),
    );

    this.accessPoint = new EfsAccessPoint(this, "access-point", {
      fileSystemId: this.fileSystem.id,
      posixUser: { uid: owner.uid, gid: owner.gid },
      rootDirectory: {
        path: props.rootDirectory ?? `/${service.name}`,
        creationInfo: { ownerUid: owner.uid, ownerGid: owner.gid, permissions: props.rootPermissions ?? "0750" },
      },
      tags: { Name: resourceName(props.environment, `${service.name}-access-point`) },
    });

    this.fileSystemId = this.fileSystem.id;
    this.fileSystemArn = this.fileSystem.arn;
    this.accessPointId = this.accessPoint.id;
    this.accessPointArn = this.accessPoint.arn;
  }

  /**
   * The file-system policy (EFS-2): deny any access without TLS; deny every NFS client action to any
   * principal but `taskRoleArn` and to any access not through the access point (so that neither an
   * anonymous NFS client nor an identity policy elsewhere in the account can mount it); allow mount
   * and write to `taskRoleArn` through the access point. Call once, with the owning service's task role.
   */
  allowOnly(taskRoleArn: string): EfsFileSystemPolicy {
    if (this.policy) throw new Error(`file system: allowOnly was already called for ${this.serviceName}`);
    const resources = [this.fileSystem.arn];
    const document = new DataAwsIamPolicyDocument(this, "policy-document", {
      statement: [
        {
          sid: "DenyWithoutTls",
          effect: "Deny",
          principals: [{ type: "AWS", identifiers: ["*"] }],
          actions: ["*"],
          resources,
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
        {
          sid: "DenyOtherPrincipals",
          effect: "Deny",
          principals: [{ type: "AWS", identifiers: ["*"] }],
          actions: CLIENT_ACTIONS,
          resources,
          condition: [{ test: "StringNotEquals", variable: "aws:PrincipalArn", values: [taskRoleArn] }],
        },
        {
          sid: "DenyWithoutAccessPoint",
          effect: "Deny",
          principals: [{ type: "AWS", identifiers: ["*"] }],
          actions: CLIENT_ACTIONS,
          resources,
          condition: [{ test: "StringNotEquals", variable: "elasticfilesystem:AccessPointArn", values: [this.accessPoint.arn] }],
        },
        {
          sid: "AllowServiceThroughAccessPoint",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [taskRoleArn] }],
          actions: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
          resources,
          condition: [
            { test: "StringEquals", variable: "elasticfilesystem:AccessPointArn", values: [this.accessPoint.arn] },
            { test: "Bool", variable: "aws:SecureTransport", values: ["true"] },
          ],
        },
      ],
    });
    this.policy = new EfsFileSystemPolicy(this, "policy", {
      fileSystemId: this.fileSystem.id,
      policy: document.json,
    });
    return this.policy;
  }
}
