import { createHash } from "crypto";

/**
 * Fits a derived AWS name into its length limit (32 for load balancers and target groups, 64 for IAM roles ...)
 * while keeping it unique and telling: a name that fits is unchanged; a longer one keeps its head and its `tail`
 * (what the resource is, e.g. `-exec`) and puts a short hash of the whole name between them, so two long names
 * that share a head never collide.
 */
export function fitName(name: string, max: number, tail = ""): string {
  const full = `${name}${tail}`;
  if (full.length <= max) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 6);
  const head = name.slice(0, Math.max(0, max - tail.length - hash.length - 1)).replace(/-+$/, "");
  return `${head}-${hash}${tail}`;
}
