/**
 * Indexes of the values that repeat an earlier one (the first occurrence is not reported); undefined values, the
 * names a blueprint leaves to a default, never count. One place for every "duplicates another ..." rule.
 */
export function laterDuplicates(values: readonly (string | undefined)[]): number[] {
  return values.flatMap((v, i) => (v !== undefined && values.indexOf(v) !== i ? [i] : []));
}
