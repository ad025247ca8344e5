import * as fs from "fs";
import * as path from "path";
import { generateDocs, staleFiles } from "./generate";

const USAGE = `usage: npm run docs [-- --check]

Regenerates the parts of docs/ that mirror code (field reference, policy rules, outputs contract, blueprints'
stacks and notes) and writes the files that changed. --check writes nothing and exits 1 when a file is out of date.`;

/** The repository root: the nearest directory above this file with a package.json (from tools/docs or dist/). */
function repositoryRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error("no package.json above " + __dirname);
    dir = up;
  }
  return dir;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.some((a) => a !== "--check")) {
    console.error(USAGE);
    return args.includes("--help") || args.includes("-h") ? 0 : 1;
  }
  const root = repositoryRoot();
  const expected = await generateDocs(root);
  const stale = staleFiles(root, expected);
  if (args.includes("--check")) {
    stale.forEach((f) => console.error(`${f} is out of date`));
    if (stale.length > 0) console.error("Fix: run npm run docs");
    return stale.length > 0 ? 1 : 0;
  }
  for (const file of stale) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), expected.get(file) ?? "");
    console.log(`wrote ${file}`);
  }
  console.log(`${expected.size} generated files, ${stale.length} updated`);
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(error.message);
    process.exitCode = 1;
  },
);
