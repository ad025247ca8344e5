import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { costDataDir, readDataFile, shown } from "./data-files";
import type { UsedAssumption } from "./types";
import { USAGE_KEY_NAMES, USAGE_KEYS, type UsageKey } from "./usage-keys";

/**
 * Usage profiles: what the configuration cannot say (traffic, log volume, stored data). Layers, later ones winning:
 *   1. a preset, tools/cost/usage/presets/<small|medium|large>.json, which sets every assumption;
 *   2. the blueprint's file, tools/cost/usage/blueprints/<blueprint>.json (its `assumptions`, then its
 *      `environments.<env>.assumptions`), written by the people who know the application;
 *   3. a --usage FILE: its `assumptions`, then `blueprints.<name>.assumptions` and `…environments.<env>.assumptions`.
 * Every value carries a one-line why; the report lists each assumption it read and which file set it.
 */

export const PRESETS = ["small", "medium", "large"] as const;
export type Preset = (typeof PRESETS)[number];

const assumption = z
  .object({ value: z.number().nonnegative(), why: z.string().trim().min(1, "say why (one line)") })
  .strict();
type Assumption = z.infer<typeof assumption>;

const FIX = "see docs/cost.md, Usage profiles";
const KNOWN = new Set<string>(USAGE_KEY_NAMES);

const assumptions = z.record(z.string(), assumption).superRefine((record, ctx) => {
  for (const key of Object.keys(record))
    if (!KNOWN.has(key))
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: `unknown assumption "${key}" (known: ${USAGE_KEY_NAMES.join(", ")})`,
      });
});

const presetSchema = z
  .object({ description: z.string().min(1), assumptions })
  .strict()
  .superRefine((preset, ctx) => {
    for (const key of USAGE_KEY_NAMES)
      if (!(key in preset.assumptions))
        ctx.addIssue({
          code: "custom",
          path: ["assumptions", key],
          message: "missing: a preset sets every assumption",
        });
  });

const layerSchema = z
  .object({
    assumptions: assumptions.optional(),
    environments: z.record(z.string(), z.object({ assumptions }).strict()).optional(),
  })
  .strict();

const blueprintFileSchema = layerSchema.extend({ blueprint: z.string().min(1), description: z.string().optional() });

const usageFileSchema = z
  .object({
    extends: z.enum(PRESETS).optional(),
    description: z.string().optional(),
    assumptions: assumptions.optional(),
    blueprints: z.record(z.string(), layerSchema).optional(),
  })
  .strict();

type Layer = z.infer<typeof layerSchema>;

/** The assumptions for one blueprint environment; records every key it is asked for. */
export interface Usage {
  get(key: UsageKey): number;
  /** Every assumption read so far, with its why and source. */
  used(): Record<string, UsedAssumption>;
}

export interface UsageProfiles {
  /** "small", "medium", "large" or the --usage file's path. */
  readonly name: string;
  /** Files that can contribute, in the order applied (blueprint files only when they exist). */
  files(): string[];
  forEnvironment(blueprint: string, environment: string): Usage;
  /**
   * Blueprints and environments the usage files name that are not among `present` ("blueprint/environment" pairs of
   * a synthesis): their assumptions apply to nothing, most likely a typo. One message per name.
   */
  unmatched(present: ReadonlySet<string>): string[];
}

export interface UsageOptions {
  /** tools/cost/usage by default. */
  readonly dir?: string;
}

/**
 * Loads a usage profile: `spec` is a preset name or the path of a usage file. Blueprint usage files are read when a
 * blueprint is first asked for; every file is validated with errors naming the file, the field and the fix.
 */
export function loadUsage(spec: string, options: UsageOptions = {}): UsageProfiles {
  const dir = options.dir ?? costDataDir("usage");
  const isPreset = (PRESETS as readonly string[]).includes(spec);
  if (!isPreset && !fs.existsSync(spec))
    throw new Error(`--usage ${spec}: neither a preset (${PRESETS.join(", ")}) nor an existing file. Fix: ${FIX}`);
  const file = isPreset ? undefined : readDataFile(spec, usageFileSchema, FIX);
  const presetName: Preset = isPreset ? (spec as Preset) : (file?.extends ?? "small");
  const presetFile = path.join(dir, "presets", `${presetName}.json`);
  const preset = readDataFile(presetFile, presetSchema, FIX);
  const blueprintFiles = new Map<string, { file: string; layer: Layer } | undefined>();

  const blueprintLayer = (blueprint: string) => {
    if (!blueprintFiles.has(blueprint)) {
      const f = path.join(dir, "blueprints", `${blueprint}.json`);
      if (fs.existsSync(f)) {
        const layer = readDataFile(f, blueprintFileSchema, FIX);
        if (layer.blueprint !== blueprint)
          throw new Error(`${shown(f)}: blueprint is "${layer.blueprint}", expected "${blueprint}" (the file's name)`);
        blueprintFiles.set(blueprint, { file: shown(f), layer });
      } else blueprintFiles.set(blueprint, undefined);
    }
    return blueprintFiles.get(blueprint);
  };

  return {
    name: isPreset ? spec : shown(spec),
    files: () => [
      shown(presetFile),
      ...[...blueprintFiles.values()].filter((b) => b !== undefined).map((b) => b.file),
      ...(isPreset ? [] : [shown(spec)]),
    ],
    unmatched(present) {
      const blueprints = new Set([...present].map((p) => p.split("/")[0]));
      const out: string[] = [];
      const check = (from: string, blueprint: string, layer: Layer | undefined) => {
        if (!blueprints.has(blueprint))
          out.push(`${from} names blueprint ${blueprint}, which this synthesis does not have`);
        else
          for (const env of Object.keys(layer?.environments ?? {}))
            if (!present.has(`${blueprint}/${env}`))
              out.push(`${from} names environment ${env} of ${blueprint}, which this synthesis does not have`);
      };
      for (const blueprint of blueprints) {
        const own = blueprintLayer(blueprint);
        if (own) check(own.file, blueprint, own.layer);
      }
      for (const [blueprint, layer] of Object.entries(file?.blueprints ?? {})) check(shown(spec), blueprint, layer);
      return out;
    },
    forEnvironment(blueprint, environment) {
      const values = new Map<string, UsedAssumption>();
      const apply = (record: Record<string, Assumption> | undefined, from: string) => {
        for (const [key, a] of Object.entries(record ?? {})) values.set(key, { value: a.value, why: a.why, from });
      };
      const applyLayer = (layer: Layer | undefined, from: string) => {
        apply(layer?.assumptions, from);
        apply(layer?.environments?.[environment]?.assumptions, `${from} (${environment})`);
      };
      apply(preset.assumptions, shown(presetFile));
      const own = blueprintLayer(blueprint);
      if (own) applyLayer(own.layer, own.file);
      if (file) {
        apply(file.assumptions, shown(spec));
        applyLayer(file.blueprints?.[blueprint], shown(spec));
      }
      const used: Record<string, UsedAssumption> = {};
      return {
        get(key) {
          const a = values.get(key);
          if (!a) throw new Error(`usage assumption ${key} (${USAGE_KEYS[key]}) is not set. Fix: ${FIX}`);
          used[key] = a;
          return a.value;
        },
        used: () => ({ ...used }),
      };
    },
  };
}
