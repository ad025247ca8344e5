/**
 * Terraform JSON text parsed without cdktf's `"//"` properties, which Terraform reads as comments and skips: what a
 * handoff bundle ships of a synthesized stack (tools/handoff/terraform-json.ts), written again as the bundle writes
 * JSON, so that a test can compare a shipped file with a planned one byte for byte.
 */
export function withoutComments(text: string): string {
  return (
    JSON.stringify(
      JSON.parse(text, (key, value: unknown) => (key === "//" ? undefined : value)),
      null,
      2,
    ) + "\n"
  );
}
