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
  const git = (args: string[], cwd = repoRoot) =>
    execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  let commit: string;
  try {
    commit = git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  } catch {
    throw new Error(
      `--base ${ref} names no commit here. Fix: fetch it first (in CI: actions/checkout with fetch-depth: 2, or git fetch origin <base>)`,
    );
  }
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-base-"));
  const worktree = path.join(parent, "tree");
  const modules = path.join(worktree, "node_modules");
  git(["worktree", "add", "--detach", "--quiet", worktree, commit]);
  try {
    fs.symlinkSync(path.join(repoRoot, "node_modules"), modules, "dir");
    const bundle = bundleApp(worktree, path.join(parent, "bundle", "main.js"));
    fs.rmSync(outdir, { recursive: true, force: true });
    execFileSync(process.execPath, [bundle], {
      cwd: worktree,
      env: { ...process.env, ...env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" },
      stdio: ["ignore", "ignore", "pipe"],
    });
  } catch (e) {
    const stderr = String((e as { stderr?: Buffer | string }).stderr ?? "").trim();
    throw new Error(`synthesizing the base ${ref} (${commit.slice(0, 12)}) failed: ${stderr || (e as Error).message}`);
  } finally {
    // The link goes first, by itself: nothing that removes the worktree may reach through it.
    if (fs.lstatSync(modules, { throwIfNoEntry: false })?.isSymbolicLink()) fs.unlinkSync(modules);
    try {
      git(["worktree", "remove", "--force", worktree]);
    } catch {
      // Already gone: prune forgets it below.
    }
    git(["worktree", "prune"]);
    fs.rmSync(parent, { recursive: true, force: true });
  }
}
