/**
 * A round open for registration has a public call for entries (rules, groups, deadline in Vietnam
 * time, the criteria with points, how to enter); the home page and the rounds list link to it, the
 * results address leads there, and "Đăng ký tham gia" no longer sends a signed-in juror to a 403.
 */
import { describe, expect, it } from "vitest";

import * as home from "../../app/routes/_index";
import * as roundPage from "../../app/routes/rounds.$slug";
import * as call from "../../app/routes/rounds.$slug_.the-le";
import * as roundsList from "../../app/routes/rounds._index";
import { entryDoorFor } from "../../app/utils/navigation";
import { call as callRoute, createTestUser, jsonOf, requestAs } from "../factories";
import { createTestRound } from "../factories/round";

describe("call for entries", () => {
  it("shows an open round's rules, groups, deadline and criteria with points", async () => {
    const round = await createTestRound({ registrationClosesAt: new Date("2030-07-31T10:00:00Z"), scoringClosesAt: new Date("2030-09-30T10:00:00Z"), quota: 80 });
    const res = await callRoute(call.loader, requestAs(null, `/rounds/${round.slug}/the-le`), { slug: round.slug });
    expect(res.status).toBe(200);
    const { call: c } = await jsonOf(res);
    expect(c).toMatchObject({ title: round.title, levelName: "Cấp khu vực", scopeName: "Khu vực phía Bắc", phase: "open", passMark: 70, quota: 80, needsLowerCertificate: true });
    expect(c.groups.map((g: { no: number }) => g.no)).toEqual([1, 2, 3, 4]);
    expect(c.rubric.map((n: { maxPoints: number }) => n.maxPoints)).toEqual([40, 40, 10, 10]);
    expect(c.rubric[0].children.length).toBeGreaterThan(0);
    expect(JSON.stringify(c)).not.toMatch(/"id"/);
  });

  it("sends each visitor through the right door: sign up, their facility desk, or an explanation", () => {
    expect(entryDoorFor(null)).toBe("sign-up");
    expect(entryDoorFor({ roles: ["facility"] })).toBe("facility");
    expect(entryDoorFor({ roles: ["juror"] })).toBe("needs-facility-account");
    expect(entryDoorFor({ roles: ["organizer", "facility"] })).toBe("facility");
  });

  it("is linked from the home page and the rounds list; the results address leads to it", async () => {
    const round = await createTestRound({});
    const h = await jsonOf(await callRoute(home.loader, requestAs(null, "/")));
    expect(h.open.map((r: { slug: string }) => r.slug)).toContain(round.slug);
    const list = await jsonOf(await callRoute(roundsList.loader, requestAs(null, "/rounds")));
    expect(list.open.map((r: { slug: string }) => r.slug)).toContain(round.slug);
    const res = await callRoute(roundPage.loader, requestAs(null, `/rounds/${round.slug}`), { slug: round.slug });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/rounds/${round.slug}/the-le`);
  });

  it("answers 404 for drafts, later stages and unknown slugs", async () => {
    const draft = await createTestRound({ status: "draft" });
    const scoring = await createTestRound({ status: "scoring" });
    for (const slug of [draft.slug, scoring.slug, "khong-co"]) {
      expect((await callRoute(call.loader, requestAs(null, `/rounds/${slug}/the-le`), { slug })).status).toBe(404);
      expect((await callRoute(roundPage.loader, requestAs(null, `/rounds/${slug}`), { slug })).status).toBe(404);
    }
    const juror = await createTestUser({ roles: ["juror"] });
    expect((await callRoute(call.loader, requestAs(juror, `/rounds/${draft.slug}/the-le`), { slug: draft.slug })).status).toBe(404);
  });
});
