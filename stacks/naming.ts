import { createHash } from "crypto";

/**
 * Fits a derived name into an AWS length limit (32 for load balancers and target groups) while keeping it unique:
 * names that fit are unchanged, longer ones keep their head and gain a short hash of the whole name.
 */
export function fitName(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 6);
  return `${name.slice(0, max - 7).replace(/-+$/, "")}-${hash}`;
}
