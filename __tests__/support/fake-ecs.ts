/**
 * A small in-memory ECS environment behind aws-sdk-client-mock, for the delivery scripts' tests
 * (smoke, rollback, image tags). State is plain data that each test adjusts; `advance` hooks let a
 * test say how a rollout progresses from one DescribeServices poll to the next.
 */
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type Deployment,
  type Service,
  type Task,
  type StopServiceDeploymentCommandInput,
  type UpdateServiceCommandInput,
} from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";
import { clusterName, serviceResourceName } from "../../src/config/naming";
import { SERVICE_CATALOG } from "../../src/config/service-catalog";
import type { EnvironmentDefinition, ServiceName } from "../../src/config/types";
import type { Clock } from "../../scripts/lib/runtime";

export const T0 = Date.parse("2026-01-01T12:00:00Z");

export function fakeClock(start = T0): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
  };
}

export function taskDefinitionArn(env: EnvironmentDefinition, service: ServiceName, revision: number): string {
  return `arn:aws:ecs:${env.region}:${env.accountId}:task-definition/${serviceResourceName(env.name, service)}:${revision}`;
}

export function imageOf(env: EnvironmentDefinition, service: ServiceName, tag: string): string {
  return `${env.accountId}.dkr.ecr.${env.region}.amazonaws.com/tracker-${env.name}/${service}:${tag}`;
}

/** The tag revision N of every family carries in these tests. */
export const tagOfRevision = (revision: number) => `sha${revision}`;

export function settledService(
  env: EnvironmentDefinition,
  service: ServiceName,
  revision: number,
  count = 1,
): Service {
  const arn = taskDefinitionArn(env, service, revision);
  return {
    serviceName: serviceResourceName(env.name, service),
    serviceArn: `arn:aws:ecs:${env.region}:${env.accountId}:service/${clusterName(env.name)}/${serviceResourceName(env.name, service)}`,
    status: "ACTIVE",
    desiredCount: count,
    runningCount: count,
    pendingCount: 0,
    taskDefinition: arn,
    deployments: [
      {
        id: `ecs-svc/${revision}`,
        status: "PRIMARY",
        taskDefinition: arn,
        desiredCount: count,
        runningCount: count,
        rolloutState: "COMPLETED",
        createdAt: new Date(T0 - 60 * 60_000),
      },
    ],
  };
}

export function rollingOut(
  env: EnvironmentDefinition,
  service: ServiceName,
  from: number,
  to: number,
  startedAt: number,
): Service {
  const base = settledService(env, service, to);
  const primary: Deployment = {
    ...base.deployments![0]!,
    runningCount: 0,
    rolloutState: "IN_PROGRESS",
    createdAt: new Date(startedAt),
  };
  const active: Deployment = {
    id: `ecs-svc/${from}`,
    status: "ACTIVE",
    taskDefinition: taskDefinitionArn(env, service, from),
    desiredCount: 1,
    runningCount: 1,
    rolloutState: "COMPLETED",
    createdAt: new Date(T0 - 2 * 60 * 60_000),
  };
  return { ...base, deployments: [primary, active] };
}

