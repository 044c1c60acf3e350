/**
 * One component of the service catalog on ECS Fargate (ECS-2..ECS-7, ECS-10, CFG-3, EFS-2): its
 * execution and task roles, its task definition (one container, named after the service) and its
 * ECS service, plus target-tracking autoscaling when the environment asks for it.
 *
 * Everything it consumes from other constructs (secrets, parameters, repository, log group, target
 * group, Cloud Map service, file system, alarms, key) arrives as plain typed props; nothing is
 * looked up by name.
 *
 * Grants follow references (ARCHITECTURE.md principle 2): `inject` is the only way a secret or
 * parameter reaches the container, and the same call grants the execution role read access to
 * exactly that ARN. Likewise the image, log group, Exec channel and EFS grants are recorded where
 * the task definition refers to those resources.
 */
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition, type EcsTaskDefinitionVolume } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { Construct } from "constructs";
import { Token, type ITerraformDependable } from "../cdktf";
import { environmentVariableName, resourceName, serviceResourceName } from "../config/naming";
import type { EnvironmentDefinition, ParameterName, SecretName, ServiceDefinition } from "../config/types";
import { fargateCapacityProvider, type ClusterReference } from "./cluster";
import { ServiceAutoscaling } from "./service-autoscaling";
import { EcsTaskRole, PolicyGrants } from "./task-roles";

/** A Secrets Manager secret or an SSM parameter as its owning construct exposes it. */
export interface RuntimeValueReference {
  readonly arn: string;
  readonly name: string;
}

