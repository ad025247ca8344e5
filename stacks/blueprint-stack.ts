import { Construct } from "constructs";
import { DataTerraformRemoteStateS3, Fn, S3Backend, TerraformOutput } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { stateKey, type BackendConfig } from "../schema/backend-config";
import { ReadableStack } from "./readable-stack";

export interface BlueprintStackProps {
  /** The layer this stack is of its deployment (network, compute ...). Default: the last `-` part of the stack id. */
  readonly layer?: string;
  /** Remote state settings from backend.tf.json. */
  readonly backend: BackendConfig;
  /** Region the stack's resources live in. */
  readonly region: string;
  /** Terraform refuses other accounts when set. Default: any. */
  readonly accountId?: string;
  /** Tags on every resource (the provider's default_tags). */
  readonly tags: Record<string, string>;
  /** Facts for the policy checks (tools/check); synthesis writes them beside the stack's JSON, never into it. */
  readonly policy: PolicyFacts;
}

export interface PolicyFacts {
  /** Production environments must have deletion protection and the like. */
  readonly production: boolean;
  /** Findings the blueprint accepts, each with its reason. */
  readonly suppressions: readonly PolicySuppression[];
}

export interface PolicySuppression {
  readonly rule: string;
  readonly reason: string;
  /** Terraform address prefixes. Default: every resource of the stack. */
  readonly resources?: readonly string[];
}

export type OutputKind = "string" | "list" | "map";

/**
 * Base of every stack: an S3 backend keyed by stack id, an AWS provider with default tags, and the output contract.
 *
 * Stacks talk through named outputs only: an upstream stack `publish`es `vpc_id`; a downstream stack reads it with
 * `fromStack(network).string("vpc_id")`, which adds a `terraform_remote_state` of the upstream's S3 key and a stack
 * dependency. The names are the contract that ops teams and the offline tools rely on: their suffix says what the
 * value is (`_id`, `_ids`, `_arn`, `_url`, `_name`, `_dns_name`, ...).
 */
export class BlueprintStack extends ReadableStack {
  readonly backendConfig: BackendConfig;
  readonly layer: string;
  readonly published = new Map<string, OutputKind>();
  private readonly remotes = new Map<string, UpstreamOutputs>();
  private readonly production: boolean;
  private readonly suppressions: PolicySuppression[];

  constructor(scope: Construct, id: string, props: BlueprintStackProps) {
    super(scope, id);
    this.backendConfig = props.backend;
    this.layer = props.layer ?? id.slice(id.lastIndexOf("-") + 1);
    const backend = new S3Backend(this, {
      bucket: props.backend.bucket,
      key: stateKey(id),
      region: props.backend.region,
      encrypt: true,
      dynamodbTable: props.backend.dynamodbTable,
      kmsKeyId: props.backend.kmsKeyId,
    });
    // cdktf 0.21's S3Backend has no typed use_lockfile.
    if (props.backend.useLockfile) backend.addOverride("use_lockfile", true);
    new AwsProvider(this, "aws", {
      region: props.region,
      allowedAccountIds: props.accountId ? [props.accountId] : undefined,
      defaultTags: [{ tags: props.tags }],
    });
    this.production = props.policy.production;
    this.suppressions = [...props.policy.suppressions];
  }

  /** The policy facts once the stack is built (suppressions added by `suppress` included), for synthesis to write. */
  get policyFacts(): PolicyFacts {
    return { production: this.production, suppressions: [...this.suppressions] };
  }

  /**
   * cdktf's preparing pass resolves every element of the stack once more before synthesis, only to find direct
   * references to another stack's resources and turn them into hidden outputs and remote state. Blueprint stacks
   * never reference each other directly: values cross stacks through published outputs (`fromStack`), the named
   * contract. Skipping the pass saves a quarter of synthesis time. A direct reference written by mistake is not
   * rewired: it names a resource the stack lacks, which `terraform validate` rejects (every stack is validated in
   * the tests).
   */
  override prepareStack(): void {
    this.ensureBackendExists();
  }

  /** Accepts a policy finding for this stack with a reason (e.g. a blueprint's documented opt-out). */
  suppress(suppression: PolicySuppression): void {
    this.suppressions.push(suppression);
  }

  /** Declares a named output of this stack's contract. */
  publish(name: string, kind: OutputKind, value: unknown, description: string, sensitive = false): void {
    if (this.published.has(name)) throw new Error(`${this.node.id}: output ${name} published twice`);
    const output = new TerraformOutput(this, name, { value, description, sensitive });
    output.overrideLogicalId(name);
    this.published.set(name, kind);
  }

  /** Reads another stack's published outputs through its remote state. */
  fromStack(upstream: BlueprintStack): UpstreamOutputs {
    let remote = this.remotes.get(upstream.node.id);
    if (!remote) {
      remote = new UpstreamOutputs(this, upstream);
      this.remotes.set(upstream.node.id, remote);
      this.addDependency(upstream);
    }
    return remote;
  }
}

/** Typed access to an upstream stack's contract; a name it did not publish fails synthesis, not the plan. */
export class UpstreamOutputs {
  private readonly state: DataTerraformRemoteStateS3;

  constructor(
    scope: BlueprintStack,
    private readonly upstream: BlueprintStack,
  ) {
    const backend = upstream.backendConfig;
    // data.terraform_remote_state.<layer>: a stack reads each upstream layer of its own deployment once.
    this.state = new DataTerraformRemoteStateS3(scope, upstream.layer, {
      bucket: backend.bucket,
      key: stateKey(upstream.node.id),
      region: backend.region,
    });
  }

  /** One token per value, so that two reads of an output are equal strings (IAM resource lists stay deduplicated). */
  private readonly tokens = new Map<string, unknown>();

  string(name: string): string {
    this.expect(name, "string");
    return this.once(`s:${name}`, () => this.state.getString(name));
  }

  list(name: string): string[] {
    this.expect(name, "list");
    return this.once(`l:${name}`, () => this.state.getList(name));
  }

  /** One entry of a map output. */
  entry(name: string, key: string): string {
    this.expect(name, "map");
    return this.once(`e:${name}:${key}`, () => Fn.lookup(this.state.get(name), key) as string);
  }

  private once<T>(key: string, make: () => T): T {
    if (!this.tokens.has(key)) this.tokens.set(key, make());
    return this.tokens.get(key) as T;
  }

  private expect(name: string, kind: OutputKind) {
    const actual = this.upstream.published.get(name);
    if (actual !== kind) {
      throw new Error(
        `${this.upstream.node.id} does not publish ${kind} output ${name}` + (actual ? ` (it is a ${actual})` : ""),
      );
    }
  }
}
