import type { BlueprintInput } from "../schema/blueprint";

/**
 * callback-handler: the Fireblocks co-signer's callback handler, one Fargate task behind an internal HTTPS ALB in a
 * VPC with no way to the internet. Source: the callback-handler design document (callback-handler.md, in Japanese).
 *
 * From the document: VPC 10.0.0.0/16 with two private subnets (A 10.0.1.0/24 in 1a for the co-signer and the task,
 * B 10.0.2.0/24 in 1c for the ALB's second leg), no internet gateway or NAT; interface endpoints for ECR (api, dkr),
 * CloudWatch Logs and SSM in subnet A and an S3 gateway endpoint on the private route table; security groups
 * co-signer → ALB 443 → task 3000; cluster fireblocks-callback-cluster on FARGATE; task family callback-handler,
 * 256 CPU / 512 MiB, container callback-handler on 3000 with NODE_ENV/PORT, logs to /ecs/callback-handler (7 days,
 * prefix callback-handler); service callback-handler-service, one task in subnet A, no public IP; ECR repository
 * fireblocks-callback; internal ALB over A and B, HTTPS 443 → ip target group HTTP 3000, /health 30 s, 2/3;
 * execution role (ECS task execution + ECR pull) and task role (write its log group); the two JWT keys as SSM
 * SecureStrings /<stack name>/callback-private-key and /<stack name>/cosigner-public-key; private zone
 * internal.mtools.web3sst.com with callback.internal.mtools.web3sst.com → ALB; CPU and memory alarms (Average,
 * 300 s, 2 periods, > 80).
 *
 * Where the document is vague or unsafe, and what this blueprint does instead:
 * - TLS certificate: the document uploads a certificate body and private key as template parameters into an IAM
 *   server certificate. No key material may pass through Terraform JSON, plan or state, so the listener takes the
 *   ARN of a certificate imported into ACM out of band, as the Terraform variable `certificate_arn` of the compute
 *   stack (docs/blueprints/callback-handler.md), whose value lives in vars/callback-handler-prod.tfvars.json (a
 *   stand-in ARN to replace; docs/plan-review.md#stack-variables). The document's own cost table already says
 *   "ACM証明書".
 * - SSM parameters: "{StackName}" is the one CloudFormation stack that held the whole app. Here the app spans
 *   several Terraform stacks whose common prefix is `callback-handler-prod`, so the names are
 *   /callback-handler-prod/callback-private-key and /callback-handler-prod/cosigner-public-key (a layer's stack id
 *   would rename them if they ever moved between stacks). They live in their own `parameters` stack, applied
 *   before compute, so the values can be written before the task first starts. Terraform creates them with a
 *   write-only stand-in value and never reads the real value into state (modules/secure-parameters.ts says why).
 * - The document's task role only writes logs, yet its task "証明書取得" (fetches the keys) from SSM: the task
 *   role may also read exactly these two parameters (ssm:GetParameter/GetParameters on their ARNs; decryption uses
 *   the aws/ssm key, which needs no extra grant). The keys are not injected as environment secrets, so the
 *   execution role never sees them.
 * - Execution role: the document attaches AmazonECSTaskExecutionRolePolicy (ECR pull and log writes on "*") plus
 *   ECR pull on "*". The modules grant the same actions scoped to this repository and this log group
 *   (ecr:GetAuthorizationToken stays "*", as AWS requires): the document's own 最小権限 principle.
 * - Task security group egress: the document allows everything to 0.0.0.0/0; with no NAT and no IGW only the
 *   endpoints (443) and S3 (443) are reachable anyway, so egress is 443 only.
 * - Route tables: one per private AZ (the modules' layout); the S3 gateway endpoint is on both, which is the
 *   document's "private route table" for each subnet. Neither has a default route.
 * - Image tags are immutable (ECR.2): the document pushes `:latest` over and over; CI pushes a tag per build and
 *   rolls it out (image.tag here is only what Terraform first deploys).
 * - Capacity providers: FARGATE only, as the document lists (no FARGATE_SPOT for a single signing-path task).
 * - Containers run as 1000:1000 (the node image's `node` user) with a read-only root filesystem and /tmp writable;
 *   the document is silent. Container-level memory 512 is the task size, so it is not repeated.
 * - Alarm topic: the document names no topic or subscriber. An SNS topic encrypted with a customer-managed KMS key
 *   (CloudWatch cannot publish to a topic under the AWS-managed aws/sns key); subscribe on-call out of band or add
 *   monitoring.emails. Missing data is not breaching.
 * - Flow logs on (90 days), ALB deletion protection on (prod): the document is silent; these are the defaults.
 * - The target group's name is derived (callback-handler-prod-cal-<hash>, within 32 characters); the document names
 *   none (its troubleshooting shows callback-handler-tg only as an example ARN).
 * - Health check timeout 5 s, matcher 200-399, grace period 60 s and deployments 100/200 % with the circuit
 *   breaker: the document is silent; module defaults.
 * - The document's checks use callback.internal.fireblocks.com in one place; the zone it declares,
 *   internal.mtools.web3sst.com, is what is built.
 * - The co-signer (a Nitro Enclave EC2 host) is not built here; network.clientSecurityGroups creates its security
 *   group (egress 443 to the ALB group only) for whoever launches it (output client_security_group_ids).
 */
