/**
 * The constructs' preconditions: a bad input (an unknown service, an empty list, a second call, a
 * value outside what AWS or the host accepts) fails synth with an error naming that input, instead
 * of producing a stack that is wrong in a quieter way. One input per guard; each test asserts the
 * full message, written out here. Nothing is synthesized: constructing (or calling) is enough.
 */
import { describe, expect, it } from "vitest";
import { Fn, TerraformStack, Testing } from "../src/cdktf";
import { FargateService } from "../src/compute/fargate-service";
import { ImageTags } from "../src/compute/image-tags";
import { OffHoursSchedule } from "../src/compute/off-hours-schedule";
import { ServiceDiscovery } from "../src/compute/service-discovery";
import { EcsTaskRole, PolicyGrants } from "../src/compute/task-roles";
import { PRODUCTION, STAGING } from "../src/config/environments";
import { SERVICE_CATALOG, serviceDefinition } from "../src/config/service-catalog";
import type { EnvironmentDefinition, ParameterName, ServiceDefinition, ServiceName } from "../src/config/types";
import { DatabaseHost } from "../src/data/database-host";
import { hostnameOf } from "../src/edge/hostnames";
import { LoadBalancer } from "../src/edge/load-balancer";
import { hostEnvironment } from "../src/data/database-host/user-data";
import { ServiceFileSystem } from "../src/data/service-file-system";
import { NatInstance } from "../src/network/nat-instance";
import { SecurityGroupMatrix } from "../src/network/security-groups";
import { TrackerAlarms } from "../src/observability/alarms";
import { notifyingAlarm } from "../src/observability/notifying-alarm";
import { ServiceLogGroups } from "../src/observability/service-log-groups";
import { TaskFailureAlarms } from "../src/observability/task-failure-alarms";
import { ExistingImageRepositories } from "../src/registry/existing-image-repositories";
import { ImageRepositories } from "../src/registry/image-repositories";
import { parameterValues } from "../src/runtime-config/parameters";
import { EXAMPLE_HOST_PARAMS } from "./support/database-host-params";

/** One stack holds every construct of the file; each gets an ID of its own. */
const stack = new TerraformStack(Testing.app(), "construct-guards");

const KMS_KEY_ARN = "arn:aws:kms:eu-central-1:802732539686:key/11111111-2222-3333-4444-555555555555";
const TOPIC_ARN = "arn:aws:sns:eu-central-1:802732539686:tracker-staging-alarms";

/** The catalog without anisette (the one private service, the one with storage). */
const WITHOUT_ANISETTE = SERVICE_CATALOG.filter((s) => s.name !== "anisette");
const row = (name: ServiceName): ServiceDefinition => SERVICE_CATALOG.find((s) => s.name === name)!;

describe("config: the service catalog", () => {
  it("refuses to look up a service that is not in the catalog", () => {
    expect(() => serviceDefinition("nope" as ServiceName)).toThrow('service catalog: no service named "nope"');
  });
});

describe("runtime parameters", () => {
  it("refuses a catalog without the anisette service (anisette-url has nothing to point at)", () => {
    expect(() => parameterValues(STAGING, WITHOUT_ANISETTE)).toThrow(
      'runtime parameters: the service catalog has no "anisette" service with a port (anisette-url)',
    );
  });
});

