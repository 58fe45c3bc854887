import { describe, expect, it } from "vitest";

import { env, resetEnv, trustProxySetting } from "../../app/utils/env.server";

describe("TRUST_PROXY", () => {
  it("believes no proxy by default, else the hop count or the listed addresses", () => {
    for (const none of [undefined, "", "none", "false", "0"]) expect(trustProxySetting(none)).toBe(false);
    expect(trustProxySetting("1")).toBe(1);
    expect(trustProxySetting("loopback")).toBe("loopback");
    expect(trustProxySetting(" 10.0.0.5, 10.0.0.0/8 ")).toBe("10.0.0.5, 10.0.0.0/8");
  });
});

describe("a bad setting", () => {
  it("stops the start with the setting's name and a Vietnamese reason, also where zod's own message is used", () => {
    const saved = { ...process.env };
    try {
      for (const [name, value, reason] of [
        ["ACTIVE_REQUESTS", "bốn", /ACTIVE_REQUESTS: Đầu vào không hợp lệ: mong đợi số/],
        ["WEB_CONCURRENCY", "0", /WEB_CONCURRENCY: Quá nhỏ/],
        ["IMAGE_PROCESS", "yes", /IMAGE_PROCESS: Tùy chọn không hợp lệ/],
        ["PUBLIC_URL", "cnnt.gov.vn", /PUBLIC_URL: URL không hợp lệ/],
      ] as const) {
        process.env = { ...saved, [name]: value };
        resetEnv();
        expect(() => env()).toThrow(/^Cấu hình môi trường không hợp lệ:/);
        expect(() => env()).toThrow(reason);
      }
    } finally {
      process.env = saved;
      resetEnv();
    }
  });
});
