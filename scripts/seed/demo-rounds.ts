/**
 * Demo: the 2016 Northern regional round (`2016-khu-vuc-phia-bac`), built through the same model
 * functions the pages use — as the regulation runs it (issue 15 §8): the region takes nominations
 * and gives each of the 28 Northern provinces its places; 24 provinces ran their own 2016 round
 * (demo-provinces-2016.ts) and sent their recognised products up with a cover letter; each facility
 * confirmed its dossier at the region (nothing uploaded again, the provincial certificate linked);
 * the secretariat screened them with the checklist, the 7 jurors scored, the council met and the
 * decision recognised exactly 73 of the 125 dossiers (58 %; a few ineligible, the rest below 70). Also one round open for registration now (`2026-khu-vuc-phia-bac`) with the default
 * rubric and the 7 jurors on its council, and a facility for owner@demo.cnnt.vn.
 *
 * Scores are deterministic: each eligible entry gets a target mean (≥ 70.5 for the 73 chosen, ≤ 69
 * for the rest) and each juror's total is the target plus offsets that cancel out, so the mean is
 * exactly the target; a juror's total is spread over the rubric's leaves in steps of 0.5.
 */
import { eq } from "drizzle-orm";
import sharp from "sharp";

import { createUser, findUserByEmail } from "../../app/models/account/user.server";
import { declareConflict, saveCouncilMember } from "../../app/models/council/council.server";
import { saveEntryDraft, screenEntry, submitEntry } from "../../app/models/entry/entry.server";
import { attachExistingPhoto, storeDocument, storePhoto } from "../../app/models/entry/media.server";
import { createFacility } from "../../app/models/facility/facility.server";
import { createProduct } from "../../app/models/facility/product.server";
import { confirmNomination } from "../../app/models/round/nomination-facility.server";
import { setIntakeMode, setQuota } from "../../app/models/round/nomination.server";
import { advanceRound, createRound } from "../../app/models/round/round.server";
import { getRubricLeaves } from "../../app/models/round/rubric.server";
import { autoAssign, unassignJuror } from "../../app/models/scoring/assignment.server";
import { saveScoreSheet } from "../../app/models/scoring/scoring.server";
import { roundSchema } from "../../app/schemas/round";
import { db } from "../../app/utils/db.server";
import type { RoleGrant } from "../../app/utils/permissions";
import { assignments, nominationLetters, nominations, provinces, rounds, userRoles } from "../../db/schema";
import { DEMO_PASSWORD, type DemoStep } from "./demo";
import { council2016 } from "./demo-council-2016";
import { demoChecklist, eligibleChecks } from "./demo-levels";
import { provincialRounds2016 } from "./demo-provinces-2016";
import { DEMO_2016_PRODUCTS, DEMO_2016_QUOTAS } from "./demo-rounds-data";

export const DEMO_2016_SLUG = "2016-khu-vuc-phia-bac";
export const DEMO_OPEN_SLUG = "2026-khu-vuc-phia-bac";
/** A provincial round ready to score (screened, council, assignments): the jury flow can be tried live. */
export const DEMO_PROVINCE_SLUG = "2026-tinh-ninh-binh";
export const DEMO_2016_SELECTED = 73;
/** Dossiers the regional secretariat found ineligible (a failed condition each). */
const INELIGIBLE = 8;
const JURORS = Array.from({ length: 7 }, (_, i) => `juror${i + 1}@demo.cnnt.vn`);