describe("compute", () => {
  it("ImageTags refuses the tag of a service it has no variable for", () => {
    const tags = new ImageTags(stack, "image-tags", { environment: STAGING, catalog: WITHOUT_ANISETTE });
    expect(() => tags.tagOf("anisette")).toThrow('ImageTags: no image tag variable for service "anisette"');
  });

  it("service discovery refuses two catalog services with the same discovery name", () => {
    const catalog = [row("api"), { ...row("frontend"), discoveryName: "api" }];
    expect(() => new ServiceDiscovery(stack, "discovery-shared-name", { environment: "staging", vpcId: "vpc-stub", catalog })).toThrow(
      'service discovery: frontend and api share the discovery name "api"',
    );
  });

  it("service discovery refuses the Cloud Map ARN of a service outside its catalog", () => {
    const discovery = new ServiceDiscovery(stack, "discovery-without-anisette", {
      environment: "staging",
      vpcId: "vpc-stub",
      catalog: WITHOUT_ANISETTE,
    });
    expect(() => discovery.serviceArn("anisette")).toThrow("service discovery: no Cloud Map service for anisette");
  });

  it("service discovery refuses to register the same data endpoint twice", () => {
    const discovery = new ServiceDiscovery(stack, "discovery-endpoint-twice", { environment: "staging", vpcId: "vpc-stub" });
    discovery.registerEndpoint("db", { ipv4: "10.42.64.10" });
    expect(() => discovery.registerEndpoint("db", { ipv4: "10.42.64.11" })).toThrow(
      'service discovery: endpoint "db" is already registered',
    );
  });

  it("service discovery refuses a data endpoint whose name a catalog service already resolves to", () => {
    const catalog = [{ ...row("api"), discoveryName: "db" }];
    const discovery = new ServiceDiscovery(stack, "discovery-endpoint-taken", { environment: "staging", vpcId: "vpc-stub", catalog });
    expect(() => discovery.registerEndpoint("db", { ipv4: "10.42.64.10" })).toThrow(
      'service discovery: "db" is already the discovery name of a catalog service',
    );
  });

  describe("FargateService", () => {
    const worker = row("tracker-fetcher");
    const build = (id: string, environment: EnvironmentDefinition, service: ServiceDefinition, parameterArns: Record<string, string> = {}) =>
      new FargateService(stack, id, {
        environment,
        service,
        cluster: {
          clusterName: "tracker-staging",
          clusterArn: "arn:aws:ecs:eu-central-1:802732539686:cluster/tracker-staging",
          execLogging: {
            logGroupName: "/ecs/tracker-staging/exec",
            logGroupArn: "arn:aws:logs:eu-central-1:802732539686:log-group:/ecs/tracker-staging/exec",
            kmsKeyArn: KMS_KEY_ARN,
          },
        },
        repository: {
          url: "802732539686.dkr.ecr.eu-central-1.amazonaws.com/tracker-staging/tracker-fetcher",
          arn: "arn:aws:ecr:eu-central-1:802732539686:repository/tracker-staging/tracker-fetcher",
        },
        imageTag: "3f2c1ab9",
        secrets: {},
        parameters: Object.fromEntries(Object.entries(parameterArns).map(([name, arn]) => [name, { name, arn }])),
        logGroup: { name: "/ecs/tracker-staging/tracker-fetcher", arn: "arn:aws:logs:eu-central-1:802732539686:log-group:/ecs/tracker-staging/tracker-fetcher" },
        subnetIds: ["subnet-app-a"],
        securityGroupId: "sg-workers",
        kmsKeyArn: KMS_KEY_ARN,
        deploymentAlarmNames: ["tracker-staging-tracker-fetcher-task-failures"],
      });

    it("refuses a service the environment gives no size", () => {
      const services = Object.fromEntries(Object.entries(STAGING.services).filter(([name]) => name !== "tracker-fetcher"));
      const unsized = { ...STAGING, services: services as EnvironmentDefinition["services"] };
      expect(() => build("fargate-unsized", unsized, worker)).toThrow(
        "FargateService tracker-fetcher: environment staging has no size for it (services.tracker-fetcher)",
      );
    });

    it("refuses a parameter whose variable would overwrite one the task sets itself (SERVICE_NAME)", () => {
      const clashing = { ...worker, secrets: [], parameters: ["service-name" as ParameterName] };
      const parameterArn = "arn:aws:ssm:eu-central-1:802732539686:parameter/tracker/staging/service-name";
      expect(() => build("fargate-clashing", STAGING, clashing, { "service-name": parameterArn })).toThrow(
        "FargateService tracker-fetcher: environment variable SERVICE_NAME is also injected as a secret",
      );
    });
  });

  it("the off-hours schedule refuses an environment whose schedule is off", () => {
    expect(
      () =>
        new OffHoursSchedule(stack, "off-hours", {
          environment: PRODUCTION,
          clusterName: "tracker-production",
          services: new Map(),
          quietAlarms: [],
          kmsKeyArn: KMS_KEY_ARN,
        }),
    ).toThrow("OffHoursSchedule: production.schedule.enabled is false; build the schedule only for an environment that has one");
  });

  describe("PolicyGrants and the task role", () => {
    it("refuses a grant without a resource", () => {
      expect(() => new PolicyGrants().allow("ReadSecrets", ["secretsmanager:GetSecretValue"], [])).toThrow(
        "PolicyGrants ReadSecrets: a grant needs at least one resource",
      );
    });

    it("refuses the same sid granted again with other actions (the same actions only add resources)", () => {
      const grants = new PolicyGrants();
      grants.allow("ReadSecrets", ["secretsmanager:GetSecretValue"], ["arn:aws:secretsmanager:eu-central-1:802732539686:secret:a"]);
      expect(() =>
        grants.allow("ReadSecrets", ["secretsmanager:GetSecretValue"], ["arn:aws:secretsmanager:eu-central-1:802732539686:secret:b"]),
      ).not.toThrow();
      expect(() =>
        grants.allow("ReadSecrets", ["secretsmanager:DescribeSecret"], ["arn:aws:secretsmanager:eu-central-1:802732539686:secret:a"]),
      ).toThrow("PolicyGrants ReadSecrets: granted again with different actions");
    });

    it("merges a sid granted again: values of the same condition join, a condition on another key stays its own", () => {
      const grants = new PolicyGrants();
      const key = "arn:aws:kms:eu-central-1:802732539686:key/k";
      grants.allow("Decrypt", ["kms:Decrypt"], [key], [{ test: "StringEquals", variable: "kms:ViaService", values: ["secretsmanager.eu-central-1.amazonaws.com"] }]);
      grants.allow("Decrypt", ["kms:Decrypt"], [key], [
        { test: "StringEquals", variable: "kms:ViaService", values: ["ssm.eu-central-1.amazonaws.com", "secretsmanager.eu-central-1.amazonaws.com"] },
        { test: "StringEquals", variable: "aws:SourceAccount", values: ["802732539686"] },
      ]);
      expect(grants.statements).toEqual([
        {
          sid: "Decrypt",
          actions: ["kms:Decrypt"],
          resources: [key],
          conditions: [
            { test: "StringEquals", variable: "kms:ViaService", values: ["secretsmanager.eu-central-1.amazonaws.com", "ssm.eu-central-1.amazonaws.com"] },
            { test: "StringEquals", variable: "aws:SourceAccount", values: ["802732539686"] },
          ],
        },
      ]);
    });

    it("refuses to attach a role's policy twice", () => {
      const role = new EcsTaskRole(stack, "task-role", {
        environment: STAGING,
        roleName: "tracker-staging-guard-task",
        description: "guard test",
      });
      role.attach(new PolicyGrants());
      expect(() => role.attach(new PolicyGrants())).toThrow("construct-guards/task-role: the policy is already attached");
    });
  });
});

