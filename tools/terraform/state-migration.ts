import * as path from "path";
import { loadBackendConfig } from "../../app/backend-config";
import { writeStateMigrationOverride } from "../../app/local-state";
import { STATE_BACKEND_STACK_ID } from "../../stacks/state-backend-stack";

/**
 * `npm run state-backend:migrate -- [--outdir cdktf.out] [--backend-file backend.tf.json]`: writes the backend
 * override that moves the state-backend stack's local state into the bucket it created. Then, in that stack's
 * directory, `terraform init -migrate-state` copies the state (see README, Remote state). Synthesis carries the
 * override and local state files over, so the stack keeps using its bucket afterwards.
 */
function main(argv: readonly string[]): void {
  let outdir = "cdktf.out";
  let backendFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--outdir" && argv[i + 1]) outdir = argv[++i];
    else if (argv[i] === "--backend-file" && argv[i + 1]) backendFile = argv[++i];
    else throw new Error(`unknown argument ${argv[i]}. Usage: state-migration [--outdir DIR] [--backend-file FILE]`);
  }
  const backend = loadBackendConfig(backendFile ? path.resolve(backendFile) : undefined);
  const file = writeStateMigrationOverride(path.join(outdir, "stacks", STATE_BACKEND_STACK_ID), backend);
  console.log(`wrote ${file}\nnext: cd ${path.dirname(file)} && terraform init -migrate-state`);
}

try {
  main(process.argv.slice(2));
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
