/**
 * Cluster and services (ECS-1..ECS-11, CFG-3, EFS-2): the EcsCluster, ImageTags and a FargateService
 * for every catalog row, in a test stack per environment whose inputs are real stub resources
 * (secrets, parameters, repositories, log groups, target groups, Cloud Map services, EFS, alarms),
 * so every reference in the synthesized JSON can be followed to the resource it names.
 * Each stack is synthesized once per file.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EfsAccessPoint } from "@cdktf/provider-aws/lib/efs-access-point";
import { EfsFileSystem } from "@cdktf/provider-aws/lib/efs-file-system";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { ServiceDiscoveryPrivateDnsNamespace } from "@cdktf/provider-aws/lib/service-discovery-private-dns-namespace";
import { ServiceDiscoveryService } from "@cdktf/provider-aws/lib/service-discovery-service";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { describe, expect, it } from "vitest";
import { requireTool, TERRAFORM } from "./support/tools";
import { awsProvider } from "../stacks/providers";
import { Lazy, TerraformStack, Testing } from "../src/cdktf";
import { EcsCluster } from "../src/compute/cluster";
import { containerDefinitionsJson, FargateService, type FargateServiceProps, type RuntimeValueReference, volumeNameOf } from "../src/compute/fargate-service";
import { ImageTags } from "../src/compute/image-tags";
import { PRODUCTION, STAGING } from "../src/config/environments";
import {
  clusterName,
  environmentVariableName,
  imageTagVariableName,
  internalNamespace,
  parameterName,
  repositoryName,
  resourceName,
  secretName,
  serviceLogGroupName,
  serviceResourceName,
} from "../src/config/naming";
import { SERVICE_CATALOG } from "../src/config/service-catalog";
import type {
  EnvironmentDefinition,
  ParameterName,
  SecretName,
  ServiceDefinition,
  ServiceName,
} from "../src/config/types";
import { fargateMemoryOptions } from "../src/config/validate";
import { EnvironmentKey } from "../src/encryption/environment-key";
import { CreatedNetwork } from "../src/network/created-network";
import { SecurityGroupMatrix } from "../src/network/security-groups";
import { dataSources, only, referencedAddresses, resources, type SynthesizedStack, builtOrFailEachTest } from "./support/synth";
import { ANISETTE_PORT, LOG_RETENTION_DAYS, WEB_SERVICES, WORKER_HEALTH_COMMAND, WORKERS, webHealthCommand } from "./support/contract";

/** The container ports the images listen on (the contract), none for workers. */
const contractPorts = (service: string): number[] | undefined =>
  service in WEB_SERVICES ? [WEB_SERVICES[service as keyof typeof WEB_SERVICES].port] : service === "anisette" ? [ANISETTE_PORT] : undefined;

const ALL_SECRETS: readonly SecretName[] = ["postgres-password", "secret-key", "redis-password"];
const ALL_PARAMETERS: readonly ParameterName[] = [
  "api-url",
  "postgres-host",
  "postgres-port",
  "postgres-db",
  "postgres-user",
  "redis-host",
  "redis-port",
  "redis-user",
  "redis-tls",
  "redis-cluster",
  "access-token-expire-minutes",
  "refresh-token-expire-days",
  "algorithm",
  "anisette-url",
  "database-ca-certificate",
];

/** A stack holding the compute constructs, fed by real stub resources of the other concerns. */
class ServicesTestStack extends TerraformStack {
  readonly services: Partial<Record<ServiceName, FargateService>> = {};

