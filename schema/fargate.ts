/** Fargate task sizes (Linux), from the ECS task definition documentation. */
const MEMORY_BY_CPU: Record<number, readonly number[]> = {
  256: [512, 1024, 2048],
  512: steps(1024, 4096, 1024),
  1024: steps(2048, 8192, 1024),
  2048: steps(4096, 16384, 1024),
  4096: steps(8192, 30720, 1024),
  8192: steps(16384, 61440, 4096),
  16384: steps(32768, 122880, 8192),
};

function steps(from: number, to: number, by: number): number[] {
  const out: number[] = [];
  for (let m = from; m <= to; m += by) out.push(m);
  return out;
}

export const FARGATE_CPU_VALUES = Object.keys(MEMORY_BY_CPU).map(Number);

/** Memory sizes Fargate offers for a CPU value, or undefined when the CPU value itself is not offered. */
export function fargateMemoryFor(cpu: number): readonly number[] | undefined {
  return MEMORY_BY_CPU[cpu];
}

export function describeMemoryChoices(cpu: number): string {
  const choices = MEMORY_BY_CPU[cpu] ?? [];
  return choices.length <= 4
    ? choices.join(", ")
    : `${choices[0]} to ${choices[choices.length - 1]} in steps of ${choices[1] - choices[0]}`;
}
