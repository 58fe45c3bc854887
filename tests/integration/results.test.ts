import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";

import * as exportRoute from "../../app/routes/organizer.rounds.$slug.export";
import * as minutes from "../../app/routes/organizer.rounds.$slug.minutes";
import * as route from "../../app/routes/organizer.rounds.$slug.results";
import { call, confirmed, createTestUser, jsonOf, requestAs, toastOf } from "../factories";
import { scoringRound, submitSheet } from "../factories/scoring";

describe("results pages", () => {
  it("guards: anonymous → login, juror and facility → 403, another region's organiser → 404", async () => {
    const ctx = await scoringRound({ entryCount: 1, jurorCount: 1 });
    const slug = ctx.round.slug;
    for (const [mod, path] of [
      [route, `/organizer/rounds/${slug}/results`],
      [exportRoute, `/organizer/rounds/${slug}/export`],
      [minutes, `/organizer/rounds/${slug}/minutes`],
    ] as const) {
      expect((await call(mod.loader, requestAs(null, path), { slug })).status).toBe(302);
      expect((await call(mod.loader, requestAs(ctx.jurors[0], path), { slug })).status).toBe(403);
      const other = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "NAM" } });
      expect((await call(mod.loader, requestAs(other, path), { slug })).status).toBe(404);
    }
    const owner = await createTestUser({ roles: ["facility"] });
    expect(
      (
        await call(route.action, requestAs(owner, `/organizer/rounds/${slug}/results`, { form: { intent: "finalise" } }), {
          slug,
        })
      ).status,
    ).toBe(403);
  });

  it("shows statistics and the flags; finalising lists unsubmitted sheets; the council resolves a tie; finalise, decide, publish", async () => {
    const ctx = await scoringRound({ entryCount: 3, jurorCount: 2, quota: 1 });
    const slug = ctx.round.slug;
    const path = `/organizer/rounds/${slug}/results`;
    const [a, b, c] = ctx.entries;
    await submitSheet({ roundId: ctx.round.id, entryId: a.id, jurorId: ctx.jurors[0].id, total: 90 });
    await submitSheet({ roundId: ctx.round.id, entryId: a.id, jurorId: ctx.jurors[1].id, total: 60 });
    await submitSheet({ roundId: ctx.round.id, entryId: b.id, jurorId: ctx.jurors[0].id, total: 75 });
    const early = await call(route.action, requestAs(ctx.organizer, path, { form: confirmed({ intent: "finalise" }) }), { slug });
    expect(early.status).toBe(409);
    expect((await jsonOf(early)).formError).toMatch(
      /^Còn 3 phiếu chấm chưa nộp: Giám khảo 2 – T-\d+; Giám khảo 1 – T-\d+; Giám khảo 2 – T-\d+\.$/,
    );
    await submitSheet({ roundId: ctx.round.id, entryId: b.id, jurorId: ctx.jurors[1].id, total: 75 });
    await submitSheet({ roundId: ctx.round.id, entryId: c.id, jurorId: ctx.jurors[0].id, total: 50 });
    await submitSheet({ roundId: ctx.round.id, entryId: c.id, jurorId: ctx.jurors[1].id, total: 55 });

    const page = await jsonOf(await call(route.loader, requestAs(ctx.organizer, path), { slug }));
    const ea = page.entries.find((e: { entryId: number }) => e.entryId === a.id);
    expect(ea).toMatchObject({
      n: 2,
      mean: 75,
      median: 75,
      min: 60,
      max: 90,
      stdDev: 15,
      disagreement: true,
      tiedAtBoundary: true,
      rank: 1,
    });
    expect(page.tie).toMatchObject({ seats: 1, resolution: null });

    const blocked = await call(route.action, requestAs(ctx.organizer, path, { form: confirmed({ intent: "finalise" }) }), { slug });
    expect((await jsonOf(blocked)).formError).toContain("đồng điểm");
    const noReason = await call(
      route.action,
      requestAs(ctx.organizer, path, { form: { intent: "resolve-tie", selectedEntryIds: [String(b.id)], reason: "" } }),
      { slug },
    );
    expect(noReason.status).toBe(400);
    const resolved = await call(
      route.action,
      requestAs(ctx.organizer, path, {
        form: confirmed({
          intent: "resolve-tie",
          selectedEntryIds: [String(b.id)],
          reason: "Các giám khảo thống nhất hơn về sản phẩm này (chênh lệch 0 điểm)",
        }),
      }),
      { slug },
    );
    expect((await toastOf(resolved)).message).toBe("Đã ghi nhận quyết định của hội đồng về trường hợp đồng điểm.");
    const finalised = await toastOf(await call(route.action, requestAs(ctx.organizer, path, { form: confirmed({ intent: "finalise" }) }), { slug }));
    expect(finalised).toMatchObject({ location: path, message: expect.stringMatching(/^Đã chốt kết quả: 1 sản phẩm được công nhận\. Mã băm: [0-9a-f]{64}$/) });

    // Exports: CSV with BOM and Vietnamese headers; XLSX readable.
    const csv = await call(
      exportRoute.loader,
      requestAs(ctx.organizer, `/organizer/rounds/${slug}/export?table=results&format=csv`),
      { slug },
    );
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain("Hạng,Mã số,Tên sản phẩm,Cơ sở,Tỉnh,Nhóm");
    expect(text).toContain("Ninh Bình");
    const xlsx = await call(
      exportRoute.loader,
      requestAs(ctx.organizer, `/organizer/rounds/${slug}/export?table=sheets&format=xlsx`),
      { slug },
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    const ws = wb.getWorksheet("Phiếu chấm")!;
    expect(ws.getRow(1).getCell(1).value).toBe("Giám khảo");
    expect(ws.rowCount).toBe(7);

    const m = await jsonOf(await call(minutes.loader, requestAs(ctx.organizer, `/organizer/rounds/${slug}/minutes`), { slug }));
    expect(m.resolutions[0].reason).toContain("thống nhất");
    expect(m.council).toHaveLength(2);

    const decision = await call(
      route.action,
      requestAs(ctx.organizer, path, {
        form: { intent: "decision", decisionNo: "45/QĐ-CNĐP", decisionDate: "2026-11-25", decisionSigner: "Cục trưởng" },
      }),
      { slug },
    );
    expect((await toastOf(decision)).message).toBe("Đã ghi nhận quyết định công nhận.");
    const pub = await call(route.action, requestAs(ctx.organizer, path, { form: confirmed({ intent: "publish" }) }), { slug });
    expect((await toastOf(pub)).message).toContain("cấp 1 giấy chứng nhận");
  });
});
