/**
 * One environment's stack (ACC-1): network -> data -> edge -> services -> observability.
 * Each concern is a construct from `src/`; this file only wires their typed outputs together.
 */
import type { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "../src/cdktf";
import { EcsCluster } from "../src/compute/cluster";
import { FargateService } from "../src/compute/fargate-service";
import { OffHoursSchedule } from "../src/compute/off-hours-schedule";
import { ImageTags } from "../src/compute/image-tags";
import { ServiceDiscovery } from "../src/compute/service-discovery";
import { TrafficShiftRole } from "../src/compute/traffic-shift-role";
import { environmentStackName } from "../src/config/naming";
import { SERVICE_CATALOG } from "../src/config/service-catalog";
import type { EnvironmentDefinition, ServiceDefinition, ServiceName } from "../src/config/types";
import { DatabaseHost } from "../src/data/database-host";
import { ServiceFileSystem } from "../src/data/service-file-system";
import { Certificate } from "../src/edge/certificate";
import { CloudflareZone } from "../src/edge/cloudflare-zone";
import { LoadBalancer } from "../src/edge/load-balancer";
import { PublicDnsRecords } from "../src/edge/public-dns-records";
import { WebAcl } from "../src/edge/web-acl";
import { EnvironmentKey } from "../src/encryption/environment-key";
import { AdoptedNetwork } from "../src/network/adopted-network";
import { CreatedNetwork } from "../src/network/created-network";
import type { Network } from "../src/network/network";
import { SecurityGroupMatrix } from "../src/network/security-groups";
import { AlarmTopic } from "../src/observability/alarm-topic";
import { TrackerAlarms } from "../src/observability/alarms";
import { LogDeliveryPolicy } from "../src/observability/log-delivery-policy";
import { CostBudget } from "../src/observability/cost-budget";
import { ServiceLogGroups } from "../src/observability/service-log-groups";
import { ExistingImageRepositories } from "../src/registry/existing-image-repositories";
import { RuntimeParameters } from "../src/runtime-config/parameters";
import { providedSecrets, RuntimeSecrets } from "../src/runtime-config/secrets";
import { awsProvider, cloudflareProvider, stateBackend } from "./providers";

export interface TrackerStackProps {
  readonly environment: EnvironmentDefinition;
  /** @default - the service catalog */
  readonly catalog?: readonly ServiceDefinition[];
}

export class TrackerStack extends TerraformStack {
  readonly environment: EnvironmentDefinition;
  readonly key: EnvironmentKey;
  readonly network: Network;
  readonly securityGroups: SecurityGroupMatrix;
  readonly secrets: RuntimeSecrets;
  readonly parameters: RuntimeParameters;
  readonly repositories: ExistingImageRepositories;
  readonly discovery: ServiceDiscovery;
  readonly loadBalancer: LoadBalancer;
  /** EDGE-7: the WAF web ACL on the ALB; absent where `loadBalancer.waf.enabled` is false. */
  readonly webAcl?: WebAcl;
  readonly cluster: EcsCluster;
  readonly services: ReadonlyMap<ServiceName, FargateService>;
  readonly alarms: TrackerAlarms;
  /** COST-2: absent where `schedule.enabled` is false. */
  readonly offHours?: OffHoursSchedule;

  constructor(scope: Construct, props: TrackerStackProps, id: string = environmentStackName(props.environment.name)) {
    super(scope, id);
    const env = props.environment;
    const catalog = props.catalog ?? SERVICE_CATALOG;
    this.environment = env;

    awsProvider(this, env);
    cloudflareProvider(this);
    stateBackend(this, env, id);

    // --- encryption -----------------------------------------------------------------------------
    this.key = new EnvironmentKey(this, "key", { environment: env });
    const kmsKeyArn = this.key.arn;

    // --- network (NET-*) ------------------------------------------------------------------------
    this.network =
      env.network.mode === "create"
        ? new CreatedNetwork(this, "network", { environment: env, definition: env.network, kmsKeyArn })
        : new AdoptedNetwork(this, "network", { environment: env, definition: env.network, kmsKeyArn });

    // --- security groups (SG-*) -----------------------------------------------------------------
    this.securityGroups = new SecurityGroupMatrix(this, "security-groups", {
      environment: env.name,
      vpcId: this.network.vpcId,
      catalog,
      dataPlane: env.dataPlane,
    });
    // NET-3 "instance": the NAT instance admits exactly the groups that send to the internet.
    for (const { group, port } of this.securityGroups.internetEgress) {
      this.network.natInstance?.admit(group.node.id, group.id, port);
    }

    // --- runtime configuration: secrets (CFG-1); parameters follow the data plane (CFG-2) --------
    this.secrets = new RuntimeSecrets(this, "secrets", {
      environment: env.name,
      kmsKeyArn,
      // PRD-2: production's database and MemoryDB already have their credentials; an operator puts
      // them into the secrets (README, "First deploy of production"). Staging's host takes generated ones.
      provided: providedSecrets(env),
    });

    // --- image repositories (ECR-*) -------------------------------------------------------------
    // The repositories belong to the account's bootstrap stack (images are pushed before a first deploy).
    this.repositories = new ExistingImageRepositories(this, "repositories", { environment: env.name, catalog });

    // --- internal names (ECS-8) -----------------------------------------------------------------
    this.discovery = new ServiceDiscovery(this, "service-discovery", { environment: env.name, vpcId: this.network.vpcId, catalog });

    // --- observability: log groups and the alarm topic (ECS-4, OBS-1, OBS-2) --------------------
    const logGroups = new ServiceLogGroups(this, "log-groups", {
      environment: env.name,
      retentionDays: env.logRetentionDays,
      kmsKeyArn,
      catalog,
    });
    const topic = new AlarmTopic(this, "alarm-topic", {
      environment: env.name,
      accountId: env.accountId,
      kmsKeyArn,
      ...(env.alarmEmail ? { email: env.alarmEmail } : {}),
    });
    new CostBudget(this, "cost-budget", {
      environment: env.name,
      monthlyLimitUsd: env.budget.monthlyLimitUsd,
      topicArn: topic.topicArn,
    });

    // --- data plane: staging database host (DB-*) or production's external endpoints (PRD-2) ----
    const data = env.dataPlane;
    let databaseHost: DatabaseHost | undefined;
    let databaseCa: { name: string; arn: string } | undefined;
    if (data.mode === "external") {
      this.discovery.registerEndpoint("db", { cname: data.postgres.host });
      this.discovery.registerEndpoint("redis", { cname: data.redis.host });
    }
    if (data.mode === "host") {
      const groups = [this.securityGroups.database, this.securityGroups.redis].flatMap((g) => (g ? [g.id] : []));
      const host = new DatabaseHost(this, "database-host", {
        environment: env,
        dataSubnetIds: this.network.dataSubnetIds,
        availabilityZone: this.network.availabilityZones[0]!,
        securityGroupIds: groups,
        applicationSubnetCidrs: this.network.applicationSubnetCidrs,
        postgresPasswordSecretArn: this.secrets.secrets["postgres-password"].arn,
        redisPasswordSecretArn: this.secrets.secrets["redis-password"].arn,
        kmsKeyArn,
        internalNamespaceName: this.discovery.namespaceName,
      });
      this.discovery.registerEndpoint("db", { ipv4: host.privateIp });
      this.discovery.registerEndpoint("redis", { ipv4: host.privateIp });
      databaseHost = host;
      databaseCa = { name: host.caCertificateParameterName, arn: host.caCertificateParameterArn };
    }
    // CFG-2: the runtime parameters; the staging host owns (writes) its CA certificate parameter.
    this.parameters = new RuntimeParameters(this, "parameters", {
      environment: env,
      catalog,
      ...(databaseCa ? { owned: { "database-ca-certificate": databaseCa } } : {}),
    });

    // --- edge: certificate, load balancer, public DNS (EDGE-*) ----------------------------------
    const zone = new CloudflareZone(this, "cloudflare-zone", { zoneName: env.dns.zoneName });
    const certificate = new Certificate(this, "certificate", {
      environment: env.name,
      hostnames: env.dns.hostnames,
      zoneId: zone.zoneId,
    });
    this.loadBalancer = new LoadBalancer(this, "load-balancer", {
      environment: env,
      catalog,
      vpcId: this.network.vpcId,
      publicSubnetIds: this.network.publicSubnetIds,
      securityGroupId: this.securityGroups.alb.id,
      certificateArn: certificate.certificateArn,
    });
    // The stack's one CloudWatch Logs resource policy (SHR-2), for EventBridge and WAF log delivery.
    const logDelivery = new LogDeliveryPolicy(this, "log-delivery", { environment: env.name });
    if (env.loadBalancer.waf.enabled) {
      this.webAcl = new WebAcl(this, "web-acl", {
        environment: env,
        loadBalancerArn: this.loadBalancer.loadBalancerArn,
        kmsKeyArn,
        logDelivery,
      });
    }
    new PublicDnsRecords(this, "public-dns", { environment: env.name, dns: env.dns, zoneId: zone.zoneId, target: this.loadBalancer.dnsName });

    // --- cluster and alarms (ECS-1, OBS-2, OBS-3) ------------------------------------------------
    this.cluster = new EcsCluster(this, "cluster", { environment: env, kmsKeyArn });
    const publicServices = catalog.filter((s) => s.kind === "public-web");
    this.alarms = new TrackerAlarms(this, "alarms", {
      logDelivery,
      environment: env,
      topicArn: topic.topicArn,
      kmsKeyArn,
      clusterArn: this.cluster.clusterArn,
      logGroups,
      loadBalancer: {
        arnSuffix: this.loadBalancer.loadBalancerArnSuffix,
        // DLV-1: both target groups of each service; either may hold the canary.
        targetGroupArnSuffixes: Object.fromEntries(publicServices.map((s) => [s.name, this.loadBalancer.targetGroupArnSuffixes(s.name)])),
      },
      ...(this.webAcl ? { webAcl: { metricName: this.webAcl.metricName, logGroupName: this.webAcl.logGroup.name } } : {}),
      ...(databaseHost ? { databaseHost: { instanceId: databaseHost.instanceId } } : {}),
      catalog,
    });

    // --- services (ECS-2..ECS-11, EFS-*) ----------------------------------------------------------
    const imageTags = new ImageTags(this, "image-tags", { environment: env, catalog });
    const services = new Map<ServiceName, FargateService>();
    for (const service of catalog) {
      const fileSystem = service.storage
        ? new ServiceFileSystem(this, `${service.name}-file-system`, {
            environment: env.name,
            service,
            kmsKeyArn,
            // NET-2: mount targets live in the data tier, one per AZ the tasks run in.
            subnetIds: this.network.dataSubnetIds,
            securityGroupId: this.securityGroups.fileSystems[service.name]!.id,
          })
        : undefined;
      const isPublic = service.kind === "public-web";
      // DLV-1: the role ECS shifts this service's traffic with, limited to its own groups and rule.
      const trafficShift = isPublic
        ? new TrafficShiftRole(this, `${service.name}-traffic-shift`, {
            environment: env,
            service: service.name,
            targetGroupArns: [
              this.loadBalancer.targetGroupPair(service.name).primary.arn,
              this.loadBalancer.targetGroupPair(service.name).alternate.arn,
            ],
            productionListenerRuleArn: this.loadBalancer.productionListenerRule(service.name).arn,
            listenerArn: this.loadBalancer.httpsListenerArn,
          })
        : undefined;
      const fargate = new FargateService(this, `service-${service.name}`, {
        environment: env,
        service,
        cluster: this.cluster,
        repository: { url: this.repositories.repositoryUrl(service.name), arn: this.repositories.repositoryArn(service.name) },
        imageTag: imageTags.tagOf(service.name),
        secrets: this.secrets.secrets,
        parameters: this.parameters.parameters,
        logGroup: logGroups.logGroup(service.name),
        subnetIds: this.network.applicationSubnetIds,
        securityGroupId: this.securityGroups.groupOf(service).id,
        kmsKeyArn,
        deploymentAlarmNames: this.alarms.deploymentAlarmNames(service.name),
        serviceDiscoveryArn: this.discovery.serviceArn(service.name),
        ...(isPublic && trafficShift
          ? {
              targetGroupArn: this.loadBalancer.targetGroupArn(service.name),
              canary: {
                alternateTargetGroupArn: this.loadBalancer.targetGroupPair(service.name).alternate.arn,
                productionListenerRuleArn: this.loadBalancer.productionListenerRule(service.name).arn,
                roleArn: trafficShift.arn,
              },
            }
          : {}),
        ...(fileSystem ? { fileSystem } : {}),
        // ECS refuses a target group no listener uses yet; rollback alarms must exist first.
        // ECS must be able to use the traffic-shift role before its first deployment (DLV-1).
        dependsOn: [
          ...(isPublic ? this.loadBalancer.listenerRules : []),
          ...(trafficShift ? [trafficShift.policy] : []),
          ...this.alarms.deploymentAlarms(service.name),
        ],
      });
      // EFS-2: only this service's task role may mount its file system.
      fileSystem?.allowOnly(fargate.taskRoleArn);
      services.set(service.name, fargate);
    }
    this.services = services;

    // --- off-hours schedule (COST-2): services to zero and the host stopped outside working hours --
    if (env.schedule.enabled) {
      this.offHours = new OffHoursSchedule(this, "off-hours", {
        environment: env,
        clusterName: this.cluster.clusterName,
        services,
        ...(databaseHost
          ? { databaseHost: { instanceId: databaseHost.instanceId, instanceArn: databaseHost.instance.arn, volumeKmsKeyArn: kmsKeyArn } }
          : {}),
        quietAlarms: this.alarms.offHoursAlarms,
        kmsKeyArn,
      });
    }

    // --- outputs for operators and the smoke test -----------------------------------------------
    new TerraformOutput(this, "alb-dns-name", { value: this.loadBalancer.dnsName });
    new TerraformOutput(this, "cluster-name", { value: this.cluster.clusterName });
    new TerraformOutput(this, "alarm-topic-arn", { value: topic.topicArn });
  }
}
