import * as fs from "fs";
import { DOCS_FILE, generatedSections, synthesizeForDocs, withSections, type DocsSyntheses } from "../tools/cost/docs";

/**
 * docs/cost.md prints figures computed by the tool (the blueprints' totals, the comparison with the design documents,
 * the plan review example, the presets, the priced and free types). Regenerated here from a fresh synthesis, they
 * must equal the file: otherwise run `npm run cost:docs`.
 */
let syntheses: DocsSyntheses;
let cleanup: () => void;
beforeAll(() => {
  ({ cleanup, ...syntheses } = synthesizeForDocs());
}, 120_000);
afterAll(() => cleanup());

it("docs/cost.md's generated sections are up to date (npm run cost:docs)", () => {
  const text = fs.readFileSync(DOCS_FILE, "utf8");
  expect(withSections(text, generatedSections(syntheses))).toBe(text);
});

it("the documents' own figures stand beside the tool's, with the tool's totals", () => {
  const sections = generatedSections(syntheses);
  expect(sections.documents).toMatch(/\| \*\*total\*\* +\| \*\*~\$54\.00\*\* +\| \*\*\$[\d,.]+\*\* +\|/);
  expect(sections.documents).toMatch(/\| \*\*total\*\* +\| \*\*~\$96\.00\*\* +\| \*\*\$[\d,.]+\*\* +\|/);
  expect(sections["nat-versus-endpoints"]).toMatch(
    /\| \*\*saving with endpoints\*\* +\| \*\*~\$35\*\* +\| \*\*\$[\d.]+\*\* +\|/,
  );
  for (const name of ["callback-handler", "fastapi-aurora", "library-app", "markmail", "text-messaging"])
    expect(sections.totals).toMatch(new RegExp(`\\| \\*\\*${name}\\*\\* +\\| +\\| \\*\\*\\$[\\d,.]+\\*\\*`));
});
