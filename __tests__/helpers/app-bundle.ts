import * as path from "path";
import { bundleApp } from "../../tools/build/bundle-app";

/**
 * main.ts bundled exactly as `npm run build` bundles it (tools/build/bundle-app.ts) into `dir`: the app that
 * cdktf.json runs, started with plain `node` (without dist/app/run-bundle.js's code cache, which bundle.test.ts
 * covers). A test that runs the app as a process starts in a third of a second this way, against three or more with
 * ts-node compiling the sources in every process.
 */
export function bundleAppInto(dir: string): string {
  return bundleApp(path.join(__dirname, "..", ".."), path.join(dir, "main.js"));
}