  constructor(scope: ReturnType<typeof Testing.app>, env: EnvironmentDefinition) {
    super(scope, `services-${env.name}`);
    awsProvider(this, env);
    const key = new EnvironmentKey(this, "key", { environment: env });
    if (env.network.mode !== "create") throw new Error("the test stack creates its network");
    const network = new CreatedNetwork(this, "network", { environment: env, definition: env.network, kmsKeyArn: key.arn });
    const groups = new SecurityGroupMatrix(this, "security-groups", {
      environment: env.name,
      vpcId: network.vpcId,
      catalog: SERVICE_CATALOG,
      dataPlane: env.dataPlane,
    });

    const secrets: Partial<Record<SecretName, RuntimeValueReference>> = {};
    for (const name of ALL_SECRETS) {
      const s = new SecretsmanagerSecret(this, `secret-${name}`, { name: secretName(env.name, name), kmsKeyId: key.arn });
      secrets[name] = { arn: s.arn, name: s.name };
    }
    const parameters: Partial<Record<ParameterName, RuntimeValueReference>> = {};
    for (const name of ALL_PARAMETERS) {
      const p = new SsmParameter(this, `parameter-${name}`, { name: parameterName(env.name, name), type: "String", value: "stub" });
      parameters[name] = { arn: p.arn, name: p.name };
    }
    const namespace = new ServiceDiscoveryPrivateDnsNamespace(this, "namespace", {
      name: internalNamespace(env.name),
      vpc: network.vpcId,
    });
    const fileSystem = new EfsFileSystem(this, "anisette-efs", { encrypted: true, kmsKeyId: key.arn });
    const accessPoint = new EfsAccessPoint(this, "anisette-access-point", {
      fileSystemId: fileSystem.id,
      posixUser: { uid: 1000, gid: 1000 },
      rootDirectory: { path: "/anisette", creationInfo: { ownerUid: 1000, ownerGid: 1000, permissions: "0750" } },
    });

    const cluster = new EcsCluster(this, "cluster", { environment: env, kmsKeyArn: key.arn });
    const tags = new ImageTags(this, "image-tags", { environment: env, catalog: SERVICE_CATALOG });

    for (const def of SERVICE_CATALOG) {
      const repository = new EcrRepository(this, `repository-${def.name}`, {
        name: repositoryName(env.name, def.repository),
        imageTagMutability: "IMMUTABLE",
      });
      const logGroup = new CloudwatchLogGroup(this, `log-group-${def.name}`, {
        name: serviceLogGroupName(env.name, def.name),
        retentionInDays: env.logRetentionDays,
        kmsKeyId: key.arn,
      });
      const alarm = new CloudwatchMetricAlarm(this, `alarm-${def.name}`, {
        alarmName: resourceName(env.name, `${def.name}-running-tasks`),
        namespace: "ECS/ContainerInsights",
        metricName: "RunningTaskCount",
        dimensions: { ClusterName: clusterName(env.name), ServiceName: serviceResourceName(env.name, def.name) },
        statistic: "Minimum",
        period: 60,
        evaluationPeriods: 3,
        threshold: 1,
        comparisonOperator: "LessThanThreshold",
      });
      const discovery = new ServiceDiscoveryService(this, `discovery-${def.name}`, {
        name: def.discoveryName,
        dnsConfig: { namespaceId: namespace.id, dnsRecords: [{ type: "A", ttl: 10 }], routingPolicy: "MULTIVALUE" },
      });
      const targetGroup =
        def.kind === "public-web"
          ? new LbTargetGroup(this, `target-group-${def.name}`, {
              name: resourceName(env.name, def.name),
              port: def.port!,
              protocol: "HTTP",
              targetType: "ip",
              vpcId: network.vpcId,
              healthCheck: { path: def.healthPath! },
            })
          : undefined;
      // DLV-1: the canary's alternate group (here a plain twin; the stack's is LoadBalancer's).
      const alternate =
        def.kind === "public-web"
          ? new LbTargetGroup(this, `target-group-${def.name}-alternate`, {
              name: resourceName(env.name, `${def.name}-alt`),
              port: def.port!,
              protocol: "HTTP",
              targetType: "ip",
              vpcId: network.vpcId,
              healthCheck: { path: def.healthPath! },
            })
          : undefined;
      const props: FargateServiceProps = {
        environment: env,
        service: def,
        cluster,
        repository: { url: repository.repositoryUrl, arn: repository.arn },
        imageTag: tags.tagOf(def.name),
        secrets,
        parameters,
        logGroup: { name: logGroup.name, arn: logGroup.arn },
        subnetIds: network.applicationSubnetIds,
        securityGroupId: groups.groupOf(def).id,
        kmsKeyArn: key.arn,
        deploymentAlarmNames: [alarm.alarmName],
        serviceDiscoveryArn: discovery.arn,
        ...(targetGroup && alternate
          ? {
              targetGroupArn: targetGroup.arn,
              canary: {
                alternateTargetGroupArn: alternate.arn,
                productionListenerRuleArn: `arn:aws:elasticloadbalancing:${env.region}:${env.accountId}:listener-rule/app/${resourceName(env.name, "alb")}/0123456789abcdef/0123456789abcdef/${def.name}`,
                roleArn: `arn:aws:iam::${env.accountId}:role/${resourceName(env.name, `${def.name}-traffic-shift`)}`,
              },
            }
          : {}),
        ...(def.storage
          ? {
              fileSystem: {
                fileSystemId: fileSystem.id,
                fileSystemArn: fileSystem.arn,
                accessPointId: accessPoint.id,
                accessPointArn: accessPoint.arn,
              },
            }
          : {}),
      };
      this.services[def.name] = new FargateService(this, `service-${def.name}`, props);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Reading the synthesized JSON
// ---------------------------------------------------------------------------------------------

interface Statement {
  sid: string;
  effect?: string;
  actions: string[];
  resources: string[];
  condition?: { test: string; variable: string; values: string[] }[];
}

interface Container {
  name: string;
  image: string;
  essential: boolean;
  portMappings?: { containerPort: number; hostPort: number; protocol: string }[];
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
  logConfiguration: { logDriver: string; options: Record<string, string> };
  healthCheck: { command: string[]; interval: number; timeout: number; retries: number; startPeriod: number };
  readonlyRootFilesystem: boolean;
  mountPoints: { sourceVolume: string; containerPath: string; readOnly: boolean }[];
  linuxParameters: { initProcessEnabled: boolean; tmpfs?: { containerPath: string; size: number; mountOptions: string[] }[] };
  stopTimeout: number;
  privileged?: boolean;
  user?: string;
  command?: string[];
}

/** Everything about one catalog service, found by following references from its ECS service. */
interface ServiceView {
  address: string;
  service: Record<string, any>;
  taskDefinition: Record<string, any>;
  container: Container;
  executionStatements: Statement[];
  /** Undefined when the task role has no policy at all. */
  taskStatements: Statement[] | undefined;
  executionTrust: Statement[];
  taskTrust: Statement[];
}

/** `${aws_x.name.attr}` -> `aws_x.name` (exactly one reference, the whole string). */
function addressOf(expression: unknown): string {
  const refs = referencedAddresses(expression);
  if (refs.length !== 1) throw new Error(`expected one reference in ${JSON.stringify(expression)}`);
  return refs[0]!;
}

function resourceAt(stack: SynthesizedStack, address: string): Record<string, any> {
  const [type, name] = address.split(".") as [string, string];
  const r = stack.resource?.[type]?.[name];
  if (!r) throw new Error(`no resource ${address}`);
  return r as Record<string, any>;
}

function documentStatements(stack: SynthesizedStack, expression: unknown): Statement[] {
  const m = /^\$\{data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.json\}$/.exec(String(expression));
  if (!m) throw new Error(`not a policy document reference: ${String(expression)}`);
  const doc = stack.data?.["aws_iam_policy_document"]?.[m[1]!] as { statement: Statement[] } | undefined;
  if (!doc) throw new Error(`no policy document ${m[1]}`);
  return doc.statement;
}

/** The inline policy statements of the role an ARN expression points at (undefined: no policy). */
function rolePolicy(stack: SynthesizedStack, roleArn: unknown): { statements: Statement[] | undefined; trust: Statement[] } {
  const roleAddress = addressOf(roleArn);
  const role = resourceAt(stack, roleAddress);
  const attached = resources(stack, "aws_iam_role_policy").filter(([, p]) => addressOf(p["role"]) === roleAddress);
  if (attached.length > 1) throw new Error(`${roleAddress} has ${attached.length} inline policies`);
  const attachments = resources(stack, "aws_iam_role_policy_attachment").filter(([, p]) => referencedAddresses(p["role"]).includes(roleAddress));
  if (attachments.length > 0 || role["managed_policy_arns"]) throw new Error(`${roleAddress} has managed policies`);
  return {
    statements: attached[0] ? documentStatements(stack, attached[0][1]["policy"]) : undefined,
    trust: documentStatements(stack, role["assume_role_policy"]),
  };
}

function view(stack: SynthesizedStack, env: EnvironmentDefinition, name: ServiceName): ServiceView {
  const [address, service] = only(stack, "aws_ecs_service", (s) => s["name"] === serviceResourceName(env.name, name));
  const taskDefinition = resourceAt(stack, addressOf(service["task_definition"]));
  const containers = JSON.parse(taskDefinition["container_definitions"]) as Container[];
  expect(containers).toHaveLength(1);
  const execution = rolePolicy(stack, taskDefinition["execution_role_arn"]);
  const task = rolePolicy(stack, taskDefinition["task_role_arn"]);
  return {
    address: `aws_ecs_service.${address}`,
    service,
    taskDefinition,
    container: containers[0]!,
    executionStatements: execution.statements ?? [],
    taskStatements: task.statements,
    executionTrust: execution.trust,
    taskTrust: task.trust,
  };
}

/** The name of the resource an expression references, e.g. a secret's `name`. */
function nameBehind(stack: SynthesizedStack, expression: string, attribute = "name"): unknown {
  return resourceAt(stack, addressOf(expression))[attribute];
}

const statement = (statements: readonly Statement[] | undefined, sid: string) => statements?.find((s) => s.sid === sid);

// ---------------------------------------------------------------------------------------------

const ENVIRONMENTS = [STAGING, PRODUCTION] as const;
const synthesized = new Map<string, { json: SynthesizedStack; views: Map<ServiceName, ServiceView> }>();

// Built while the file is collected; a build that throws fails every test (support/synth.ts).
builtOrFailEachTest(() => {
  for (const env of ENVIRONMENTS) {
    const json = JSON.parse(Testing.synth(new ServicesTestStack(Testing.app(), env))) as SynthesizedStack;
    const views = new Map(SERVICE_CATALOG.map((s) => [s.name, view(json, env, s.name)] as const));
    synthesized.set(env.name, { json, views });
  }
}, undefined);

const stackOf = (env: EnvironmentDefinition) => synthesized.get(env.name)!.json;
const viewOf = (env: EnvironmentDefinition, name: ServiceName) => synthesized.get(env.name)!.views.get(name)!;
const web = SERVICE_CATALOG.filter((s) => s.kind === "public-web");
const notWeb = SERVICE_CATALOG.filter((s) => s.kind !== "public-web");

describe.each(ENVIRONMENTS)("services in $name", (env) => {
  /** The reviewer's table (COST-1): staging saves on Spot and Container Insights, production does not. */
  const LEVERS = {
    staging: { insights: "disabled", provider: "FARGATE_SPOT" },
    production: { insights: "enhanced", provider: "FARGATE" },
  } as const;

  it("ECS-1/COST-1: one cluster named tracker-<env>-cluster, its Container Insights level and Fargate capacity providers", () => {
    const stack = stackOf(env);
    const clusters = resources(stack, "aws_ecs_cluster");
    expect(clusters).toHaveLength(1);
    const [clusterId, cluster] = clusters[0]!;
    expect(cluster["name"]).toBe(clusterName(env.name));
    expect(cluster["setting"]).toEqual([{ name: "containerInsights", value: LEVERS[env.name].insights }]);
    const [, providers] = only(stack, "aws_ecs_cluster_capacity_providers");
    expect(providers["cluster_name"]).toBe(`\${aws_ecs_cluster.${clusterId}.name}`);
    // A service's strategy may only name providers its cluster has.
    expect(providers["capacity_providers"]).toEqual(["FARGATE", "FARGATE_SPOT"]);
    expect(providers["default_capacity_provider_strategy"]).toEqual([{ capacity_provider: LEVERS[env.name].provider, weight: 1, base: 0 }]);
    for (const s of SERVICE_CATALOG) expect(viewOf(env, s.name).service["cluster"]).toBe(`\${aws_ecs_cluster.${clusterId}.arn}`);
  });

  it("ECS-2: exactly one task definition and one ECS service per catalog row, named after it", () => {
    const stack = stackOf(env);
    const expected = SERVICE_CATALOG.map((s) => serviceResourceName(env.name, s.name)).sort();
    expect(resources(stack, "aws_ecs_service").map(([, s]) => s["name"]).sort()).toEqual(expected);
    expect(resources(stack, "aws_ecs_task_definition").map(([, t]) => t["family"]).sort()).toEqual(expected);
    for (const s of SERVICE_CATALOG) {
      const v = viewOf(env, s.name);
      expect(v.taskDefinition["family"]).toBe(serviceResourceName(env.name, s.name));
      expect(v.container.name).toBe(s.name);
      expect(v.container.essential).toBe(true);
      // Old revisions stay ACTIVE for rollbacks (docs/DESIGN.md "Who owns the task definition").
      expect(v.taskDefinition["skip_destroy"]).toBe(true);
    }
  });

  it("ECS-3: Fargate, awsvpc, private application subnets, no public IP, catalog architecture, env CPU/memory", () => {
    const stack = stackOf(env);
    const network = env.network;
    if (network.mode !== "create") throw new Error("test expects a created network");
    const applicationSubnets = resources(stack, "aws_subnet")
      .filter(([, s]) => network.subnets.application.includes(s["cidr_block"]))
      .map(([id]) => `aws_subnet.${id}`)
      .sort();
    expect(applicationSubnets).toHaveLength(env.availabilityZones.length);
    for (const s of SERVICE_CATALOG) {
      const v = viewOf(env, s.name);
      const sizing = env.services[s.name];
      expect(v.taskDefinition["requires_compatibilities"]).toEqual(["FARGATE"]);
      expect(v.taskDefinition["network_mode"]).toBe("awsvpc");
      expect(v.taskDefinition["cpu"]).toBe(String(sizing.cpu));
      expect(v.taskDefinition["memory"]).toBe(String(sizing.memory));
      expect(fargateMemoryOptions(Number(v.taskDefinition["cpu"]))).toContain(Number(v.taskDefinition["memory"]));
      expect(v.taskDefinition["runtime_platform"]).toEqual({ operating_system_family: "LINUX", cpu_architecture: s.architecture });
      // A capacity provider strategy, not a launch type (the two exclude each other).
      expect(v.service["launch_type"]).toBeUndefined();
      expect(v.service["capacity_provider_strategy"]).toEqual([{ capacity_provider: LEVERS[env.name].provider, weight: 1, base: 0 }]);
      expect(v.service["platform_version"]).toBe("LATEST");
      const net = v.service["network_configuration"];
      expect(net["assign_public_ip"]).toBe(false);
      expect(net["subnets"].map(addressOf).sort()).toEqual(applicationSubnets);
      const groupName = s.kind === "public-web" ? "application" : s.kind === "worker" ? "workers" : s.name;
      expect(net["security_groups"]).toHaveLength(1);
      expect(nameBehind(stack, net["security_groups"][0], "tags")).toEqual({ Name: resourceName(env.name, groupName) });
      // awsvpc: a host port, if any, equals the container port (ECS-8: no host port mappings).
      for (const p of v.container.portMappings ?? []) {
        expect(p.hostPort).toBe(p.containerPort);
        expect(p.protocol).toBe("tcp");
      }
      expect(v.container.portMappings?.map((p) => p.containerPort), s.name).toEqual(contractPorts(s.name));
    }
    expect(SERVICE_CATALOG.find((s) => s.name === "anisette")!.architecture).toBe("X86_64");
  });

  it("ECS-4: each container logs with awslogs to its own /ecs/tracker-<env>/<service> group", () => {
    const stack = stackOf(env);
    for (const s of SERVICE_CATALOG) {
      const { logDriver, options } = viewOf(env, s.name).container.logConfiguration;
      expect(logDriver).toBe("awslogs");
      expect(nameBehind(stack, options["awslogs-group"]!)).toBe(serviceLogGroupName(env.name, s.name));
      expect(options["awslogs-region"]).toBe(env.region);
      expect(options["awslogs-stream-prefix"]).toBe(s.name);
      // A slow CloudWatch Logs API must not block the application's stdout (the default, blocking
      // mode stalls the process on a full pipe); 25 MiB of buffer before lines are dropped.
      expect(options["mode"]).toBe("non-blocking");
      expect(options["max-buffer-size"]).toBe("25m");
      expect(Object.keys(options).sort()).toEqual(["awslogs-group", "awslogs-region", "awslogs-stream-prefix", "max-buffer-size", "mode"]);
    }
    // The service constructs create no log group of their own (the observability construct does).
    const groups = resources(stack, "aws_cloudwatch_log_group").map(([, g]) => g["name"]);
    expect(groups.filter((n: string) => n.startsWith(`/ecs/tracker-${env.name}/`)).sort()).toEqual(
      SERVICE_CATALOG.map((s) => serviceLogGroupName(env.name, s.name)).sort(),
    );
  });

  it("ECS-5: a container health check for every service; ALB target group and grace period for web services only", () => {
    const stack = stackOf(env);
    for (const s of SERVICE_CATALOG) {
      const v = viewOf(env, s.name);
      const { command, ...timing } = v.container.healthCheck!;
      expect(timing, s.name).toEqual({ interval: 30, timeout: 5, retries: 3, startPeriod: 60 });
      if (s.name in WEB_SERVICES) expect(command).toEqual(webHealthCommand(s.name as keyof typeof WEB_SERVICES));
      else if (WORKERS.includes(s.name)) expect(command).toEqual(WORKER_HEALTH_COMMAND);
      else expect(command.join(" "), s.name).toMatch(new RegExp(`127\\.0\\.0\\.1:${ANISETTE_PORT}\\b`));
    }
    for (const s of web) {
      const v = viewOf(env, s.name);
      const lbs = v.service["load_balancer"] as Record<string, any>[];
      expect(lbs).toHaveLength(1);
      expect(lbs[0]!["container_name"]).toBe(s.name);
      const contract = WEB_SERVICES[s.name as keyof typeof WEB_SERVICES];
      expect(lbs[0]!["container_port"]).toBe(contract.port);
      const tg = resourceAt(stack, addressOf(lbs[0]!["target_group_arn"]));
      expect(tg["name"]).toBe(resourceName(env.name, s.name));
      expect(tg["port"]).toBe(contract.port);
      // DLV-1: the canary's alternate group, the rule ECS shifts and the role it shifts with.
      const advanced = lbs[0]!["advanced_configuration"] as Record<string, string>;
      expect(resourceAt(stack, addressOf(advanced["alternate_target_group_arn"]!))["name"]).toBe(resourceName(env.name, `${s.name}-alt`));
      expect(advanced["production_listener_rule"]).toMatch(new RegExp(`:listener-rule/app/tracker-${env.name}-alb/.+/${s.name}$`));
      expect(advanced["role_arn"]).toBe(`arn:aws:iam::${env.accountId}:role/tracker-${env.name}-${s.name}-traffic-shift`);
      // The container's 60 s start period and one more ALB round (ECS-5).
      expect(v.service["health_check_grace_period_seconds"]).toBe(90);
    }
    for (const s of notWeb) {
      const v = viewOf(env, s.name);
      expect(v.service["load_balancer"]).toBeUndefined();
      expect(v.service["health_check_grace_period_seconds"]).toBeUndefined();
    }
  });

  it("ECS-5, IMG-1: the application images' /tmp (workers' heartbeat) is a writable bind mount under a read-only root", () => {
    // The seven application images: /tmp on the task's ephemeral storage, the image's own USER.
    for (const s of SERVICE_CATALOG.filter((x) => x.name !== "anisette")) {
      const c = viewOf(env, s.name).container;
      expect(c.readonlyRootFilesystem).toBe(true);
      const tmp = c.mountPoints.find((m) => m.containerPath === "/tmp");
      expect(tmp?.readOnly).toBe(false);
      const volumes = viewOf(env, s.name).taskDefinition["volume"] as Record<string, any>[];
      // ECS volume names: letters, digits, hyphens and underscores only.
      expect(tmp!.sourceVolume).toBe("tmp");
      expect(volumes.find((vol) => vol["name"] === "tmp")).toEqual({ name: "tmp" });
      expect(c.privileged).toBeUndefined();
      expect(c.user).toBeUndefined();
      expect(c.command).toBeUndefined();
      expect(c.linuxParameters).toEqual({ initProcessEnabled: true });
      // As long as the target groups' 30 s deregistration delay (Fargate allows up to 120).
      expect(c.stopTimeout).toBe(30);
    }
  });

  it("IMG-1: anisette's health check uses curl (its image has no wget) on its own port 6969 and GET /", () => {
    // Dadoum/anisette-v3-server Dockerfile, runtime stage: debian:stable-slim + ca-certificates curl.
    // source/app.d: listens on 0.0.0.0:6969; GET / answers 200 with anisette v1 headers.
    const c = viewOf(env, "anisette").container;
    expect(c.healthCheck.command).toEqual(["CMD-SHELL", "curl -fsS -o /dev/null http://127.0.0.1:6969/ || exit 1"]);
    expect(JSON.stringify(c)).not.toContain("wget");
    expect(c.portMappings).toEqual([{ containerPort: 6969, hostPort: 6969, protocol: "tcp" }]);
  });

  it("IMG-1: anisette runs as the image's user 1000:1000 and keeps its provisioning state on EFS /data", () => {
    // Dockerfile: `useradd -ms /bin/bash Alcoholic` (the first user: uid/gid 1000), USER Alcoholic,
    // ENTRYPOINT ["/opt/anisette-v3-server"]. app.d: `-a|--adi-path` (default ~/.config/anisette-v3)
    // holds device.json, adi.pb and lib/ (Apple's libraries); the flag points it at the EFS mount.
    const v = viewOf(env, "anisette");
    expect(v.container.user).toBe("1000:1000");
    expect(v.container.command).toEqual(["--adi-path", "/data"]);
    expect(v.container.readonlyRootFilesystem).toBe(true);
    const volumes = v.taskDefinition["volume"] as Record<string, any>[];
    const data = v.container.mountPoints.find((m) => m.containerPath === "/data")!;
    expect(data.readOnly).toBe(false);
    expect(volumes.find((vol) => vol["name"] === data.sourceVolume)?.["efs_volume_configuration"]).toBeDefined();
  });

  it("IMG-1: every path anisette writes is mounted: state on EFS, its per-request directories on a tmpfs", () => {
    // What the upstream process writes (app.d), with --adi-path /data and WORKDIR /opt:
    const persistent = ["/data/device.json", "/data/adi.pb", "/data/lib/libCoreADI.so", "/data/lib/libstoreservicescore.so"];
    const scratch = ["/opt/provisioning/0b6f3a2e-1c4d-4e5f-8a9b-0c1d2e3f4a5b/adi.pb"];
    const v = viewOf(env, "anisette");
    const volumes = v.taskDefinition["volume"] as Record<string, any>[];
    const tmpfs = v.container.linuxParameters.tmpfs ?? [];
    const under = (file: string, dir: string) => file.startsWith(`${dir}/`);
    const mountOf = (file: string): "efs" | "bind" | "tmpfs" | undefined => {
      const t = tmpfs.find((m) => under(file, m.containerPath));
      if (t) return "tmpfs";
      const m = v.container.mountPoints.find((p) => under(file, p.containerPath) && !p.readOnly);
      if (!m) return undefined;
      return volumes.find((vol) => vol["name"] === m.sourceVolume)?.["efs_volume_configuration"] ? "efs" : "bind";
    };
    for (const file of persistent) expect([file, mountOf(file)]).toEqual([file, "efs"]);
    // The image declares no VOLUME, so a bind mount would be root-owned 0755 (unwritable for uid
    // 1000); a tmpfs is world-writable (mode 1777) and lost when the task stops.
    for (const file of scratch) expect([file, mountOf(file)]).toEqual([file, "tmpfs"]);
    expect(tmpfs).toEqual([{ containerPath: "/opt/provisioning", size: 16, mountOptions: ["nosuid", "nodev", "noexec"] }]);
    // Its default state directory under HOME is not used, so nothing writes the read-only root there.
    expect(v.container.command).toContain("--adi-path");
    expect(mountOf("/home/Alcoholic/.config/anisette-v3/adi.pb")).toBeUndefined();
    // The tmpfs fits in the task's memory with room to spare.
    expect(16).toBeLessThan(env.services.anisette.memory / 8);
  });

  it("ECS-6, DLV-1: workers roll, public services deploy as a canary; 100/200 %, circuit breaker with rollback, alarm-based rollback", () => {
    const stack = stackOf(env);
    // DLV-1: the environment definitions' values, written out.
    const canary =
      env.name === "production"
        ? { strategy: "CANARY", bake_time_in_minutes: "5", canary_configuration: { canary_percent: 10, canary_bake_time_in_minutes: "5" } }
        : { strategy: "CANARY", bake_time_in_minutes: "2", canary_configuration: { canary_percent: 10, canary_bake_time_in_minutes: "2" } };
    for (const s of SERVICE_CATALOG) {
      const svc = viewOf(env, s.name).service;
      expect(svc["deployment_minimum_healthy_percent"]).toBe(100);
      expect(svc["deployment_maximum_percent"]).toBe(200);
      expect(svc["deployment_controller"]).toEqual({ type: "ECS" });
      expect(svc["deployment_configuration"]).toEqual(s.kind === "public-web" ? canary : { strategy: "ROLLING" });
      expect(svc["deployment_circuit_breaker"]).toEqual({ enable: true, rollback: true });
      expect(svc["alarms"]["enable"]).toBe(true);
      expect(svc["alarms"]["rollback"]).toBe(true);
      expect(svc["alarms"]["alarm_names"]).toHaveLength(1);
      expect(nameBehind(stack, svc["alarms"]["alarm_names"][0], "alarm_name")).toBe(resourceName(env.name, `${s.name}-running-tasks`));
      expect(svc["wait_for_steady_state"]).toBe(false);
      expect(svc["propagate_tags"]).toBe("SERVICE");
      expect(svc["enable_ecs_managed_tags"]).toBe(true);
      expect(svc["availability_zone_rebalancing"]).toBe("ENABLED");
      // ECS-8: registered in Cloud Map under its internal name.
      expect(nameBehind(stack, svc["service_registries"]["registry_arn"])).toBe(s.discoveryName);
    }
  });

  it("ECS-7: target-tracking autoscaling exactly where the environment configures it, with its bounds", () => {
    const stack = stackOf(env);
    const scaled = SERVICE_CATALOG.filter((s) => env.services[s.name].autoscaling);
    const targets = resources(stack, "aws_appautoscaling_target");
    expect(targets).toHaveLength(scaled.length);
    const policies = resources(stack, "aws_appautoscaling_policy");
    expect(policies).toHaveLength(scaled.length);
    for (const s of SERVICE_CATALOG) {
      const v = viewOf(env, s.name);
      const scaling = env.services[s.name].autoscaling;
      expect(v.service["desired_count"]).toBe(env.services[s.name].desiredCount);
      const target = targets.find(([, t]) => referencedAddresses(t["resource_id"]).includes(v.address));
      if (!scaling) {
        expect(target).toBeUndefined();
        expect(v.service["lifecycle"]?.["ignore_changes"]).toBeUndefined();
        continue;
      }
      expect(v.service["lifecycle"]["ignore_changes"]).toEqual(["desired_count"]);
      expect(target).toBeDefined();
      const [targetId, t] = target!;
      expect(t["service_namespace"]).toBe("ecs");
      expect(t["scalable_dimension"]).toBe("ecs:service:DesiredCount");
      expect(t["resource_id"]).toMatch(/^service\/\$\{aws_ecs_cluster\.[^}]+\.name\}\/\$\{aws_ecs_service\.[^}]+\.name\}$/);
      expect(t["min_capacity"]).toBe(scaling.minCount);
      expect(t["max_capacity"]).toBe(scaling.maxCount);
      const [, policy] = policies.find(([, p]) => referencedAddresses(p["resource_id"]).includes(`aws_appautoscaling_target.${targetId}`))!;
      expect(policy["policy_type"]).toBe("TargetTrackingScaling");
      const config = policy["target_tracking_scaling_policy_configuration"];
      expect(config["predefined_metric_specification"]).toEqual({ predefined_metric_type: "ECSServiceAverageCPUUtilization" });
      expect(config["target_value"]).toBe(scaling.cpuTargetPercent);
      // Quick to add tasks (a minute), slow to take them away (five).
      expect(config).toMatchObject({ scale_out_cooldown: 60, scale_in_cooldown: 300 });
    }
  });

  it("ECS-9: ECS Exec follows the environment, with session logging to a KMS-encrypted group when on", () => {
    const stack = stackOf(env);
    const [, cluster] = only(stack, "aws_ecs_cluster");
    for (const s of SERVICE_CATALOG) {
      const v = viewOf(env, s.name);
      expect(v.service["enable_execute_command"]).toBe(env.ecsExec);
      expect(statement(v.taskStatements, "EcsExecChannel") !== undefined).toBe(env.ecsExec);
      expect(v.container.linuxParameters.initProcessEnabled).toBe(true);
    }
    if (!env.ecsExec) {
      expect(cluster["configuration"]).toBeUndefined();
      expect(resources(stack, "aws_cloudwatch_log_group").filter(([, g]) => String(g["name"]).endsWith("/exec"))).toHaveLength(0);
      return;
    }
    const exec = cluster["configuration"]["execute_command_configuration"];
    expect(exec["logging"]).toBe("OVERRIDE");
    expect(exec["kms_key_id"]).toMatch(/^\$\{aws_kms_key\.[^}]+\.arn\}$/);
    expect(exec["log_configuration"]["cloud_watch_encryption_enabled"]).toBe(true);
    const groupAddress = addressOf(exec["log_configuration"]["cloud_watch_log_group_name"]);
    const group = resourceAt(stack, groupAddress);
    expect(group["kms_key_id"]).toMatch(/^\$\{aws_kms_key\.[^}]+\.arn\}$/);
    expect(group["retention_in_days"]).toBe(LOG_RETENTION_DAYS[env.name]);
    for (const s of SERVICE_CATALOG) {
      const logs = statement(viewOf(env, s.name).taskStatements, "EcsExecSessionLogs")!;
      expect(logs.resources).toEqual([`\${${groupAddress}.arn}:*`]);
      // The SSM agent needs these paths writable when the root file system is read-only.
      const paths = viewOf(env, s.name).container.mountPoints.map((m) => m.containerPath);
      expect(paths).toEqual(expect.arrayContaining(["/var/lib/amazon/ssm", "/var/log/amazon/ssm"]));
    }
  });

