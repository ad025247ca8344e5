/**
 * cdktf records where every token was created: each `Intrinsic`, `Lazy` and computed attribute calls
 * `Error.captureStackTrace` on a plain `{ stack: "" }` object with an unlimited depth and splits the formatted trace
 * at once, only to quote it if that token later fails to resolve. Capturing and formatting those traces was a fifth
 * of a synthesis of the five blueprints (measured with --cpu-prof).
 *
 * While `withoutTokenTraces` runs, `Error.captureStackTrace` captures nothing for plain objects (cdktf's and
 * constructs' bookkeeping): their `stack` is the empty string, which both libraries read as "no trace". Real
 * `Error`s keep V8's usual trace. Set FBP_TOKEN_TRACES=1 to keep token traces when debugging a token that does not
 * resolve.
 */
export function withoutTokenTraces<T>(run: () => T): T {
  if (process.env.FBP_TOKEN_TRACES === "1") return run();
  const capture = Error.captureStackTrace;
  Error.captureStackTrace = (target: object, constructorOpt?: Parameters<typeof capture>[1]) => {
    if (target instanceof Error) capture(target, constructorOpt);
    else (target as { stack?: string }).stack = "";
  };
  try {
    return run();
  } finally {
    Error.captureStackTrace = capture;
  }
}
