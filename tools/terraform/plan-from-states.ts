import * as fs from "fs";
import * as path from "path";
import { batchRoot, batchState, stackView, type BatchMember } from "./batch-root";
import type { TerraformJson } from "./cdktf-out";
import { terraform } from "./environment";

/**
 * Plans of many stacks against states of our making, in one Terraform process (see batch-root.ts): each member's
 * directory is prepared by the caller (configuration, offline override, seeded upstream states), a generated root
 * calls the members as child modules, the root's state is made of each member's own state (`batchState`), and
 * `plan -refresh=false` plans every member against its state, as planning it alone in its directory would.
 *
 * The root is initialized once for every member it will ever plan: a later plan takes any of them (a local module
 * is read from its directory at each plan, so a member's configuration may change between plans).
 */
export class StateBatchRoot {
  private initialized = false;

  /** `dir`: the root's directory; members' `source`s are relative to it. */
  constructor(
    readonly dir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** `terraform init` of a root that calls every one of `members`. */
  async init(members: readonly BatchMember[]): Promise<void> {
    fs.mkdirSync(this.dir, { recursive: true });
    this.writeRoot(members);
    await this.run(["init", "-input=false", "-no-color"], members);
    this.initialized = true;
  }

  /**
   * Plans `parts` (members initialized here, each with its resources as a root module's state holds them) without
   * refreshing; each member's part of `show -json`, in order, addresses as if it had been planned alone.
   */
  async plan(
    parts: readonly { readonly member: BatchMember; readonly resources: readonly TerraformJson[] }[],
  ): Promise<TerraformJson[]> {
    if (!this.initialized) throw new Error(`${this.dir}: init before planning`);
    const members = parts.map((p) => p.member);
    this.writeRoot(members);
    const state = batchState(parts, `batch-${path.basename(this.dir)}`);
    fs.writeFileSync(path.join(this.dir, "terraform.tfstate"), JSON.stringify(state, null, 1));
    await this.run(
      ["plan", "-input=false", "-no-color", "-lock=false", "-refresh=false", "-out=batch.tfplan"],
      members,
    );
    const show = JSON.parse((await this.run(["show", "-json", "-no-color", "batch.tfplan"], members)).stdout);
    return members.map((m) => stackView(show, m));
  }

  private writeRoot(members: readonly BatchMember[]): void {
    fs.writeFileSync(path.join(this.dir, "main.tf.json"), JSON.stringify(batchRoot(members), null, 2));
  }

  private async run(args: string[], members: readonly BatchMember[]) {
    const r = await terraform(args, this.dir, this.env);
    if (r.code !== 0) {
      const names = members.map((m) => m.module).join(", ");
      throw new Error(`terraform ${args[0]} of ${names} failed in ${this.dir}:\n${r.stdout}${r.stderr}`);
    }
    return r;
  }
}
