import * as fs from "fs";
import * as path from "path";
import ts from "typescript";

/**
 * Doc comments read from the project's TypeScript sources with the compiler API. Only the given files are parsed
 * (imports between them resolve; zod and other packages stay unresolved and are never loaded), so reading the
 * schema's comments takes a fraction of a second.
 */
export class SourceComments {
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;

  constructor(files: readonly string[]) {
    this.program = ts.createProgram(
      files.map((f) => path.resolve(f)),
      { noLib: true, noResolve: true, types: [], allowJs: false, noEmit: true, skipLibCheck: true },
    );
    this.checker = this.program.getTypeChecker();
  }

  /** Every `.ts` file of a directory (not recursive into node_modules), sorted. */
  static tsFilesUnder(dir: string): string[] {
    return fs
      .readdirSync(dir, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && !f.split(path.sep).includes("node_modules"))
      .map((f) => path.join(dir, f))
      .sort();
  }

  sourceFile(file: string): ts.SourceFile {
    const sf = this.program.getSourceFile(path.resolve(file));
    if (!sf) throw new Error(`${file} is not among the parsed sources`);
    return sf;
  }

  /** The initializer of a top-level `const name = ...` of a file, and the declaration's own doc comment. */
  constInitializer(file: string, name: string): { expr: ts.Expression; doc?: string } | undefined {
    for (const statement of this.sourceFile(file).statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const decl of statement.declarationList.declarations) {
        if (ts.isIdentifier(decl.name) && decl.name.text === name && decl.initializer) {
          return { expr: decl.initializer, doc: docComment(statement) };
        }
      }
    }
    return undefined;
  }

  /** The const a module exports under a name (declared there or re-exported from another parsed file). */
  exportedConst(file: string, name: string): { expr: ts.Expression; doc?: string } {
    const moduleSymbol = this.checker.getSymbolAtLocation(this.sourceFile(file));
    let symbol = moduleSymbol && this.checker.getExportsOfModule(moduleSymbol).find((s) => s.name === name);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const found = symbol && constOf(symbol);
    if (!found) throw new Error(`${file} exports no const ${name}`);
    return found;
  }

  /**
   * Follows an identifier to the `const` it names, across imports and re-exports between the parsed files. Returns
   * undefined for anything that is not a const with an initializer (functions, parameters, unresolved imports).
   */
  resolveConst(id: ts.Identifier): { expr: ts.Expression; doc?: string } | undefined {
    let symbol = this.checker.getSymbolAtLocation(id);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    return symbol && constOf(symbol);
  }

  /** Doc comment of a top-level class declaration, searched in the given files. */
  classDoc(files: readonly string[], className: string): string | undefined {
    for (const file of files) {
      for (const statement of this.sourceFile(file).statements) {
        if (ts.isClassDeclaration(statement) && statement.name?.text === className) return docComment(statement);
      }
    }
    return undefined;
  }
}

function constOf(symbol: ts.Symbol): { expr: ts.Expression; doc?: string } | undefined {
  const decl = symbol.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return undefined;
  const statement = decl.parent.parent;
  return { expr: decl.initializer, doc: ts.isVariableStatement(statement) ? docComment(statement) : undefined };
}

/**
 * The text of the `/** ... *\/` comment right before a node (the last one, if several), with the comment markers
 * and each line's leading ` * ` removed. Line breaks are kept; blank lines separate paragraphs.
 */
export function docComment(node: ts.Node): string | undefined {
  const sf = node.getSourceFile();
  const ranges = ts.getLeadingCommentRanges(sf.text, node.getFullStart()) ?? [];
  const jsdoc = ranges.filter((r) => sf.text.startsWith("/**", r.pos) && !sf.text.startsWith("/**/", r.pos)).pop();
  if (!jsdoc) return undefined;
  const body = sf.text.slice(jsdoc.pos + 3, jsdoc.end - 2);
  if (!body.includes("\n")) return body.trim() || undefined;
  const lines = body.split("\n").map((line) => line.replace(/^\s*\* ?/, "").replace(/\s+$/, ""));
  while (lines.length > 0 && lines[0].trim() === "") lines.shift();
  while (lines.length > 0 && lines[lines.length - 1].trim() === "") lines.pop();
  return lines.length > 0 ? lines.join("\n") : undefined;
}
