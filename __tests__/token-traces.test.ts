import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Fn, TerraformStack, App, TerraformOutput } from "cdktf";
import { withoutTokenTraces } from "../app/token-traces";

/** The synthesis speed-up must not cost real errors their traces, nor leak past synthesis. */
describe("withoutTokenTraces", () => {
  const captured = (): string => {
    const holder = { stack: "" };
    Error.captureStackTrace(holder);
    return holder.stack;
  };

  it("captures no trace on plain objects (cdktf's token bookkeeping): their stack is empty", () => {
    expect(captured()).toMatch(/\n\s+at /);
    expect(withoutTokenTraces(captured)).toBe("");
  });

  it("keeps real errors' messages and frames", () => {
    const stack = withoutTokenTraces(() => new Error("boom").stack!);
    expect(stack.split("\n")[0]).toBe("Error: boom");
    expect(stack).toMatch(/\n {4}at .*token-traces\.test\.ts:\d+:\d+/);
  });

  it("still captures onto real errors passed to Error.captureStackTrace (custom error classes do)", () => {
    const stack = withoutTokenTraces(() => {
      const error = new Error("custom");
      Error.captureStackTrace(error);
      return error.stack!;
    });
    expect(stack).toMatch(/^Error: custom\n {4}at /);
  });

  it("gives a plain object without a stack an empty one, so readers that split it do not fail", () => {
    const holder: { stack?: string } = {};
    withoutTokenTraces(() => Error.captureStackTrace(holder));
    expect(holder.stack).toBe("");
  });

  it("restores Error.captureStackTrace, also after a throw", () => {
    const before = Error.captureStackTrace;
    expect(() =>
      withoutTokenTraces(() => {
        throw new Error("inside");
      }),
    ).toThrow("inside");
    expect(Error.captureStackTrace).toBe(before);
    expect(captured()).toMatch(/\n\s+at /);
  });

  it("synthesizes the same JSON as with traces on", () => {
    const synth = () => {
      const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "fbp-traces-")) });
      const stack = new TerraformStack(app, "s");
      new TerraformOutput(stack, "o", { value: Fn.upper(Fn.join("-", ["a", "b"])) });
      return JSON.stringify((stack as unknown as { toTerraform(): unknown }).toTerraform());
    };
    expect(withoutTokenTraces(synth)).toBe(synth());
  });

  it("is off when FBP_TOKEN_TRACES=1 (debugging a token that does not resolve)", () => {
    process.env.FBP_TOKEN_TRACES = "1";
    try {
      expect(withoutTokenTraces(captured)).toMatch(/\n\s+at /);
    } finally {
      delete process.env.FBP_TOKEN_TRACES;
    }
  });
});
