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

/** The BlueprintError a run throws; failing the test when it throws none or another error. */
export function refusalOf(run: () => unknown): BlueprintError {
  try {
    run();
  } catch (e) {
    if (e instanceof BlueprintError) return e;
    throw e;
  }
  throw new Error("accepted");
}
