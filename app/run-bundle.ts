import * as fs from "fs";
import * as path from "path";
import { runWithCodeCache } from "./code-cache";

/**
 * The app as cdktf.json, `npm run synth:fast` and the tools run it: main.ts bundled into dist/bundle/main.js by
 * `npm run build` (tools/build/bundle-app.ts), run with V8's code cache (code-cache.ts). Same JSON as
 * `node dist/main.js`, about a quarter faster (`npm run bench`: (a) against (a0)).
 */
const bundle = path.join(__dirname, "..", "bundle", "main.js");
if (!fs.existsSync(bundle)) {
  console.error(
    `${path.relative(process.cwd(), bundle)} is missing. Fix: run \`npm run build\` (tsc, then the bundle)`,
  );
  process.exit(1);
}
runWithCodeCache(bundle);
