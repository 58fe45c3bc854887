import { describe, expect, it } from "vitest";

import { RateLimiter, RULES } from "../../app/utils/rate-limit.server";

describe("rate limits", async () => {
  it("refuses the request past the limit with the time to wait, per client, and forgets after the window", async () => {
    const limiter = new RateLimiter();
    const rule = RULES.find((r) => r.name === "sign-in")!;
    for (let i = 0; i < rule.limit; i++) expect(await limiter.hit("1.2.3.4", "POST", "/login", "", 1000)).toBeNull();
    const refused = await limiter.hit("1.2.3.4", "POST", "/login", "", 2000);
    expect(refused?.rule.name).toBe("sign-in");
    expect(refused?.rule.message).toMatch(/quá nhiều lần/);
    expect(refused?.retryAfter).toBe(Math.ceil((1000 + rule.windowMs - 2000) / 1000));
    expect(await limiter.hit("5.6.7.8", "POST", "/login", "", 2000)).toBeNull();
    expect(await limiter.hit("1.2.3.4", "GET", "/login", "", 2000)).toBeNull();
    expect(await limiter.hit("1.2.3.4", "POST", "/login", "", 1000 + rule.windowMs)).toBeNull();
  });

  it("counts uploads by content type and verification look-ups by path", async () => {
    const limiter = new RateLimiter();
    const upload = RULES.find((r) => r.name === "upload")!;
    for (let i = 0; i < upload.limit; i++) await limiter.hit("c", "POST", "/facility/products/1/photos", "multipart/form-data; boundary=x", 0);
    expect((await limiter.hit("c", "POST", "/facility/products/1/photos", "multipart/form-data; boundary=x", 1))?.rule.name).toBe("upload");
    const verify = RULES.find((r) => r.name === "verify")!;
    for (let i = 0; i < verify.limit; i++) await limiter.hit("d", "GET", `/verify/CODE${i}`, "", 0);
    expect((await limiter.hit("d", "GET", "/api/v1/certificates/X", "", 1))?.rule.name).toBe("verify");
  });
});

describe("rate limits follow the route Remix resolves", async () => {
  it("counts /LOGIN, /login/, //login and /%6Cogin as /login, and /SIGNUP as /signup", async () => {
    const { routePath } = await import("../../app/utils/rate-limit.server");
    for (const p of ["/LOGIN", "/login/", "//login", "/%6Cogin", "/Login//"]) expect(routePath(p)).toBe("/login");
    expect(routePath("/SIGNUP")).toBe("/signup");
    const limiter = new RateLimiter();
    const rule = RULES.find((r) => r.name === "sign-in")!;
    const paths = ["/login", "/LOGIN", "/login/"];
    for (let i = 0; i < rule.limit; i++) expect(await limiter.hit("9.9.9.9", "POST", paths[i % 3], "", 0)).toBeNull();
    expect((await limiter.hit("9.9.9.9", "POST", "/LOGIN/", "", 1))?.rule.name).toBe("sign-in");
    const signup = RULES.find((r) => r.name === "sign-up")!;
    for (let i = 0; i < signup.limit; i++) await limiter.hit("8.8.8.8", "POST", "/SIGNUP", "", 0);
    expect((await limiter.hit("8.8.8.8", "POST", "/signup/", "", 1))?.rule.name).toBe("sign-up");
  });
});