export class FakeEcs {
  readonly client = new ECSClient({ region: "eu-central-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  readonly mock = mockClient(this.client);
  /** By service resource name. */
  readonly services = new Map<string, Service>();
  /** ACTIVE revisions by family. */
  readonly revisions = new Map<string, number[]>();
  /** Running tasks by service resource name. */
  readonly tasks = new Map<string, Task[]>();
  readonly updates: UpdateServiceCommandInput[] = [];
  /** DLV-1: the service deployment ECS is running, by service resource name (ListServiceDeployments). */
  readonly deploymentsInProgress = new Map<string, string>();
  readonly stops: StopServiceDeploymentCommandInput[] = [];
  describeCalls = 0;
  clusterMissing = false;
  /** Called before every DescribeServices answer: lets a rollout progress between polls. */
  advance: (fake: FakeEcs) => void = () => undefined;
  /** How UpdateService changes a service. Default: a rollout to the new revision starts. */
  onUpdate: (fake: FakeEcs, input: UpdateServiceCommandInput) => void = (fake, input) => {
    const current = fake.services.get(input.service!)!;
    const revision = Number(input.taskDefinition!.split(":").pop());
    const from = Number(current.taskDefinition!.split(":").pop());
    const name = input.service!.replace(`tracker-${this.env.name}-`, "") as ServiceName;
    fake.services.set(input.service!, rollingOut(this.env, name, from, revision, T0));
  };

  /**
   * How StopServiceDeployment (ROLLBACK) changes a service. Default: ECS shifts back to the revision
   * the canary replaced, still running, and the service is settled on it at once.
   */
  onStop: (fake: FakeEcs, input: StopServiceDeploymentCommandInput) => void = (fake, input) => {
    for (const [name, arn] of fake.deploymentsInProgress) {
      if (arn !== input.serviceDeploymentArn) continue;
      const current = fake.services.get(name)!;
      const old = current.deployments!.find((d) => d.status !== "PRIMARY")!;
      const catalogName = name.replace(`tracker-${this.env.name}-`, "") as ServiceName;
      fake.services.set(name, settledService(this.env, catalogName, Number(old.taskDefinition!.split(":").pop())));
      fake.deploymentsInProgress.delete(name);
    }
  };

  constructor(readonly env: EnvironmentDefinition) {
    this.mock.on(DescribeServicesCommand).callsFake((input: { cluster?: string; services?: string[] }) => {
      if (this.clusterMissing || input.cluster !== clusterName(env.name)) {
        const err = new Error("Cluster not found.");
        err.name = "ClusterNotFoundException";
        throw err;
      }
      this.describeCalls++;
      this.advance(this);
      const services: Service[] = [];
      const failures: { arn: string; reason: string }[] = [];
      for (const name of input.services ?? []) {
        const s = this.services.get(name);
        if (s) services.push(structuredClone(s));
        else failures.push({ arn: `arn:aws:ecs:${env.region}:${env.accountId}:service/${input.cluster}/${name}`, reason: "MISSING" });
      }
      return { services, failures };
    });
    this.mock.on(ListTaskDefinitionsCommand).callsFake((input: { familyPrefix?: string }) => {
      const arns: string[] = [];
      for (const [family, revs] of this.revisions) {
        if (!family.startsWith(input.familyPrefix ?? "")) continue;
        for (const r of revs) arns.push(`arn:aws:ecs:${env.region}:${env.accountId}:task-definition/${family}:${r}`);
      }
      return { taskDefinitionArns: arns };
    });
    this.mock.on(DescribeTaskDefinitionCommand).callsFake((input: { taskDefinition?: string }) => {
      const match = /task-definition\/tracker-[a-z]+-(.+):(\d+)$/.exec(input.taskDefinition ?? "");
      if (!match) throw new Error(`unknown task definition ${input.taskDefinition}`);
      const service = match[1] as ServiceName;
      const revision = Number(match[2]);
      return {
        taskDefinition: {
          taskDefinitionArn: input.taskDefinition,
          family: serviceResourceName(env.name, service),
          revision,
          containerDefinitions: [
            { name: "log-router", image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable", essential: false },
            { name: service, image: imageOf(env, service, tagOfRevision(revision)), essential: true },
          ],
        },
      };
    });
    this.mock.on(UpdateServiceCommand).callsFake((input: UpdateServiceCommandInput) => {
      this.updates.push(input);
      this.onUpdate(this, input);
      return { service: this.services.get(input.service!) };
    });
    this.mock.on(ListServiceDeploymentsCommand).callsFake((input: { service?: string; status?: string[] }) => {
      const arn = this.deploymentsInProgress.get(input.service ?? "");
      const wanted = input.status ?? [];
      return { serviceDeployments: arn && wanted.includes("IN_PROGRESS") ? [{ serviceDeploymentArn: arn, status: "IN_PROGRESS" }] : [] };
    });
    this.mock.on(StopServiceDeploymentCommand).callsFake((input: StopServiceDeploymentCommandInput) => {
      this.stops.push(input);
      this.onStop(this, input);
      return { serviceDeploymentArn: input.serviceDeploymentArn };
    });
    this.mock.on(ListTasksCommand).callsFake((input: { serviceName?: string }) => {
      if (this.clusterMissing) throw Object.assign(new Error("Cluster not found."), { name: "ClusterNotFoundException" });
      return { taskArns: (this.tasks.get(input.serviceName ?? "") ?? []).map((t) => t.taskArn!) };
    });
    this.mock.on(DescribeTasksCommand).callsFake((input: { tasks?: string[] }) => ({
      tasks: [...this.tasks.values()].flat().filter((t) => input.tasks?.includes(t.taskArn!)),
    }));
  }

  /** Every catalog service settled on `revision`, revisions 1..revision ACTIVE, one HEALTHY task each. */
  static healthy(env: EnvironmentDefinition, revision = 5): FakeEcs {
    const fake = new FakeEcs(env);
    for (const s of SERVICE_CATALOG) {
      const resource = serviceResourceName(env.name, s.name);
      fake.services.set(resource, settledService(env, s.name, revision));
      fake.revisions.set(resource, Array.from({ length: revision }, (_, i) => revision - i));
      fake.tasks.set(resource, [
        {
          taskArn: `arn:aws:ecs:${env.region}:${env.accountId}:task/${clusterName(env.name)}/${s.name}-new`,
          taskDefinitionArn: taskDefinitionArn(env, s.name, revision),
          lastStatus: "RUNNING",
          healthStatus: "HEALTHY",
          startedAt: new Date(T0 - 10 * 60_000),
        },
      ]);
    }
    return fake;
  }

  set(service: ServiceName, value: Service): void {
    this.services.set(serviceResourceName(this.env.name, service), value);
  }

  get(service: ServiceName): Service {
    return this.services.get(serviceResourceName(this.env.name, service))!;
  }
}
