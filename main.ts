import { synthesize } from "./app/synth";
import { BlueprintError } from "./schema/errors";

// Reads the blueprints and writes cdktf.out/ (all of them, or BLUEPRINT / ENVIRONMENT / BLUEPRINT_FILE's).
try {
  synthesize({
    blueprint: process.env.BLUEPRINT || undefined,
    environment: process.env.ENVIRONMENT || undefined,
    blueprintFile: process.env.BLUEPRINT_FILE || undefined,
  });
} catch (error) {
  if (!(error instanceof BlueprintError)) throw error;
  console.error(error.message);
  process.exit(1);
}
