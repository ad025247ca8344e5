import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { costDataDir, readDataFile, shown } from "./data-files";

/**
 * Prices are data: one JSON file per region in tools/cost/prices/<region>.json, grouped by AWS service, each group
 * with the public pricing page it was taken from and the date the prices are from. A price the file lacks is
 * reported as unpriced by the caller (never as $0); a region without a file is an error naming the file to add.
 */

export interface Price {
  readonly usd: number;
  readonly unit: string;
  readonly source: string;
  readonly asOf: string;
}

export interface PriceBook {
  readonly region: string;
  readonly file: string;
  /** The distinct dates of the file's groups. */
  readonly asOf: readonly string[];
  lookup(key: string): Price | undefined;
}

const priceSchema = z.object({ usd: z.number().nonnegative(), unit: z.string().min(1) }).strict();
const groupSchema = z
  .object({
    service: z.string().min(1),
    source: z.url().refine((u) => u.startsWith("https://aws.amazon.com/"), "must be an https://aws.amazon.com/ page"),
    asOf: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, "must be YYYY-MM or YYYY-MM-DD"),
    note: z.string().optional(),
    prices: z.record(
      z.string().regex(/^[a-z0-9][a-z0-9.:_/-]*$/, "price keys are lower-case dotted names"),
      priceSchema,
    ),
  })
  .strict();
const fileSchema = z
  .object({
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region code such as ap-northeast-1"),
    currency: z.literal("USD"),
    transcribed: z.string().min(1),
    groups: z.array(groupSchema).min(1),
  })
  .strict();

const REFRESH = "see docs/cost.md, Refreshing prices";

export function priceDir(): string {
  return costDataDir("prices");
}

export function readPriceBook(region: string, dir: string = priceDir()): PriceBook {
  const file = path.join(dir, `${region}.json`);
  if (!fs.existsSync(file)) {
    const have = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.replace(/\.json$/, ""));
    throw new Error(
      `no price file for region ${region} (${shown(file)}). Priced regions: ${have.join(", ")}. ` +
        `Fix: copy one of them to ${region}.json and replace every price with the region's (${REFRESH})`,
    );
  }
  const data = readDataFile(file, fileSchema, REFRESH);
  if (data.region !== region) throw new Error(`${shown(file)}: region is "${data.region}", expected "${region}"`);
  const prices = new Map<string, Price>();
  for (const group of data.groups) {
    for (const [key, p] of Object.entries(group.prices)) {
      if (prices.has(key)) throw new Error(`${shown(file)}: price ${key} appears in two groups. Fix: keep one`);
      prices.set(key, { usd: p.usd, unit: p.unit, source: group.source, asOf: group.asOf });
    }
  }
  return {
    region,
    file: shown(file),
    asOf: [...new Set(data.groups.map((g) => g.asOf))].sort(),
    lookup: (key) => prices.get(key),
  };
}

/** Price books by region, each file read once. */
export function priceBooks(dir?: string): (region: string) => PriceBook {
  const books = new Map<string, PriceBook>();
  return (region) => {
    let book = books.get(region);
    if (!book) {
      book = readPriceBook(region, dir);
      books.set(region, book);
    }
    return book;
  };
}
