import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { bundleApp } from "../build/bundle-app";

/**
 * The synthesis of another commit (a pull request's base), for change detection: the commit is checked out in a
 * temporary git worktree that borrows this checkout's node_modules (a symlink: no install), its main.ts is bundled
 * with this checkout's esbuild like `npm run build` does, and run once into `outdir`. The worktree is removed
 * afterwards, whatever happens.
 *
 * The base runs with the working tree's dependencies: when a change upgrades a dependency, the base is synthesized
 * with the new version (a difference that shows as the upgrade's own effect, or not at all).
 */
export function synthesizeRef(ref: string, repoRoot: string, outdir: string, env: NodeJS.ProcessEnv = {}): void {
  let commit: string;
  try {
    commit = git(repoRoot, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  } catch {
    throw new Error(
      `--base ${ref} names no commit here. Fix: fetch it first (in CI: actions/checkout with fetch-depth: 2, or git fetch origin <base>)`,
    );
  }
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-base-"));
  const tree = checkout(repoRoot, commit, path.join(parent, "tree"));
  try {
    synthesizeTree(tree.dir, path.join(parent, "bundle", "main.js"), outdir, env);
  } catch (e) {
    const stderr = String((e as { stderr?: Buffer | string }).stderr ?? "").trim();
    throw new Error(`synthesizing the base ${ref} (${commit.slice(0, 12)}) failed: ${stderr || (e as Error).message}`);
  } finally {
    tree.remove();
    fs.rmSync(parent, { recursive: true, force: true });
  }
}

/** A detached git worktree of `commit` at `dir` whose node_modules is a link to the repository's. */
export function checkout(repoRoot: string, commit: string, dir: string): { readonly dir: string; remove(): void } {
  git(repoRoot, ["worktree", "add", "--detach", "--quiet", dir, commit]);
  const modules = path.join(dir, "node_modules");
  fs.symlinkSync(path.join(repoRoot, "node_modules"), modules, "dir");
  return {
    dir,
    remove: () => {
      // The link goes first, by itself: nothing that removes the worktree may reach through it.
      if (fs.lstatSync(modules, { throwIfNoEntry: false })?.isSymbolicLink()) fs.unlinkSync(modules);
      try {
        git(repoRoot, ["worktree", "remove", "--force", dir]);
      } catch {
        // Already gone: prune forgets it.
      }
      git(repoRoot, ["worktree", "prune"]);
    },
  };
}

/** Synthesizes the source tree `tree` into `outdir`: its main.ts bundled into `bundle`, then run there. */
export function synthesizeTree(tree: string, bundle: string, outdir: string, env: NodeJS.ProcessEnv = {}): void {
  bundleApp(tree, bundle);
  fs.rmSync(outdir, { recursive: true, force: true });
  execFileSync(process.execPath, [bundle], {
    cwd: tree,
    env: { ...process.env, ...env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
}

function git(cwd: string, args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}
