import * as fs from "fs";
import * as path from "path";
import ts from "typescript";
import { resolveBlueprint } from "../schema/resolve";
import { RULES } from "../tools/check/rules";
import { blueprintFields } from "../tools/docs/blueprint-reference";
import { generateDocs, markdownFiles, staleFiles } from "../tools/docs/generate";
import type { Field } from "../tools/docs/schema-fields";
import { docComment, SourceComments } from "../tools/docs/source-comments";

/**
 * The docs cannot go stale: the parts that mirror code are regenerated here (one synthesis, in memory) and compared
 * with the files; the README stays a short front door; links between the docs resolve.
 */
const root = path.join(__dirname, "..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");

describe("generated docs", () => {
  let expected: Map<string, string>;
  beforeAll(async () => {
    expected = await generateDocs(root);
  });
  // The blueprint format's files; backend-config.ts describes backend.tf.json (docs/state-backend.md) instead.
  const sources = new SourceComments(
    SourceComments.tsFilesUnder(path.join(root, "schema")).filter((f) => !f.endsWith("backend-config.ts")),
  );

  it("are what npm run docs makes from the code now", () => {
    const stale = staleFiles(root, expected);
    if (stale.length > 0) {
      throw new Error(`out of date: ${stale.join(", ")}. Fix: run npm run docs and commit the result`);
    }
  });

  it("document every policy rule", () => {
    const doc = read("docs/policy-checks.md");
    expect(RULES.filter((r) => !doc.includes(`| \`${r.id}\``)).map((r) => r.id)).toEqual([]);
  });

  it("carry every doc comment written on a field of the schema into the field reference", () => {
    // Independent of the generator's walk: every commented property of a zod shape literal in schema/*.ts.
    const written: string[] = [];
    const visit = (node: ts.Node) => {
      if (
        ts.isPropertyAssignment(node) &&
        ts.isObjectLiteralExpression(node.parent) &&
        ts.isCallExpression(node.parent.parent) &&
        /^z\.(strictObject|object|looseObject)$|\.(extend|safeExtend)$/.test(node.parent.parent.expression.getText())
      ) {
        const doc = docComment(node);
        if (doc) written.push(doc);
      }
      ts.forEachChild(node, visit);
    };
    sources.program.getRootFileNames().forEach((f) => visit(sources.sourceFile(f)));
    const shown = new Set(allFields(blueprintFields(sources, root)).flatMap((f) => f.docs));
    expect(written.length).toBeGreaterThan(100);
    expect(written.filter((d) => !shown.has(d))).toEqual([]);
  });

  it("give defaults as zod fills them in", () => {
    const fields = allFields(blueprintFields(sources, root));
    const field = (p: string) => fields.find((f) => f.path === p);
    expect(field("services[].healthCheck.path")?.default?.value).toBe("/health");
    expect(field("network.natGateways")?.default?.value).toBe("none");
    expect(field("services[].cpu")?.required).toBe(true);
    expect(field("services[].containerPort")?.required).toBe(false);
    expect(field("services[].kind")?.default?.value).toBe("web");
    expect(field("scheduledTasks[].timezone")?.default?.value).toBe("UTC");
    expect(field("loadBalancer.https.certificate")?.variants.map((v) => v.label)).toEqual([
      '{ source: "dns" }',
      '{ source: "variable" }',
      '{ source: "arn", arn }',
    ]);
  });
});

function allFields(fields: readonly Field[]): Field[] {
  return fields.flatMap((f) => [f, ...allFields(f.children), ...allFields(f.variants.flatMap((v) => v.fields))]);
}

describe("README.md", () => {
  const readme = read("README.md");

  it("is a front door: at most 15 KB, no line over 300 characters", () => {
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(15 * 1024);
    const long = readme.split("\n").flatMap((line, i) => (line.length > 300 ? [`line ${i + 1}: ${line.length}`] : []));
    expect(long).toEqual([]);
  });

  it("starts with the two commands: install and synthesize, then test", () => {
    const afterTitle = readme.replace(/^# .*\n+/, "");
    const block = /^```sh\n([\s\S]*?)\n```/.exec(afterTitle);
    expect(block).not.toBeNull();
    const commands = (block?.[1] ?? "").split("\n").map((l) => l.replace(/\s+#.*$/, "").trim());
    expect(commands).toEqual(["npm ci && npm run synth", "npm test"]);
  });

  it("has no headings inside its examples (they would break the outline)", () => {
    const fenced = fencedBlocks(readme).flatMap((b) => b.body.split("\n"));
    expect(fenced.filter((l) => /^#{1,6} /.test(l))).toEqual([]);
  });

  it("shows a blueprint that validates", () => {
    const example = fencedBlocks(readme).find((b) => b.lang === "ts");
    expect(example).toBeDefined();
    const js = ts.transpileModule(example?.body ?? "", { compilerOptions: { module: ts.ModuleKind.CommonJS } });
    const exports: Record<string, unknown> = {};
    new Function("exports", "require", js.outputText)(exports, () => ({}));
    const [blueprint] = Object.values(exports);
    const deployments = resolveBlueprint(blueprint, "README example");
    expect(deployments.map((d) => d.environment)).toEqual(["dev", "prod"]);
  });
});

describe("links in README.md and docs/", () => {
  it("reach an existing file, and a heading of it where they name one", () => {
    const broken: string[] = [];
    for (const file of markdownFiles(root)) {
      for (const target of relativeLinks(read(file))) {
        const [pathPart, anchor] = target.split("#");
        const resolved = pathPart
          ? path.join(path.dirname(path.join(root, file)), decodeURI(pathPart))
          : path.join(root, file);
        if (!fs.existsSync(resolved)) {
          broken.push(`${file}: ${target} (no such file)`);
        } else if (anchor && resolved.endsWith(".md") && !headingSlugs(fs.readFileSync(resolved, "utf8")).has(anchor)) {
          broken.push(`${file}: ${target} (no such heading)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});

describe("docs/README.md", () => {
  it("indexes every page of docs/", () => {
    const index = new Set(relativeLinks(read("docs/README.md")).map((t) => path.posix.join("docs", t.split("#")[0])));
    const pages = markdownFiles(root).filter((f) => f.startsWith("docs/") && f !== "docs/README.md");
    expect(pages.filter((p) => !index.has(p))).toEqual([]);
  });
});

interface Fenced {
  readonly lang: string;
  readonly body: string;
}

function fencedBlocks(markdown: string): Fenced[] {
  return [...markdown.matchAll(/^(```+|~~~+)([\w-]*)\n([\s\S]*?)^\1\s*$/gm)].map((m) => ({ lang: m[2], body: m[3] }));
}

/** Outside code: inline links' and reference definitions' targets that are not URLs or mail addresses. */
function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/^(```+|~~~+)[\s\S]*?^\1\s*$/gm, "").replace(/(`+)[\s\S]*?\1/g, "code");
  const inline = [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
  const definitions = [...prose.matchAll(/^\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]);
  return [...inline, ...definitions].filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingSlugs(markdown: string): Set<string> {
  const prose = markdown.replace(/^(```+|~~~+)[\s\S]*?^\1\s*$/gm, "");
  const slugs = new Set<string>();
  for (const m of prose.matchAll(/^#{1,6} +(.+?) *#* *$/gm)) {
    const text = m[1].replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/`/g, "");
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
      .replace(/ /g, "-");
    let slug = base;
    for (let i = 1; slugs.has(slug); i++) slug = `${base}-${i}`;
    slugs.add(slug);
  }
  return slugs;
}
