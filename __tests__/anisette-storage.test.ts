import { describe, expect, it } from "vitest";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EfsAccessPoint } from "@cdktf/provider-aws/lib/efs-access-point";
import { EfsBackupPolicy } from "@cdktf/provider-aws/lib/efs-backup-policy";
import { EfsFileSystem } from "@cdktf/provider-aws/lib/efs-file-system";
import { EfsFileSystemPolicy } from "@cdktf/provider-aws/lib/efs-file-system-policy";
import { EfsMountTarget } from "@cdktf/provider-aws/lib/efs-mount-target";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { PRODUCTION, STAGING } from "../src/config/environments";
import { SERVICE_CATALOG, serviceDefinition } from "../src/config/service-catalog";
import type { EnvironmentDefinition } from "../src/config/types";
import { ServiceFileSystem } from "../src/data/service-file-system";
import { EnvironmentKey } from "../src/encryption/environment-key";
import { SecurityGroupMatrix } from "../src/network/security-groups";
import { dataSources, only, referenceOf, resources, synthConstructs, type SynthesizedStack } from "./support/synth";

/** Stub application subnets, one per AZ of the environment (as the network construct gives them). */
const subnetsOf = (env: EnvironmentDefinition) => env.availabilityZones.map((az) => `subnet-app-${az}`);

function build(env: EnvironmentDefinition): { json: SynthesizedStack; storage: ServiceFileSystem } {
  let storage!: ServiceFileSystem;
  const json = synthConstructs(env, (stack) => {
    const key = new EnvironmentKey(stack, "key", { environment: env });
    const groups = new SecurityGroupMatrix(stack, "security-groups", {
      environment: env.name,
      vpcId: "vpc-stub",
      catalog: SERVICE_CATALOG,
      dataPlane: env.dataPlane,
    });
    const taskRole = new IamRole(stack, "anisette-task-role", {
      name: `tracker-${env.name}-anisette-task`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    });
    storage = new ServiceFileSystem(stack, "anisette-storage", {
      environment: env.name,
      service: serviceDefinition("anisette"),
      kmsKeyArn: key.arn,
      subnetIds: subnetsOf(env),
      securityGroupId: groups.fileSystems.anisette!.id,
    });
    storage.allowOnly(taskRole.arn);
  });
  return { json, storage };
}

/** The policy document of the file-system policy (the key's policy document is the other one). */
function fileSystemPolicyDocument(json: SynthesizedStack): [string, Record<string, any>] {
  const found = dataSources(json, DataAwsIamPolicyDocument.tfResourceType).filter(([, d]) =>
    (d.statement as any[]).some((s) => s.sid === "DenyWithoutTls"),
  );
  expect(found).toHaveLength(1);
  return found[0]!;
}

// Synthesized once per environment for the whole file.
const built = { staging: build(STAGING), production: build(PRODUCTION) };

