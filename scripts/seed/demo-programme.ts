/**
 * Demo: the khuyến công programme results of the Northern region for the first 9 months of 2016, as
 * published at the 11th Northern khuyến công conference (Ninh Bình, October 2016): 4.875 workers
 * trained (82,49% of plan), 2.940 people trained in management and start-up, 19 demonstration
 * models, 203 facilities supported with technology transfer, 113 trade-fair participations, 225
 * projects advised with revenue 7.456,43 million VND (61,3% of plan). The regional totals are
 * spread over the 28 northern provinces (integers for counts) so they add up exactly. The plans
 * other than training and revenue are not published: they are plausible assumptions.
 *
 * Ninh Bình's figures are entered by its provincial officer, the others by the regional
 * organiser (compiled from the provinces' spreadsheets), and all are approved by the regional
 * organiser — through the same model functions the pages use.
 */
import { and, eq } from "drizzle-orm";

import { createUser, findUserByEmail, grantRole } from "../../app/models/account/user.server";
import { loadActor, provincesInScope, saveFigures } from "../../app/models/programme/programme.server";
import { approveFigures } from "../../app/models/programme/review.server";
import { spreadTotal } from "../../app/models/programme/rules";
import type { FigureRowInput } from "../../app/schemas/programme";
import { db } from "../../app/utils/db.server";
import { programmeFigures } from "../../db/schema";
import type { DemoStep } from "./demo";

export const PROGRAMME_DEMO_YEAR = 2016;
export const PROGRAMME_DEMO_PERIOD = 9;

/** Provincial officers created by this step (password demo-2016). */
export const PROGRAMME_DEMO_OFFICERS = [{ email: "ninhbinh@demo.cnnt.vn", fullName: "Hoàng Thị Thu", province: "ninh-binh", title: "Trung tâm Khuyến công Ninh Bình" }];

/** Regional plan and actual per indicator (plans of training and revenue follow from the published %). */
export const PROGRAMME_DEMO_TOTALS: { code: string; plan: number; actual: number; decimals?: number }[] = [
  { code: "DAO_TAO_NGHE", plan: 5910, actual: 4875 },
  { code: "NANG_CAO_QL", plan: 3500, actual: 2940 },
  { code: "MO_HINH_TD", plan: 25, actual: 19 },
  { code: "UNG_DUNG_MMTB", plan: 260, actual: 203 },
  { code: "HOI_CHO", plan: 150, actual: 113 },
  { code: "TU_VAN_DU_AN", plan: 300, actual: 225 },
  { code: "DOANH_THU_TU_VAN", plan: 12163.85, actual: 7456.43, decimals: 2 },
];

/** Relative size of each northern province's programme (2016 order), and how far along it is. */
const WEIGHTS = [4, 4, 3, 4, 4, 4, 6, 4, 7, 7, 3, 3, 5, 5, 6, 12, 8, 6, 7, 7, 6, 7, 5, 7, 6, 10, 10, 6];
const PACE = [0.7, 0.85, 0.6, 0.95, 0.9, 0.8, 1.05, 0.75, 1.0, 1.1, 0.55, 0.65, 0.9, 0.95, 1.0, 1.15, 1.0, 0.9, 1.1, 0.95, 0.85, 0.9, 0.8, 1.0, 1.05, 0.95, 1.0, 0.85];

export const programmeDemo: DemoStep = {
  name: "kết quả chương trình khuyến công (khu vực phía Bắc, 9 tháng 2016)",
  async done() {
    const officer = await findUserByEmail(PROGRAMME_DEMO_OFFICERS[0].email);
    if (!officer) return false;
    const [row] = await db()
      .select({ id: programmeFigures.id })
      .from(programmeFigures)
      .where(and(eq(programmeFigures.year, PROGRAMME_DEMO_YEAR), eq(programmeFigures.periodMonths, PROGRAMME_DEMO_PERIOD)))
      .limit(1);
    return !!row;
  },
  async run() {
    const organizer = await findUserByEmail("organizer@demo.cnnt.vn");
    const admin = await findUserByEmail("admin@demo.cnnt.vn");
    if (!organizer) throw new Error("Thiếu tài khoản organizer@demo.cnnt.vn (bước tài khoản mẫu).");
    const officers = [];
    for (const o of PROGRAMME_DEMO_OFFICERS) {
      let user = await findUserByEmail(o.email);
      if (!user) {
        const { id } = await createUser({ email: o.email, password: "demo-2016", fullName: o.fullName, title: o.title, roles: [], verified: true });
        await grantRole({ actorId: admin?.id ?? id, userId: id, role: "organizer", scopeProvince: o.province });
        user = await findUserByEmail(o.email);
      }
      officers.push({ province: o.province, actor: await loadActor(user!.id) });
    }
    const regional = await loadActor(organizer.id);
    const north = (await provincesInScope(regional)).filter((p) => p.regionCode === "BAC");
    if (north.length !== WEIGHTS.length) throw new Error(`Khu vực phía Bắc có ${north.length} tỉnh, cần ${WEIGHTS.length}.`);

    const rows: FigureRowInput[] = [];
    for (const t of PROGRAMME_DEMO_TOTALS) {
      const plans = spreadTotal(t.plan, WEIGHTS, t.decimals ?? 0);
      const actuals = spreadTotal(
        t.actual,
        WEIGHTS.map((w, i) => w * PACE[i]),
        t.decimals ?? 0,
      );
      north.forEach((p, i) => rows.push({ indicatorCode: t.code, provinceCode: p.code, plan: plans[i], actual: actuals[i] }));
    }
    const period = { year: PROGRAMME_DEMO_YEAR, periodMonths: PROGRAMME_DEMO_PERIOD };
    for (const o of officers) {
      await saveFigures({ actor: o.actor, ...period, rows: rows.filter((r) => r.provinceCode === o.province), submit: true, source: "demo" });
    }
    const byOfficer = new Set(officers.map((o) => o.province));
    await saveFigures({ actor: regional, ...period, rows: rows.filter((r) => !byOfficer.has(r.provinceCode)), submit: true, source: "demo" });
    for (const p of north) await approveFigures({ actor: regional, provinceCode: p.code, ...period });
  },
};
