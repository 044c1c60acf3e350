/**
 * The staging database host construct (DB-1..DB-8), synthesized once in a stack of its own with an
 * AWS provider and stub inputs, asserted on the JSON by resource type and property.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { builtOrFailEachTest } from "./support/synth";
import { requireTool, TERRAFORM } from "./support/tools";
import { TerraformOutput, TerraformStack, Testing } from "../src/cdktf";
import { PRODUCTION, STAGING } from "../src/config/environments";
import { internalNamespace, parameterName } from "../src/config/naming";
import {
  CA_PARAMETER_PLACEHOLDER,
  DATABASE_HOST_METRICS,
  DATABASE_HOST_OS,
  DatabaseHost,
} from "../src/data/database-host";
import { renderDatabaseHostUserData } from "../src/data/database-host/user-data";

const stub = {
  dataSubnetIds: ["subnet-data-a", "subnet-data-b"],
  availabilityZone: "eu-central-1a",
  securityGroupIds: ["sg-database", "sg-redis"],
  applicationSubnetCidrs: ["10.42.16.0/20", "10.42.32.0/20"],
  postgresPasswordSecretArn: "arn:aws:secretsmanager:eu-central-1:802732539686:secret:tracker/staging/postgres-password-AbCdEf",
  redisPasswordSecretArn: "arn:aws:secretsmanager:eu-central-1:802732539686:secret:tracker/staging/redis-password-GhIjKl",
  kmsKeyArn: "arn:aws:kms:eu-central-1:802732539686:key/11111111-2222-3333-4444-555555555555",
  alarmTopicArn: "arn:aws:sns:eu-central-1:802732539686:tracker-staging-alarms",
};

type Resources = Record<string, Record<string, Record<string, unknown>>>;
interface Json {
  resource: Resources;
  data: Resources;
  output: Record<string, { value: unknown }>;
}

// Built while the file is collected; a build that throws fails every test (support/synth.ts).
const { host, synthesized, json } = builtOrFailEachTest(() => {
  const stack = new TerraformStack(Testing.app(), "database-host-test");
  new AwsProvider(stack, "aws", { region: STAGING.region, allowedAccountIds: [STAGING.accountId] });
  const host = new DatabaseHost(stack, "database-host", {
    environment: STAGING,
    ...stub,
    internalNamespaceName: internalNamespace("staging"),
  });
  // The construct's typed outputs, as another construct would consume them.
  new TerraformOutput(stack, "private-ip", { value: host.privateIp });
  new TerraformOutput(stack, "data-volume-id", { value: host.dataVolumeId });
  new TerraformOutput(stack, "instance-id", { value: host.instanceId });
  new TerraformOutput(stack, "ca-parameter-arn", { value: host.caCertificateParameterArn });
  const synthesized = Testing.synth(stack);
  return { host, synthesized, json: JSON.parse(synthesized) as Json };
}, {} as { host: DatabaseHost; synthesized: string; json: Json });

/** The plain render the host should receive, for the stub inputs and given volume and address. */
function expectedUserData(dataVolumeId: string, privateIp: string): string {
  return renderDatabaseHostUserData(
    {
      environment: "staging",
      region: STAGING.region,
      versions: STAGING.databaseVersions,
      dataVolumeId,
      privateIp,
      databaseName: "tracker",
      databaseUser: "tracker",
      postgresPasswordSecretArn: stub.postgresPasswordSecretArn,
      redisPasswordSecretArn: stub.redisPasswordSecretArn,
      caCertificateParameterName: parameterName("staging", "database-ca-certificate"),
      applicationSubnetCidrs: stub.applicationSubnetCidrs,
      internalNamespace: internalNamespace("staging"),
    },
    { target: "plain" },
  );
}

function only(kind: "resource" | "data", type: string): Record<string, any> {
  const all = Object.values(json[kind][type] ?? {});
  expect(all, `${kind} ${type}`).toHaveLength(1);
  return all[0]!;
}
function all(kind: "resource" | "data", type: string): Record<string, any>[] {
  return Object.values(json[kind][type] ?? {});
}
/** `${aws_x.name.attr}` of the single resource of a type. */
function ref(type: string, attribute: string): string {
  const names = Object.keys(json.resource[type] ?? {});
  expect(names).toHaveLength(1);
  return `\${${type}.${names[0]}.${attribute}}`;
}

