import type { Deployment } from "../../schema/resolve";
import { code, escapeText, proseBlocks, table } from "./markdown";
import type { StackFacts, SynthesizedFacts } from "./synthesized";

/**
 * The outputs contract, layer by layer: what the layer is for (its stack class's doc comment), which deployments
 * build it, and each output with its kind, description and the deployments that publish it.
 */
export function renderOutputs(facts: SynthesizedFacts, classDoc: (className: string) => string | undefined): string {
  const out: string[] = [];
  for (const layer of facts.layers) {
    const stacks = facts.stacks.filter((s) => s.layer === layer);
    out.push(`### ${code(layer)}`, "");
    const doc = classDoc(stacks[0].className);
    if (doc) out.push(proseBlocks(doc), "");
    out.push(builtFor(layer, stacks, facts.deployments), "");
    const names = [...new Set(stacks.flatMap((s) => s.outputs.map((o) => o.name)))].sort();
    if (names.length === 0) {
      out.push("No outputs.", "");
      continue;
    }
    const rows = names.map((name) => {
      const publishing = stacks.filter((s) => s.outputs.some((o) => o.name === name));
      const outputs = publishing.flatMap((s) => s.outputs.filter((o) => o.name === name));
      const kinds = [...new Set(outputs.map((o) => o.kind + (o.sensitive ? ", sensitive" : "")))];
      const descriptions = [...new Set(outputs.map((o) => o.description))];
      return [code(name), kinds.join(" / "), descriptions.map(escapeText).join(" / "), publishedBy(stacks, publishing)];
    });
    out.push(table(["output", "kind", "description", "published by"], rows), "");
  }
  return out.join("\n");
}

function builtFor(layer: string, stacks: readonly StackFacts[], deployments: readonly Deployment[]): string {
  if (stacks[0].accountDeployments) {
    const ids = stacks.map((s) => code(s.id)).join(", ");
    return `Stack id ${code(`${layer}-<account key>`)}, one per AWS account whose environments give accountBaseline (${stacks.length}: ${ids}).`;
  }
  if (!stacks[0].deployment) return `Stack id ${code(layer)}: one for the whole project, shared by every blueprint.`;
  const id = code(`<app>-<env>-${layer}`);
  const which =
    stacks.length === deployments.length
      ? `every deployment (${stacks.length} of ${deployments.length})`
      : `${deploymentList(stacks.map((s) => s.deployment))} (${stacks.length} of ${deployments.length} deployments)`;
  return `Stack id ${id}, built for ${which}.`;
}

/** "all", "all except markmail dev" or the list, whichever says it shortest. */
function publishedBy(stacks: readonly StackFacts[], publishing: readonly StackFacts[]): string {
  if (publishing.length === stacks.length) return "all";
  const missing = stacks.filter((s) => !publishing.includes(s));
  // Account baselines belong to an account, not a deployment: they are named by their stack ids.
  const list = (some: readonly StackFacts[]) =>
    some[0].deployment ? deploymentList(some.map((s) => s.deployment)) : some.map((s) => code(s.id)).join(", ");
  return missing.length < publishing.length ? `all except ${list(missing)}` : list(publishing);
}

/** "text-messaging dev, prod; markmail dev" in the order given. */
function deploymentList(deployments: readonly (Deployment | undefined)[]): string {
  const byApp = new Map<string, string[]>();
  for (const d of deployments) {
    if (!d) continue;
    byApp.set(d.app, [...(byApp.get(d.app) ?? []), d.environment]);
  }
  return [...byApp].map(([app, envs]) => `${app} ${envs.join(", ")}`).join("; ");
}

/**
 * One blueprint's environments and the stacks each gets, in apply order (linked to their layer in the outputs
 * contract), then the notes its file opens with: what it takes from its source document and the choices made.
 */
export function renderBlueprint(
  app: string,
  file: string,
  facts: SynthesizedFacts,
  header: string,
  stacksDoc: string,
): string {
  const deployments = facts.deployments.filter((d) => d.app === app);
  const lines = deployments.map((d) => {
    const layers = facts.stacks.filter((s) => s.deployment === d).map((s) => `[${s.layer}](${stacksDoc}#${s.layer})`);
    const where = `${d.region} (${d.availabilityZones.join(", ")})`;
    const account = d.accountId ? `account ${d.accountId}` : "any account";
    const kind = d.production ? "production" : "not production";
    const baseline = facts.stacks.find((s) => s.accountDeployments?.includes(d));
    const accountWide = baseline
      ? ` Its account's baseline: ${code(baseline.id)} ([${baseline.layer}](${stacksDoc}#${baseline.layer})).`
      : "";
    return `- ${code(d.environment)}: ${where}, ${kind}, ${account}. Stacks: ${layers.join(" → ")}.${accountWide}`;
  });
  return [
    "## Environments and stacks",
    "",
    `Stack ids are ${code(`${app}-<environment>-<layer>`)}, applied in this order after the shared`,
    `${code("state-backend")} stack; each layer links to its outputs.`,
    "",
    ...lines,
    "",
    `## Notes from ${code(file)}`,
    "",
    "What the blueprint takes from its source document, and each choice made where the document is silent or unsafe",
    "(the comment at the top of the blueprint file):",
    "",
    proseBlocks(header),
  ].join("\n");
}
