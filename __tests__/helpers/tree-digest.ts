import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

/** A digest of every file (relative path and bytes) under a directory: equal digests, byte-identical trees. */
export function treeDigest(dir: string): string {
  const hash = crypto.createHash("sha256");
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name);
      hash.update(path.relative(dir, full));
      if (entry.isDirectory()) walk(full);
      else hash.update(fs.readFileSync(full));
    }
  };
  walk(dir);
  return hash.digest("hex");
}
