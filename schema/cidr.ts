/** IPv4 CIDR arithmetic for blueprint validation: enough to check containment and overlap. */
export interface Cidr {
  readonly network: number;
  readonly prefix: number;
}

export function parseCidr(value: string): Cidr | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  // Host bits must be zero: AWS normalizes 10.0.1.5/24 silently, which hides typos.
  if (address % size !== 0) return undefined;
  return { network: address, prefix };
}

function range(cidr: Cidr): [number, number] {
  return [cidr.network, cidr.network + 2 ** (32 - cidr.prefix) - 1];
}

export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  const [a0, a1] = range(outer);
  const [b0, b1] = range(inner);
  return b0 >= a0 && b1 <= a1;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  const [a0, a1] = range(a);
  const [b0, b1] = range(b);
  return a0 <= b1 && b0 <= a1;
}
