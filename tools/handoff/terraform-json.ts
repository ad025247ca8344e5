import { HANDOVER_GUARD } from "../../app/handovers";
import type { SynthesizedStack, TerraformJson } from "../terraform/cdktf-out";

/**
 * The synthesized JSON as a Terraform-only team receives it. cdktf writes `"//"` metadata blocks (construct paths,
 * cdktf's own output map, its version) into the stack and every resource; Terraform skips them as comments, but they
 * refer to an app the recipients do not have, so they go. So does the guard of a handed-off stack (the `handed_off`
 * variable that stops this project's plans and applies, app/handover-guard.ts): the bundle is what its new owners
 * apply. Nothing else changes: resource addresses, the backend and the provider pin are exactly cdktf's, so state
 * written by either side matches the other.
 */
export function terraformOnlyJson(json: TerraformJson): TerraformJson {
  return strip(withoutHandoverGuard(json)) as TerraformJson;
}

function withoutHandoverGuard(json: TerraformJson): TerraformJson {
  if (json.variable?.[HANDOVER_GUARD] === undefined) return json;
  const variables = Object.entries<unknown>(json.variable).filter(([name]) => name !== HANDOVER_GUARD);
  return Object.fromEntries(
    Object.entries(json).flatMap(([key, value]) => {
      if (key !== "variable") return [[key, value]];
      return variables.length > 0 ? [[key, Object.fromEntries(variables)]] : [];
    }),
  );
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== "//")
        .map(([k, v]) => [k, strip(v)]),
    );
  }
  return value;
}

/** Strings in the JSON that start with one of `roots` (build-machine paths that would break elsewhere). */
export function absolutePathsIn(json: unknown, roots: readonly string[]): string[] {
  const found: string[] = [];
  const visit = (v: unknown) => {
    if (typeof v === "string") {
      if (roots.some((r) => v.includes(r))) found.push(v);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") Object.values(v).forEach(visit);
  };
  visit(json);
  return found;
}

export interface UpstreamRead {
  /** Upstream stack id. */
  readonly stack: string;
  /** Its state key in the backend. */
  readonly key: string;
  /** The named outputs this stack reads from it. */
  readonly outputs: readonly string[];
}

/** Upstream stacks a stack reads (its terraform_remote_state data sources) and which of their outputs it uses. */
export function upstreamReads(stack: SynthesizedStack, all: readonly SynthesizedStack[]): UpstreamRead[] {
  const text = JSON.stringify(stack.json);
  return Object.entries<TerraformJson>(stack.json.data?.terraform_remote_state ?? {}).map(([name, block]) => {
    const key: string = block.config?.key ?? block.config?.path ?? "";
    const upstream = all.find((s) => key === `${s.id}/terraform.tfstate`);
    const reference = new RegExp(`data\\.terraform_remote_state\\.${escape(name)}\\.outputs\\.([A-Za-z0-9_-]+)`, "g");
    const outputs = [...new Set([...text.matchAll(reference)].map((m) => m[1]))].sort();
    return { stack: upstream?.id ?? key, key, outputs };
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