describe("observability", () => {
  it("task-failure alarms refuse the alarm of a service outside their catalog", () => {
    const alarms = new TaskFailureAlarms(stack, "task-failures", {
      environment: "staging",
      clusterArn: "arn:aws:ecs:eu-central-1:802732539686:cluster/tracker-staging",
      topicArn: TOPIC_ARN,
      kmsKeyArn: KMS_KEY_ARN,
      retentionDays: 14,
      catalog: WITHOUT_ANISETTE,
    });
    expect(() => alarms.alarm("anisette")).toThrow('TaskFailureAlarms: no alarm for service "anisette" (not in the catalog)');
  });

  it("the environment's alarms refuse the deployment alarms of a service outside their catalog", () => {
    const alarms = new TrackerAlarms(stack, "tracker-alarms", {
      environment: STAGING,
      topicArn: TOPIC_ARN,
      kmsKeyArn: KMS_KEY_ARN,
      clusterArn: "arn:aws:ecs:eu-central-1:802732539686:cluster/tracker-staging",
      // anisette talks to no data store and has no target group: neither is needed.
      logGroups: { logGroup: (service) => ({ name: `/ecs/tracker-staging/${service}`, arn: `arn:stub:${service}` }) },
      loadBalancer: { arnSuffix: "app/tracker-staging/0123456789abcdef", targetGroupArnSuffixes: {} },
      catalog: [row("anisette")],
    });
    expect(() => alarms.deploymentAlarmNames("api")).toThrow('TrackerAlarms: no service "api" in the catalog');
  });

  it("service log groups refuse the group of a service outside their catalog", () => {
    const groups = new ServiceLogGroups(stack, "service-log-groups", {
      environment: "staging",
      retentionDays: 14,
      kmsKeyArn: KMS_KEY_ARN,
      catalog: WITHOUT_ANISETTE,
    });
    expect(() => groups.logGroup("anisette")).toThrow('ServiceLogGroups: no log group for service "anisette" (not in the catalog)');
  });

  describe("notifyingAlarm", () => {
    const alarm = (id: string, descriptionLength: number) =>
      notifyingAlarm(stack, id, {
        alarmName: `tracker-staging-${id}`,
        alarmDescription: "x".repeat(descriptionLength),
        namespace: "Tracker/staging",
        metricName: "TaskFailures",
        statistic: "Sum",
        period: 60,
        evaluationPeriods: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        topicArn: TOPIC_ARN,
      });

    it("accepts a description of exactly CloudWatch's 1024 characters", () => {
      expect(() => alarm("description-1024", 1024)).not.toThrow();
    });

    it("refuses a description of 1025 characters", () => {
      expect(() => alarm("description-1025", 1025)).toThrow(
        "alarm tracker-staging-description-1025: the description is longer than CloudWatch's 1024 characters",
      );
    });
  });
});

