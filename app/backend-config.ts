import * as fs from "fs";
import * as path from "path";
import { BlueprintError } from "../schema/errors";
import { BACKEND_FILE, parseBackendConfig, type BackendConfig } from "../schema/backend-config";

export { BACKEND_FILE, parseBackendConfig, stateKey, type BackendConfig } from "../schema/backend-config";

/** Reads and validates backend.tf.json (the format and its rules are in schema/backend-config.ts). */
export function loadBackendConfig(file = path.resolve(BACKEND_FILE)): BackendConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new BlueprintError(file, [
      {
        path: "",
        value: undefined,
        message:
          "is missing. Fix: create backend.tf.json with a terraform.backend.s3 block (see docs/state-backend.md)",
      },
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new BlueprintError(file, [
      { path: "", value: undefined, message: `is not valid JSON (${(e as Error).message}). Fix: correct the syntax` },
    ]);
  }
  return parseBackendConfig(raw, file);
}