/** mulberry32: a small seeded generator, so every fresh start builds the same round. */
export function rng(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A juror's total spread over the leaves, proportionally, in steps of 0.5, summing exactly. */
export function spreadOverLeaves(total: number, leaves: { id: number; maxPoints: number }[]): Record<string, string> {
  const halves = Math.round(total * 2);
  const out = leaves.map((l) => Math.min(Math.floor(((total * l.maxPoints) / 100) * 2), l.maxPoints * 2));
  let left = halves - out.reduce((s, v) => s + v, 0);
  for (let i = 0; left > 0; i = (i + 1) % leaves.length) {
    if (out[i] < leaves[i].maxPoints * 2) {
      out[i]++;
      left--;
    }
  }
  return Object.fromEntries(leaves.map((l, i) => [String(l.id), String(out[i] / 2)]));
}

export const at = (iso: string) => new Date(`${iso}+07:00`);

/** A small but valid PDF (the demo's scanned documents). */
export function demoPdf(title: string) {
  const body = `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n% ${title}\ntrailer<</Root 1 0 R>>\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

/** Three of the already-processed demo photos, reused for another product (no re-encoding). */
export async function attachDemoPhotos(input: { actorId: string; facilityId: number; productId: number; sources: string[]; offset: number }) {
  for (let k = 0; k < 3; k++) {
    await attachExistingPhoto({
      actorId: input.actorId,
      facilityId: input.facilityId,
      productId: input.productId,
      fromMediaId: input.sources[(input.offset + k) % input.sources.length],
    });
  }
}

/** The dossier's two PDFs: business registration and the lower-level certificate. */
export async function attachDemoDocuments(input: { actorId: string; facilityId: number; productId: number; earlier: string }) {
  const base = { actorId: input.actorId, facilityId: input.facilityId, productId: input.productId };
  await storeDocument({ ...base, bytes: demoPdf("dang ky kinh doanh"), fileName: "giay-dang-ky-kinh-doanh.pdf", docType: "business_registration" });
  await storeDocument({ ...base, bytes: demoPdf(input.earlier), fileName: `${input.earlier.replace(/ /g, "-")}.pdf`, docType: "earlier_certificate" });
}

/** A handful of generated product photos (processed once through storePhoto, then reused). */
async function demoPhotos(): Promise<Buffer[]> {
  const colours = [
    ["#8a5a2b", "#e9c46a"],
    ["#2a9d8f", "#e9f5db"],
    ["#264653", "#f4a261"],
  ];
  return Promise.all(
    colours.map(([a, b], i) =>
      sharp(
        Buffer.from(
          `<svg xmlns="http://www.w3.org/2000/svg" width="960" height="720"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${a}"/><stop offset="1" stop-color="${b}"/></linearGradient></defs><rect width="960" height="720" fill="url(#g)"/><circle cx="${320 + i * 100}" cy="360" r="190" fill="#ffffff" fill-opacity="0.35"/><rect x="520" y="200" width="240" height="300" rx="32" fill="#000" fill-opacity="0.15"/></svg>`,
        ),
      )
        .jpeg({ quality: 80 })
        .toBuffer(),
    ),
  );
}

export function dossierFor(name: string, group: number, r: () => number) {
  const workers = 8 + Math.floor(r() * 60);
  return {
    productionCapacity: `${(5 + Math.floor(r() * 90)) * 1000} sản phẩm/năm`,
    annualRevenue: String(300 + Math.floor(r() * 9000)),
    workers: `${workers} (trong đó ${Math.floor(workers * 0.6)} nữ)`,
    rawMaterials:
      group === 3
        ? "Thép, gang, linh kiện cơ khí"
        : group === 1
          ? "Nguyên liệu tự nhiên của địa phương"
          : "Nông sản của vùng nguyên liệu địa phương",
    rawMaterialOrigin: "Trên 80% nguyên liệu mua trong tỉnh, có hợp đồng liên kết với hộ sản xuất",
    markets: r() > 0.6 ? "Toàn quốc và xuất khẩu" : "Trong tỉnh và các tỉnh phía Bắc",
    standards:
      group === 2
        ? "Giấy chứng nhận đủ điều kiện an toàn thực phẩm; công bố chất lượng"
        : "Tiêu chuẩn cơ sở; nhãn hàng hóa theo quy định",
    price: `${(20 + Math.floor(r() * 400)) * 1000} đồng/sản phẩm`,
    story: `${name} được làm theo bí quyết truyền thống của địa phương, kết hợp cải tiến kỹ thuật để nâng cao năng suất và chất lượng.`,
  };
}