describe("network", () => {
  it("the security-group matrix refuses the group of a private service outside its catalog", () => {
    const matrix = new SecurityGroupMatrix(stack, "security-groups", {
      environment: "staging",
      vpcId: "vpc-stub",
      catalog: WITHOUT_ANISETTE,
      dataPlane: STAGING.dataPlane,
    });
    expect(() => matrix.groupOf(row("anisette"))).toThrow("security groups: no group for private service anisette");
  });

  describe("the NAT instance", () => {
    const nat = (id: string) =>
      new NatInstance(stack, id, {
        environment: STAGING,
        vpcId: "vpc-stub",
        subnetId: "subnet-public-a",
        privateCidrs: ["10.42.16.0/20"],
        kmsKeyArn: KMS_KEY_ARN,
      });

    it("admits a group on a port it forwards (443)", () => {
      expect(() => nat("nat-443").admit("workers", "sg-workers", 443)).not.toThrow();
    });

    it("refuses to admit a group on a port it does not forward (22)", () => {
      expect(() => nat("nat-22").admit("workers", "sg-workers", 22)).toThrow(
        "NAT instance: workers sends to the internet on port 22, which it does not forward (only 80, 443)",
      );
    });
  });
});

describe("registry", () => {
  it("the environment's ECR repositories refuse a service outside their catalog", () => {
    const repositories = new ImageRepositories(stack, "image-repositories", {
      environment: STAGING,
      kmsKeyArn: KMS_KEY_ARN,
      catalog: WITHOUT_ANISETTE,
    });
    expect(() => repositories.repositoryUrl("anisette")).toThrow("image repositories: no repository for service anisette");
    expect(() => repositories.repositoryArn("anisette")).toThrow("image repositories: no repository for service anisette");
  });

  it("the looked-up ECR repositories refuse a service outside their catalog", () => {
    const repositories = new ExistingImageRepositories(stack, "existing-image-repositories", {
      environment: "staging",
      catalog: WITHOUT_ANISETTE,
    });
    expect(() => repositories.repositoryUrl("anisette")).toThrow("image repositories: no repository for service anisette");
    expect(() => repositories.repositoryArn("anisette")).toThrow("image repositories: no repository for service anisette");
  });
});