const instance = only("resource", "aws_instance");
const eni = only("resource", "aws_network_interface");
const volume = only("resource", "aws_ebs_volume");
const policyDocuments = all("data", "aws_iam_policy_document");
const hostPolicy = policyDocuments.find((d) => (d.statement as any[]).some((s) => s.sid === "ReadPasswords"))!;
const statements = hostPolicy.statement as Array<{
  sid: string;
  actions: string[];
  resources: string[];
  condition?: Array<{ test: string; variable: string; values: string[] }>;
}>;
const statement = (sid: string) => statements.find((s) => s.sid === sid)!;

/**
 * The user data as Terraform will compute it: the base64 literals decoded, each reference
 * replaced by `<terraform-reference>`.
 */
function decodedUserData(): string {
  const expression = instance.user_data_base64 as string;
  const inner = /^\$\{base64gzip\(join\("", \[(.*)\]\)\)\}$/s.exec(expression);
  expect(inner, expression.slice(0, 120)).not.toBeNull();
  const parts = inner![1]!.split(/, (?=base64decode\(|[a-z_]+\.)/);
  return parts
    .map((part) => {
      const literal = /^base64decode\("([A-Za-z0-9+/=]+)"\)$/.exec(part);
      if (literal) return Buffer.from(literal[1]!, "base64").toString("utf8");
      expect(part).toMatch(/^(aws_ebs_volume|aws_network_interface)\.[A-Za-z0-9_-]+\.(id|private_ip)$/);
      return "<terraform-reference>";
    })
    .join("");
}

describe("database host", () => {
  it("DB-1: one Graviton instance from configuration, in the first private data subnet, through a fixed interface", () => {
    // COST-1: 4 GiB (PostgreSQL shared_buffers 1 GiB, Valkey maxmemory 1 GiB, the OS and agents).
    expect(instance.instance_type).toBe("t4g.medium");
    expect(STAGING.dataPlane.mode === "host" && STAGING.dataPlane.instanceType).toBe("t4g.medium");
    expect(instance.primary_network_interface).toEqual({ network_interface_id: ref("aws_network_interface", "id") });
    expect(eni.subnet_id).toBe("subnet-data-a");
    expect(eni.security_groups).toEqual(["sg-database", "sg-redis"]);
    expect(instance.subnet_id).toBeUndefined();
    expect(instance.associate_public_ip_address).toBeUndefined();
    expect(json.output["private-ip"]!.value).toBe(ref("aws_network_interface", "private_ip"));
    expect(json.output["data-volume-id"]!.value).toBe(ref("aws_ebs_volume", "id"));
    expect(json.output["instance-id"]!.value).toBe(ref("aws_instance", "id"));
    expect(json.output["ca-parameter-arn"]!.value).toBe(ref("aws_ssm_parameter", "arn"));
  });

  it("DB-1: IMDSv2 required with hop limit 1, encrypted gp3 root, no key pair, staging without detailed monitoring (COST-1)", () => {
    expect(instance.metadata_options).toEqual({
      http_endpoint: "enabled",
      http_tokens: "required",
      http_put_response_hop_limit: 1,
      // The host reads nothing from its tags through IMDS.
      instance_metadata_tags: "disabled",
    });
    expect(instance.root_block_device).toEqual({
      encrypted: true,
      volume_type: "gp3",
      kms_key_id: stub.kmsKeyArn,
      delete_on_termination: true,
      // The operating system and packages only (the data lives on its own volume); AWS would give 8 GiB.
      volume_size: 20,
      tags: { Name: "tracker-staging-db-host-root" },
    });
    // EC2's own simplified automatic recovery stays on (the recover alarm acts on system failures too).
    expect(instance.maintenance_options).toEqual({ auto_recovery: "default" });
    expect(instance.key_name).toBeUndefined();
    expect(instance.monitoring).toBe(false);
    expect(instance.volume_tags).toBeUndefined(); // it would overwrite the data volume's tags
  });

  it("DB-1: the AMI is Canonical's current Ubuntu arm64 image and a new image never replaces the instance", () => {
    const ami = only("data", "aws_ssm_parameter");
    expect(ami.name).toBe(DATABASE_HOST_OS.amiParameter);
    expect(ami.name).toMatch(/ubuntu\/server\/22\.04\/stable\/current\/arm64/);
    expect(instance.ami).toMatch(/^\$\{data\.aws_ssm_parameter\.[^.]+\.insecure_value\}$/);
    expect(instance.lifecycle).toEqual({ ignore_changes: ["ami"] });
  });

  it("DB-1: shell access through SSM Session Manager only: the instance profile carries AmazonSSMManagedInstanceCore", () => {
    const role = all("resource", "aws_iam_role").find((r) => r.name === "tracker-staging-db-host")!;
    const trust = policyDocuments.find((d) =>
      (d.statement as any[]).some((s) => s.principals?.[0]?.identifiers?.includes("ec2.amazonaws.com")),
    )!;
    expect(role.assume_role_policy).toMatch(/^\$\{data\.aws_iam_policy_document\..+\.json\}$/);
    expect(trust).toBeDefined();
    const attachments = all("resource", "aws_iam_role_policy_attachment");
    expect(attachments.some((a) => a.policy_arn === "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore")).toBe(true);
    expect(only("resource", "aws_iam_instance_profile").name).toBe("tracker-staging-db-host");
    expect(instance.iam_instance_profile).toBe(ref("aws_iam_instance_profile", "name"));
  });

  it("DB-2: a separate encrypted gp3 data volume, sized from configuration, in the subnet's AZ, protected from destroy", () => {
    expect(volume).toMatchObject({
      availability_zone: "eu-central-1a",
      size: 40,
      type: "gp3",
      encrypted: true,
      kms_key_id: stub.kmsKeyArn,
      final_snapshot: true,
      lifecycle: { prevent_destroy: true },
    });
    expect(volume.tags).toEqual({ Name: "tracker-staging-db-data", "tracker:snapshot-policy": "tracker-staging-db-snapshots" });
    // Attached by the instance itself at boot: no Terraform attachment that a replacement would fight.
    expect(json.resource["aws_volume_attachment"]).toBeUndefined();
    expect(instance.ebs_block_device).toBeUndefined();
  });

  it("DB-3, SHR-1: a daily DLM snapshot policy selects the data volume by one tag only it carries, and keeps the configured number", () => {
    const dlm = only("resource", "aws_dlm_lifecycle_policy");
    expect(dlm.state).toBe("ENABLED");
    expect(dlm.policy_details.resource_types).toEqual(["VOLUME"]);
    // DLM ORs target tags: exactly one, in the project's namespace, valued with the policy's own name.
    expect(dlm.policy_details.target_tags).toEqual({ "tracker:snapshot-policy": "tracker-staging-db-snapshots" });
    expect(volume.tags["tracker:snapshot-policy"]).toBe("tracker-staging-db-snapshots");
    // The instance (and its root volume) does not carry it, and cannot stamp tags onto attached volumes.
    expect(instance.tags["tracker:snapshot-policy"]).toBeUndefined();
    expect(instance.root_block_device.tags["tracker:snapshot-policy"]).toBeUndefined();
    expect(instance.volume_tags).toBeUndefined();
    expect(dlm.policy_details.policy_type).toBe("EBS_SNAPSHOT_MANAGEMENT");
    expect(dlm.policy_details.schedule).toEqual([
      {
        name: "daily",
        create_rule: { interval: 24, interval_unit: "HOURS", times: ["03:00"] },
        retain_rule: { count: 7 },
        // A snapshot carries the volume's tags (Name, Project, Environment) and says which policy made it.
        copy_tags: true,
        tags_to_add: { SnapshotPolicy: "tracker-staging-db-snapshots" },
      },
    ]);
    expect(dlm.description).toBe("tracker-staging-db-data daily snapshots - 7 kept");
    expect(dlm.tags).toEqual({ Name: "tracker-staging-db-snapshots" });
    const dlmRole = all("resource", "aws_iam_role").find((r) => r.name === "tracker-staging-db-snapshots")!;
    expect(dlmRole).toBeDefined();
    const [dlmRoleName] = Object.entries(json.resource["aws_iam_role"]!).find(([, r]) => r.name === "tracker-staging-db-snapshots")!;
    expect(dlm.execution_role_arn).toBe(`\${aws_iam_role.${dlmRoleName}.arn}`);
    expect(
      all("resource", "aws_iam_role_policy_attachment").some(
        (a) => a.policy_arn === "arn:aws:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole",
      ),
    ).toBe(true);
  });

  it("DB-3, SHR-1: the snapshot role may use the volume's customer-managed key as the EBS documentation requires, on that key only, through EC2 only", () => {
    const [roleName] = Object.entries(json.resource["aws_iam_role"]!).find(([, r]) => r.name === "tracker-staging-db-snapshots")!;
    const inline = all("resource", "aws_iam_role_policy").filter((p) => p.role === `\${aws_iam_role.${roleName}.id}`);
    expect(inline).toHaveLength(1);
    const docEntry = Object.entries(json.data["aws_iam_policy_document"]!).find(([name]) => inline[0]!.policy === `\${data.aws_iam_policy_document.${name}.json}`);
    expect(docEntry, String(inline[0]!.policy)).toBeDefined();
    const doc = docEntry![1] as Record<string, any>;
    const ec2 = { test: "StringEquals", variable: "kms:ViaService", values: ["ec2.eu-central-1.amazonaws.com"] };
    // "Permissions for encryption" (Amazon EBS user guide, Data Lifecycle Manager): the key users'
    // permissions, kms:ReEncrypt* and kms:GenerateDataKey* written out, and grants for AWS resources only.
    expect(doc.statement).toEqual([
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
        resources: [stub.kmsKeyArn],
        condition: [ec2],
      },
      {
        sid: "GrantForTheSnapshotOnly",
        effect: "Allow",
        actions: ["kms:CreateGrant"],
        resources: [stub.kmsKeyArn],
        condition: [{ test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] }, ec2],
      },
    ]);
    // The key that encrypts the data volume is the key the role may use.
    expect(volume.kms_key_id).toBe(stub.kmsKeyArn);
  });

  it("DB-4: the user data is gzip'd cloud-init, applied in place, and is exactly the rendered files", () => {
    expect(instance.user_data).toBeUndefined();
    expect(instance.user_data_replace_on_change).toBe(false);
    const text = decodedUserData();
    expect(text.startsWith("#cloud-config\n")).toBe(true);
    expect(text).toContain("DATA_VOLUME_ID='<terraform-reference>'");
    expect(text).toContain("PRIVATE_IP='<terraform-reference>'");
    const expected = expectedUserData("<terraform-reference>", "<terraform-reference>");
    expect(text).toBe(expected);
    // Terraform gzips it; EC2 takes at most 16 KB.
    expect(gzipSync(text).length).toBeLessThan(14 * 1024);
  });

  it("DB-4: Terraform itself evaluates the user data expression to exactly the rendered cloud-config", (ctx) => {
    requireTool(ctx, TERRAFORM);
    const dir = mkdtempSync(join(tmpdir(), "tracker-db-console-"));
    const expression = (instance.user_data_base64 as string)
      .slice(2, -1)
      .replace(/aws_ebs_volume\.[A-Za-z0-9_-]+\.id/, '"vol-0123456789abcdef0"')
      .replace(/aws_network_interface\.[A-Za-z0-9_-]+\.private_ip/, '"10.42.64.10"');
    const result = spawnSync("terraform", ["console"], {
      cwd: dir,
      input: `${expression}\n`,
      encoding: "utf8",
      env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" },
      timeout: 60_000,
    });
    rmSync(dir, { recursive: true, force: true });
    const encoded = /"(H4sI[A-Za-z0-9+/=]+)"/.exec(result.stdout);
    expect(encoded, result.stderr).not.toBeNull();
    const text = gunzipSync(Buffer.from(encoded![1]!, "base64")).toString("utf8");
    expect(text).toBe(
      expectedUserData("vol-0123456789abcdef0", "10.42.64.10"),
    );
  });

  it("DB-6: the CA certificate parameter exists for clients and only the host writes its value", () => {
    const parameter = only("resource", "aws_ssm_parameter");
    expect(parameter).toMatchObject({
      name: "/tracker/staging/database-ca-certificate",
      type: "String",
      value: CA_PARAMETER_PLACEHOLDER,
      lifecycle: { ignore_changes: ["value"] },
    });
    expect(host.caCertificateParameterName).toBe("/tracker/staging/database-ca-certificate");
    expect(decodedUserData()).toContain("CA_CERTIFICATE_PARAMETER_NAME='/tracker/staging/database-ca-certificate'");
  });

  it("DB-7: the host reads exactly its two secrets; IAM grants name exact ARNs and no action is a wildcard", () => {
    for (const s of statements) for (const action of s.actions) expect(action).not.toContain("*");
    expect(statement("ReadPasswords")).toMatchObject({
      actions: ["secretsmanager:GetSecretValue"],
      resources: [stub.postgresPasswordSecretArn, stub.redisPasswordSecretArn],
    });
    expect(statement("PublishCaCertificate").resources).toEqual([ref("aws_ssm_parameter", "arn")]);
    expect(statement("AttachTheDataVolume").resources).toEqual([ref("aws_ebs_volume", "arn")]);
    // SHR-1: the instance is selected by a tag only this project's host carries.
    expect(statement("AttachToTheDatabaseHostOnly").condition).toContainEqual({
      test: "StringEquals",
      variable: "aws:ResourceTag/tracker:role",
      values: ["tracker-staging-db-host"],
    });
    expect(instance.tags).toMatchObject({ "tracker:role": "tracker-staging-db-host" });
    expect(statement("DecryptSecretsAndVolumes").resources).toEqual([stub.kmsKeyArn]);
    // Only actions without resource-level permissions use "*", and metrics are limited to the namespace.
    const wildcard = statements.filter((s) => s.resources.includes("*")).map((s) => s.sid);
    expect(wildcard.sort()).toEqual(["PublishHealthMetrics", "SeeTheDataVolume"]);
    expect(statement("SeeTheDataVolume").actions).toEqual(["ec2:DescribeVolumes"]);
    expect(statement("PublishHealthMetrics").condition).toEqual([
      { test: "StringEquals", variable: "cloudwatch:namespace", values: [DATABASE_HOST_METRICS.namespace] },
    ]);
  });

  it("DB-7: the host's policy, statement by statement, as a reviewer reads it", () => {
    const viaEc2 = { test: "StringEquals", variable: "kms:ViaService", values: ["ec2.eu-central-1.amazonaws.com"] };
    expect(hostPolicy.statement).toEqual([
      { sid: "ReadPasswords", effect: "Allow", actions: ["secretsmanager:GetSecretValue"], resources: [stub.postgresPasswordSecretArn, stub.redisPasswordSecretArn] },
      {
        sid: "DecryptSecretsAndVolumes",
        effect: "Allow",
        actions: ["kms:Decrypt", "kms:DescribeKey"],
        resources: [stub.kmsKeyArn],
        condition: [{ test: "StringEquals", variable: "kms:ViaService", values: ["secretsmanager.eu-central-1.amazonaws.com", "ec2.eu-central-1.amazonaws.com"] }],
      },
      {
        sid: "GrantEncryptedVolumeAttachment",
        effect: "Allow",
        actions: ["kms:CreateGrant"],
        resources: [stub.kmsKeyArn],
        condition: [{ test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] }, viaEc2],
      },
      { sid: "PublishCaCertificate", effect: "Allow", actions: ["ssm:GetParameter", "ssm:PutParameter"], resources: [ref("aws_ssm_parameter", "arn")] },
      { sid: "AttachTheDataVolume", effect: "Allow", actions: ["ec2:AttachVolume"], resources: [ref("aws_ebs_volume", "arn")] },
      {
        sid: "AttachToTheDatabaseHostOnly",
        effect: "Allow",
        actions: ["ec2:AttachVolume"],
        resources: ["arn:aws:ec2:eu-central-1:802732539686:instance/*"],
        condition: [
          { test: "StringEquals", variable: "aws:ResourceTag/tracker:role", values: ["tracker-staging-db-host"] },
          { test: "StringEquals", variable: "aws:ResourceTag/Environment", values: ["staging"] },
        ],
      },
      { sid: "SeeTheDataVolume", effect: "Allow", actions: ["ec2:DescribeVolumes"], resources: ["*"] },
      {
        sid: "PublishHealthMetrics",
        effect: "Allow",
        actions: ["cloudwatch:PutMetricData"],
        resources: ["*"],
        condition: [{ test: "StringEquals", variable: "cloudwatch:namespace", values: ["Tracker/DatabaseHost"] }],
      },
    ]);
  });

  it("ACC-5: what the console shows of the host: names, descriptions and Name tags", () => {
    expect(eni.description).toBe("tracker-staging-db-host: PostgreSQL and Valkey (fixed address of db and redis)");
    expect(eni.tags).toEqual({ Name: "tracker-staging-db-host" });
    expect(only("resource", "aws_ssm_parameter").description).toBe(
      "CA certificate (PEM) of the staging database host: verifies PostgreSQL and Valkey TLS (db, redis)",
    );
    const roles = Object.fromEntries(all("resource", "aws_iam_role").map((r) => [r.name, r.description]));
    expect(roles).toEqual({
      "tracker-staging-db-host": "Instance role of the staging database host",
      "tracker-staging-db-snapshots": "Data Lifecycle Manager: daily snapshots of the staging database volume",
    });
    expect(all("resource", "aws_iam_role_policy").map((p) => p.name).sort()).toEqual(["tracker-staging-db-host", "tracker-staging-db-snapshots-key"]);
    expect(only("resource", "aws_iam_instance_profile").name).toBe("tracker-staging-db-host");
    expect(instance.tags).toEqual({ Name: "tracker-staging-db-host", "tracker:role": "tracker-staging-db-host" });
    expect(instance.root_block_device.tags).toEqual({ Name: "tracker-staging-db-host-root" });
    expect(volume.tags["Name"]).toBe("tracker-staging-db-data");
  });

  it("DB-7: no secret value anywhere in the synthesized JSON or the user data", () => {
    expect(json.resource["aws_secretsmanager_secret_version"]).toBeUndefined();
    expect(synthesized).not.toMatch(/secret_string|password"\s*:/i);
    const text = decodedUserData();
    const settings = text.split("\n").filter((l) => /^\s+[A-Z0-9_]+='/.test(l));
    for (const line of settings) {
      const [name] = line.trim().split("=");
      if (/(^|_)(PASSWORD|SECRET|KEY)(_|$)/.test(name!)) expect(name).toMatch(/_SECRET_ARN$/);
    }
    expect(text).not.toMatch(/requirepass\s+\S+[^"]$/m);
  });

  it("DB-8: a StatusCheckFailed_System alarm recovers the instance through EC2's recover action", () => {
    const alarm = all("resource", "aws_cloudwatch_metric_alarm").find((a) => a.metric_name === "StatusCheckFailed_System")!;
    expect(alarm).toMatchObject({
      alarm_name: "tracker-staging-db-host-recover",
      namespace: "AWS/EC2",
      dimensions: { InstanceId: ref("aws_instance", "id") },
      // A failed check in either of two one-minute periods, as its description says.
      statistic: "Maximum",
      period: 60,
      evaluation_periods: 2,
      comparison_operator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      // A host stopped for the night publishes nothing: that keeps the state, it is no failure.
      treat_missing_data: "missing",
    });
    expect(alarm.alarm_actions).toEqual(["arn:aws:automate:eu-central-1:ec2:recover", stub.alarmTopicArn]);
    expect(alarm.ok_actions).toEqual([stub.alarmTopicArn]);
    expect(alarm.alarm_description).toBe(
      "The staging database host failed its EC2 system status check for 2 minutes: EC2 recovers it onto healthy hardware (same instance ID, private IP and volumes). To do: check the instance in the EC2 console if the alarm does not clear within 15 minutes.",
    );
  });

  it("DB-8: without an alarm topic the recover alarm only recovers, and notifies nobody", () => {
    const stack = new TerraformStack(Testing.app(), "database-host-without-topic");
    new AwsProvider(stack, "aws", { region: STAGING.region, allowedAccountIds: [STAGING.accountId] });
    const { alarmTopicArn: _topic, ...withoutTopic } = stub;
    new DatabaseHost(stack, "database-host", { environment: STAGING, ...withoutTopic, internalNamespaceName: internalNamespace("staging") });
    const alarms = Object.values((JSON.parse(Testing.synth(stack)) as Json).resource["aws_cloudwatch_metric_alarm"] ?? {});
    expect(alarms.map((a) => [a["alarm_name"], a["alarm_actions"], a["ok_actions"]])).toEqual([
      // (an empty ok_actions list is left out of the JSON)
      ["tracker-staging-db-host-recover", ["arn:aws:automate:eu-central-1:ec2:recover"], undefined],
    ]);
  });

  it("DB-8: the probe's metrics are published under the namespace the alarms use", () => {
    expect(host.metricNamespace).toBe("Tracker/DatabaseHost");
    expect(DATABASE_HOST_METRICS).toMatchObject({
      dimensionName: "Environment",
      postgresUp: "PostgresUp",
      valkeyUp: "ValkeyUp",
      dataVolumeUsedPercent: "DataVolumeUsedPercent",
      rootVolumeUsedPercent: "RootVolumeUsedPercent",
    });
    expect(decodedUserData()).toContain("METRIC_NAMESPACE='Tracker/DatabaseHost'");
  });

  it("PRD-2: production, whose data plane is external, cannot build a database host", () => {
    const other = new TerraformStack(Testing.app(), "production-host");
    expect(
      () =>
        new DatabaseHost(other, "database-host", {
          environment: PRODUCTION,
          ...stub,
          internalNamespaceName: internalNamespace("production"),
        }),
    ).toThrow(/production\.dataPlane: mode is "external"/);
  });
});