  it("ECS-10: each execution role reads exactly the ARNs its container's secrets reference, nothing more", () => {
    for (const s of SERVICE_CATALOG) {
      const v = viewOf(env, s.name);
      const referenced = v.container.secrets.map((x) => x.valueFrom).sort();
      const secretArns = statement(v.executionStatements, "ReadSecrets")?.resources ?? [];
      const parameterArns = statement(v.executionStatements, "ReadParameters")?.resources ?? [];
      expect([...secretArns, ...parameterArns].sort()).toEqual(referenced);
      expect(secretArns.every((a) => a.startsWith("${aws_secretsmanager_secret."))).toBe(true);
      expect(parameterArns.every((a) => a.startsWith("${aws_ssm_parameter."))).toBe(true);
      expect(secretArns).toHaveLength(s.secrets.length);
      expect(parameterArns).toHaveLength(s.parameters.length);
      expect(statement(v.executionStatements, "ReadSecrets")?.actions ?? ["secretsmanager:GetSecretValue"]).toEqual(["secretsmanager:GetSecretValue"]);
      expect(statement(v.executionStatements, "ReadParameters")?.actions ?? ["ssm:GetParameters"]).toEqual(["ssm:GetParameters"]);

      // Image pull on exactly the service's repository; logs on exactly its log group.
      const repositoryAddress = addressOf(v.container.image);
      expect(statement(v.executionStatements, "PullImage")!.resources).toEqual([`\${${repositoryAddress}.arn}`]);
      const logGroupAddress = addressOf(v.container.logConfiguration.options["awslogs-group"]);
      expect(statement(v.executionStatements, "WriteServiceLogs")!.resources).toEqual([`\${${logGroupAddress}.arn}:*`]);

      // KMS only on the environment key, only through the services that hold this service's values.
      const kms = statement(v.executionStatements, "DecryptInjectedValues");
      const via = [
        ...(s.secrets.length > 0 ? [`secretsmanager.${env.region}.amazonaws.com`] : []),
        ...(s.parameters.length > 0 ? [`ssm.${env.region}.amazonaws.com`] : []),
      ];
      if (via.length === 0) expect(kms).toBeUndefined();
      else {
        expect(kms!.actions).toEqual(["kms:Decrypt"]);
        expect(kms!.resources).toHaveLength(1);
        expect(kms!.resources[0]).toMatch(/^\$\{aws_kms_key\.[^}]+\.arn\}$/);
        expect(kms!.condition).toEqual([{ test: "StringEquals", variable: "kms:ViaService", values: via }]);
      }

      expect(v.executionStatements.map((x) => x.sid).sort()).toEqual(
        [
          "EcrAuthorizationToken",
          "PullImage",
          "WriteServiceLogs",
          ...(s.secrets.length > 0 ? ["ReadSecrets"] : []),
          ...(s.parameters.length > 0 ? ["ReadParameters"] : []),
          ...(via.length > 0 ? ["DecryptInjectedValues"] : []),
        ].sort(),
      );
    }
  });

  it("ECS-10: no * action anywhere; Resource * only for the actions AWS offers no resource scoping for", () => {
    const allowedOnStar = new Set([
      "ecr:GetAuthorizationToken",
      "ssmmessages:CreateControlChannel",
      "ssmmessages:CreateDataChannel",
      "ssmmessages:OpenControlChannel",
      "ssmmessages:OpenDataChannel",
      "logs:DescribeLogGroups",
    ]);
    for (const s of SERVICE_CATALOG) {
      const v = viewOf(env, s.name);
      for (const st of [...v.executionStatements, ...(v.taskStatements ?? [])]) {
        expect(st.effect).toBe("Allow");
        for (const a of st.actions) expect(a).not.toContain("*");
        if (st.resources.includes("*")) {
          expect(st.resources).toEqual(["*"]);
          for (const a of st.actions) expect(allowedOnStar).toContain(a);
        }
      }
    }
  });

  it("ECS-10: task roles hold only what the service itself needs (Exec channel, EFS), and both roles trust only this account's ECS tasks", () => {
    for (const s of SERVICE_CATALOG) {
      const v = viewOf(env, s.name);
      const expected = [
        ...(env.ecsExec ? ["EcsExecChannel", "EcsExecLogEncryptionCheck", "EcsExecSessionDecrypt", "EcsExecSessionLogs"] : []),
        ...(s.storage ? ["MountFileSystemThroughAccessPoint"] : []),
      ].sort();
      if (expected.length === 0) expect(v.taskStatements).toBeUndefined();
      else expect(v.taskStatements!.map((x) => x.sid).sort()).toEqual(expected);
      for (const trust of [v.executionTrust, v.taskTrust]) {
        expect(trust).toHaveLength(1);
        expect(trust[0]!.actions).toEqual(["sts:AssumeRole"]);
        expect((trust[0] as any).principals).toEqual([{ type: "Service", identifiers: ["ecs-tasks.amazonaws.com"] }]);
        expect(trust[0]!.condition).toEqual([{ test: "StringEquals", variable: "aws:SourceAccount", values: [env.accountId] }]);
      }
      const roles = [v.taskDefinition["execution_role_arn"], v.taskDefinition["task_role_arn"]].map((arn) =>
        resourceAt(stackOf(env), addressOf(arn)),
      );
      expect(roles.map((r) => r["name"])).toEqual([`tracker-${env.name}-${s.name}-execution`, `tracker-${env.name}-${s.name}-task`]);
      expect(v.executionTrust[0]!.sid).toBe("EcsTasksOfThisAccount");
      expect(v.taskTrust[0]!.sid).toBe("EcsTasksOfThisAccount");
      // Each role's one inline policy is called least-privilege (the IAM console lists it by that name).
      const stack = stackOf(env);
      const inline = [v.taskDefinition["execution_role_arn"], v.taskDefinition["task_role_arn"]].flatMap((arn) =>
        resources(stack, "aws_iam_role_policy").filter(([, p]) => addressOf(p["role"]) === addressOf(arn)).map(([, p]) => p["name"]),
      );
      expect(inline).toEqual(v.taskStatements ? ["least-privilege", "least-privilege"] : ["least-privilege"]);
      // The IAM console tells the two apart: ECS uses one to start the task, the application the other.
      expect(roles.map((r) => r["description"])).toEqual([
        `ECS starts ${s.name} tasks with it: image pull, logs, its secrets and parameters`,
        `What ${s.name} itself may call`,
      ]);
    }
  });

  it("ECS-10: the ECS service waits for its roles' policies", () => {
    for (const s of SERVICE_CATALOG) {
      const v = viewOf(env, s.name);
      const dependsOn = (v.service["depends_on"] ?? []) as string[];
      expect(dependsOn.filter((d) => d.startsWith("aws_iam_role_policy.")).length).toBe(v.taskStatements ? 2 : 1);
    }
  });

  it("ECS-11: the image is the service's repository URL and its image tag variable", () => {
    const stack = stackOf(env);
    for (const s of SERVICE_CATALOG) {
      const image = viewOf(env, s.name).container.image;
      const m = /^\$\{(aws_ecr_repository\.[^}]+)\.repository_url\}:\$\{var\.([a-z_]+)\}$/.exec(image);
      expect(m, image).not.toBeNull();
      expect(resourceAt(stack, m![1]!)["name"]).toBe(repositoryName(env.name, s.repository));
      expect(m![2]).toBe(imageTagVariableName(s.name));
    }
    const variables = stack.variable ?? {};
    expect(Object.keys(variables).sort()).toEqual(SERVICE_CATALOG.map((s) => imageTagVariableName(s.name)).sort());
    for (const v of Object.values(variables)) {
      expect(v["type"]).toBe("string");
      expect(v).not.toHaveProperty("default");
    }
    // What `terraform plan` prints when a tag is missing or wrong: the service, how to pass it, what fits.
    const tag = "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$";
    expect(variables["image_tag_api"]).toEqual({
      description: `Image tag of api in ${env.name} (the commit SHA built by CI); pass it as TF_VAR_image_tag_api.`,
      nullable: false,
      type: "string",
      validation: [
        {
          condition: `\${can(regex("${tag}", var.image_tag_api))}`,
          error_message: `image_tag_api must be a Docker image tag (${tag}), such as the commit SHA.`,
        },
        ...(env.name === "production"
          ? [{ condition: '${var.image_tag_api != "latest"}', error_message: 'image_tag_api must not be "latest" in production (ECS-11); deploy the commit SHA.' }]
          : []),
      ],
    });
  });

  it("CFG-3: containers get exactly their catalog secrets and parameters as `secrets`, by ARN, with stable names", () => {
    const stack = stackOf(env);
    for (const s of SERVICE_CATALOG) {
      const c = viewOf(env, s.name).container;
      expect(c.secrets.map((x) => x.name).sort()).toEqual([...s.secrets, ...s.parameters].map(environmentVariableName).sort());
      for (const name of s.secrets) {
        const entry = c.secrets.find((x) => x.name === environmentVariableName(name))!;
        expect(entry.valueFrom).toMatch(/^\$\{aws_secretsmanager_secret\.[^}]+\.arn\}$/);
        expect(nameBehind(stack, entry.valueFrom)).toBe(secretName(env.name, name));
      }
      for (const name of s.parameters) {
        const entry = c.secrets.find((x) => x.name === environmentVariableName(name))!;
        expect(entry.valueFrom).toMatch(/^\$\{aws_ssm_parameter\.[^}]+\.arn\}$/);
        expect(nameBehind(stack, entry.valueFrom)).toBe(parameterName(env.name, name));
      }
      // Plain environment only for non-sensitive literals.
      expect(c.environment).toEqual([
        { name: "ENVIRONMENT", value: env.name },
        { name: "SERVICE_NAME", value: s.name },
      ]);
    }
    expect(viewOf(env, "api").container.secrets.map((x) => x.name)).toEqual(
      expect.arrayContaining(["POSTGRES_PASSWORD", "SECRET_KEY", "REDIS_PASSWORD", "POSTGRES_HOST"]),
    );
  });

  it("EFS-2: anisette mounts its EFS at /data with transit encryption and IAM; only its task role may mount", () => {
    const stack = stackOf(env);
    const v = viewOf(env, "anisette");
    const volumes = v.taskDefinition["volume"] as Record<string, any>[];
    const efs = volumes.filter((vol) => vol["efs_volume_configuration"]);
    expect(efs).toHaveLength(1);
    const config = efs[0]!["efs_volume_configuration"];
    expect(config["file_system_id"]).toMatch(/^\$\{aws_efs_file_system\.[^}]+\.id\}$/);
    expect(config["transit_encryption"]).toBe("ENABLED");
    expect(config["authorization_config"]["iam"]).toBe("ENABLED");
    expect(config["authorization_config"]["access_point_id"]).toMatch(/^\$\{aws_efs_access_point\.[^}]+\.id\}$/);
    expect(v.container.mountPoints).toContainEqual({ sourceVolume: efs[0]!["name"], containerPath: "/data", readOnly: false });

    const fsAddress = addressOf(config["file_system_id"]);
    const apAddress = addressOf(config["authorization_config"]["access_point_id"]);
    const mount = statement(v.taskStatements, "MountFileSystemThroughAccessPoint")!;
    expect(mount.actions).toEqual(["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]);
    expect(mount.resources).toEqual([`\${${fsAddress}.arn}`]);
    expect(mount.condition).toEqual([
      { test: "StringEquals", variable: "elasticfilesystem:AccessPointArn", values: [`\${${apAddress}.arn}`] },
    ]);
    expect(v.service["load_balancer"]).toBeUndefined();

    for (const s of SERVICE_CATALOG.filter((x) => !x.storage)) {
      const other = viewOf(env, s.name);
      expect((other.taskDefinition["volume"] as Record<string, any>[]).some((vol) => vol["efs_volume_configuration"])).toBe(false);
      const actions = [...other.executionStatements, ...(other.taskStatements ?? [])].flatMap((x) => x.actions);
      expect(actions.some((a) => a.startsWith("elasticfilesystem:"))).toBe(false);
    }
    expect(dataSources(stack, "aws_iam_policy_document").length).toBeGreaterThan(0);
  });
});

