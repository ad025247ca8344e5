import { dependencyOrder, type SynthesizedStack } from "./cdktf-out";

/**
 * The order to plan or apply stacks in: cdktf's dependencies, plus one the manifest does not record: every stack's S3
 * backend lives in the bucket that the state-backend stack creates, so that stack goes first when it is selected.
 */
export function applyOrder(stacks: readonly SynthesizedStack[]): SynthesizedStack[] {
  return dependencyOrder(stacks.map((s) => withStateBucketDependency(s, stacks)));
}

function withStateBucketDependency(stack: SynthesizedStack, selected: readonly SynthesizedStack[]): SynthesizedStack {
  const creator = stateBucketCreator(stack, selected);
  if (!creator || stack.dependencies.includes(creator.id)) return stack;
  return { ...stack, dependencies: [creator.id, ...stack.dependencies] };
}

/** The stack among `stacks` that creates the S3 bucket this stack's backend uses, if any. */
export function stateBucketCreator(
  stack: SynthesizedStack,
  stacks: readonly SynthesizedStack[],
): SynthesizedStack | undefined {
  const bucket: string | undefined = stack.json.terraform?.backend?.s3?.bucket;
  if (!bucket) return undefined;
  return stacks.find(
    (s) =>
      s.id !== stack.id &&
      Object.values<{ bucket?: string }>(s.json.resource?.aws_s3_bucket ?? {}).some((b) => b.bucket === bucket),
  );
}

/** True when the stack keeps local state (the state-backend stack): there is no shared state to plan against. */
export function hasLocalState(stack: SynthesizedStack): boolean {
  const backend = stack.json.terraform?.backend;
  return !backend || backend.local !== undefined;
}
