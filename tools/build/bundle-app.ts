import * as path from "path";
import { buildSync } from "esbuild";

/**
 * Bundles the app (main.ts with our code, cdktf, constructs, zod and the provider classes it imports) into one file,
 * dist/bundle/main.js, which `cdktf synth` (cdktf.json), `npm run synth:fast` and the tools run.
 *
 * Why: most of a synthesis that is not cdktf's own work is Node loading modules. The deep provider imports still
 * pull in 64 generated files (8.9 MB, half of it inline source maps) through ~450 module resolutions; one bundle
 * without those comments compiles in a fraction of the time (measured in `npm run bench`). The cdktf CLI ships
 * bundled the same way.
 *
 * What it keeps: identifiers are not mangled (stack traces stay readable; cdktf and constructs see the class names
 * they saw before) and the synthesized JSON is byte-identical to `node dist/main.js`, asserted by
 * __tests__/bundle.test.ts. For a debugger, run the unbundled `node dist/main.js`.
 */
export function bundleApp(root: string, outfile = path.join(root, "dist", "bundle", "main.js")): string {
  buildSync({
    entryPoints: [path.join(root, "main.ts")],
    tsconfig: path.join(root, "tsconfig.json"),
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    // Whitespace and syntax only: smaller to parse, same names.
    minifyWhitespace: true,
    minifySyntax: true,
    // License notices of the bundled packages go to the end of the file.
    legalComments: "eof",
    logLevel: "warning",
  });
  return outfile;
}

if (require.main === module) {
  // Run from dist/tools/build/ after `tsc`: the project root is three levels up.
  const written = bundleApp(path.resolve(__dirname, "..", "..", ".."));
  console.error(`bundled ${path.relative(process.cwd(), written)}`);
}
