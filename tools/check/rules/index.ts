import type { Rule } from "../types";
import { NETWORK_RULES } from "./network";
import { LOAD_BALANCER_RULES } from "./load-balancer";
import { ECS_RULES } from "./ecs";
import { DATABASE_RULES } from "./database";
import { STORAGE_RULES } from "./storage";
import { IAM_RULES } from "./iam";
import { EC2_RULES } from "./ec2";
import { CLOUDFRONT_RULES } from "./cloudfront";
import { ACCOUNT_RULES } from "./account";
import { SCHEDULER_RULES } from "./scheduler";

/** Every policy rule, as data. `npm run check` evaluates them over every synthesized stack. */
export const RULES: readonly Rule[] = [
  ...NETWORK_RULES,
  ...LOAD_BALANCER_RULES,
  ...ECS_RULES,
  ...DATABASE_RULES,
  ...STORAGE_RULES,
  ...IAM_RULES,
  ...EC2_RULES,
  ...CLOUDFRONT_RULES,
  ...ACCOUNT_RULES,
  ...SCHEDULER_RULES,
];

export const RULE_IDS: ReadonlySet<string> = new Set(RULES.map((r) => r.id));
