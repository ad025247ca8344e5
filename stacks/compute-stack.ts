import { Construct } from "constructs";
import { Fn, TerraformVariable, type ITerraformDependable } from "cdktf";
import type { Deployment } from "../schema/resolve";
import type { Certificate, SecretRef, SsmParameter } from "../schema/blueprint";
import { subnetLabel } from "../schema/semantics";
import { selectSubnets } from "../schema/subnets";
import { EcsCluster } from "../modules/ecs-cluster";
import { ApplicationLoadBalancer } from "../modules/application-load-balancer";
import { ServiceTargetGroup } from "../modules/service-target-group";
import { FargateService, type ContainerSecret } from "../modules/fargate-service";
import type { Statement } from "../modules/iam-documents";
import { ServiceAutoscaling } from "../modules/service-autoscaling";
import { ApplicationAlarms } from "../modules/application-alarms";
import { LoadBalancerAlias } from "../modules/load-balancer-alias";
import { BlueGreenDeployment } from "../modules/blue-green-deployment";
import { BlueprintStack, type BlueprintStackProps, type UpstreamOutputs } from "./blueprint-stack";
import type { NetworkStack } from "./network-stack";
import type { RegistryStack } from "./registry-stack";
import type { DataStack } from "./data-stack";
import type { DnsStack } from "./dns-stack";
import type { ParametersStack } from "./parameters-stack";
import type { LogsStack } from "./logs-stack";
import { loadBalancerSubnetLabels, redirectsToHttps } from "./load-balancer-settings";
import { rulePriorities } from "./routing";
import { fitName } from "./naming";
import { recordFqdns } from "./dns-names";

export interface ComputeUpstreams {
  readonly network: NetworkStack;
  readonly registry: RegistryStack;
  readonly data?: DataStack;
  readonly dns?: DnsStack;
  /** SSM parameters the task roles read and app secrets the services reference. Default: none. */
  readonly parameters?: ParametersStack;
  /** The load balancer's access log bucket (loadBalancer.accessLogs). Default: none. */
  readonly logs?: LogsStack;
}

