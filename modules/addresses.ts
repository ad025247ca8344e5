import type { IConstruct } from "constructs";
import { TerraformResource, TerraformStack } from "cdktf";

/*
 * Terraform addresses are for people: reviewers read them in plan summaries, ops teams type them into
 * `terraform state mv/rm/import`. A resource's address name is its construct path below the stack, each id in
 * snake case, joined with `_`: `FargateService "backend"` → `ServiceRoles "execution"` → IamRole gives
 * `aws_iam_role.backend_execution`. One rule keeps it short:
 *
 *   an id that is `this` or starts with `this-` adds nothing to the address.
 *
 * So a module names its main resources `this-service`, `this-task-definition` ... and they take the module's own
 * name (`aws_ecs_service.backend`, `aws_ecs_task_definition.backend`); a stack that holds one load balancer
 * instantiates its module as `this-alb` and the listeners read `aws_lb_listener.https`. Nothing is hashed: an
 * address changes only when a construct id changes, and such a rename ships with `moved` blocks (see movedFrom).
 */

/** Whether a construct id is left out of addresses. */
export function isTransparentId(id: string): boolean {
  return id === "this" || id.startsWith("this-");
}

/** The address name for construct ids below a stack (outermost first). */
export function addressName(ids: readonly string[]): string {
  const words = ids.filter((id) => !isTransparentId(id)).map(snakeCase);
  const name = words.filter((w) => w.length > 0).join("_");
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
    throw new Error(
      `construct path ${ids.join("/")} gives no valid Terraform address name (${JSON.stringify(name)}): ` +
        "give the element, or one of its scopes, an id that is not 'this'/'this-*' and starts with a letter",
    );
  }
  return name;
}

/** Lower snake case: `private-1a` → `private_1a`, `fastapi.backend/api` → `fastapi_backend_api`. */
export function snakeCase(id: string): string {
  return id
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toLowerCase();
}

/** Construct ids from below the stack down to `construct` (the stack is the first scope that is a stack). */
export function idsBelowStack(construct: IConstruct): string[] {
  const scopes = construct.node.scopes;
  const stackIndex = scopes.findIndex((c) => TerraformStack.isStack(c));
  return scopes.slice(stackIndex + 1).map((c) => c.node.id);
}

/**
 * Declares that every resource under `scope` used to live at another construct path, so the plan moves it instead of
 * destroying and recreating it. `formerIds` replaces the ids of `scope` and its ancestors below the stack, e.g. a
 * module instance renamed from `vpc` to `this-vpc`: `movedFrom(vpcModule, ["vpc"])`; a resource whose id changed:
 * `movedFrom(resource, ["backend", "service"])`. Terraform records the move in the plan (`moved` blocks).
 */
export function movedFrom(scope: IConstruct, formerIds: readonly string[]): void {
  const depth = idsBelowStack(scope).length;
  for (const child of scope.node.findAll()) {
    if (!TerraformResource.isTerraformResource(child)) continue;
    const ids = idsBelowStack(child);
    const former = addressName([...formerIds, ...ids.slice(depth)]);
    const current = addressName(ids);
    if (former !== current) child.moveFromId(`${child.terraformResourceType}.${former}`);
  }
}
