import { describe, expect, it } from "vitest";

import { recordAudit } from "../../app/models/shared/audit.server";
import * as auditPage from "../../app/routes/admin.audit";
import * as auditCsv from "../../app/routes/admin.audit[.]csv";
import { call, createTestUser, jsonOf, requestAs } from "../factories";

describe("audit log page", () => {
  it("refuses anonymous users and users without audit:view", async () => {
    expect((await call(auditPage.loader, requestAs(null, "/admin/audit"))).status).toBe(302);
    for (const role of ["facility", "juror", "organizer", "ministry"] as const) {
      const u = await createTestUser({ roles: [role] });
      expect((await call(auditPage.loader, requestAs(u, "/admin/audit"))).status).toBe(403);
      expect((await call(auditCsv.loader, requestAs(u, "/admin/audit.csv"))).status).toBe(403);
    }
  });

  it("filters events and exports them as CSV", async () => {
    const admin = await createTestUser({ roles: ["admin"] });
    await recordAudit({ actorId: admin.id, action: "score.submit", entity: "score_sheet", entityId: 7, after: { total: 81.5 } });
    await recordAudit({ actorId: admin.id, action: "round.publish", entity: "round", entityId: 3 });
    const res = await call(auditPage.loader, requestAs(admin, "/admin/audit?action=score.&actor=" + encodeURIComponent(admin.email)));
    const data = await jsonOf(res);
    expect(data.events.map((e: { action: string }) => e.action)).toEqual(["score.submit"]);
    const bytes = Buffer.from(await (await call(auditCsv.loader, requestAs(admin, "/admin/audit.csv?entity=round"))).arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs for UTF-8
    const csv = bytes.toString("utf8");
    expect(csv).toContain("Mã,Thời điểm");
    expect(csv).toContain("round.publish,Công bố kết quả,round");
    expect(csv).not.toContain("score.submit");
  });

  it("ignores a malformed filter instead of failing", async () => {
    const admin = await createTestUser({ roles: ["admin"] });
    const res = await call(auditPage.loader, requestAs(admin, "/admin/audit?from=hom-qua&page=-4"));
    expect(res.status).toBe(200);
    expect((await jsonOf(res)).invalid).toMatch(/không hợp lệ/);
  });
});