export async function organizerContext() {
  const organizer = await findUserByEmail("organizer@demo.cnnt.vn");
  if (!organizer) throw new Error("Thiếu tài khoản organizer@demo.cnnt.vn (bước tài khoản mẫu chưa chạy).");
  const roles = (await db().select().from(userRoles).where(eq(userRoles.userId, organizer.id))) as unknown as RoleGrant[];
  return { id: organizer.id, roles };
}

const northernProvinces = async () => {
  const rows = await db().select().from(provinces).where(eq(provinces.regionCode, "BAC"));
  return new Map(rows.map((p) => [p.name, p]));
};

export const rounds2016Demo: DemoStep = {
  name: "đợt bình chọn khu vực phía Bắc 2016, đợt 2026 đang nhận hồ sơ, đợt cấp tỉnh chờ chấm",
  done: async () => {
    const [r] = await db().select({ status: rounds.status }).from(rounds).where(eq(rounds.slug, DEMO_PROVINCE_SLUG));
    return !!r;
  },
  async run(log) {
    const organizer = await organizerContext();
    const provinceByName = await northernProvinces();
    const jurors = [];
    for (const email of JURORS) {
      const j = await findUserByEmail(email);
      if (!j) throw new Error(`Thiếu tài khoản ${email}.`);
      jurors.push(j);
    }
    const r = rng(20161007);
    let t = Date.now();
    const phase = (what: string) => {
      log(`  ${what} (${Date.now() - t} ms)`);
      t = Date.now();
    };

    // ── the round, open for registration in 2016 ──
    const round = await createRound({
      actorId: organizer.id,
      roles: organizer.roles,
      data: roundSchema.parse({
        title: "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu khu vực phía Bắc năm 2016",
        slug: DEMO_2016_SLUG,
        level: "region",
        regionCode: "BAC",
        year: "2016",
        registrationOpensAt: "2016-05-03T08:00",
        registrationClosesAt: "2016-07-29T17:00",
        scoringClosesAt: "2016-09-09T17:00",
        passMark: "70",
        quota: "",
        jurorsPerEntry: "5",
        authority: "Cục Công nghiệp địa phương – Bộ Công Thương",
      }),
    });
    // The region receives the dossiers from the provinces, within the places it gives each.
    await setIntakeMode({ actorId: organizer.id, slug: DEMO_2016_SLUG, mode: "nomination" });
    for (const [name, places] of Object.entries(DEMO_2016_QUOTAS))
      await setQuota({ actorId: organizer.id, slug: DEMO_2016_SLUG, provinceCode: provinceByName.get(name)!.code, places });
    await advanceRound({ roundId: round.id, actorId: organizer.id, from: "draft" });

    // ── facilities and dossiers: one owner account for every eight facilities (argon2 costs ~20 ms each) ──
    const photos = await demoPhotos();
    const photoSources: string[] = [];
    const entryIds: number[] = [];
    let owner: { id: string } | null = null;
    const products: { product: (typeof DEMO_2016_PRODUCTS)[number]; ownerId: string }[] = [];
    for (const [i, p] of DEMO_2016_PRODUCTS.entries()) {
      if (i % 8 === 0) {
        const n = String(i / 8 + 1).padStart(2, "0");
        owner = await createUser({
          email: `co-so-${n}@demo.cnnt.vn`,
          password: DEMO_PASSWORD,
          fullName: `Chủ cơ sở mẫu ${n}`,
          roles: ["facility"],
          verified: true,
        });
      }
      products.push({ product: p, ownerId: owner!.id });
    }
    const mai = await findUserByEmail("owner@demo.cnnt.vn");
    if (!mai) throw new Error("Thiếu tài khoản owner@demo.cnnt.vn.");
    const maiProducts = [
      {
        province: "Ninh Bình",
        facility: "Cơ sở mây tre đan Đinh Thị Mai",
        legalForm: "hkd" as const,
        product: "Hộp đựng trà đan mây Gia Viễn",
        group: 1 as const,
      },
    ];
    for (const p of maiProducts) products.push({ product: p, ownerId: mai.id });

    // Facilities, products, photos and documents: file work overlaps in small parallel batches
    // (each call is its own transaction); entries are then submitted in a fixed order, so the
    // codes (BAC16-001…) are the same on every start.
    const facilityIds = new Map<string, number>();
    const prepared: { productId: number; ownerId: string; seq: number; product: (typeof products)[number]["product"] }[] = [];
    const prepare = async ({ product: p, ownerId }: (typeof products)[number], seq: number) => {
      const prov = provinceByName.get(p.province);
      if (!prov) throw new Error(`Không có tỉnh ${p.province}`);
      let facilityId = facilityIds.get(p.facility);
      if (!facilityId) {
        facilityId = (
          await createFacility({
            actorId: ownerId,
            data: {
              name: p.facility,
              legalForm: p.legalForm,
              registrationNo: `${String(prov.position).padStart(2, "0")}${String(1000000 + seq * 7919).slice(-7)}`,
              provinceCode: prov.currentCode,
              legacyProvinceCode: prov.code,
              address: `Thôn ${1 + (seq % 9)}, ${p.province}`,
              phone: `0${200 + prov.position} ${String(3800000 + seq * 131).slice(-7)}`,
              representative:
                ownerId === mai.id
                  ? "Đinh Thị Mai"
                  : ["Nguyễn Văn Hùng", "Trần Thị Hoa", "Lê Văn Minh", "Phạm Thị Thu", "Hoàng Văn Nam"][seq % 5],
              representativeTitle: p.legalForm === "htx" ? "Giám đốc HTX" : p.legalForm === "dnnvv" ? "Giám đốc" : "Chủ hộ",
            },
          })
        ).id;
        facilityIds.set(p.facility, facilityId);
      }
      const dossier = dossierFor(p.product, p.group, rng(seq));
      const { id: productId } = await createProduct({
        actorId: ownerId,
        facilityId,
        name: p.product,
        groupNo: p.group,
        description: `${p.product} – sản phẩm của ${p.facility} (${p.province}).`,
        dossier,
      });
      if (!photoSources.length) {
        for (const [k, bytes] of photos.entries())
          photoSources.push(
            (await storePhoto({ actorId: ownerId, facilityId, productId, bytes, fileName: `anh-${k + 1}.jpg` })).id,
          );
      } else {
        await attachDemoPhotos({ actorId: ownerId, facilityId, productId, sources: photoSources, offset: seq });
      }
      await attachDemoDocuments({ actorId: ownerId, facilityId, productId, earlier: "chung nhan cap huyen 2015" });
      prepared[seq - 1] = { productId, ownerId, seq, product: p };
    };
    await prepare(products[0], 1); // the photos are processed once, here
    for (let i = 1; i < products.length; i += 6) {
      await Promise.all(products.slice(i, i + 6).map((p, k) => prepare(p, i + k + 1)));
    }
    phase("cơ sở, sản phẩm, ảnh và tài liệu");
    // ── the provincial rounds decide and nominate; each facility confirms at the region ──
    await provincialRounds2016({
      organizer,
      items: prepared,
      provinceCode: (name) => provinceByName.get(name)!.code,
      toSlug: DEMO_2016_SLUG,
      toTitle: round.title,
      phase,
      r: rng(2016),
    });
    const ownerOf = new Map(prepared.map((p) => [p.productId, p.ownerId]));
    const sent = await db()
      .select({ id: nominations.id, productId: nominations.productId, letterDate: nominationLetters.letterDate })
      .from(nominations)
      .innerJoin(nominationLetters, eq(nominationLetters.id, nominations.letterId))
      .where(eq(nominations.toRoundId, round.id))
      .orderBy(nominations.id);
    for (const [k, n] of sent.entries()) {
      const day = new Date(at(`${n.letterDate}T09:00:00`).getTime() + (3 + (k % 4)) * 86400_000);
      const done = await confirmNomination({ actorId: ownerOf.get(n.productId)!, nominationId: n.id, now: day });
      if (done.missing.length) throw new Error(`Hồ sơ mẫu còn thiếu: ${done.missing.join("; ")}`);
      entryIds.push(done.entryId);
    }
    phase(`${entryIds.length} hồ sơ được đề nghị và đã xác nhận`);

    // ── screening: a few ineligible, the rest eligible ──
    await advanceRound({ roundId: round.id, actorId: organizer.id, from: "registration" });
    const ineligible = new Set<number>();
    const maiEntry = entryIds[sent.findIndex((n) => ownerOf.get(n.productId) === mai.id)];
    while (ineligible.size < INELIGIBLE) {
      const id = entryIds[Math.floor(r() * entryIds.length)];
      if (id !== maiEntry) ineligible.add(id);
    }
    const reasons = [
      { key: "own_product", note: "Sản phẩm do cơ sở khác gia công; cơ sở chỉ đóng gói và dán nhãn." },
      { key: "series", note: "Sản phẩm là sản phẩm độc bản, không sản xuất hàng loạt." },
      { key: "standards", note: "Thiếu giấy chứng nhận đủ điều kiện an toàn thực phẩm còn hiệu lực." },
    ] as const;
    for (const [i, id] of entryIds.entries()) {
      const bad = ineligible.has(id);
      await screenEntry({
        actorId: organizer.id,
        entryId: id,
        decision: bad ? "ineligible" : "eligible",
        note: bad ? reasons[i % reasons.length].note : "",
        now: at("2016-08-05T10:00:00"),
        // The provincial certificate is linked by the nomination: the checklist is all the screener records.
        checklist: bad ? demoChecklist(reasons[i % reasons.length]) : demoChecklist(),
      });
    }

    // ── council and assignment ──
    for (const [i, j] of jurors.entries()) {
      await saveCouncilMember({
        roundId: round.id,
        actorId: organizer.id,
        email: j.email,
        role: i === 0 ? "chair" : i === 6 ? "secretary" : "member",
        groupNos: [],
      });
    }
    phase("thẩm định xong");
    const plan = await autoAssign({ roundId: round.id, actorId: organizer.id });
    if (plan.impossible.length) throw new Error("Phân công mẫu không đủ giám khảo");
    await advanceRound({ roundId: round.id, actorId: organizer.id, from: "screening" });

    // ── scoring: exactly 73 selected ──
    const eligible = entryIds.filter((id) => !ineligible.has(id));
    const order = eligible.filter((id) => id !== maiEntry).map((id) => ({ id, k: r() }));
    order.sort((a, b) => a.k - b.k);
    const passing = new Set([maiEntry, ...order.slice(0, DEMO_2016_SELECTED - 1).map((o) => o.id)]);
    const leaves = await getRubricLeaves(round.id);
    const links = await db().select().from(assignments).where(eq(assignments.roundId, round.id));
    const byEntry = new Map<number, string[]>();
    for (const a of links) byEntry.set(a.entryId, [...(byEntry.get(a.entryId) ?? []), a.jurorId]);
    // One transaction for the 500 sheets (each still checked by saveScoreSheet and the triggers).
    await db().transaction(async (tx) => {
      for (const id of eligible) {
        const judges = (byEntry.get(id) ?? []).sort();
        const target = passing.has(id) ? 70.5 + Math.floor(r() * 44) / 2 : 52 + Math.floor(r() * 35) / 2; // 70.5–92 or 52–69
        const wide = r() < 0.08 ? 12 : 4; // a few entries where jurors disagree strongly
        const offsets = judges.map(() => 0);
        for (let k = 0; k + 1 < judges.length; k += 2) {
          const d = Math.floor(r() * (wide * 2 + 1)) / 2;
          offsets[k] = d;
          offsets[k + 1] = -d;
        }
        for (const [k, jurorId] of judges.entries()) {
          const total = Math.min(100, Math.max(0, target + offsets[k]));
          await saveScoreSheet(
            {
              jurorId,
              entryId: id,
              points: spreadOverLeaves(total, leaves),
              comment: total >= 80 ? "Sản phẩm tiêu biểu, có thị trường ổn định." : "",
              submit: true,
              now: at("2016-09-06T15:00:00"),
            },
            tx,
          );
        }
      }
    });
    phase("phiếu chấm đã nộp");
    // ── finalise, decision, publish ──
    const fin = await council2016({ roundId: round.id, organizerId: organizer.id, jurorEmails: JURORS, expected: DEMO_2016_SELECTED });
    if (fin.selected !== DEMO_2016_SELECTED)
      throw new Error(`Đợt mẫu 2016 có ${fin.selected} sản phẩm được công nhận, cần ${DEMO_2016_SELECTED}.`);
    phase(`đợt 2016: ${fin.selected} sản phẩm được công nhận`);

    // ── the round open for registration now ──
    const now = new Date();
    // Demo dates are days counted from now, at a time of day an office would set (08:00 opening,
    // 17:00 closing, Vietnam time), never the minute the seed happened to run ("03:05").
    const vnDayAt = (d: Date, hhmm: string) => `${new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 10)}T${hhmm}`;
    const closes = new Date(Math.max(at("2026-12-31T17:00:00").getTime(), now.getTime() + 35 * 86400_000));
    const open = await createRound({
      actorId: organizer.id,
      roles: organizer.roles,
      data: roundSchema.parse({
        title: "Bình chọn sản phẩm CNNT tiêu biểu khu vực phía Bắc năm 2026",
        slug: DEMO_OPEN_SLUG,
        level: "region",
        regionCode: "BAC",
        year: String(now.getFullYear() < 2026 ? 2026 : now.getFullYear()),
        registrationOpensAt: vnDayAt(new Date(now.getTime() - 7 * 86400_000), "08:00"),
        registrationClosesAt: vnDayAt(closes, "17:00"),
        scoringClosesAt: vnDayAt(new Date(closes.getTime() + 45 * 86400_000), "17:00"),
        passMark: "70",
        quota: "",
        jurorsPerEntry: "",
        authority: "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công – Bộ Công Thương",
      }),
    });
    await advanceRound({ roundId: open.id, actorId: organizer.id, from: "draft" });
    for (const [i, j] of jurors.entries()) {
      await saveCouncilMember({
        roundId: open.id,
        actorId: organizer.id,
        email: j.email,
        role: i === 0 ? "chair" : "member",
        groupNos: [],
      });
    }
    phase("đợt 2026 khu vực đang nhận hồ sơ");

    // ── a provincial round (Ninh Bình 2026), screened and assigned, ready for scoring ──
    const day = 86400_000;
    const province = await createRound({
      actorId: organizer.id,
      roles: organizer.roles,
      data: roundSchema.parse({
        title: "Bình chọn sản phẩm CNNT tiêu biểu tỉnh Ninh Bình năm 2026",
        slug: DEMO_PROVINCE_SLUG,
        level: "province",
        provinceCode: "ninh-binh",
        year: String(now.getFullYear() < 2026 ? 2026 : now.getFullYear()),
        registrationOpensAt: vnDayAt(new Date(now.getTime() - 60 * day), "08:00"),
        registrationClosesAt: vnDayAt(new Date(now.getTime() - 10 * day), "17:00"),
        scoringClosesAt: vnDayAt(new Date(now.getTime() + 60 * day), "17:00"),
        passMark: "70",
        quota: "",
        jurorsPerEntry: "",
        authority: "Ủy ban nhân dân tỉnh Ninh Bình",
      }),
    });
    await advanceRound({ roundId: province.id, actorId: organizer.id, from: "draft" });
    const maiFacility = facilityIds.get(maiProducts[0].facility)!;
    const provinceProducts = [
      { facility: "HTX Thêu ren Văn Lâm", name: "Tranh thêu tay phong cảnh Tràng An", group: 1 },
      { facility: "Công ty TNHH Cói Kim Sơn", name: "Túi cói in họa tiết Kim Sơn", group: 1 },
      { facility: maiProducts[0].facility, name: "Giỏ cói đan tay Kim Sơn", group: 1 },
    ];
    const submittedOn = new Date(now.getTime() - 20 * day);
    const provinceEntries: number[] = [];
    for (const [i, pp] of provinceProducts.entries()) {
      const facilityId = facilityIds.get(pp.facility)!;
      const ownerId = facilityId === maiFacility ? mai.id : products.find((x) => x.product.facility === pp.facility)!.ownerId;
      const { id: productId } = await createProduct({
        actorId: ownerId,
        facilityId,
        name: pp.name,
        groupNo: pp.group,
        description: `${pp.name}, sản phẩm mới của ${pp.facility}.`,
        dossier: dossierFor(pp.name, pp.group, rng(900 + i)),
      });
      await attachDemoPhotos({ actorId: ownerId, facilityId, productId, sources: photoSources, offset: i });
      await attachDemoDocuments({ actorId: ownerId, facilityId, productId, earlier: "chung nhan cap huyen 2025" });
      const { id: entryId } = await saveEntryDraft({
        actorId: ownerId,
        roundId: province.id,
        productId,
        lowerCertificate: {
          serial: `X-NB-2025-${String(i + 1).padStart(3, "0")}`,
          issuer: "UBND xã Kim Sơn",
          decisionNo: `${20 + i}/QĐ-UBND`,
          year: "2025",
        },
        now: submittedOn,
      });
      await submitEntry({ actorId: ownerId, entryId, now: submittedOn });
      provinceEntries.push(entryId);
    }
    await advanceRound({ roundId: province.id, actorId: organizer.id, from: "registration" });
    for (const id of provinceEntries)
      await screenEntry({ actorId: organizer.id, entryId: id, decision: "eligible", now: new Date(now.getTime() - 5 * day), ...(await eligibleChecks(id, { level: "commune", validUntil: "2028-12-31" })) });
    for (const [i, j] of jurors.slice(0, 4).entries()) {
      await saveCouncilMember({
        roundId: province.id,
        actorId: organizer.id,
        email: j.email,
        role: i === 0 ? "chair" : "member",
        groupNos: [],
      });
    }
    // Juror 4 declares a conflict with the first entry (a relative works at the facility).
    await autoAssign({ roundId: province.id, actorId: organizer.id });
    await declareConflict({
      jurorId: jurors[3].id,
      entryId: provinceEntries[0],
      reason: "Người thân của tôi làm việc tại hợp tác xã này.",
    });
    // Juror 4 scores nothing here: the other three entries' sheets are theirs, the first is not.
    await unassignAllOf(province.id, jurors[3].id, organizer.id);
    phase("đợt cấp tỉnh Ninh Bình 2026 sẵn sàng chấm điểm");
  },
};

/** Juror 4 stays on the council (and keeps the declared conflict) without sheets to fill. */
async function unassignAllOf(roundId: number, jurorId: string, actorId: string) {
  const mine = await db().select().from(assignments).where(eq(assignments.jurorId, jurorId));
  for (const a of mine.filter((x) => x.roundId === roundId))
    await unassignJuror({ roundId, actorId, entryId: a.entryId, jurorId });
}
