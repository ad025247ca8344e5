import * as fs from "fs";
import * as path from "path";
import ts from "typescript";
import { BLUEPRINTS } from "../../blueprints";
import { RULES } from "../check/rules";
import { blueprintFields, renderBlueprintReference, SCHEMA_FILE } from "./blueprint-reference";
import { code, escapeText, formatMarkdown, generatedNotice, markerNames, replaceGenerated } from "./markdown";
import { renderRules } from "./rules-reference";
import { renderPreflightRules } from "./preflight-reference";
import { PREFLIGHT_RULES } from "../../schema/preflight";
import { docComment, SourceComments } from "./source-comments";
import { renderBlueprint, renderOutputs } from "./stacks-reference";
import { synthesizeFacts, type SynthesizedFacts } from "./synthesized";

/**
 * The parts of the docs that mirror code, and how each is made. A part is either a whole file or the text between
 * `<!-- BEGIN GENERATED: <name> -->` and `<!-- END GENERATED: <name> -->` in a hand-written file. To add one, add an
 * entry to `parts` (and the markers to the file); `npm run docs` writes it, `__tests__/docs.test.ts` fails when it is
 * out of date.
 */
export interface GeneratedPart {
  /** Path from the repository root. */
  readonly file: string;
  /** Marker name; none when the whole file is generated. */
  readonly marker?: string;
  /** What it is generated from, for the notice at its top. */
  readonly source: string;
  readonly render: (inputs: DocsInputs) => string;
  /** Content for the file when it does not exist yet (marker parts only). */
  readonly skeleton?: () => string;
}

/** What the parts are made from, each read or computed once per run. */
export class DocsInputs {
  private sourcesCache?: SourceComments;
  private factsCache?: SynthesizedFacts;

  constructor(readonly root: string) {}

  /** Doc comments of the schema, the blueprints and the stacks. */
  get sources(): SourceComments {
    this.sourcesCache ??= new SourceComments(
      ["schema", "blueprints", "stacks"].flatMap((d) => SourceComments.tsFilesUnder(path.join(this.root, d))),
    );
    return this.sourcesCache;
  }

  /** One synthesis of every blueprint (see synthesized.ts). */
  get facts(): SynthesizedFacts {
    this.factsCache ??= synthesizeFacts(this.root);
    return this.factsCache;
  }

  classDoc(className: string): string | undefined {
    return this.sources.classDoc(SourceComments.tsFilesUnder(path.join(this.root, "stacks")), className);
  }

  /**
   * The file declaring a blueprint (an object literal with `name: "<app>"`) and the doc comment it opens with (on the
   * first statement after the imports): what the blueprint takes from its document and the choices made.
   */
  blueprintSource(app: string): { file: string; doc: string } {
    for (const file of SourceComments.tsFilesUnder(path.join(this.root, "blueprints"))) {
      const statements = this.sources.sourceFile(file).statements;
      if (!statements.some((s) => declaresBlueprint(s, app))) continue;
      const first = statements.find((s) => !ts.isImportDeclaration(s));
      const doc = first && docComment(first);
      if (!doc) throw new Error(`blueprint ${app}: ${file} opens with no doc comment. Fix: write its notes there`);
      return { file: path.relative(this.root, file).split(path.sep).join("/"), doc };
    }
    throw new Error(`blueprint ${app}: no file in blueprints/ declares it as an object literal with name "${app}"`);
  }
}

function declaresBlueprint(statement: ts.Statement, app: string): boolean {
  return (
    ts.isVariableStatement(statement) &&
    statement.declarationList.declarations.some(
      (d) =>
        d.initializer &&
        ts.isObjectLiteralExpression(d.initializer) &&
        d.initializer.properties.some(
          (p) =>
            ts.isPropertyAssignment(p) &&
            ts.isIdentifier(p.name) &&
            p.name.text === "name" &&
            ts.isStringLiteral(p.initializer) &&
            p.initializer.text === app,
        ),
    )
  );
}

export const BLUEPRINT_DOCS_DIR = "docs/blueprints";

