import { describe, expect, it } from "vitest";

import { workerExecArgv } from "../../server";

const SPARE_CORES = { workers: 2, cores: 4 };

describe("the workers' V8 flags", () => {
  it("adds the semi-space and old-space bounds and the old space's growth to the primary's flags", () => {
    expect(workerExecArgv(["--enable-source-maps"], undefined, SPARE_CORES)).toEqual([
      "--enable-source-maps",
      "--max-semi-space-size=8",
      "--max-old-space-size=512",
      "--heap-growing-percent=100",
    ]);
  });

  it("leaves a bound the operator gave, in argv or in NODE_OPTIONS", () => {
    expect(workerExecArgv(["--max-old-space-size=2048"], undefined, SPARE_CORES)).toEqual([
      "--max-old-space-size=2048",
      "--max-semi-space-size=8",
      "--heap-growing-percent=100",
    ]);
    expect(workerExecArgv([], "--max-semi-space-size=32 --max-old-space-size=1024 --heap-growing-percent=50", SPARE_CORES)).toEqual([]);
  });

  it("collects garbage on the worker's own thread when every core has a worker, unless the operator said otherwise", () => {
    expect(workerExecArgv([], undefined, { workers: 2, cores: 2 })).toEqual([
      "--max-semi-space-size=8",
      "--max-old-space-size=512",
      "--heap-growing-percent=100",
      "--single-threaded-gc",
    ]);
    expect(workerExecArgv([], undefined, { workers: 4, cores: 2 })).toContain("--single-threaded-gc");
    expect(workerExecArgv([], undefined, { workers: 3, cores: 4 })).not.toContain("--single-threaded-gc");
    expect(workerExecArgv(["--no-single-threaded-gc"], undefined, { workers: 2, cores: 2 })).toEqual([
      "--no-single-threaded-gc",
      "--max-semi-space-size=8",
      "--max-old-space-size=512",
      "--heap-growing-percent=100",
    ]);
    expect(workerExecArgv([], "--no-single-threaded-gc", { workers: 2, cores: 2 })).not.toContain("--single-threaded-gc");
  });
});
