import type { TerraformJson } from "./cdktf-out";

/** A reference in a stack's JSON to a resource, data source, local, variable or module. */
export interface AddressReference {
  /** The address referred to, e.g. `aws_vpc.vpc` or `data.aws_iam_policy_document.trust`. */
  readonly address: string;
  /** Where in the JSON: the block that holds the expression. */
  readonly at: string;
}

// An address at the start of a traversal inside ${...}: data.TYPE.NAME, TYPE.NAME, local.X, var.X, module.X.
// Attribute traversals (x.y.z), function names and for-expression variables are not addresses: names must be
// followed by a dot and the type must look like a provider type (contain "_") or be one of the keywords.
const ADDRESS =
  /(?<![\w.\]"-])(data\.[a-z][a-z0-9_]*\.[\w-]+|(?:local|var|module)\.[\w-]+|[a-z][a-z0-9]*_[a-z0-9_]+\.[\w-]+)/g;

/** Every address the stack declares, in the form expressions use. */
export function declaredAddresses(json: TerraformJson): Set<string> {
  const declared = new Set<string>();
  for (const [type, blocks] of Object.entries<TerraformJson>(json.resource ?? {}))
    for (const name of Object.keys(blocks)) declared.add(`${type}.${name}`);
  for (const [type, blocks] of Object.entries<TerraformJson>(json.data ?? {}))
    for (const name of Object.keys(blocks)) declared.add(`data.${type}.${name}`);
  for (const name of Object.keys(json.locals ?? {})) declared.add(`local.${name}`);
  for (const name of Object.keys(json.variable ?? {})) declared.add(`var.${name}`);
  for (const name of Object.keys(json.module ?? {})) declared.add(`module.${name}`);
  return declared;
}

/** Every address the stack's expressions refer to, with where (the `//` metadata blocks are skipped). */
export function referencedAddresses(json: TerraformJson): AddressReference[] {
  const found: AddressReference[] = [];
  const visit = (value: unknown, at: string) => {
    if (typeof value === "string") {
      for (const expression of value.match(/\$\{[^}]*\}/g) ?? [])
        for (const address of expression.match(ADDRESS) ?? []) found.push({ address, at });
    } else if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${at}[${i}]`));
    else if (value && typeof value === "object")
      for (const [k, v] of Object.entries(value)) if (k !== "//") visit(v, at ? `${at}.${k}` : k);
  };
  for (const section of ["resource", "data", "output", "locals", "module", "provider"]) visit(json[section], section);
  return found;
}

/**
 * References that point outside the stack. Blueprint stacks exchange values only through published outputs and
 * `terraform_remote_state`; an expression naming another stack's resource would be a bug that only `terraform
 * validate` would otherwise report.
 */
export function danglingReferences(json: TerraformJson): AddressReference[] {
  const declared = declaredAddresses(json);
  return referencedAddresses(json).filter((r) => !declared.has(r.address));
}
