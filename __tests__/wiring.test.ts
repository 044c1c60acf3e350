/**
 * Wiring: every reference a real `terraform apply` or an ECS task start needs lines up, in both
 * environments (issue 3, item 8). Each check follows references in the synthesized JSON from the
 * consumer to the resource it names, the way AWS would resolve them.
 */
import { describe, expect, it } from "vitest";
import { PRODUCTION, STAGING } from "../src/config/environments";
import { serviceDefinition, SERVICE_CATALOG } from "../src/config/service-catalog";
import type { EnvironmentDefinition, ServiceName } from "../src/config/types";
import { fargateMemoryOptions } from "../src/config/validate";
import { dataSources, resources, synthBootstrap, synthTracker, type SynthesizedStack } from "./support/synth";
import { ANISETTE_PORT, WEB_SERVICES } from "./support/contract";

interface Container {
  name: string;
  image: string;
  portMappings?: { containerPort: number; hostPort?: number }[];
  secrets?: { name: string; valueFrom: string }[];
  environment?: { name: string; value: string }[];
  logConfiguration?: { logDriver: string; options: Record<string, string> };
  mountPoints?: { sourceVolume: string; containerPath: string }[];
  healthCheck?: { command: string[] };
  user?: string;
  command?: string[];
}

/** `${aws_x.name.attr}` -> ["aws_x", "name", "attr"]; `${data.aws_x.name.attr}` -> ["data.aws_x", ...]. */
function parseRef(expression: string): [string, string, string] {
  const m = /^\$\{((?:data\.)?[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}(:\*)?$/.exec(expression);
  if (!m) throw new Error(`not a plain reference: ${expression}`);
  return [m[1]!, m[2]!, m[3]!];
}

class Stack {
  constructor(readonly json: SynthesizedStack, readonly env: EnvironmentDefinition) {}

  /** The resource (or data source) a `${type.name.attr}` reference names; fails when it does not exist. */
  target(expression: string): [string, Record<string, any>] {
    const [type, name] = parseRef(expression);
    const table = type.startsWith("data.") ? this.json.data?.[type.slice(5)] : this.json.resource?.[type];
    const found = table?.[name];
    if (!found) throw new Error(`${expression} names nothing in the stack`);
    return [type, found as Record<string, any>];
  }

  services() {
    return resources(this.json, "aws_ecs_service").map(([, service]) => {
      const [, task] = this.target(service.task_definition);
      const containers = JSON.parse(task.container_definitions) as Container[];
      const name = String(service.name).replace(`tracker-${this.env.name}-`, "") as ServiceName;
      return { name, service, task, containers, container: containers[0]! };
    });
  }

  /** Every statement of the inline policies attached to a role (by `${aws_iam_role.x.arn}`). */
  roleStatements(roleArnRef: string): Record<string, any>[] {
    const [, roleName] = parseRef(roleArnRef);
    return resources(this.json, "aws_iam_role_policy")
      .filter(([, p]) => p.role === `\${aws_iam_role.${roleName}.id}` || p.role === `\${aws_iam_role.${roleName}.name}`)
      .flatMap(([, p]) => this.target(p.policy)[1].statement as Record<string, any>[]);
  }

  /** Ingress rules of a security group (by its `${...id}` reference). */
  ingressOf(groupRef: string) {
    return resources(this.json, "aws_vpc_security_group_ingress_rule").filter(([, r]) => r.security_group_id === groupRef).map(([, r]) => r);
  }

  egressOf(groupRef: string) {
    return resources(this.json, "aws_vpc_security_group_egress_rule").filter(([, r]) => r.security_group_id === groupRef).map(([, r]) => r);
  }

  /** The security group of the ALB (by its `${...id}` reference). */
  albGroup(): string {
    const [, lb] = resources(this.json, "aws_lb")[0]!;
    expect(lb.security_groups).toHaveLength(1);
    return lb.security_groups[0];
  }
}

const allows = (rules: Record<string, any>[], port: number, peer: string) =>
  rules.some((r) => r.from_port <= port && r.to_port >= port && r.referenced_security_group_id === peer && r.ip_protocol === "tcp");

describe.each([
  ["staging", STAGING],
  ["production", PRODUCTION],
] as const)("%s wiring", (_name, env) => {
  const stack = new Stack(synthTracker(env), env);
  const services = stack.services();

  it("ECS-2: every catalog service runs, and nothing else", () => {
    expect(services.map((s) => s.name).sort()).toEqual(SERVICE_CATALOG.map((s) => s.name).sort());
  });

  it("ECS-3: every task definition has a valid Fargate size and the catalog's architecture", () => {
    for (const { name, task } of services) {
      expect(fargateMemoryOptions(Number(task.cpu))).toContain(Number(task.memory));
      expect(task.runtime_platform.cpu_architecture).toBe(serviceDefinition(name).architecture);
    }
  });

  it("ECS-3 / NET-2: every service runs in the application subnets and its security group exists", () => {
    for (const { service } of services) {
      for (const subnet of service.network_configuration.subnets as string[]) {
        expect(stack.target(subnet)[1].tags.Tier).toBe("application");
      }
      for (const group of service.network_configuration.security_groups as string[]) stack.target(group);
    }
  });

  it("EDGE-5 / SG-3: every container port equals its target group port, and the ALB may reach it", () => {
    const alb = stack.albGroup();
    const loadBalanced = services.filter((s) => s.service.load_balancer);
    expect(loadBalanced.map((s) => s.name).sort()).toEqual(SERVICE_CATALOG.filter((s) => s.kind === "public-web").map((s) => s.name).sort());
    for (const { name, service, container } of loadBalanced) {
      const [binding] = service.load_balancer as { target_group_arn: string; container_name: string; container_port: number }[];
      expect(binding!.container_name).toBe(container.name);
      expect(container.portMappings?.map((p) => p.containerPort)).toContain(binding!.container_port);
      const [, targetGroup] = stack.target(binding!.target_group_arn);
      expect(targetGroup.port, name).toBe(binding!.container_port);
      expect(targetGroup.target_type).toBe("ip");
      expect(targetGroup.health_check.path).toBe(WEB_SERVICES[name as keyof typeof WEB_SERVICES].healthPath);
      expect(binding!.container_port).toBe(WEB_SERVICES[name as keyof typeof WEB_SERVICES].port);
      const taskGroup = service.network_configuration.security_groups[0];
      expect(allows(stack.ingressOf(taskGroup), binding!.container_port, alb), `${name}: task group ingress from the ALB`).toBe(true);
      expect(allows(stack.egressOf(alb), binding!.container_port, taskGroup), `${name}: ALB egress to the task group`).toBe(true);
    }
  });

  it("ECS-2 / EDGE-4: awsvpc port mappings use the same host and container port, and only catalog ports", () => {
    for (const { name, container } of services) {
      const port = name in WEB_SERVICES ? WEB_SERVICES[name as keyof typeof WEB_SERVICES].port : name === "anisette" ? ANISETTE_PORT : undefined;
      expect((container.portMappings ?? []).map((p) => p.containerPort), name).toEqual(port === undefined ? [] : [port]);
      for (const p of container.portMappings ?? []) expect(p.hostPort ?? p.containerPort).toBe(p.containerPort);
    }
  });

  it("ECS-4: every log group a container writes to exists, and the execution role may write to it", () => {
    for (const { name, task, container } of services) {
      expect(container.logConfiguration?.logDriver).toBe("awslogs");
      const groupRef = container.logConfiguration!.options["awslogs-group"]!;
      const [, group] = stack.target(groupRef);
      expect(group.name).toBe(`/ecs/tracker-${env.name}/${name}`);
      expect(container.logConfiguration!.options["awslogs-region"]).toBe(env.region);
      const arnRef = groupRef.replace(/\.name\}$/, ".arn}");
      const writes = stack.roleStatements(task.execution_role_arn).filter((s) => s.actions.includes("logs:PutLogEvents"));
      expect(writes.flatMap((s) => s.resources), name).toContain(`${arnRef}:*`);
    }
  });

  it("CFG-3 / ECS-10: every secret or parameter a container reads exists and is granted to exactly its execution role", () => {
    for (const { name, task, container } of services) {
      const def = serviceDefinition(name);
      const valueFroms = (container.secrets ?? []).map((s) => s.valueFrom);
      expect(valueFroms).toHaveLength(def.secrets.length + def.parameters.length);
      const statements = stack.roleStatements(task.execution_role_arn);
      const granted = (action: string) => statements.filter((s) => s.actions.includes(action)).flatMap((s) => s.resources as string[]);
      for (const valueFrom of valueFroms) {
        const [type] = stack.target(valueFrom);
        expect(["aws_secretsmanager_secret", "aws_ssm_parameter"]).toContain(type);
        const action = type === "aws_secretsmanager_secret" ? "secretsmanager:GetSecretValue" : "ssm:GetParameters";
        expect(granted(action), `${name} reads ${valueFrom}`).toContain(valueFrom);
      }
      // And nothing beyond what it reads.
      expect([...granted("secretsmanager:GetSecretValue"), ...granted("ssm:GetParameters")].sort()).toEqual([...valueFroms].sort());
    }
  });

  it("ECS-11 / ECR-1: every image comes from the environment's repository (owned by the bootstrap stack) with the service's tag variable", () => {
    const bootstrapRepositories = new Set(resources(synthBootstrap(env), "aws_ecr_repository").map(([, r]) => r.name));
    for (const { name, task, container } of services) {
      const m = /^(\$\{data\.aws_ecr_repository\.[^}]+\.repository_url\}):\$\{var\.([a-z_]+)\}$/.exec(container.image);
      expect(m, `${name}: ${container.image}`).not.toBeNull();
      const [, lookup] = stack.target(m![1]!);
      expect(lookup.name).toBe(`tracker-${env.name}/${serviceDefinition(name).repository}`);
      expect(bootstrapRepositories.has(lookup.name), `${lookup.name} is created by the bootstrap stack`).toBe(true);
      expect(Object.keys(stack.json.variable ?? {})).toContain(m![2]);
      const pulls = stack.roleStatements(task.execution_role_arn).filter((s) => s.actions.includes("ecr:BatchGetImage"));
      expect(pulls.flatMap((s) => s.resources)).toEqual([m![1]!.replace(".repository_url}", ".arn}")]);
    }
  });

  it("ECS-10: every role a task definition names exists and trusts ECS tasks", () => {
    for (const { task } of services) {
      for (const ref of [task.execution_role_arn, task.task_role_arn]) {
        const [, role] = stack.target(ref);
        const [, trust] = stack.target(role.assume_role_policy);
        expect(trust.statement[0].principals[0].identifiers).toEqual(["ecs-tasks.amazonaws.com"]);
      }
    }
  });

  it("EFS-1 / EFS-2: the EFS volume has a mount target in every AZ the task can run in, and NFS is open from the task", () => {
    for (const { name, service, task, container } of services.filter((s) => serviceDefinition(s.name).storage)) {
      const volume = (task.volume as Record<string, any>[]).find((v) => v.efs_volume_configuration)!;
      const efs = volume.efs_volume_configuration;
      expect(efs.transit_encryption).toBe("ENABLED");
      expect(efs.authorization_config.iam).toBe("ENABLED");
      expect(container.mountPoints?.find((m) => m.sourceVolume === volume.name)?.containerPath).toBe(serviceDefinition(name).storage!.efsMountPath);
      const [, accessPoint] = stack.target(efs.authorization_config.access_point_id);
      expect(accessPoint.file_system_id).toBe(efs.file_system_id);
      const mountTargets = resources(stack.json, "aws_efs_mount_target").map(([, m]) => m).filter((m) => m.file_system_id === efs.file_system_id);
      const azOf = (subnetRef: string) => stack.target(subnetRef)[1].availability_zone as string;
      const taskAzs = new Set((service.network_configuration.subnets as string[]).map(azOf));
      const mountAzs = new Set(mountTargets.map((m) => azOf(m.subnet_id)));
      expect([...taskAzs].filter((az) => !mountAzs.has(az))).toEqual([]);
      const taskGroup = service.network_configuration.security_groups[0];
      for (const m of mountTargets) {
        expect(m.security_groups.some((g: string) => allows(stack.ingressOf(g), 2049, taskGroup))).toBe(true);
      }
      expect(allows(stack.egressOf(taskGroup), 2049, mountTargets[0]!.security_groups[0])).toBe(true);
      // Only this task's role may mount it.
      const [, policy] = resources(stack.json, "aws_efs_file_system_policy").find(([, p]) => p.file_system_id === efs.file_system_id)!;
      expect(JSON.stringify(stack.target(policy.policy)[1])).toContain(task.task_role_arn);
    }
  });

  it("IMG-1: the EFS access point writes as the user the container runs as (anisette: 1000:1000)", () => {
    const withStorage = services.filter((s) => serviceDefinition(s.name).storage);
    expect(withStorage.map((s) => s.name)).toEqual(["anisette"]);
    for (const { task, container } of withStorage) {
      const volume = (task.volume as Record<string, any>[]).find((v) => v.efs_volume_configuration)!;
      const [, accessPoint] = stack.target(volume.efs_volume_configuration.authorization_config.access_point_id);
      expect(container.user).toBe("1000:1000");
      expect(`${accessPoint.posix_user.uid}:${accessPoint.posix_user.gid}`).toBe(container.user);
      expect(accessPoint.root_directory.creation_info).toMatchObject({ owner_uid: 1000, owner_gid: 1000 });
      // The process is told to keep its state on that mount.
      const mount = container.mountPoints!.find((m) => m.sourceVolume === volume.name)!;
      expect(container.command).toEqual(["--adi-path", mount.containerPath]);
    }
  });

  it("EDGE-5, DLV-1: every listener rule forwards to exactly the two target groups (primary, alternate) of one ECS service, and is that service's production rule", () => {
    const rules = resources(stack.json, "aws_lb_listener_rule").filter(([, r]) => (r.action as Record<string, any>[])[0]!.type === "forward");
    expect(rules.length).toBeGreaterThanOrEqual(3);
    for (const [name, r] of rules) {
      const groups = (r.action[0].forward.target_group as { arn: string }[]).map((g) => g.arn);
      const owner = services.filter((s) =>
        (s.service.load_balancer ?? []).some(
          (b: Record<string, any>) =>
            b.target_group_arn === groups[0] &&
            b.advanced_configuration?.alternate_target_group_arn === groups[1] &&
            b.advanced_configuration?.production_listener_rule === `\${aws_lb_listener_rule.${name}.arn}`,
        ),
      );
      expect(owner, name).toHaveLength(1);
    }
  });

  it("EDGE-2 / EDGE-3: every hostname is covered by the certificate and has a Cloudflare record pointing at the ALB", () => {
    const [, certificate] = resources(stack.json, "aws_acm_certificate")[0]!;
    const names: string[] = [certificate.domain_name, ...(certificate.subject_alternative_names ?? [])];
    const covers = (host: string) => names.some((n) => n === host || (n.startsWith("*.") && host.split(".").slice(1).join(".") === n.slice(2)));
    const [albName] = resources(stack.json, "aws_lb")[0]!;
    const records = resources(stack.json, "cloudflare_dns_record").map(([, r]) => r);
    for (const host of Object.values(env.dns.hostnames)) {
      expect(covers(host), host).toBe(true);
      const record = records.find((r) => r.name === host);
      expect(record?.type).toBe("CNAME");
      expect(record?.content).toBe(`\${aws_lb.${albName}.dns_name}`);
    }
    // The HTTPS listener uses the certificate only once it is validated.
    const https = resources(stack.json, "aws_lb_listener").find(([, l]) => l.port === 443)![1];
    expect(stack.target(https.certificate_arn)[0]).toBe("aws_acm_certificate_validation");
  });

  it("OBS-3 / ECS-6: every rollback alarm an ECS service names exists", () => {
    const alarmNames = new Set(resources(stack.json, "aws_cloudwatch_metric_alarm").map(([, a]) => a.alarm_name));
    for (const { name, service } of services) {
      expect(service.alarms.alarm_names.length, name).toBeGreaterThan(0);
      for (const alarm of service.alarms.alarm_names) expect(alarmNames.has(alarm), `${name}: ${alarm}`).toBe(true);
    }
  });

  it("ECS-8: every service registers in Cloud Map, and db/redis resolve in the namespace", () => {
    const [namespaceName, namespace] = resources(stack.json, "aws_service_discovery_private_dns_namespace")[0]!;
    expect(namespace.name).toBe(`${env.name}.tracker.internal`);
    for (const { name, service } of services) {
      const [, registry] = stack.target(service.service_registries.registry_arn);
      expect(registry.name).toBe(serviceDefinition(name).discoveryName);
      expect(registry.dns_config.namespace_id).toBe(`\${aws_service_discovery_private_dns_namespace.${namespaceName}.id}`);
    }
    const registered = resources(stack.json, "aws_service_discovery_service").map(([, s]) => s.name);
    expect(registered).toEqual(expect.arrayContaining(["db", "redis", ...SERVICE_CATALOG.map((s) => s.discoveryName)]));
    for (const [, instance] of resources(stack.json, "aws_service_discovery_instance")) stack.target(instance.service_id);
  });

  it("ECS-9: ECS Exec is on exactly when the environment asks, with a log group that exists", () => {
    for (const { service } of services) expect(service.enable_execute_command).toBe(env.ecsExec);
    const [, cluster] = resources(stack.json, "aws_ecs_cluster")[0]!;
    const exec = cluster.configuration?.execute_command_configuration;
    if (env.ecsExec) {
      stack.target(exec.log_configuration.cloud_watch_log_group_name);
    } else {
      expect(exec?.logging ?? "DEFAULT").not.toBe("OVERRIDE");
    }
  });

  it("every policy document an IAM policy names exists", () => {
    for (const [, p] of resources(stack.json, "aws_iam_role_policy")) stack.target(p.policy);
    for (const [, r] of resources(stack.json, "aws_iam_role")) stack.target(r.assume_role_policy);
    expect(dataSources(stack.json, "aws_iam_policy_document").length).toBeGreaterThan(10);
  });
});