describe("data", () => {
  describe("the service file system", () => {
    const fileSystem = (id: string, service: ServiceDefinition, subnetIds: readonly string[]) =>
      new ServiceFileSystem(stack, id, {
        environment: "staging",
        service,
        kmsKeyArn: KMS_KEY_ARN,
        subnetIds,
        securityGroupId: "sg-anisette-efs",
      });

    it("refuses a service without storage in the catalog", () => {
      expect(() => fileSystem("efs-api", row("api"), ["subnet-app-a"])).toThrow("file system: service api has no storage in the catalog");
    });

    it("refuses an empty subnet list (no mount target)", () => {
      expect(() => fileSystem("efs-no-subnets", row("anisette"), [])).toThrow(
        "file system: anisette needs at least one subnet for mount targets",
      );
    });

    it("refuses a second file-system policy", () => {
      const efs = fileSystem("efs-anisette", row("anisette"), ["subnet-app-a"]);
      efs.allowOnly("arn:aws:iam::802732539686:role/tracker-staging-anisette-task");
      expect(() => efs.allowOnly("arn:aws:iam::802732539686:role/tracker-staging-other-task")).toThrow(
        "file system: allowOnly was already called for anisette",
      );
    });
  });

  describe("the database host's user data", () => {
    const params = EXAMPLE_HOST_PARAMS;

    it("refuses a Valkey version it knows no release for", () => {
      expect(() => hostEnvironment({ ...params, versions: { ...params.versions, valkey: "7.2" } })).toThrow(
        'databaseVersions.valkey: no Valkey release is known for "7.2"; ' +
          "add it to VALKEY_RELEASES in src/data/database-host/user-data.ts or pass valkeyRelease",
      );
    });

    it("refuses an empty list of application subnets", () => {
      expect(() => hostEnvironment({ ...params, applicationSubnetCidrs: [] })).toThrow(
        "applicationSubnetCidrs: at least one application subnet must reach PostgreSQL",
      );
    });

    it("refuses a list token in place of the CIDRs", () => {
      const listToken = Fn.split(",", "10.42.16.0/20,10.42.32.0/20");
      expect(() => hostEnvironment({ ...params, applicationSubnetCidrs: listToken })).toThrow(
        "applicationSubnetCidrs: pass one string (or string token) per CIDR, not a list token",
      );
    });
  });

  describe("the database host", () => {
    const hostProps = {
      environment: STAGING,
      dataSubnetIds: ["subnet-data-a", "subnet-data-b"],
      availabilityZone: "eu-central-1a",
      securityGroupIds: ["sg-database", "sg-redis"],
      applicationSubnetCidrs: ["10.42.16.0/20", "10.42.32.0/20"],
      postgresPasswordSecretArn: "arn:aws:secretsmanager:eu-central-1:802732539686:secret:tracker/staging/postgres-password-AbCdEf",
      redisPasswordSecretArn: "arn:aws:secretsmanager:eu-central-1:802732539686:secret:tracker/staging/redis-password-GhIjKl",
      kmsKeyArn: KMS_KEY_ARN,
      internalNamespaceName: "staging.tracker.internal",
    };

    it("refuses an empty list of data subnets", () => {
      expect(() => new DatabaseHost(stack, "host-no-subnets", { ...hostProps, dataSubnetIds: [] })).toThrow(
        "DatabaseHost: dataSubnetIds is empty; the host needs a private data subnet",
      );
    });

    it("refuses an empty list of security groups", () => {
      expect(() => new DatabaseHost(stack, "host-no-groups", { ...hostProps, securityGroupIds: [] })).toThrow(
        "DatabaseHost: securityGroupIds is empty; the host's interface needs its security groups",
      );
    });
  });
});