/** The service's ECR repository. */
export interface ImageRepositoryReference {
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>` */
  readonly url: string;
  readonly arn: string;
}

/** The service's CloudWatch log group (created by the observability construct, ECS-4). */
export interface LogGroupReference {
  readonly name: string;
  /** The log group ARN without a trailing `:*`, as `aws_cloudwatch_log_group.arn` gives it. */
  readonly arn: string;
}

/** The EFS file system and access point a service with catalog `storage` mounts (EFS-2). */
export interface FileSystemMountReference {
  readonly fileSystemId: string;
  readonly fileSystemArn: string;
  readonly accessPointId: string;
  readonly accessPointArn: string;
}

export interface FargateServiceProps {
  readonly environment: EnvironmentDefinition;
  /** The catalog row this service runs. */
  readonly service: ServiceDefinition;
  readonly cluster: ClusterReference;
  readonly repository: ImageRepositoryReference;
  /** The image tag, normally `ImageTags.tagOf(service)` (ECS-11). */
  readonly imageTag: string;
  /** Every secret, by name; the service receives those its catalog row lists (CFG-3). */
  readonly secrets: Readonly<Partial<Record<SecretName, RuntimeValueReference>>>;
  /** Every parameter, by name; the service receives those its catalog row lists (CFG-3). */
  readonly parameters: Readonly<Partial<Record<ParameterName, RuntimeValueReference>>>;
  /** The service's own log group `/ecs/tracker-<env>/<service>` (ECS-4). */
  readonly logGroup: LogGroupReference;
  /** The private application subnets (ECS-3). */
  readonly subnetIds: readonly string[];
  /** The service's security group: `SecurityGroupMatrix.groupOf(service).id`. */
  readonly securityGroupId: string;
  /** The environment key that encrypts the secrets (and parameters, if SecureString). */
  readonly kmsKeyArn: string;
  /** The CloudWatch alarms that roll a deployment back (ECS-6, OBS-3). At least one. */
  readonly deploymentAlarmNames: readonly string[];
  /** The ALB target group; required for, and only allowed on, public web services (ECS-5). @default - no load balancer */
  readonly targetGroupArn?: string;
  /**
   * DLV-1: what ECS's canary deployment of a public web service needs; required exactly when
   * `targetGroupArn` is given. @default - no canary (workers: rolling updates)
   */
  readonly canary?: CanaryTrafficReference;
  /** The Cloud Map service (A records) that gives the service its internal name (ECS-8). @default - not registered */
  readonly serviceDiscoveryArn?: string;
  /** Required exactly when the catalog row has `storage` (EFS-2). @default - no file system */
  readonly fileSystem?: FileSystemMountReference;
  /**
   * What the ECS service must wait for, e.g. the listener rule that attaches its target group (ECS
   * rejects a target group no load balancer uses).
   * @default - nothing beyond its references
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** DLV-1: the second target group, the rule ECS shifts, and the role it shifts them with. */
export interface CanaryTrafficReference {
  /** The service's alternate target group (the primary's twin). */
  readonly alternateTargetGroupArn: string;
  /** The one listener rule that forwards the service's traffic to both groups with weights. */
  readonly productionListenerRuleArn: string;
  /** The infrastructure role ECS assumes to change the rule and register targets (`TrafficShiftRole`). */
  readonly roleArn: string;
}

/**
 * DLV-1: the deployment configuration of a public web service, from the environment definition:
 * ECS's CANARY strategy, its canary share and bake, and the bake of the whole deployment.
 */
export function canaryDeploymentConfiguration(env: EnvironmentDefinition) {
  const d = env.deployment;
  return {
    strategy: d.strategy,
    bakeTimeInMinutes: String(d.bakeMinutes),
    canaryConfiguration: { canaryPercent: d.canaryPercent, canaryBakeTimeInMinutes: String(d.canaryBakeMinutes) },
  };
}

/** Where ECS Exec's SSM agent keeps state and logs inside the container; writable when Exec is on. */
export const EXEC_AGENT_PATHS = ["/var/lib/amazon/ssm", "/var/log/amazon/ssm"] as const;

/**
 * Mount options of the scratch tmpfs mounts (IMG-1): nothing on them is executed or set-uid. No
 * `mode`, `uid` or `gid`: the kernel's default root mode for tmpfs is 1777 (world-writable, sticky,
 * like /tmp), so the image's user can write whatever its uid.
 */
export const SCRATCH_TMPFS_OPTIONS = ["nosuid", "nodev", "noexec"] as const;

/** The task-definition volume name of a bind-mounted path: `/tmp` -> `tmp`, `/opt/provisioning` -> `opt-provisioning`. */
export function volumeNameOf(path: string): string {
  return path.replace(/^\/+|\/+$/g, "").replace(/[^A-Za-z0-9_-]+/g, "-");
}

/**
 * Seconds the ECS service ignores failing ALB health checks after a task starts (public web only):
 * the container health check's 60 s start period, and one more ALB check round.
 */
export const HEALTH_CHECK_GRACE_PERIOD_SECONDS = 90;

/**
 * Seconds between SIGTERM and SIGKILL when a task stops (Fargate allows up to 120): as long as the
 * target groups' 30 s deregistration delay, so requests in flight finish.
 */
export const STOP_TIMEOUT_SECONDS = 30;

/** The ECS container health check (ECS-5); the command comes from the catalog. */
export const CONTAINER_HEALTH_CHECK = { interval: 30, timeout: 5, retries: 3, startPeriod: 60 } as const;

/** ECS Exec's Session Manager channel: these actions have no resource-level permissions. */
export const EXEC_CHANNEL_ACTIONS = [
  "ssmmessages:CreateControlChannel",
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
] as const;

export class FargateService extends Construct {
  readonly service: EcsService;
  readonly taskDefinition: EcsTaskDefinition;
  readonly executionRole: EcsTaskRole;
  readonly taskRole: EcsTaskRole;
  /** The ECS service's name, `tracker-<env>-<service>`. */
  readonly serviceName: string;
  /** The ECS service's ARN. */
  readonly serviceArn: string;
  readonly taskDefinitionArn: string;
  /** The task definition family, `tracker-<env>-<service>` (same as the service name). */
  readonly taskDefinitionFamily: string;
  readonly executionRoleArn: string;
  readonly executionRoleName: string;
  readonly taskRoleArn: string;
  readonly taskRoleName: string;
  /** The one container of the task, named after the catalog service. */
  readonly containerName: string;
  /** The container port; undefined for workers. */
  readonly containerPort?: number;
  /** Autoscaling, when the environment configures it for this service (ECS-7). */
  readonly autoscaling?: ServiceAutoscaling;

  constructor(scope: Construct, id: string, props: FargateServiceProps) {
    super(scope, id);
    const env = props.environment;
    const def = props.service;
    const sizing = env.services[def.name];
    if (!sizing) throw new Error(`FargateService ${def.name}: environment ${env.name} has no size for it (services.${def.name})`);
    checkProps(props);

    const family = serviceResourceName(env.name, def.name);
    this.containerName = def.name;
    this.containerPort = def.port;

    this.executionRole = new EcsTaskRole(this, "execution-role", {
      environment: env,
      roleName: resourceName(env.name, `${def.name}-execution`),
      description: `ECS starts ${def.name} tasks with it: image pull, logs, its secrets and parameters`,
    });
    this.taskRole = new EcsTaskRole(this, "task-role", {
      environment: env,
      roleName: resourceName(env.name, `${def.name}-task`),
      description: `What ${def.name} itself may call`,
    });
    const executionGrants = new PolicyGrants();
    const taskGrants = new PolicyGrants();

    // --- image (ECS-11) --------------------------------------------------------------------------
    // GetAuthorizationToken has no resource-level permissions: AWS requires Resource "*" for it.
    executionGrants.allow("EcrAuthorizationToken", ["ecr:GetAuthorizationToken"], ["*"]);
    executionGrants.allow(
      "PullImage",
      ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      [props.repository.arn],
    );
    const image = `${props.repository.url}:${props.imageTag}`;

    // --- logs (ECS-4) ----------------------------------------------------------------------------
    executionGrants.allow("WriteServiceLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], [`${props.logGroup.arn}:*`]);
    const logConfiguration = {
      logDriver: "awslogs",
      options: {
        "awslogs-group": props.logGroup.name,
        "awslogs-region": env.region,
        "awslogs-stream-prefix": def.name,
        // A slow CloudWatch Logs API must not block the application's stdout; 25 MiB of buffer.
        mode: "non-blocking",
        "max-buffer-size": "25m",
      },
    };

    // --- secrets and parameters (CFG-3): grants follow references --------------------------------
    const containerSecrets: { name: string; valueFrom: string }[] = [];
    const inject = (kind: "secret" | "parameter", name: SecretName | ParameterName, ref: RuntimeValueReference) => {
      containerSecrets.push({ name: environmentVariableName(name), valueFrom: ref.arn });
      const viaService =
        kind === "secret" ? `secretsmanager.${env.region}.amazonaws.com` : `ssm.${env.region}.amazonaws.com`;
      if (kind === "secret") executionGrants.allow("ReadSecrets", ["secretsmanager:GetSecretValue"], [ref.arn]);
      else executionGrants.allow("ReadParameters", ["ssm:GetParameters"], [ref.arn]);
      executionGrants.allow("DecryptInjectedValues", ["kms:Decrypt"], [props.kmsKeyArn], [
        { test: "StringEquals", variable: "kms:ViaService", values: [viaService] },
      ]);
    };
    for (const name of def.secrets) inject("secret", name, required(props.secrets[name], def, `secret "${name}"`, "secrets"));
    for (const name of def.parameters) {
      inject("parameter", name, required(props.parameters[name], def, `parameter "${name}"`, "parameters"));
    }
    containerSecrets.sort((a, b) => a.name.localeCompare(b.name));

    const environment = [
      { name: "ENVIRONMENT", value: env.name },
      { name: "SERVICE_NAME", value: def.name },
    ];
    for (const e of environment) {
      if (containerSecrets.some((s) => s.name === e.name)) {
        throw new Error(`FargateService ${def.name}: environment variable ${e.name} is also injected as a secret`);
      }
    }

    // --- volumes: the image's scratch paths (IMG-1), ECS Exec agent state, EFS (EFS-2) ------------
    const volumes: EcsTaskDefinitionVolume[] = [];
    const mountPoints: { sourceVolume: string; containerPath: string; readOnly: boolean }[] = [];
    const tmpfs: { containerPath: string; size: number; mountOptions: string[] }[] = [];
    for (const scratch of def.image.scratchPaths) {
      if (scratch.volume === "tmpfs") {
        tmpfs.push({ containerPath: scratch.path, size: scratch.sizeMiB!, mountOptions: [...SCRATCH_TMPFS_OPTIONS] });
      } else {
        const name = volumeNameOf(scratch.path);
        volumes.push({ name });
        mountPoints.push({ sourceVolume: name, containerPath: scratch.path, readOnly: false });
      }
    }

    // --- ECS Exec (ECS-9) ------------------------------------------------------------------------
    if (env.ecsExec) {
      const exec = props.cluster.execLogging!;
      // Session Manager's channel actions have no resource-level permissions: Resource "*" is required.
      taskGrants.allow("EcsExecChannel", [...EXEC_CHANNEL_ACTIONS], ["*"]);
      taskGrants.allow(
        "EcsExecSessionLogs",
        ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
        [`${exec.logGroupArn}:*`],
      );
      // The agent checks that the session log group is encrypted; DescribeLogGroups has no
      // resource-level permissions, so Resource "*" is required (read-only metadata).
      taskGrants.allow("EcsExecLogEncryptionCheck", ["logs:DescribeLogGroups"], ["*"]);
      taskGrants.allow("EcsExecSessionDecrypt", ["kms:Decrypt"], [exec.kmsKeyArn]);
      // The root file system is read-only: the agent's state and logs need their own volumes.
      EXEC_AGENT_PATHS.forEach((path, i) => {
        const name = `exec-agent-${i}`;
        volumes.push({ name });
        mountPoints.push({ sourceVolume: name, containerPath: path, readOnly: false });
      });
    }

    // --- persistent storage (EFS-2) --------------------------------------------------------------
    if (def.storage) {
      const fs = props.fileSystem!;
      volumes.push({
        name: "data",
        efsVolumeConfiguration: {
          fileSystemId: fs.fileSystemId,
          transitEncryption: "ENABLED",
          authorizationConfig: { accessPointId: fs.accessPointId, iam: "ENABLED" },
        },
      });
      mountPoints.push({ sourceVolume: "data", containerPath: def.storage.efsMountPath, readOnly: false });
      taskGrants.allow(
        "MountFileSystemThroughAccessPoint",
        ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
        [fs.fileSystemArn],
        [{ test: "StringEquals", variable: "elasticfilesystem:AccessPointArn", values: [fs.accessPointArn] }],
      );
    }

    // --- the container ---------------------------------------------------------------------------
    const container = {
      name: this.containerName,
      image,
      essential: true,
      ...(def.port !== undefined
        ? { portMappings: [{ containerPort: def.port, hostPort: def.port, protocol: "tcp" }] }
        : {}),
      environment,
      secrets: containerSecrets,
      logConfiguration,
      healthCheck: { command: [...def.healthCommand], ...CONTAINER_HEALTH_CHECK },
      // The image's own user, stated where the task relies on it (EFS ownership, IMG-1).
      ...(def.image.user ? { user: `${def.image.user.uid}:${def.image.user.gid}` } : {}),
      ...(def.image.command ? { command: [...def.image.command] } : {}),
      // IMG-1: the container writes only to its image contract's scratch paths and its EFS mount.
      readonlyRootFilesystem: true,
      mountPoints,
      // An init process reaps zombies and is required for ECS Exec sessions.
      linuxParameters: { initProcessEnabled: true, ...(tmpfs.length > 0 ? { tmpfs } : {}) },
      stopTimeout: STOP_TIMEOUT_SECONDS,
    };

    this.taskDefinition = new EcsTaskDefinition(this, "task-definition", {
      family,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(sizing.cpu),
      memory: String(sizing.memory),
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: def.architecture },
      executionRoleArn: this.executionRole.arn,
      taskRoleArn: this.taskRole.arn,
      containerDefinitions: containerDefinitionsJson([container]),
      volume: volumes,
      // Old revisions stay ACTIVE so that a rollback (circuit breaker, alarms, scripts/rollback.ts)
      // can put a service back on them; Terraform registers a new revision on every change.
      skipDestroy: true,
    });

    const policies = [this.executionRole.attach(executionGrants), this.taskRole.attach(taskGrants)].filter(
      (p): p is NonNullable<typeof p> => p !== undefined,
    );

    // --- the ECS service -------------------------------------------------------------------------
    const web = def.kind === "public-web";
    const autoscaled = sizing.autoscaling !== undefined;
    this.service = new EcsService(this, "service", {
      name: family,
      cluster: props.cluster.clusterArn,
      taskDefinition: this.taskDefinition.arn,
      desiredCount: sizing.desiredCount,
      // ECS-3 / COST-1: Fargate, on demand or Spot as the environment says.
      capacityProviderStrategy: [{ capacityProvider: fargateCapacityProvider(env), weight: 1, base: 0 }],
      platformVersion: "LATEST",
      networkConfiguration: {
        subnets: [...props.subnetIds],
        securityGroups: [props.securityGroupId],
        assignPublicIp: false,
      },
      deploymentController: { type: "ECS" },
      // DLV-1: public web services roll out as a canary behind the ALB; workers (no load balancer
      // to shift) keep rolling updates (docs/DESIGN.md "Rollout").
      deploymentConfiguration: web ? canaryDeploymentConfiguration(env) : { strategy: "ROLLING" },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      alarms: { alarmNames: [...props.deploymentAlarmNames], enable: true, rollback: true },
      enableExecuteCommand: env.ecsExec,
      propagateTags: "SERVICE",
      enableEcsManagedTags: true,
      availabilityZoneRebalancing: "ENABLED",
      // The deploy workflow's smoke test (CD-3) checks that services settle on the intended
      // revision; waiting here would report success even after a circuit-breaker rollback.
      waitForSteadyState: false,
      ...(props.serviceDiscoveryArn ? { serviceRegistries: { registryArn: props.serviceDiscoveryArn } } : {}),
      ...(web
        ? {
            loadBalancer: [
              {
                targetGroupArn: props.targetGroupArn!,
                containerName: this.containerName,
                containerPort: def.port!,
                advancedConfiguration: {
                  alternateTargetGroupArn: props.canary!.alternateTargetGroupArn,
                  productionListenerRule: props.canary!.productionListenerRuleArn,
                  roleArn: props.canary!.roleArn,
                },
              },
            ],
            healthCheckGracePeriodSeconds: HEALTH_CHECK_GRACE_PERIOD_SECONDS,
          }
        : {}),
      ...(autoscaled ? { lifecycle: { ignoreChanges: ["desired_count"] } } : {}),
      // Tasks must not start before their roles may read secrets and pull the image.
      dependsOn: [...policies, ...(props.dependsOn ?? [])],
    });

    if (sizing.autoscaling) {
      this.autoscaling = new ServiceAutoscaling(this, "autoscaling", {
        environment: env.name,
        service: def.name,
        clusterName: props.cluster.clusterName,
        serviceName: this.service.name,
        scaling: sizing.autoscaling,
      });
    }

    this.serviceName = this.service.name;
    this.serviceArn = this.service.id;
    this.taskDefinitionArn = this.taskDefinition.arn;
    this.taskDefinitionFamily = this.taskDefinition.family;
    this.executionRoleArn = this.executionRole.arn;
    this.executionRoleName = this.executionRole.name;
    this.taskRoleArn = this.taskRole.arn;
    this.taskRoleName = this.taskRole.name;
  }
}

/** Inputs that contradict the catalog row or the environment fail here, naming the fix. */
function checkProps(props: FargateServiceProps): void {
  const def = props.service;
  const env = props.environment;
  const fail = (message: string) => {
    throw new Error(`FargateService ${def.name} (${env.name}): ${message}`);
  };
  if (def.kind === "public-web" && !props.targetGroupArn) fail("a public web service needs targetGroupArn (ECS-5)");
  if (def.kind !== "public-web" && props.targetGroupArn) fail(`a ${def.kind} has no load balancer; drop targetGroupArn`);
  if (def.kind === "public-web" && !props.canary) fail("a public web service deploys as a canary: pass canary (alternate target group, production rule, role; DLV-1)");
  if (def.kind !== "public-web" && props.canary) fail(`a ${def.kind} has no load balancer to shift; drop canary`);
  if (def.storage && !props.fileSystem) fail(`the catalog mounts storage at ${def.storage.efsMountPath}; pass fileSystem (EFS-2)`);
  if (!def.storage && props.fileSystem) fail("the catalog gives it no storage; drop fileSystem");
  if (props.deploymentAlarmNames.length === 0) fail("needs at least one deployment alarm name (ECS-6, OBS-3)");
  if (props.subnetIds.length === 0) fail("needs the private application subnets");
  if (env.ecsExec && !props.cluster.execLogging) fail("ECS Exec is on, but the cluster has no Exec session logging (ECS-9)");
  for (const scratch of def.image.scratchPaths) {
    if (scratch.volume === "tmpfs" && !(Number.isInteger(scratch.sizeMiB) && scratch.sizeMiB! > 0)) {
      fail(`the tmpfs scratch path ${scratch.path} needs a size in MiB (image.scratchPaths)`);
    }
  }
  for (const part of [...def.healthCommand, ...(def.image.command ?? [])]) {
    // The container definitions are a Terraform string: a literal interpolation would be evaluated.
    if (part.includes("${") || part.includes("%{")) fail(`health command or image command "${part}" contains a Terraform template sequence`);
  }
}

function required<T>(value: T | undefined, def: ServiceDefinition, what: string, prop: string): T {
  if (value === undefined) {
    throw new Error(`FargateService ${def.name}: the catalog gives it ${what}, but props.${prop} has no such entry`);
  }
  return value;
}

/**
 * The container definitions as the JSON string ECS expects. Plain `JSON.stringify` is safe here
 * because every token in them is a string token (`${TfToken[...]}`), which survives stringification
 * and resolves to a Terraform interpolation inside the string. Number or list tokens would not:
 * they are rejected.
 */
export function containerDefinitionsJson(containers: readonly object[]): string {
  const check = (value: unknown, path: string): void => {
    if (typeof value === "number" && Token.isUnresolved(value)) throw new Error(`container definitions: ${path} is a number token`);
    if (Array.isArray(value)) {
      if (Token.isUnresolved(value)) throw new Error(`container definitions: ${path} is a list token`);
      value.forEach((v, i) => check(v, `${path}[${i}]`));
    } else if (value !== null && typeof value === "object") {
      if (Token.isUnresolved(value)) throw new Error(`container definitions: ${path} is an unresolved object`);
      for (const [k, v] of Object.entries(value)) check(v, `${path}.${k}`);
    }
  };
  check(containers, "containers");
  return JSON.stringify(containers);
}
