import { synthesize, synthOptionsFromEnv } from "./app/synth";
import { BlueprintError } from "./schema/errors";

// Reads the blueprints and writes cdktf.out/ (all of them, or BLUEPRINT / ENVIRONMENT / BLUEPRINT_FILE's).
try {
  synthesize(synthOptionsFromEnv());
} catch (error) {
  if (!(error instanceof BlueprintError)) throw error;
  console.error(error.message);
  process.exit(1);
}
