import { describe, expect, it } from "vitest";

import { workerExecArgv } from "../../server";

describe("the workers' heap bounds", () => {
  it("adds the semi-space and old-space bounds to the primary's flags", () => {
    expect(workerExecArgv(["--enable-source-maps"], undefined)).toEqual(["--enable-source-maps", "--max-semi-space-size=8", "--max-old-space-size=512"]);
  });

  it("leaves a bound the operator gave, in argv or in NODE_OPTIONS", () => {
    expect(workerExecArgv(["--max-old-space-size=2048"], undefined)).toEqual(["--max-old-space-size=2048", "--max-semi-space-size=8"]);
    expect(workerExecArgv([], "--max-semi-space-size=32 --max-old-space-size=1024")).toEqual([]);
  });
});
