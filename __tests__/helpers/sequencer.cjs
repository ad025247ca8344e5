/* eslint-disable @typescript-eslint/no-require-imports -- jest loads its test sequencer as a CommonJS module */
/* global require, module */
// Jest's order (failed first, then the slowest first), with the offline plans of every stack, which other suites
// read (helpers/offline-plans.ts), made first, and the suites that read them last: they find the plans done, or
// wait for them while the other suites run, instead of idling a worker or planning the same stacks again.
const fs = require("fs");
const Sequencer = require("@jest/test-sequencer").default;

const source = (test) => fs.readFileSync(test.path, "utf8");

class OfflinePlansFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const makes = sorted.filter((t) => source(t).includes("offlinePlansOfAllStacks("));
    const reads = sorted.filter((t) => !makes.includes(t) && source(t).includes("offlinePlansOf("));
    return [...makes, ...sorted.filter((t) => !makes.includes(t) && !reads.includes(t)), ...reads];
  }
}

module.exports = OfflinePlansFirst;