describe("IMG-1, ECS-9, EFS-2: each container's volumes and mounts, whole", () => {
  const writable = (sourceVolume: string, containerPath: string) => ({ sourceVolume, containerPath, readOnly: false });
  const exec = [writable("exec-agent-0", "/var/lib/amazon/ssm"), writable("exec-agent-1", "/var/log/amazon/ssm")];
  const efs = (env: EnvironmentDefinition) => {
    const volumes = viewOf(env, "anisette").taskDefinition["volume"] as Record<string, any>[];
    return volumes.find((v) => v["name"] === "data");
  };

  it("IMG-1, ECS-9: the API writes to /tmp, and in staging (ECS Exec on) to the SSM agent's two folders; nothing else", () => {
    expect(viewOf(STAGING, "api").taskDefinition["volume"]).toEqual([{ name: "tmp" }, { name: "exec-agent-0" }, { name: "exec-agent-1" }]);
    expect(viewOf(STAGING, "api").container.mountPoints).toEqual([writable("tmp", "/tmp"), ...exec]);
    expect(viewOf(PRODUCTION, "api").taskDefinition["volume"]).toEqual([{ name: "tmp" }]);
    expect(viewOf(PRODUCTION, "api").container.mountPoints).toEqual([writable("tmp", "/tmp")]);
  });

  it("IMG-1, EFS-2: anisette writes to its 16 MiB tmpfs at /opt/provisioning and to EFS at /data (through the access point, TLS, IAM)", () => {
    const tmpfs = [{ containerPath: "/opt/provisioning", size: 16, mountOptions: ["nosuid", "nodev", "noexec"] }];
    for (const env of [STAGING, PRODUCTION]) {
      const volumes = viewOf(env, "anisette").taskDefinition["volume"] as Record<string, any>[];
      expect(volumes.map((v) => v["name"])).toEqual([...(env.ecsExec ? ["exec-agent-0", "exec-agent-1"] : []), "data"]);
      expect(efs(env)!["efs_volume_configuration"]).toMatchObject({ transit_encryption: "ENABLED", authorization_config: { iam: "ENABLED" } });
      expect(viewOf(env, "anisette").container.mountPoints).toEqual([...(env.ecsExec ? exec : []), writable("data", "/data")]);
      expect(viewOf(env, "anisette").container.linuxParameters).toEqual({ initProcessEnabled: true, tmpfs });
    }
  });
});