describe.each([
  ["staging", STAGING],
  ["production", PRODUCTION],
] as const)("anisette storage (%s)", (envName, env) => {
  const { json, storage } = built[envName];
  const [fsName, fileSystem] = only(json, EfsFileSystem.tfResourceType);
  const fsId = referenceOf(EfsFileSystem.tfResourceType, fsName, "id");
  const fsArn = referenceOf(EfsFileSystem.tfResourceType, fsName, "arn");
  const [apName, accessPoint] = only(json, EfsAccessPoint.tfResourceType);
  const apArn = referenceOf(EfsAccessPoint.tfResourceType, apName, "arn");
  const [roleName] = only(json, IamRole.tfResourceType);
  const roleArn = referenceOf(IamRole.tfResourceType, roleName, "arn");

  it("EFS-1: the file system is encrypted with the environment key and protected from destroy", () => {
    const [keyName] = only(json, KmsKey.tfResourceType);
    expect(fileSystem.encrypted).toBe(true);
    expect(fileSystem.kms_key_id).toBe(referenceOf(KmsKey.tfResourceType, keyName, "arn"));
    expect(fileSystem.lifecycle?.prevent_destroy).toBe(true);
    expect(fileSystem.creation_token).toBe(`tracker-${envName}-anisette-efs`);
    expect(fileSystem.tags).toEqual({ Name: `tracker-${envName}-anisette-efs` });
    // No Infrequent Access: anisette's state is small and read on every request.
    expect(fileSystem.lifecycle_policy).toBeUndefined();
  });

  it("EFS-1: backups are on", () => {
    const [, backup] = only(json, EfsBackupPolicy.tfResourceType);
    expect(backup.file_system_id).toBe(fsId);
    expect(backup.backup_policy).toEqual({ status: "ENABLED" });
  });

  it("EFS-1, SG-5: one mount target in each private application subnet, guarded by anisette's EFS security group", () => {
    const [sgName] = only(json, SecurityGroup.tfResourceType, (g) => g.tags.Name === `tracker-${envName}-anisette-efs`);
    const targets = resources(json, EfsMountTarget.tfResourceType).map(([, t]) => t);
    expect(targets.map((t) => t.subnet_id).sort()).toEqual(subnetsOf(env).sort());
    expect(targets).toHaveLength(env.availabilityZones.length);
    for (const target of targets) {
      expect(target.file_system_id).toBe(fsId);
      expect(target.security_groups).toEqual([referenceOf(SecurityGroup.tfResourceType, sgName, "id")]);
    }
  });

  it("EFS-1, IMG-1: the access point pins the image's user 1000:1000 (upstream Dockerfile) and its own root /anisette (owner 1000:1000, 0750)", () => {
    expect(accessPoint.file_system_id).toBe(fsId);
    expect(accessPoint.posix_user).toEqual({ uid: 1000, gid: 1000 });
    expect(accessPoint.root_directory).toEqual({
      path: "/anisette",
      creation_info: { owner_uid: 1000, owner_gid: 1000, permissions: "0750" },
    });
    expect(accessPoint.tags).toEqual({ Name: `tracker-${envName}-anisette-access-point` });
  });

  it("EFS-2: the file-system policy denies access without TLS", () => {
    const [, policy] = only(json, EfsFileSystemPolicy.tfResourceType);
    expect(policy.file_system_id).toBe(fsId);
    const [docName, doc] = fileSystemPolicyDocument(json);
    expect(policy.policy).toBe(`\${data.${DataAwsIamPolicyDocument.tfResourceType}.${docName}.json}`);
    const tls = (doc.statement as any[]).find((s) => s.sid === "DenyWithoutTls");
    expect(tls).toMatchObject({
      effect: "Deny",
      principals: [{ type: "AWS", identifiers: ["*"] }],
      actions: ["*"],
      resources: [fsArn],
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    });
  });

  it("EFS-2: only anisette's task role may mount and write, and only through the access point", () => {
    const [, doc] = fileSystemPolicyDocument(json);
    const statements = doc.statement as any[];
    const allows = statements.filter((s) => s.effect !== "Deny");
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      principals: [{ type: "AWS", identifiers: [roleArn] }],
      actions: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
      resources: [fsArn],
    });
    expect(allows[0].condition).toContainEqual({ test: "StringEquals", variable: "elasticfilesystem:AccessPointArn", values: [apArn] });
    // Explicit denies: any other principal (also anonymous NFS clients and identity policies elsewhere
    // in the account), and any mount not through the access point.
    const others = statements.find((s) => s.sid === "DenyOtherPrincipals");
    expect(others).toMatchObject({ effect: "Deny", condition: [{ test: "StringNotEquals", variable: "aws:PrincipalArn", values: [roleArn] }] });
    expect(others.actions).toEqual(expect.arrayContaining(["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"]));
    const noAccessPoint = statements.find((s) => s.sid === "DenyWithoutAccessPoint");
    expect(noAccessPoint).toMatchObject({
      effect: "Deny",
      condition: [{ test: "StringNotEquals", variable: "elasticfilesystem:AccessPointArn", values: [apArn] }],
    });
  });

  it("EFS-2: the whole file-system policy as a reviewer reads it (EFS refuses a statement without a principal)", () => {
    const [, doc] = fileSystemPolicyDocument(json);
    const everyone = [{ type: "AWS", identifiers: ["*"] }];
    const clientActions = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"];
    expect(doc.statement).toEqual([
      {
        sid: "DenyWithoutTls",
        effect: "Deny",
        principals: everyone,
        actions: ["*"],
        resources: [fsArn],
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
      {
        sid: "DenyOtherPrincipals",
        effect: "Deny",
        principals: everyone,
        actions: clientActions,
        resources: [fsArn],
        condition: [{ test: "StringNotEquals", variable: "aws:PrincipalArn", values: [roleArn] }],
      },
      {
        sid: "DenyWithoutAccessPoint",
        effect: "Deny",
        principals: everyone,
        actions: clientActions,
        resources: [fsArn],
        condition: [{ test: "StringNotEquals", variable: "elasticfilesystem:AccessPointArn", values: [apArn] }],
      },
      {
        sid: "AllowServiceThroughAccessPoint",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [roleArn] }],
        actions: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
        resources: [fsArn],
        condition: [
          { test: "StringEquals", variable: "elasticfilesystem:AccessPointArn", values: [apArn] },
          { test: "Bool", variable: "aws:SecureTransport", values: ["true"] },
        ],
      },
    ]);
  });

  it("EFS-2: the construct exposes the IDs and ARNs the task definition mounts with, and /data as the container path", () => {
    for (const value of [storage.fileSystemId, storage.fileSystemArn, storage.accessPointId, storage.accessPointArn]) {
      expect(value).toMatch(/^\$\{TfToken\[/);
    }
    expect(storage.containerPath).toBe("/data");
    expect(() => storage.allowOnly("arn:aws:iam::111111111111:role/other")).toThrow(/already called/);
  });
});

