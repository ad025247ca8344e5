import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadBackendConfig } from "../../app/backend-config";
import { addStacks } from "../../app/build";
import { synthesize, synthesizeApp } from "../../app/synth";
import { textMessaging } from "../../blueprints/text-messaging";
import type { BlueprintInput } from "../../schema/blueprint";
import { resolveBlueprint, type Deployment } from "../../schema/resolve";
import { readSynthesizedStacks, type SynthesizedStack } from "../../tools/terraform/cdktf-out";
import { queueWorker } from "../fixtures/blueprints/queue-worker";

/**
 * Test-only variants of blueprints (a test blueprint, a registered one changed in a test) that the run's shared
 * offline plan covers beside every registered stack (helpers/offline-plans.ts), so that the suites asserting on
 * their plans start no Terraform process of their own; hcl-every-stack.test.ts validates the HCL form of those that
 * need it. A suite builds its variant with `synthesizeVariant`, the function the shared plan uses, and reads the
 * plans with `offlinePlansOf`, which still compares the JSON: a suite that changed its variant plans it itself.
 */
export interface PlannedVariant {
  /** Unique among the variants: names the variant's working directories and batch modules. */
  readonly name: string;
  /** The stacks of the variant the shared batch plans. */
  readonly planned: readonly string[];
  /** Those whose HCL form (`cdktf synth --hcl`) hcl-every-stack.test.ts validates too. */
  readonly hcl: readonly string[];
  /** Synthesizes the variant into `outdir` (every stack, HCL when asked) the way the app does. */
  readonly synthesize: (outdir: string, options: { hcl?: boolean }) => void;
}

/** The test blueprint with workers and scheduled tasks (workers.test.ts), synthesized from a blueprint file. */
export const QUEUE_WORKER: PlannedVariant = {
  name: "queue-worker",
  planned: ["queue-worker-prod-network", "queue-worker-prod-compute"],
  hcl: ["queue-worker-prod-network", "queue-worker-prod-compute"],
  synthesize: (outdir, { hcl }) => synthesizeBlueprintFile(queueWorker, outdir, { hcl }),
};

/**
 * text-messaging with every account pinned and the GitHub OIDC provider trusted by ARN (ci-roles.test.ts): every
 * input of the CI roles' policies is known at plan time, so the provider renders them in the plan.
 */
export const PINNED_CI: PlannedVariant = {
  name: "pinned-ci",
  planned: ["text-messaging-prod-ci"],
  hcl: [],
  synthesize: (outdir, { hcl }) => {
    const bp = structuredClone(textMessaging);
    bp.environments.forEach((e) => (e.accountId = "111111111111"));
    bp.ci!.createOidcProvider = false;
    synthesizeBlueprintFile(bp, outdir, { hcl, environment: "prod" });
  },
};

/**
 * An account baseline with every optional part (GuardDuty's features, a budget topic) that no registered
 * blueprint uses (account-baseline.test.ts), on the preflight corpus's valid blueprint.
 */
export const FULL_BASELINE: PlannedVariant = {
  name: "full-baseline",
  planned: ["account-baseline-shop-prod"],
  hcl: [],
  synthesize: (outdir, { hcl }) => {
    const valid: BlueprintInput = JSON.parse(
      fs.readFileSync(path.join(__dirname, "..", "fixtures", "preflight", "valid.json"), "utf8"),
    );
    const bp: BlueprintInput = {
      ...valid,
      accountBaseline: {
        guardDuty: { s3Protection: true, runtimeMonitoring: true, findingPublishingFrequency: "ONE_HOUR" },
        config: {},
        budget: { monthlyLimitUsd: 50, snsTopicArn: "arn:aws:sns:ap-northeast-1:111111111111:budget-alerts" },
      },
    };
    synthesizeDeployments(outdir, resolveBlueprint(bp), [], { hcl });
  },
};

/** Every variant the shared offline plan covers. */
export const PLANNED_VARIANTS: readonly PlannedVariant[] = [QUEUE_WORKER, PINNED_CI, FULL_BASELINE];

/** A variant's every stack, synthesized into a fresh temp dir and read back. */
export function synthesizeVariant(variant: PlannedVariant): { outdir: string; stacks: SynthesizedStack[] } {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), `fbp-${variant.name}-`)), "cdktf.out");
  variant.synthesize(outdir, {});
  return { outdir, stacks: readSynthesizedStacks(outdir) };
}

/** Synthesizes exactly like the app: `selected` deployments, `others` only for the accounts' baselines. */
export function synthesizeDeployments(
  outdir: string,
  selected: readonly Deployment[],
  others: readonly Deployment[] = [],
  options: { hcl?: boolean } = {},
): void {
  const backend = loadBackendConfig(path.join(__dirname, "..", "..", "backend.tf.json"));
  synthesizeApp(outdir, (app) => addStacks(app, selected, backend, others), options);
}

/** A blueprint written to a file beside `outdir` and synthesized from it, as `BLUEPRINT_FILE=... npm run synth`. */
function synthesizeBlueprintFile(
  bp: BlueprintInput,
  outdir: string,
  options: { hcl?: boolean; environment?: string },
): void {
  const file = `${outdir}.blueprint.json`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(bp));
  synthesize({ blueprintFile: file, outdir, ...options });
}