describe("ECS-9: environments", () => {
  it("ECS-9: ECS Exec is on in staging and off in production", () => {
    expect(STAGING.ecsExec).toBe(true);
    expect(PRODUCTION.ecsExec).toBe(false);
    expect(viewOf(STAGING, "api").service["enable_execute_command"]).toBe(true);
    expect(viewOf(PRODUCTION, "api").service["enable_execute_command"]).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// ECS-11: the variable validation, evaluated by Terraform itself (offline: variables only)
// ---------------------------------------------------------------------------------------------

/** Runs `terraform plan` over the stack's variable blocks only; returns whether it passed and its output. */
function planVariables(stack: SynthesizedStack, values: Record<string, string>): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "image-tags-"));
  try {
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ variable: stack.variable }));
    const env = { ...process.env, TF_IN_AUTOMATION: "1", TF_CLI_CONFIG_FILE: "/dev/null", CHECKPOINT_DISABLE: "1" };
    execFileSync("terraform", ["init", "-input=false", "-backend=false"], { cwd: dir, env, stdio: "pipe" });
    const args = ["plan", "-input=false", "-no-color", "-lock=false", ...Object.entries(values).flatMap(([k, v]) => ["-var", `${k}=${v}`])];
    try {
      return { ok: true, output: execFileSync("terraform", args, { cwd: dir, env, stdio: "pipe" }).toString() };
    } catch (e) {
      const err = e as { stdout?: Buffer; stderr?: Buffer };
      return { ok: false, output: `${err.stdout ?? ""}${err.stderr ?? ""}` };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("ECS-11: image tag variable validation (terraform plan)", () => {
  const tags = (tag: string, override: Partial<Record<ServiceName, string>> = {}) =>
    Object.fromEntries(SERVICE_CATALOG.map((s) => [imageTagVariableName(s.name), override[s.name] ?? tag]));

  it("ECS-11: production accepts a commit SHA and rejects latest", (ctx) => {
    requireTool(ctx, TERRAFORM);
    expect(planVariables(stackOf(PRODUCTION), tags("3f2c1ab9")).ok).toBe(true);
    const latest = planVariables(stackOf(PRODUCTION), tags("3f2c1ab9", { api: "latest" }));
    expect(latest.ok).toBe(false);
    expect(latest.output).toContain('image_tag_api must not be "latest" in production');
  });

  it("ECS-11: every environment rejects a tag outside Docker's grammar", (ctx) => {
    requireTool(ctx, TERRAFORM);
    for (const env of ENVIRONMENTS) {
      const bad = planVariables(stackOf(env), tags("3f2c1ab9", { "tracker-fetcher": "bad tag!" }));
      expect(bad.ok).toBe(false);
      expect(bad.output).toContain("image_tag_tracker_fetcher must be a Docker image tag");
      expect(planVariables(stackOf(env), tags(".hidden")).ok).toBe(false);
    }
  });

  it("ECS-11: staging accepts a commit SHA", (ctx) => {
    requireTool(ctx, TERRAFORM);
    expect(planVariables(stackOf(STAGING), tags("3f2c1ab9")).ok).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Construct input checks: each throws, naming the fix
// ---------------------------------------------------------------------------------------------

describe("FargateService input checks", () => {
  const props = (env: EnvironmentDefinition, def: ServiceDefinition, patch: Partial<FargateServiceProps> = {}): FargateServiceProps => ({
    environment: env,
    service: def,
    cluster: {
      clusterName: "c",
      clusterArn: "arn:aws:ecs:eu-central-1:802732539686:cluster/c",
      execLogging: { logGroupName: "/x", logGroupArn: "arn:aws:logs:eu-central-1:802732539686:log-group:/x", kmsKeyArn: "arn:aws:kms:eu-central-1:802732539686:key/k" },
    },
    repository: { url: "802732539686.dkr.ecr.eu-central-1.amazonaws.com/r", arn: "arn:aws:ecr:eu-central-1:802732539686:repository/r" },
    imageTag: "abc",
    secrets: Object.fromEntries(ALL_SECRETS.map((n) => [n, { arn: `arn:aws:secretsmanager:eu-central-1:802732539686:secret:${n}`, name: n }])),
    parameters: Object.fromEntries(ALL_PARAMETERS.map((n) => [n, { arn: `arn:aws:ssm:eu-central-1:802732539686:parameter/${n}`, name: n }])),
    logGroup: { name: "/ecs/x", arn: "arn:aws:logs:eu-central-1:802732539686:log-group:/ecs/x" },
    subnetIds: ["subnet-0123456789abcdef0"],
    securityGroupId: "sg-0123456789abcdef0",
    kmsKeyArn: "arn:aws:kms:eu-central-1:802732539686:key/k",
    deploymentAlarmNames: ["a"],
    ...(def.kind === "public-web"
      ? {
          targetGroupArn: "arn:aws:elasticloadbalancing:eu-central-1:802732539686:targetgroup/t/1",
          canary: {
            alternateTargetGroupArn: "arn:aws:elasticloadbalancing:eu-central-1:802732539686:targetgroup/t-alt/2",
            productionListenerRuleArn: "arn:aws:elasticloadbalancing:eu-central-1:802732539686:listener-rule/app/a/1/2/3",
            roleArn: "arn:aws:iam::802732539686:role/tracker-staging-api-traffic-shift",
          },
        }
      : {}),
    ...patch,
  });
  const build = (p: FargateServiceProps) => new FargateService(new TerraformStack(Testing.app(), "check"), "service", p);
  const def = (name: ServiceName) => SERVICE_CATALOG.find((s) => s.name === name)!;

  it("ECS-5: a public web service without a target group throws", () => {
    expect(() => build(props(STAGING, def("api"), { targetGroupArn: undefined }))).toThrow(/api \(staging\): a public web service needs targetGroupArn/);
  });

  it("EFS-2: a target group on anisette, or anisette without its file system, throws", () => {
    expect(() => build(props(STAGING, def("anisette"), { targetGroupArn: "arn:tg" }))).toThrow(/private-service has no load balancer/);
    expect(() => build(props(STAGING, def("anisette")))).toThrow(/pass fileSystem \(EFS-2\)/);
  });

  it("CFG-3: a catalog secret the props do not provide throws", () => {
    expect(() => build(props(STAGING, def("api"), { secrets: {} }))).toThrow(
      'FargateService api: the catalog gives it secret "postgres-password", but props.secrets has no such entry',
    );
    expect(() => build(props(STAGING, def("api"), { parameters: {} }))).toThrow(
      'FargateService api: the catalog gives it parameter "api-url", but props.parameters has no such entry',
    );
  });

  it("DLV-1: a public web service without its canary wiring, or a worker with one, throws", () => {
    expect(() => build(props(STAGING, def("api"), { canary: undefined }))).toThrow(/api \(staging\): a public web service deploys as a canary: pass canary/);
    const canary = props(STAGING, def("api")).canary!;
    expect(() => build(props(STAGING, def("tracker-fetcher"), { canary }))).toThrow(/tracker-fetcher \(staging\): a worker has no load balancer to shift; drop canary/);
  });

  it("ECS-6: no deployment alarm throws", () => {
    expect(() => build(props(STAGING, def("tracker-fetcher"), { deploymentAlarmNames: [] }))).toThrow(/at least one deployment alarm/);
  });

  it("ECS-9: ECS Exec on without cluster session logging throws", () => {
    const p = props(STAGING, def("tracker-fetcher"));
    expect(() => build({ ...p, cluster: { clusterName: "c", clusterArn: "arn:c" } })).toThrow(/no Exec session logging/);
  });

  it("EFS-2: a file system for a service the catalog gives no storage throws", () => {
    const fileSystem = { fileSystemId: "fs-1", fileSystemArn: "arn:fs", accessPointId: "fsap-1", accessPointArn: "arn:fsap" };
    expect(() => build(props(STAGING, def("tracker-fetcher"), { fileSystem }))).toThrow(
      "FargateService tracker-fetcher (staging): the catalog gives it no storage; drop fileSystem",
    );
  });

  it("ECS-3: no subnet throws", () => {
    expect(() => build(props(STAGING, def("tracker-fetcher"), { subnetIds: [] }))).toThrow(
      "FargateService tracker-fetcher (staging): needs the private application subnets",
    );
  });

  it("IMG-1: a tmpfs scratch path without a whole, positive size in MiB throws", () => {
    const worker = def("tracker-fetcher");
    for (const sizeMiB of [undefined, 0, 1.5]) {
      const service = { ...worker, image: { ...worker.image, scratchPaths: [{ path: "/tmp", volume: "tmpfs" as const, sizeMiB }] } };
      expect(() => build(props(STAGING, service as ServiceDefinition)), String(sizeMiB)).toThrow(
        "FargateService tracker-fetcher (staging): the tmpfs scratch path /tmp needs a size in MiB (image.scratchPaths)",
      );
    }
  });

  it("ECS-5: a health or image command with a Terraform template sequence throws (the container JSON is a Terraform string)", () => {
    const worker = def("tracker-fetcher");
    for (const part of ["echo ${HOME}", "echo %{ if x }"]) {
      expect(() => build(props(STAGING, { ...worker, healthCommand: ["CMD-SHELL", part] }))).toThrow(
        `FargateService tracker-fetcher (staging): health command or image command "${part}" contains a Terraform template sequence`,
      );
      expect(() => build(props(STAGING, { ...worker, image: { ...worker.image, command: ["sh", "-c", part] } }))).toThrow(
        `FargateService tracker-fetcher (staging): health command or image command "${part}" contains a Terraform template sequence`,
      );
    }
  });

  it("ECS-2: the container JSON refuses number, list and object tokens (they would not survive JSON.stringify)", () => {
    const number = Lazy.numberValue({ produce: () => 1 });
    const list = Lazy.listValue({ produce: () => ["a"] });
    const object = Lazy.anyValue({ produce: () => ({ a: 1 }) });
    expect(() => containerDefinitionsJson([{ name: "c", cpu: number }])).toThrow("container definitions: containers[0].cpu is a number token");
    expect(() => containerDefinitionsJson([{ name: "c", command: list }])).toThrow("container definitions: containers[0].command is a list token");
    expect(() => containerDefinitionsJson([{ name: "c", linuxParameters: object }])).toThrow(
      "container definitions: containers[0].linuxParameters is an unresolved object",
    );
    // Nested values are checked too, and string tokens are fine.
    expect(() => containerDefinitionsJson([{ name: "c", portMappings: [{ containerPort: number }] }])).toThrow(
      "container definitions: containers[0].portMappings[0].containerPort is a number token",
    );
    const text = Lazy.stringValue({ produce: () => "x" });
    expect(JSON.parse(containerDefinitionsJson([{ name: text, essential: true }]))).toEqual([{ name: text, essential: true }]);
    // A null (ECS reads it as "not set") is written as it is.
    expect(JSON.parse(containerDefinitionsJson([{ name: "c", user: null }]))).toEqual([{ name: "c", user: null }]);
  });

  it("IMG-1: a scratch path's volume is named as ECS accepts (letters, digits, - and _), one dash per run of other characters", () => {
    expect(volumeNameOf("/tmp")).toBe("tmp");
    expect(volumeNameOf("/opt/provisioning")).toBe("opt-provisioning");
    expect(volumeNameOf("//var//cache/")).toBe("var-cache");
    expect(volumeNameOf("/home/app/.cache")).toBe("home-app-cache");
    expect(volumeNameOf("/srv/my_data-1")).toBe("srv-my_data-1");
  });

  it("ECS-10: a wildcard action cannot be granted", async () => {
    const { PolicyGrants } = await import("../src/compute/task-roles");
    expect(() => new PolicyGrants().allow("X", ["s3:*"], ["arn:aws:s3:::b"])).toThrow(/wildcard action "s3:\*" is not allowed/);
  });
});