describe("service file system validation", () => {
  it("IMG-1: a service whose catalog row gives no image user is refused (the access point must write as it)", () => {
    const anisette = serviceDefinition("anisette");
    const { user: _user, ...image } = anisette.image;
    expect(() =>
      synthConstructs(STAGING, (stack) => {
        new ServiceFileSystem(stack, "storage", {
          environment: "staging",
          service: { ...anisette, image },
          kmsKeyArn: "arn:aws:kms:eu-central-1:802732539686:key/stub",
          subnetIds: ["subnet-a"],
          securityGroupId: "sg-stub",
        });
      }),
    ).toThrow("file system: anisette has no image.user in the catalog; the access point must write as the image's uid/gid (IMG-1)");
  });

  it("EFS-1: a service without storage in the catalog is refused", () => {
    expect(() =>
      synthConstructs(STAGING, (stack) => {
        new ServiceFileSystem(stack, "api-storage", {
          environment: "staging",
          service: serviceDefinition("api"),
          kmsKeyArn: "arn:aws:kms:eu-central-1:802732539686:key/stub",
          subnetIds: ["subnet-a"],
          securityGroupId: "sg-stub",
        });
      }),
    ).toThrow(/service api has no storage/);
  });

  it("EFS-1: Infrequent Access only when asked for (the state is small and read often), with EFS's own transition value", () => {
    const json = synthConstructs(STAGING, (stack) => {
      new ServiceFileSystem(stack, "cold-storage", {
        environment: "staging",
        service: serviceDefinition("anisette"),
        kmsKeyArn: "arn:aws:kms:eu-central-1:802732539686:key/stub",
        subnetIds: ["subnet-a"],
        securityGroupId: "sg-stub",
        transitionToIa: "AFTER_30_DAYS",
      });
    });
    const fileSystems = Object.values(json.resource?.["aws_efs_file_system"] ?? {});
    expect(fileSystems.map((f) => f["lifecycle_policy"])).toEqual([[{ transition_to_ia: "AFTER_30_DAYS" }]]);
  });
});
