import type { Construct, Node } from "constructs";
import {
  TerraformDataSource,
  TerraformElement,
  TerraformLocal,
  TerraformOutput,
  TerraformRemoteState,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
} from "cdktf";
import { addressName, idsBelowStack } from "../modules/addresses";

/**
 * A stack whose elements get readable addresses (modules/addresses.ts) instead of cdktf's hashed logical ids, and
 * that refuses two elements with one address: Terraform JSON would silently keep only one of them.
 */
export class ReadableStack extends TerraformStack {
  /** `type.name` (or `data.type.name`, `output.name` ...) → construct path of its owner. */
  private readonly addresses = new Map<string, string>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
  }

  override allocateLogicalId(element: TerraformElement | Node): string {
    const construct = TerraformElement.isTerraformElement(element) ? element : (element.scopes.at(-1) as Construct);
    const name = addressName(idsBelowStack(construct));
    const kind = TerraformElement.isTerraformElement(element) ? addressKind(element) : undefined;
    if (kind) this.register(`${kind}.${name}`, construct.node.path);
    return name;
  }

  private register(address: string, path: string): void {
    const owner = this.addresses.get(address);
    if (owner !== undefined && owner !== path) {
      throw new Error(
        `${this.node.id}: ${path} and ${owner} would both be ${address}. Fix: give one of them another construct id`,
      );
    }
    this.addresses.set(address, path);
  }
}

function addressKind(element: TerraformElement): string | undefined {
  if (TerraformResource.isTerraformResource(element)) return element.terraformResourceType;
  if (TerraformDataSource.isTerraformDataSource(element)) return `data.${element.terraformResourceType}`;
  if (element instanceof TerraformRemoteState) return "data.terraform_remote_state";
  if (TerraformOutput.isTerraformOutput(element)) return "output";
  if (element instanceof TerraformVariable) return "var";
  if (element instanceof TerraformLocal) return "local";
  return undefined;
}
