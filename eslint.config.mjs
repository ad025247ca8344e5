import js from "@eslint/js";
import tseslint from "typescript-eslint";

// The package root loads all 2,135 resource bindings: 7x slower synthesis, 6x the memory.
const providerRoot = {
  name: "@cdktf/provider-aws",
  message: "Import provider classes by deep path, e.g. @cdktf/provider-aws/lib/vpc.",
};

/**
 * Layers, each importing only those below it: schema ← modules ← stacks ← app ← tools. Blueprints are data written
 * in the schema's format. A file may not import a layer above its own.
 */
const LAYERS = ["schema", "modules", "stacks", "app", "tools"];
const layerRules = [
  // Blueprints are data the app reads: schema, modules and stacks never see a particular blueprint.
  ...LAYERS.map((layer, i) => ({
    files: [`${layer}/**/*.ts`],
    above: [...LAYERS.slice(i + 1), ...(i < LAYERS.indexOf("app") ? ["blueprints"] : [])],
  })),
  { files: ["blueprints/**/*.ts"], above: LAYERS.filter((l) => l !== "schema") },
].map(({ files, above }) => ({
  files,
  rules: {
    "no-restricted-imports": [
      "error",
      {
        paths: [providerRoot],
        patterns: above.map((layer) => ({
          group: [`**/${layer}/*`, `**/${layer}`],
          message: `${files[0].split("/")[0]} may not import ${layer}: layers import only those below them (schema ← modules ← stacks ← app ← tools).`,
        })),
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ["node_modules/**", "dist/**", "cdktf.out/**", "coverage/**", "jest.config.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "no-restricted-imports": ["error", { paths: [providerRoot] }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  ...layerRules,
);
