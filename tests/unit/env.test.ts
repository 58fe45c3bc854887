import { describe, expect, it } from "vitest";

import { trustProxySetting } from "../../app/utils/env.server";

describe("TRUST_PROXY", () => {
  it("believes no proxy by default, else the hop count or the listed addresses", () => {
    for (const none of [undefined, "", "none", "false", "0"]) expect(trustProxySetting(none)).toBe(false);
    expect(trustProxySetting("1")).toBe(1);
    expect(trustProxySetting("loopback")).toBe("loopback");
    expect(trustProxySetting(" 10.0.0.5, 10.0.0.0/8 ")).toBe("10.0.0.5, 10.0.0.0/8");
  });
});
