import { topLevelBlocks, withoutBlocks } from "../tools/terraform/hcl-blocks";

/** The scanner that cuts provider blocks out of HCL files must not be fooled by what strings, heredocs and comments hold. */
const TRICKY = [
  '# provider "aws" { in a comment',
  "terraform {",
  "required_providers {",
  'aws = { source = "hashicorp/aws" }',
  "}",
  "}",
  'provider "aws" {',
  'region = "ap-northeast-1"',
  "default_tags {",
  'tags = { Note = "a } brace and a \\" quote" }',
  "}",
  "}",
  "locals {",
  'text = "${jsonencode({ a = "}" })} and $${not_a_template} %{ if true }x%{ endif }"',
  "doc = <<EOT",
  'provider "aws" {',
  "}",
  "EOT",
  '/* provider "aws" { */',
  "}",
  'provider "aws" {',
  'alias = "us_east_1"',
  'region = "us-east-1" // trailing } comment',
  "}",
  'resource "aws_sns_topic" "t" {',
  'name = "t"',
  "}",
  'bare_attribute = [1, { a = "]" }]',
  "",
].join("\n");

it("finds each top-level block with its labels, whatever strings, heredocs and comments hold", () => {
  expect(topLevelBlocks(TRICKY).map((b) => [b.type, ...b.labels])).toEqual([
    ["terraform"],
    ["provider", "aws"],
    ["locals"],
    ["provider", "aws"],
    ["resource", "aws_sns_topic", "t"],
  ]);
});

it("cuts out the blocks of one type and nothing else", () => {
  const cut = withoutBlocks(TRICKY, "provider");
  expect(topLevelBlocks(cut).map((b) => b.type)).toEqual(["terraform", "locals", "resource"]);
  expect(cut).toContain('doc = <<EOT\nprovider "aws" {\n}\nEOT');
  expect(cut).toContain('bare_attribute = [1, { a = "]" }]');
  expect(cut).not.toContain("ap-northeast-1");
  expect(cut).not.toContain("us_east_1");
});

it("refuses text it cannot read rather than guess", () => {
  expect(() => topLevelBlocks('resource "a" "b" {\nname = "x"\n')).toThrow(/no closing/);
  expect(() => topLevelBlocks('locals {\ns = "open\n}\n')).toThrow(/past the end of its line/);
});
