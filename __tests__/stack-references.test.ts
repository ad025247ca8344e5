import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { synthesizeApp } from "../app/synth";
import { BlueprintStack, type BlueprintStackProps } from "../stacks/blueprint-stack";
import { readSynthesizedStacks } from "../tools/terraform/cdktf-out";
import { danglingReferences, referencedAddresses } from "../tools/terraform/references";
import { synthToTemp } from "./helpers/synth";

/**
 * Blueprint stacks skip cdktf's preparing pass (BlueprintStack.prepareStack), which would have turned a direct
 * reference to another stack's resource into hidden outputs. These tests prove that no stack has such a reference,
 * and that one written by mistake is caught here, without Terraform.
 */
it("every stack of every blueprint refers only to what it declares", () => {
  const { stacks } = synthToTemp();
  let checked = 0;
  for (const s of stacks) {
    expect({ stack: s.id, dangling: danglingReferences(s.json) }).toEqual({ stack: s.id, dangling: [] });
    checked += referencedAddresses(s.json).length;
  }
  expect(stacks.length).toBeGreaterThanOrEqual(50);
  expect(checked).toBeGreaterThan(1000);
  const compute = stacks.find((s) => s.id === "library-app-prod-compute")!;
  const addresses = new Set(referencedAddresses(compute.json).map((r) => r.address));
  expect([...addresses]).toEqual(
    expect.arrayContaining([
      "data.terraform_remote_state.network",
      expect.stringMatching(/^aws_ecs_cluster\./),
      expect.stringMatching(/^aws_lb\./),
    ]),
  );
});

it("reports a direct reference to another stack's resource", () => {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fbp-refs-")), "cdktf.out");
  const props = (id: string): BlueprintStackProps => ({
    backend: { bucket: "refs-test-state", region: "ap-northeast-1", dynamodbTable: "refs-test-lock" },
    region: "ap-northeast-1",
    tags: { Stack: id },
    policy: { production: false, suppressions: [] },
  });
  synthesizeApp(outdir, (app) => {
    const upstream = new BlueprintStack(app, "refs-upstream", props("refs-upstream"));
    const downstream = new BlueprintStack(app, "refs-downstream", props("refs-downstream"));
    const name = new SsmParameter(upstream, "name", { name: "/refs/name", type: "String", value: "x" });
    new SsmParameter(downstream, "copy", { name: "/refs/copy", type: "String", value: name.value });
  });
  const stacks = readSynthesizedStacks(outdir);
  const downstream = stacks.find((s) => s.id === "refs-downstream")!;
  expect(danglingReferences(downstream.json)).toEqual([
    { address: "aws_ssm_parameter.name", at: expect.stringMatching(/^resource\.aws_ssm_parameter\.copy/) },
  ]);
  expect(danglingReferences(stacks.find((s) => s.id === "refs-upstream")!.json)).toEqual([]);
});
