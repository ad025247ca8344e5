#!/usr/bin/env bash
# Releases one service of a deployed blueprint: the image tag it runs becomes TAG (docs/day-two.md).
#
#   release.sh --cluster C --service S --family F --container N --parameter P --tag TAG \
#              [--codedeploy-app A --deployment-group G]
#   release.sh ... --rollout      # roll out the family's latest revision as it is (blue/green after a config change)
#
# The values are the stacks' outputs: cluster_name, service_names, task_definition_families, container_names,
# codedeploy_app_names and deployment_group_names (compute) and release_parameter_names (registry).
#
# One owner of what runs: the release parameter P holds the tag; the compute stack reads it, so the next Terraform
# plan agrees with what this script rolls out. The script
#   1. records TAG in P (the previous tag is kept to undo it),
#   2. registers a revision of F copied from its latest one with only N's image changed (the latest one carries
#      Terraform's configuration), and
#   3. rolls it out: UpdateService for rolling services (the ECS circuit breaker rolls back a failure), or a
#      CodeDeploy deployment with an appspec naming the new revision for blue/green services, and waits for it.
# When the rollout fails, P gets its previous tag back and the new revision is deregistered, so that Terraform's
# view (the latest revision, the recorded tag) is again what runs. Needs the aws CLI and jq; runs with the ci
# stack's deploy role.
set -euo pipefail

usage() { sed -n '2,9p' "$0" >&2; exit 2; }
cluster="" service="" family="" container="" parameter="" tag="" rollout=false app="" group=""
while [ $# -gt 0 ]; do
  case "$1" in
    --cluster) cluster="$2"; shift 2 ;;
    --service) service="$2"; shift 2 ;;
    --family) family="$2"; shift 2 ;;
    --container) container="$2"; shift 2 ;;
    --parameter) parameter="$2"; shift 2 ;;
    --tag) tag="$2"; shift 2 ;;
    --rollout) rollout=true; shift ;;
    --codedeploy-app) app="$2"; shift 2 ;;
    --deployment-group) group="$2"; shift 2 ;;
    *) usage ;;
  esac
done
[ -n "$cluster" ] && [ -n "$service" ] && [ -n "$family" ] && [ -n "$container" ] && [ -n "$parameter" ] || usage
if [ "$rollout" = true ] && [ -n "$tag" ]; then usage; fi
if [ "$rollout" = false ] && [ -z "$tag" ]; then usage; fi
if { [ -n "$app" ] && [ -z "$group" ]; } || { [ -z "$app" ] && [ -n "$group" ]; }; then usage; fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

aws ecs describe-task-definition --task-definition "$family" --include TAGS --output json >"$work/latest.json"
latest_arn="$(jq -r '.taskDefinition.taskDefinitionArn' "$work/latest.json")"
current_image="$(jq -r --arg c "$container" '.taskDefinition.containerDefinitions[] | select(.name == $c) | .image' "$work/latest.json")"
[ -n "$current_image" ] || { echo "release: $family has no container $container" >&2; exit 1; }

previous_tag=""
arn="$latest_arn"
if [ "$rollout" = false ]; then
  image="${current_image%:*}:$tag"
  previous_tag="$(aws ssm get-parameter --name "$parameter" --query Parameter.Value --output text)"
  aws ssm put-parameter --name "$parameter" --type String --value "$tag" --overwrite >/dev/null
  echo "release: $parameter = $tag (was $previous_tag)"
  if [ "$image" != "$current_image" ]; then
    # The latest revision with only the image changed; what ECS adds on registration is dropped.
    jq --arg c "$container" --arg image "$image" '
      (.tags // []) as $tags
      | .taskDefinition
      | .containerDefinitions |= map(if .name == $c then .image = $image else . end)
      | del(.taskDefinitionArn, .revision, .status, .requiresAttributes, .compatibilities,
            .registeredAt, .registeredBy, .deregisteredAt)
      | if ($tags | length) > 0 then . + {tags: $tags} else . end' "$work/latest.json" >"$work/register.json"
    arn="$(aws ecs register-task-definition --cli-input-json "file://$work/register.json" \
      --query taskDefinition.taskDefinitionArn --output text)"
    echo "release: registered $arn ($image)"
  fi
fi

undo() {
  echo "release: the rollout of $arn failed" >&2
  if [ "$rollout" = false ]; then
    aws ssm put-parameter --name "$parameter" --type String --value "$previous_tag" --overwrite >/dev/null
    echo "release: $parameter = $previous_tag again" >&2
    if [ "$arn" != "$latest_arn" ]; then
      aws ecs deregister-task-definition --task-definition "$arn" >/dev/null
      echo "release: deregistered $arn" >&2
    fi
  fi
  exit 1
}

if [ -z "$app" ]; then
  aws ecs update-service --cluster "$cluster" --service "$service" --task-definition "$arn" >/dev/null
  aws ecs wait services-stable --cluster "$cluster" --services "$service" || undo
  # A circuit breaker rollback also ends stable: check that the new revision is the one that completed.
  primary="$(aws ecs describe-services --cluster "$cluster" --services "$service" --output json |
    jq -r '.services[0].deployments[] | select(.status == "PRIMARY") | "\(.taskDefinition) \(.rolloutState)"')"
  [ "$primary" = "$arn COMPLETED" ] || undo
else
  port="$(jq -r --arg c "$container" \
    '.taskDefinition.containerDefinitions[] | select(.name == $c) | .portMappings[0].containerPort' "$work/latest.json")"
  appspec="$(jq -cn --arg arn "$arn" --arg c "$container" --argjson port "$port" '{version: 1, Resources: [{
    TargetService: {Type: "AWS::ECS::Service", Properties: {TaskDefinition: $arn,
      LoadBalancerInfo: {ContainerName: $c, ContainerPort: $port}}}}]}')"
  revision="$(jq -cn --arg content "$appspec" '{revisionType: "AppSpecContent", appSpecContent: {content: $content}}')"
  deployment="$(aws deploy create-deployment --application-name "$app" --deployment-group-name "$group" \
    --revision "$revision" --query deploymentId --output text)"
  echo "release: CodeDeploy deployment $deployment of $arn"
  aws deploy wait deployment-successful --deployment-id "$deployment" || undo
fi
echo "release: $service runs $arn"
