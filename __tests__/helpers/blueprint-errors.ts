import { resolveBlueprint } from "../../schema/resolve";
import { BlueprintError } from "../../schema/errors";

/**
 * Applies a change to a copy of a blueprint and returns the validation error lines ([] when it is valid); any
 * error other than a BlueprintError fails the test.
 */
export function errorsAfter<T>(blueprint: T, change: (bp: T) => void, source?: string): string[] {
  const bp = structuredClone(blueprint);
  change(bp);
  try {
    resolveBlueprint(bp, source);
  } catch (e) {
    if (e instanceof BlueprintError) return e.message.split("\n");
    throw e;
  }
  return [];
}
