import type { Rule } from "../types";
import { containerDefinitions } from "../resources";

/** Environment variable names that say the value is a secret (the blueprint schema refuses them too). */
const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIAL)/i;

export const ECS_RULES: Rule[] = [
  {
    id: "ecs-not-privileged",
    title: "Containers are not privileged",
    severity: "high",
    resourceType: "aws_ecs_task_definition",
    checkov: ["CKV_AWS_334"],
    fsbp: "ECS.4",
    check: (td) => {
      const bad = containerDefinitions(td).filter((c) => c.privileged === true);
      return bad.length > 0 ? `privileged containers: ${bad.map((c) => c.name).join(", ")}` : undefined;
    },
  },
  {
    id: "ecs-readonly-root",
    title: "Containers have a read-only root filesystem",
    severity: "high",
    resourceType: "aws_ecs_task_definition",
    checkov: ["CKV_AWS_336"],
    fsbp: "ECS.5",
    note: "A service that sets readOnlyRootFilesystemOptOutReason is suppressed with that reason automatically.",
    check: (td) => {
      const bad = containerDefinitions(td).filter((c) => c.readonlyRootFilesystem !== true);
      return bad.length > 0 ? `writable root filesystem: ${bad.map((c) => c.name).join(", ")}` : undefined;
    },
  },
  {
    id: "ecs-no-secret-env",
    title: "No secrets in plain container environment variables",
    severity: "high",
    resourceType: "aws_ecs_task_definition",
    checkov: [],
    fsbp: "ECS.8",
    check: (td) => {
      const names = containerDefinitions(td).flatMap((c) =>
        ((c.environment as { name: string; value: string }[]) ?? [])
          .filter((e) => SECRET_NAME.test(e.name) && e.value !== "")
          .map((e) => `${c.name}.${e.name}`),
      );
      return names.length > 0 ? `secret-looking plain variables: ${names.join(", ")}` : undefined;
    },
  },
  {
    id: "ecs-distinct-roles",
    title: "Task role and execution role are distinct",
    severity: "high",
    resourceType: "aws_ecs_task_definition",
    checkov: ["CKV_AWS_249"],
    check: (td) =>
      td.task_role_arn !== undefined && td.task_role_arn === td.execution_role_arn
        ? "the task role is also the execution role"
        : undefined,
  },
  {
    id: "ecs-container-insights",
    title: "ECS clusters have Container Insights",
    severity: "high",
    resourceType: "aws_ecs_cluster",
    checkov: ["CKV_AWS_65"],
    fsbp: "ECS.12",
    check: (cluster) => {
      const setting = ([] as { name: string; value: string }[])
        .concat(cluster.setting ?? [])
        .find((s) => s.name === "containerInsights");
      return setting && ["enabled", "enhanced"].includes(setting.value) ? undefined : "Container Insights is off";
    },
  },
];