describe("edge", () => {
  const loadBalancer = (id: string, environment: EnvironmentDefinition, catalog: readonly ServiceDefinition[]) =>
    new LoadBalancer(stack, id, {
      environment,
      catalog,
      vpcId: "vpc-stub",
      publicSubnetIds: ["subnet-public-a", "subnet-public-b"],
      securityGroupId: "sg-alb",
      certificateArn: "arn:aws:acm:eu-central-1:802732539686:certificate/stub",
    });

  it("a public web service without a hostname in the environment names the ones there are", () => {
    expect(() => hostnameOf(STAGING.dns, "tracker-fetcher")).toThrow(
      'edge: public web service "tracker-fetcher" has no hostname in dns.hostnames (it has frontend, api, admin)',
    );
  });

  it("the load balancer refuses a public web service without a port or health path in the catalog", () => {
    const { port: _port, ...withoutPort } = row("api");
    expect(() => loadBalancer("alb-no-port", STAGING, [row("frontend"), withoutPort as ServiceDefinition])).toThrow(
      'edge: public web service "api" needs a port and a healthPath in the catalog',
    );
    const { healthPath: _healthPath, ...withoutHealthPath } = row("api");
    expect(() => loadBalancer("alb-no-health-path", STAGING, [row("frontend"), withoutHealthPath as ServiceDefinition])).toThrow(
      'edge: public web service "api" needs a port and a healthPath in the catalog',
    );
  });

  it("an allow-list on a Cloudflare-proxied admin name is refused only where admin is a public web service behind the ALB", () => {
    const proxiedAdmin: EnvironmentDefinition = {
      ...STAGING,
      dns: { ...STAGING.dns, hostnames: { ...STAGING.dns.hostnames, admin: "admin.glimpse.technology" } },
      loadBalancer: { ...STAGING.loadBalancer, adminAllowedCidrs: ["198.51.100.0/24"] },
    };
    expect(() => loadBalancer("alb-proxied-admin", proxiedAdmin, SERVICE_CATALOG)).toThrow(
      "edge: staging.loadBalancer.adminAllowedCidrs cannot restrict admin.glimpse.technology: Cloudflare proxies that name, so the ALB sees Cloudflare's addresses; use a hostname two or more levels below glimpse.technology",
    );
    // No admin behind the ALB (a catalog without it, or with admin as a worker): nothing to restrict.
    const withoutAdmin = SERVICE_CATALOG.filter((s) => s.name !== "admin");
    expect(() => loadBalancer("alb-no-admin", proxiedAdmin, withoutAdmin)).not.toThrow();
    const adminWorker = SERVICE_CATALOG.map((s) =>
      s.name === "admin" ? { ...row("tracker-fetcher"), name: "admin" as ServiceName, discoveryName: "admin", repository: "admin" } : s,
    );
    expect(() => loadBalancer("alb-admin-worker", proxiedAdmin, adminWorker)).not.toThrow();
    // A proxied admin name without an allow-list is fine (Cloudflare's addresses are not being relied on).
    const openAdmin = { ...proxiedAdmin, loadBalancer: { ...proxiedAdmin.loadBalancer, adminAllowedCidrs: [] } };
    expect(() => loadBalancer("alb-open-admin", openAdmin, SERVICE_CATALOG)).not.toThrow();
  });

  it("the load balancer refuses more admin CIDRs than the one shifted listener rule holds (validation refuses them first)", () => {
    const env: EnvironmentDefinition = {
      ...STAGING,
      loadBalancer: { ...STAGING.loadBalancer, adminAllowedCidrs: ["198.51.100.0/24", "203.0.113.0/24", "192.0.2.0/24", "192.0.2.7/32"] },
    };
    expect(() => loadBalancer("alb-four-cidrs", env, SERVICE_CATALOG)).toThrow(
      "edge: staging.loadBalancer.adminAllowedCidrs has 4 CIDRs; at most 3 fit the one listener rule ECS shifts (DLV-1)",
    );
  });
});