/** The ECS cluster, the load balancer, every service with its scaling and alarms, and the DNS aliases. */
export class ComputeStack extends BlueprintStack {
  constructor(scope: Construct, id: string, d: Deployment, base: BlueprintStackProps, up: ComputeUpstreams) {
    super(scope, id, base);
    const { spec } = d;
    const net = this.fromStack(up.network);
    const registry = this.fromStack(up.registry);
    const data = up.data && this.fromStack(up.data);
    const dns = up.dns && this.fromStack(up.dns);
    const parameters = up.parameters && this.fromStack(up.parameters);
    const logs = up.logs && this.fromStack(up.logs);
    const subnetIds = (labels: string[]) => labels.map((l) => net.entry("subnet_ids", l));

    const cluster = new EcsCluster(this, "cluster", {
      name: spec.cluster.name ?? d.prefix,
      containerInsights: spec.cluster.containerInsights,
      capacityProviders: spec.cluster.capacityProviders,
    });

    // Target groups first: the listeners' default action may forward to one of them. A blue/green service has a
    // second (green) group that CodeDeploy swaps with the first on every deployment.
    const targetGroups = new Map<string, ServiceTargetGroup>();
    const greenTargetGroups = new Map<string, ServiceTargetGroup>();
    const lbSpec = spec.loadBalancer;
    if (lbSpec) {
      for (const svc of spec.services) {
        const targetGroup = (id: string, suffix: string) =>
          new ServiceTargetGroup(this, id, {
            name: fitName(`${d.prefix}-${svc.name}${suffix}`, 32),
            vpcId: net.string("vpc_id"),
            port: svc.containerPort,
            healthCheck: svc.healthCheck,
          });
        targetGroups.set(svc.name, targetGroup(`tg-${svc.name}`, svc.blueGreen ? "-blue" : ""));
        if (svc.blueGreen) greenTargetGroups.set(svc.name, targetGroup(`tg-${svc.name}-green`, "-green"));
      }
    }
    const defaultService = lbSpec ? spec.services.find((s) => !s.routing) : undefined;
    // Only the default service can be blue/green (semantics): CodeDeploy switches the listeners' default action.
    const greenDefault = defaultService && greenTargetGroups.get(defaultService.name);
    const alb = lbSpec
      ? new ApplicationLoadBalancer(this, "alb", {
          name: fitName(lbSpec.name ?? d.prefix, 32),
          internal: lbSpec.scheme === "internal",
          subnetIds: subnetIds(loadBalancerSubnetLabels(spec, subnetLabel)),
          securityGroupIds: [net.string("alb_security_group_id")],
          idleTimeout: lbSpec.idleTimeout,
          deletionProtection: lbSpec.deletionProtection ?? d.production,
          http: lbSpec.http && { port: lbSpec.http.port, redirectToHttps: redirectsToHttps(lbSpec) },
          https: lbSpec.https && {
            port: lbSpec.https.port,
            sslPolicy: lbSpec.https.sslPolicy,
            certificateArn: certificateArn(this, lbSpec.https.certificate, dns),
          },
          defaultTargetGroupArn: defaultService && targetGroups.get(defaultService.name)!.targetGroup.arn,
          blueGreen: greenDefault && {
            testPort: lbSpec.testListener!.port,
            greenTargetGroupArn: greenDefault.targetGroup.arn,
          },
          accessLogs: logs &&
            lbSpec.accessLogs && { bucket: logs.string("alb_log_bucket_name"), prefix: lbSpec.accessLogs.prefix },
        })
      : undefined;

    const priorities = rulePriorities(spec.services);
    const serviceNames: Record<string, string> = {};
    const fargateServices = new Map<string, FargateService>();
    for (const svc of spec.services) {
      const tg = targetGroups.get(svc.name);
      const dependsOn: ITerraformDependable[] = [
        ...(alb?.trafficListeners ?? []),
        ...(alb?.testListener ? [alb.testListener] : []),
      ];
      if (tg && svc.routing) {
        alb!.trafficListeners.forEach((listener, i) =>
          dependsOn.push(
            tg.route(`rule-${i}`, {
              listenerArn: listener.arn,
              priority: priorities.get(svc.name)!,
              pathPatterns: svc.routing!.pathPatterns,
              hostHeaders: svc.routing!.hostHeaders,
            }),
          ),
        );
      }
      const name = svc.serviceName ?? `${d.prefix}-${svc.name}`;
      serviceNames[svc.name] = name;
      const fargate = new FargateService(this, `svc-${svc.name}`, {
        namePrefix: `${d.prefix}-${svc.name}`,
        clusterArn: cluster.cluster.arn,
        serviceName: name,
        family: svc.family ?? name,
        containerName: svc.containerName ?? svc.name,
        image: `${registry.entry("repository_urls", svc.image.repository)}:${svc.image.tag}`,
        repositoryArn: registry.entry("repository_arns", svc.image.repository),
        cpu: svc.cpu,
        memory: svc.memory,
        containerPort: svc.containerPort,
        desiredCount: svc.desiredCount,
        subnetIds: subnetIds(selectSubnets(spec.network.subnets, svc.subnets).map(subnetLabel)),
        securityGroupIds: [net.entry("service_security_group_ids", svc.name)],
        assignPublicIp: svc.assignPublicIp,
        environment: Object.fromEntries(
          Object.entries(svc.environment).map(([k, v]) => [
            k,
            typeof v === "string" ? v : data!.string(`db_${v.database}`),
          ]),
        ),
        secrets: Object.entries(svc.secrets).map(([envName, ref]) =>
          containerSecret(envName, ref, d, data, parameters),
        ),
        readOnlyRootFilesystem: svc.readOnlyRootFilesystem,
        writablePaths: svc.writablePaths,
        user: svc.user,
        region: d.region,
        logGroupName: svc.logGroupName ?? `/ecs/${d.prefix}/${svc.name}`,
        logRetentionDays: svc.logRetentionDays,
        logStreamPrefix: svc.logStreamPrefix ?? svc.name,
        containerHealthCheck: svc.containerHealthCheck,
        loadBalancer: tg && {
          targetGroupArn: tg.targetGroup.arn,
          healthCheckGracePeriodSeconds: svc.healthCheck.gracePeriodSeconds,
          dependsOn,
        },
        deployment: svc.deployment,
        autoscaled: svc.autoscaling !== undefined,
        deploymentController: svc.blueGreen ? "CODE_DEPLOY" : "ECS",
        taskRoleLogAccess: svc.taskRoleLogAccess,
        taskRoleStatements: parameterReads(spec.ssmParameters, svc.name, parameters),
      });
      fargateServices.set(svc.name, fargate);
      if (!svc.readOnlyRootFilesystem && svc.readOnlyRootFilesystemOptOutReason) {
        // The blueprint's documented opt-out is the suppression (semantics refuses an opt-out without a reason).
        this.suppress({
          rule: "ecs-readonly-root",
          reason: svc.readOnlyRootFilesystemOptOutReason,
          resources: [`aws_ecs_task_definition.${fargate.taskDefinition.friendlyUniqueId}`],
        });
      }
      if (svc.autoscaling) {
        new ServiceAutoscaling(this, `scaling-${svc.name}`, {
          clusterName: cluster.cluster.name,
          serviceName: fargate.service.name,
          ...svc.autoscaling,
          requestCountResourceLabel: alb && tg ? `${alb.lb.arnSuffix}/${tg.targetGroup.arnSuffix}` : undefined,
        });
      }
    }

    const monitoring = spec.monitoring;
    let alarms: ApplicationAlarms | undefined;
    if (monitoring) {
      alarms = new ApplicationAlarms(this, "alarms", {
        topicName: monitoring.topicName ?? `${d.prefix}-alarms`,
        emails: monitoring.emails,
        clusterName: cluster.cluster.name,
        serviceNames: Object.values(serviceNames),
        loadBalancerArnSuffix: alb?.lb.arnSuffix,
        cpuUtilization: monitoring.cpuUtilization,
        memoryUtilization: monitoring.memoryUtilization,
        http5xx: monitoring.http5xx,
        targetResponseTime: monitoring.targetResponseTime,
        customerManagedKey:
          monitoring.topicEncryption === "customer-managed"
            ? // Without a configured account id, take it from an ARN this stack creates: aws_caller_identity would
              // need AWS credentials at plan time.
              { accountId: d.accountId ?? Fn.element(Fn.split(":", cluster.cluster.arn), 4) }
            : undefined,
      });
      this.publish("alarm_topic_arn", "string", alarms.topic.arn, "SNS topic the alarms notify");
    }

    const blueGreen = new Map<string, BlueGreenDeployment>();
    for (const svc of spec.services) {
      const green = greenTargetGroups.get(svc.name);
      if (!svc.blueGreen || !green || !alb?.testListener) continue;
      const bg = svc.blueGreen;
      blueGreen.set(
        svc.name,
        new BlueGreenDeployment(this, `blue-green-${svc.name}`, {
          applicationName: bg.applicationName ?? d.prefix,
          deploymentGroupName: bg.deploymentGroupName ?? `${d.prefix}-${svc.name}-dg`,
          roleName: fitName(`${d.prefix}-${svc.name}-codedeploy`, 64),
          clusterName: cluster.cluster.name,
          serviceName: fargateServices.get(svc.name)!.service.name,
          productionListenerArns: alb.trafficListeners.map((l) => l.arn),
          testListenerArn: alb.testListener.arn,
          targetGroupNames: [targetGroups.get(svc.name)!.targetGroup.name, green.targetGroup.name],
          deploymentConfig: bg.deploymentConfig,
          terminationWaitMinutes: bg.terminationWaitMinutes,
          rollbackAlarmNames: bg.rollbackOnAlarm ? alarms?.alarms.map((a) => a.alarmName) : undefined,
        }),
      );
    }

    if (alb && dns && spec.dns && spec.dns.records.length > 0) {
      const names = recordFqdns(spec.dns);
      new LoadBalancerAlias(this, "alias", {
        zoneId: dns.string("zone_id"),
        names,
        loadBalancerDnsName: alb.lb.dnsName,
        loadBalancerZoneId: alb.lb.zoneId,
        healthCheck: spec.dns.healthCheck && lbSpec?.https && { ...spec.dns.healthCheck, port: lbSpec.https.port },
      });
      this.publish(
        "app_url",
        "string",
        `${lbSpec?.https ? "https" : "http"}://${names[0]}`,
        "Where the application answers",
      );
    }

    this.publish("cluster_name", "string", cluster.cluster.name, "ECS cluster name");
    this.publish("cluster_arn", "string", cluster.cluster.arn, "ECS cluster ARN");
    this.publish("service_names", "map", serviceNames, "ECS service name of each blueprint service");
    this.publishPerService(fargateServices, {
      service_arns: [(f) => f.service.id, "ECS service ARN of each service"],
      task_role_arns: [(f) => f.taskRole.arn, "Task role of each service (CI passes it to ECS)"],
      execution_role_arns: [(f) => f.executionRole.arn, "Execution role of each service (CI passes it to ECS)"],
      task_definition_families: [(f) => f.taskDefinition.family, "Task definition family of each service"],
    });
    this.publishPerService(blueGreen, {
      codedeploy_app_names: [(b) => b.application.name, "CodeDeploy application of each blue/green service"],
      codedeploy_app_arns: [(b) => b.application.arn, "CodeDeploy application ARN of each blue/green service"],
      deployment_group_names: [(b) => b.deploymentGroup.deploymentGroupName, "Deployment group of each"],
      deployment_group_arns: [(b) => b.deploymentGroup.arn, "Deployment group ARN of each blue/green service"],
      deployment_config_arns: [(b) => b.deploymentConfigArn, "Deployment configuration ARN of each"],
    });
    if (alb) {
      this.publish("alb_dns_name", "string", alb.lb.dnsName, "Load balancer DNS name");
      this.publish("alb_zone_id", "string", alb.lb.zoneId, "Load balancer hosted zone id (for aliases)");
      this.publish("alb_arn", "string", alb.lb.arn, "Load balancer ARN");
    }
  }

