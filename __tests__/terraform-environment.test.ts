import * as fs from "fs";
import * as path from "path";
import {
  cliConfigFile,
  hostPlatform,
  offlineTerraformEnv,
  OFFLINE_AWS_ENV,
  providerMirror,
} from "../tools/terraform/environment";

/**
 * Offline Terraform commands start the mirror's aws provider directly (dev_overrides) only when every configuration
 * pins the one version the mirror holds for this platform; anything else keeps the plain mirror config, where
 * Terraform installs and checks the provider its usual way.
 */
const PINNED = "5.100.0";
const mirrored = path.join(providerMirror(), "registry.terraform.io", "hashicorp", "aws", PINNED, hostPlatform());

it("starts the pinned version straight from the mirror, with offline credentials", () => {
  expect(fs.existsSync(mirrored)).toBe(true);
  const env = offlineTerraformEnv([PINNED, PINNED]);
  expect(env.TF_CLI_CONFIG_FILE).not.toBe(cliConfigFile());
  const config = fs.readFileSync(env.TF_CLI_CONFIG_FILE!, "utf8");
  expect(config).toContain(`dev_overrides {\n    "registry.terraform.io/hashicorp/aws" = ${JSON.stringify(mirrored)}`);
  expect(config).toContain("filesystem_mirror {");
  expect(env).toMatchObject(OFFLINE_AWS_ENV);
});

it.each([
  ["a version the mirror does not hold", ["5.99.0"]],
  ["two versions", [PINNED, "5.99.0"]],
  ["a constraint, not a pin", [">= 5.0"]],
  ["no pin", [undefined]],
  ["no stacks", []],
])("keeps the plain mirror config for %s", (_label, versions) => {
  const env = offlineTerraformEnv(versions);
  expect(env.TF_CLI_CONFIG_FILE).toBe(cliConfigFile());
  expect(env).toMatchObject(OFFLINE_AWS_ENV);
});