/** Every generated part of the docs. */
export function parts(): GeneratedPart[] {
  return [
    {
      file: "docs/blueprint-reference.md",
      source: `the zod schemas and doc comments of ${SCHEMA_FILE} and the files it imports`,
      render: (inputs) => renderBlueprintReference(blueprintFields(inputs.sources, inputs.root)),
    },
    {
      file: "docs/policy-checks.md",
      marker: "policy-rules",
      source: "`RULES` in tools/check/rules",
      render: () => renderRules(RULES),
    },
    {
      file: "docs/preflight.md",
      marker: "preflight-rules",
      source: "`PREFLIGHT_RULES` in schema/preflight",
      render: () => renderPreflightRules(PREFLIGHT_RULES),
    },
    {
      file: "docs/stacks.md",
      marker: "outputs",
      source: "a synthesis of every blueprint (output blocks of cdktf.out) and the stack classes' doc comments",
      render: (inputs) => renderOutputs(inputs.facts, (c) => inputs.classDoc(c)),
    },
    {
      file: "docs/README.md",
      marker: "blueprints",
      source: "blueprints/index.ts",
      render: (inputs) => renderBlueprintIndex(inputs),
    },
    ...BLUEPRINTS.map(
      (b): GeneratedPart => ({
        file: `${BLUEPRINT_DOCS_DIR}/${b.name}.md`,
        marker: `blueprint:${b.name}`,
        source: `a synthesis of ${b.name} and the comment at the top of its file in blueprints/`,
        render: (inputs) => {
          const { file, doc } = inputs.blueprintSource(b.name);
          return renderBlueprint(b.name, file, inputs.facts, doc, "../stacks.md");
        },
        skeleton: () =>
          [
            `# ${b.name}`,
            "",
            escapeText(b.description ?? ""),
            "",
            `<!-- BEGIN GENERATED: blueprint:${b.name} -->`,
            `<!-- END GENERATED: blueprint:${b.name} -->`,
            "",
          ].join("\n"),
      }),
    ),
  ];
}

function renderBlueprintIndex(inputs: DocsInputs): string {
  return BLUEPRINTS.map((b) => {
    const envs = inputs.facts.deployments.filter((d) => d.app === b.name).map((d) => d.environment);
    const description = b.description ? `: ${escapeText(b.description)}` : "";
    return `- [${b.name}](blueprints/${b.name}.md) (${envs.map(code).join(", ")})${description}`;
  }).join("\n");
}

/**
 * The content every generated file should have: whole files rendered, hand-written files with their generated
 * parts replaced. Also fails on a marker no part fills (a typo or a part that was removed).
 */
export async function generateDocs(root: string): Promise<Map<string, string>> {
  const inputs = new DocsInputs(root);
  const selected = parts();
  const files = new Map<string, string>();
  for (const part of selected) {
    const notice = generatedNotice(part.source);
    const body = await formatMarkdown(`${notice}\n\n${part.render(inputs)}\n`, root);
    if (!part.marker) {
      files.set(part.file, body);
      continue;
    }
    const absolute = path.join(root, part.file);
    const current =
      files.get(part.file) ??
      (fs.existsSync(absolute) ? fs.readFileSync(absolute, "utf8") : part.skeleton?.()) ??
      missingFile(part);
    files.set(part.file, replaceGenerated(current, part.marker, body));
  }
  for (const file of markdownFiles(root)) {
    const known = new Set(selected.filter((p) => p.file === file).map((p) => p.marker));
    const text = files.get(file) ?? fs.readFileSync(path.join(root, file), "utf8");
    const unknown = markerNames(text).filter((m) => !known.has(m));
    if (unknown.length > 0) throw new Error(`${file}: no generated part is named ${unknown.join(", ")}`);
  }
  return files;
}

/** README.md and every Markdown file under docs/, as paths from the root. */
export function markdownFiles(root: string): string[] {
  const docs = path.join(root, "docs");
  const under = fs.existsSync(docs)
    ? fs
        .readdirSync(docs, { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".md"))
        .map((f) => path.join("docs", f).split(path.sep).join("/"))
    : [];
  return ["README.md", ...under.sort()];
}

function missingFile(part: GeneratedPart): never {
  throw new Error(`${part.file} does not exist. Fix: create it with the markers for the generated part ${part.marker}`);
}

/** Files whose content on disk differs from what `generateDocs` makes. */
export function staleFiles(root: string, expected: ReadonlyMap<string, string>): string[] {
  return [...expected]
    .filter(([file, text]) => {
      const absolute = path.join(root, file);
      return !fs.existsSync(absolute) || fs.readFileSync(absolute, "utf8") !== text;
    })
    .map(([file]) => file);
}