  private publishPerService<T>(items: ReadonlyMap<string, T>, outputs: PerService<T>): void {
    if (items.size === 0) return;
    for (const [name, [pick, description]] of Object.entries(outputs)) {
      this.publish(name, "map", Object.fromEntries([...items].map(([key, item]) => [key, pick(item)])), description);
    }
  }
}

/** Map outputs keyed by service name, one per (name → [pick, description]); nothing when there are no services. */
type PerService<T> = Record<string, [(item: T) => string, string]>;
/** The task role may read (decrypted, with the aws/ssm key) exactly the parameters that name the service a reader. */
function parameterReads(
  params: readonly SsmParameter[],
  service: string,
  upstream: UpstreamOutputs | undefined,
): Statement[] {
  const read = params.filter((p) => p.readers.includes(service));
  if (read.length === 0 || !upstream) return [];
  return [
    {
      sid: "ReadParameters",
      actions: ["ssm:GetParameter", "ssm:GetParameters"],
      resources: read.map((p) => upstream.entry("parameter_arns", p.name)),
    },
  ];
}

function certificateArn(stack: BlueprintStack, cert: Certificate, dns: UpstreamOutputs | undefined): string {
  switch (cert.source) {
    case "arn":
      return cert.arn;
    case "dns":
      return dns!.string("certificate_arn");
    case "variable":
      return certificateVariable(stack);
  }
}

