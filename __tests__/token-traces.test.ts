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

  it("formats traces captured on plain objects (cdktf's token bookkeeping) as empty", () => {
    expect(captured()).toMatch(/\n\s+at /);
    expect(withoutTokenTraces(captured)).toBe("");
  });

  it("keeps real errors' messages and frames", () => {
    const stack = withoutTokenTraces(() => new Error("boom").stack!);
    expect(stack.split("\n")[0]).toBe("Error: boom");
    expect(stack).toMatch(/\n {4}at .*token-traces\.test\.ts:\d+:\d+/);
  });

  it("restores the previous formatter, also after a throw", () => {
    const before = Error.prepareStackTrace;
    expect(() =>
      withoutTokenTraces(() => {
        throw new Error("inside");
      }),
    ).toThrow("inside");
    expect(Error.prepareStackTrace).toBe(before);
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
