/**
 * cdktf records where every token was created: each `Intrinsic` and computed attribute calls
 * `Error.captureStackTrace` on a plain object with an unlimited depth and formats the trace at once, only to quote
 * it if that token later fails to resolve. Formatting those traces is half the time of building the construct tree
 * (measured with --cpu-prof: ~120 of ~235 ms for the five blueprints).
 *
 * While `withoutTokenTraces` runs, traces captured on plain objects (cdktf's token bookkeeping) are formatted as
 * empty; real `Error`s keep V8's usual "    at ..." trace. Set FBP_TOKEN_TRACES=1 to keep token traces when
 * debugging a token that does not resolve.
 */
export function withoutTokenTraces<T>(run: () => T): T {
  if (process.env.FBP_TOKEN_TRACES === "1") return run();
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (error, frames) => {
    if (!(error instanceof Error)) return "";
    if (previous) return previous(error, frames);
    return [String(error), ...frames.map((f) => `    at ${String(f)}`)].join("\n");
  };
  try {
    return run();
  } finally {
    Error.prepareStackTrace = previous;
  }
}