export const callbackHandler: BlueprintInput = {
  name: "callback-handler",
  description: "Fireblocks co-signer callback handler: private Fargate task behind an internal HTTPS ALB",
  environments: [{ name: "prod", region: "ap-northeast-1", availabilityZones: ["ap-northeast-1a", "ap-northeast-1c"] }],
  network: {
    cidr: "10.0.0.0/16",
    subnets: [
      { tier: "private", cidr: "10.0.1.0/24", az: "ap-northeast-1a", name: "private-a" },
      { tier: "private", cidr: "10.0.2.0/24", az: "ap-northeast-1c", name: "private-b" },
    ],
    natGateways: "none",
    vpcEndpoints: {
      interface: ["ecr.api", "ecr.dkr", "logs", "ssm"],
      gateway: ["s3"],
      subnets: { tier: "private", azs: ["ap-northeast-1a"] },
    },
    clientSecurityGroups: [
      { name: "cosigner", description: "Fireblocks co-signer (Nitro Enclave host): HTTPS to the callback ALB only" },
    ],
  },
  cluster: { name: "fireblocks-callback-cluster", capacityProviders: ["FARGATE"] },
  services: [
    {
      name: "callback-handler",
      serviceName: "callback-handler-service",
      family: "callback-handler",
      containerName: "callback-handler",
      image: { repository: "fireblocks-callback" },
      containerPort: 3000,
      cpu: 256,
      memory: 512,
      desiredCount: 1,
      subnets: { tier: "private", azs: ["ap-northeast-1a"] },
      assignPublicIp: false,
      healthCheck: { path: "/health", interval: 30, healthyThreshold: 2, unhealthyThreshold: 3 },
      environment: { NODE_ENV: "production", PORT: "3000" },
      logGroupName: "/ecs/callback-handler",
      logStreamPrefix: "callback-handler",
      logRetentionDays: 7,
      taskRoleLogAccess: true,
    },
  ],
  loadBalancer: {
    scheme: "internal",
    name: "fireblocks-callback-alb",
    // HTTPS only: no plain HTTP listener, as in the document.
    https: { port: 443, certificate: { source: "variable" } },
  },
  ssmParameters: [
    {
      name: "callback-private-key",
      description: "Callback Handler Private Key for JWT signing",
      readers: ["callback-handler"],
    },
    {
      name: "cosigner-public-key",
      description: "Cosigner Public Key for JWT verification",
      readers: ["callback-handler"],
    },
  ],
  dns: { zoneName: "internal.mtools.web3sst.com", private: true, records: [{ name: "callback" }] },
  monitoring: {
    topicEncryption: "customer-managed",
    cpuUtilization: { threshold: 80, period: 300, evaluationPeriods: 2, statistic: "Average" },
    memoryUtilization: { threshold: 80, period: 300, evaluationPeriods: 2, statistic: "Average" },
  },
};
