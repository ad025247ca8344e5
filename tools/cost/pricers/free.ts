/**
 * Resource types that cost nothing by themselves, each with the reason. Their costs, where they have any, appear on
 * the resource that carries them (a target group's traffic on its load balancer, a task definition's on the service
 * that runs it, a flow log's on the log group it writes to).
 */
export const FREE_TYPES: Record<string, string> = {
  aws_vpc: "no charge for a VPC",
  aws_subnet: "no charge for subnets",
  aws_route_table: "no charge for route tables",
  aws_route: "no charge for routes",
  aws_route_table_association: "no charge for route table associations",
  aws_internet_gateway: "no charge; data leaving AWS is charged where it leaves (load balancer, NAT gateway)",
  aws_egress_only_internet_gateway: "no charge; data leaving AWS is charged where it leaves",
  aws_default_security_group: "no charge for security groups",
  aws_security_group: "no charge for security groups",
  aws_security_group_rule: "no charge for security group rules",
  aws_vpc_security_group_ingress_rule: "no charge for security group rules",
  aws_vpc_security_group_egress_rule: "no charge for security group rules",
  aws_flow_log: "no charge itself: its records are ingested and stored by the log group it writes to",
  aws_iam_role: "IAM is free",
  aws_budgets_budget:
    "the first two budgets of an account cost nothing (each further one $0.02 a day); a baseline creates one per account",
  aws_config_delivery_channel:
    "no charge itself: AWS Config charges per item recorded (on the recorder); S3 for the bucket",
  aws_config_configuration_recorder_status: "no charge itself: AWS Config charges per item recorded (on the recorder)",
  aws_iam_role_policy: "IAM is free",
  aws_iam_role_policy_attachment: "IAM is free",
  aws_iam_policy: "IAM is free",
  aws_iam_openid_connect_provider: "IAM is free",
  aws_ecs_task_definition: "priced through the service that runs it",
  aws_ecs_cluster_capacity_providers: "no charge; read for the services' default capacity provider strategy",
  aws_lb_listener: "no charge; traffic is charged on the load balancer",
  aws_lb_listener_rule: "no charge; counted into the load balancer's rule evaluations (first 10 free)",
  aws_lb_target_group: "no charge for target groups",
  aws_acm_certificate_validation: "no charge: waits for validation",
  aws_route53_record: "no charge for records; alias queries to AWS resources are free, others are not modeled",
  aws_db_subnet_group: "no charge for subnet groups",
  aws_db_parameter_group: "no charge for parameter groups",
  aws_rds_cluster_parameter_group: "no charge for parameter groups",
  aws_kms_alias: "no charge for aliases",
  aws_codedeploy_app: "CodeDeploy is free for ECS deployments",
  aws_codedeploy_deployment_group: "CodeDeploy is free for ECS deployments",
  aws_ecr_lifecycle_policy: "no charge; read for the images its repository keeps",
  aws_s3_bucket_lifecycle_configuration:
    "no charge; read for how long its bucket keeps data (transition requests not modeled)",
  aws_s3_bucket_versioning: "no charge itself (noncurrent versions are stored: not modeled)",
  aws_s3_bucket_policy: "no charge for bucket policies",
  aws_s3_object:
    "a log router's configuration, a few hundred bytes (storage under a cent); the routers' uploads are PUT requests on the logs bucket (s3.putRequestsPerBucketMonth)",
  aws_s3_bucket_public_access_block: "no charge for blocking public access",
  aws_s3_bucket_ownership_controls: "no charge for ownership settings",
  aws_s3_bucket_server_side_encryption_configuration: "SSE-S3 and bucket keys cost nothing extra",
  aws_wafv2_web_acl_association: "no charge; the web ACL is priced",
  aws_launch_template: "no charge for launch templates; the instances launched from them are priced",
  aws_iam_instance_profile: "IAM is free",
  aws_cloudfront_origin_request_policy: "no charge for CloudFront policies",
  aws_cloudfront_cache_policy: "no charge for CloudFront policies",
  aws_cloudwatch_log_delivery_source: "no charge itself: the log group it delivers to is charged for what it receives",
  aws_cloudwatch_log_delivery_destination:
    "no charge itself: the log group it delivers to is charged for what it receives",
  aws_cloudwatch_log_delivery: "no charge itself: the log group it delivers to is charged for what it receives",
  aws_cloudwatch_event_rule: "no charge for rules on AWS service events (default event bus)",
  aws_cloudwatch_event_target: "no charge for rule targets",
  // Beyond the free tier EventBridge Scheduler costs $1.00 a million invocations; a schedule runs at most 44,640
  // times a month (every minute). The Fargate time of the tasks it starts is not estimated (docs/cost.md).
  aws_scheduler_schedule: "14 million invocations a month free; the tasks' Fargate time is not estimated",
  aws_ssm_document: "no charge for documents; their Automation steps (a few a week) fall within the free tier",
};