function certificateVariable(stack: BlueprintStack): string {
  // Imported into ACM out of band; no key material ever passes through Terraform.
  const variable = new TerraformVariable(stack, "certificate_arn", {
    type: "string",
    description: "ARN of the ACM certificate for the HTTPS listener (imported into ACM out of band)",
    nullable: false,
    validation: [
      {
        // Terraform JSON reads strings as templates: an expression needs ${...} or it is a constant (init fails).
        condition: '${can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/", var.certificate_arn))}',
        errorMessage: "certificate_arn must be an ACM certificate ARN.",
      },
    ],
  });
  variable.overrideLogicalId("certificate_arn");
  return variable.stringValue;
}

function containerSecret(
  envName: string,
  ref: SecretRef,
  d: Deployment,
  data?: UpstreamOutputs,
  parameters?: UpstreamOutputs,
): ContainerSecret {
  const account = d.accountId ?? "*";
  // Secrets an upstream stack created: their exact ARN is known, so a JSON key can be picked and the grant is exact.
  if ("appSecret" in ref) return secretByArn(envName, parameters!.entry("app_secret_arns", ref.appSecret), ref.key);
  if ("fromDatabase" in ref && ref.fromDatabase === "url")
    return secretByArn(envName, data!.string("db_url_secret_arn"));
  if ("fromDatabase" in ref) return secretByArn(envName, data!.string("db_secret_arn"), ref.fromDatabase);
  if ("secretsManager" in ref) {
    const arnBase = `arn:aws:secretsmanager:${d.region}:${d.accountId}:secret:${ref.secretsManager}`;
    return {
      name: envName,
      // Same-region secrets can be named; a JSON key needs the ARN form (the blueprint then needs accountId).
      valueFrom: ref.key ? `${arnBase}:${ref.key}::` : ref.secretsManager,
      read: {
        action: "secretsmanager:GetSecretValue",
        resource: `arn:aws:secretsmanager:${d.region}:${account}:secret:${ref.secretsManager}-??????`,
      },
    };
  }
  return {
    name: envName,
    valueFrom: ref.ssmParameter,
    read: { action: "ssm:GetParameters", resource: `arn:aws:ssm:${d.region}:${account}:parameter${ref.ssmParameter}` },
  };
}

/** A Secrets Manager secret by its full ARN, whole or one JSON key of it (`<arn>:<key>::`). */
function secretByArn(name: string, arn: string, key?: string): ContainerSecret {
  return {
    name,
    valueFrom: key ? `${arn}:${key}::` : arn,
    read: { action: "secretsmanager:GetSecretValue", resource: arn },
  };
}
