/**
 * The 2016 provincial rounds of the demo (issue 15 §8), built through the models: in each of 24
 * Northern provinces the facilities submitted their dossiers with the district certificate, the
 * Sở Công Thương screened them (checklist, paper certificate checked), three provincial jurors
 * scored, the round was finalised, the People's Committee recorded its recognition decision and
 * published it with certificates; then the province sent its recognised products up to the
 * Northern regional round with a cover letter (số công văn, date, signer, generated PDF), within
 * the places the region gave it. The facilities confirm at the region (demo-rounds.ts).
 */
import { eq } from "drizzle-orm";

import { createUser } from "../../app/models/account/user.server";
import { saveCouncilMember } from "../../app/models/council/council.server";
import { saveEntryDraft, screenEntry, submitEntry } from "../../app/models/entry/entry.server";
import { finaliseRound, publishRound, recordDecision } from "../../app/models/results/results.server";
import { nominate, recognisedEntries } from "../../app/models/round/nomination.server";
import { advanceRound, createRound } from "../../app/models/round/round.server";
import { getRubricLeaves } from "../../app/models/round/rubric.server";
import { autoAssign } from "../../app/models/scoring/assignment.server";
import { saveScoreSheet } from "../../app/models/scoring/scoring.server";
import { roundSchema } from "../../app/schemas/round";
import { db } from "../../app/utils/db.server";
import type { RoleGrant } from "../../app/utils/permissions";
import { assignments } from "../../db/schema";
import { DEMO_PASSWORD } from "./demo";
import { demoLetterPdf } from "./demo-letter";
import { eligibleChecks } from "./demo-levels";
import { spreadOverLeaves } from "./demo-rounds";
import type { DemoProduct } from "./demo-rounds-data";

const at = (iso: string) => new Date(`${iso}+07:00`);
const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** Illustrative names of the provincial signers (no real office holder is named). */
const SIGNERS = ["Nguyễn Văn Bình", "Trần Quốc Hưng", "Lê Thị Thanh Hà", "Phạm Đức Long", "Hoàng Minh Tuấn", "Vũ Thị Hồng", "Đỗ Văn Khánh", "Bùi Quang Vinh"];
const JUROR_NAMES = ["Nguyễn Thị Hòa", "Trần Văn Quang", "Lê Minh Châu", "Phạm Thị Yến", "Đặng Văn Thái", "Ngô Thị Huệ"];

export interface ProvincialItem {
  product: DemoProduct;
  productId: number;
  ownerId: string;
  seq: number;
}

export interface Province2016 {
  code: string;
  name: string;
  slug: string;
  roundId: number;
}

const CITIES = new Set(["Hà Nội", "Hải Phòng"]);
export const unitOf = (name: string) => `${CITIES.has(name) ? "thành phố" : "tỉnh"} ${name}`;

/**
 * Builds, decides and publishes the provincial round of each province of `items`, then nominates
 * its recognised products to `toSlug`. @returns the rounds in province order.
 */
export async function provincialRounds2016(input: {
  organizer: { id: string; roles: RoleGrant[] };
  items: ProvincialItem[];
  provinceCode: (name: string) => string;
  toSlug: string;
  toTitle: string;
  phase: (what: string) => void;
  /** Scores for the provincial sheets (deterministic). */
  r: () => number;
}) {
  const { organizer, r } = input;
  const names = [...new Set(input.items.map((i) => i.product.province))];
  // Three jurors per province (officers of the Sở, experts): never on the regional council, so
  // "scored the same product in another round" keeps nobody off a regional entry.
  const jurorsOf = new Map<string, string[]>();
  await Promise.all(
    names.map(async (name, p) => {
      const code = input.provinceCode(name);
      const emails: string[] = [];
      for (let k = 1; k <= 3; k++) {
        const email = `giamkhao-${code}-${k}@demo.cnnt.vn`;
        await createUser({ email, password: DEMO_PASSWORD, fullName: JUROR_NAMES[(p + k) % JUROR_NAMES.length], title: `Hội đồng bình chọn ${unitOf(name)}`, roles: ["juror"], verified: true });
        emails.push(email);
      }
      jurorsOf.set(name, emails);
    }),
  );
  input.phase(`${names.length * 3} giám khảo cấp tỉnh`);

  const out: Province2016[] = [];
  const spent: Record<string, number> = {};
  let mark = Date.now();
  const lap = (what: string) => {
    spent[what] = (spent[what] ?? 0) + Date.now() - mark;
    mark = Date.now();
  };
  for (const [p, name] of names.entries()) {
    const code = input.provinceCode(name);
    const mine = input.items.filter((i) => i.product.province === name);
    const round = await createRound({
      actorId: organizer.id,
      roles: organizer.roles,
      data: roundSchema.parse({
        title: `Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu ${unitOf(name)} năm 2016`,
        slug: `2016-tinh-${code}`,
        level: "province",
        provinceCode: code,
        year: "2016",
        registrationOpensAt: "2016-03-01T08:00",
        registrationClosesAt: "2016-05-20T17:00",
        scoringClosesAt: "2016-06-10T17:00",
        passMark: "70",
        quota: "",
        jurorsPerEntry: "",
        authority: `Ủy ban nhân dân ${unitOf(name)}`,
      }),
    });
    await advanceRound({ roundId: round.id, actorId: organizer.id, from: "draft" });
    lap("round");
    const entryIds: number[] = [];
    for (const [k, item] of mine.entries()) {
      const when = at(`2016-05-${pad(3 + ((item.seq + k) % 15))}T09:30:00`);
      const { id } = await saveEntryDraft({
        actorId: item.ownerId,
        roundId: round.id,
        productId: item.productId,
        lowerCertificate: { serial: `H-${code.toUpperCase()}-2015-${pad(item.seq, 3)}`, issuer: `UBND cấp huyện, ${unitOf(name)}`, decisionNo: `${50 + k}/QĐ-UBND`, year: "2015" },
        now: when,
      });
      await submitEntry({ actorId: item.ownerId, entryId: id, now: when });
      entryIds.push(id);
    }
    lap("entries");
    await advanceRound({ roundId: round.id, actorId: organizer.id, from: "registration" });
    for (const id of entryIds)
      await screenEntry({ actorId: organizer.id, entryId: id, decision: "eligible", now: at("2016-05-25T10:00:00"), ...(await eligibleChecks(id, { level: "district", validUntil: "2018-12-31" })) });
    for (const [k, email] of jurorsOf.get(name)!.entries())
      await saveCouncilMember({ roundId: round.id, actorId: organizer.id, email, role: k === 0 ? "chair" : "member", groupNos: [] });
    lap("screening");
    await autoAssign({ roundId: round.id, actorId: organizer.id });
    await advanceRound({ roundId: round.id, actorId: organizer.id, from: "screening" });
    lap("assign");
    const leaves = await getRubricLeaves(round.id);
    const links = await db().select().from(assignments).where(eq(assignments.roundId, round.id));
    await db().transaction(async (tx) => {
      for (const [k, id] of entryIds.entries()) {
        const stays = mine[k].product.stays;
        const target = stays ? 58 + Math.floor(r() * 22) / 2 : 72 + Math.floor(r() * 36) / 2; // 58–68.5 or 72–89.5
        const judges = links.filter((a) => a.entryId === id).map((a) => a.jurorId).sort();
        const offsets = [0, 1.5, -1.5];
        for (const [j, jurorId] of judges.entries())
          await saveScoreSheet(
            { jurorId, entryId: id, points: spreadOverLeaves(target + (offsets[j] ?? 0), leaves), comment: "", submit: true, now: at("2016-06-08T15:00:00") },
            tx,
          );
      }
    });
    lap("sheets");
    await finaliseRound({ roundId: round.id, actorId: organizer.id, now: at("2016-06-14T16:00:00") });
    const decisionDate = `2016-06-${pad(15 + (p % 12))}`;
    const decisionNo = `${1200 + p * 37}/QĐ-UBND`;
    const signerName = SIGNERS[p % SIGNERS.length];
    await recordDecision({ roundId: round.id, actorId: organizer.id, decisionNo, decisionDate, decisionSigner: `Phó Chủ tịch UBND ${unitOf(name)}`, decisionSignerName: signerName, decisionSignerCapacity: "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" });
    await publishRound({ roundId: round.id, actorId: organizer.id, now: at(`${decisionDate}T15:00:00`) });

    lap("decision");
    // The cover letter with the summary list, to the region, within the province's places.
    const recognised = await recognisedEntries(round.id);
    const letterDate = `2016-07-${pad(4 + (p % 11))}`;
    const letterNo = `${1500 + p * 23}/UBND-KT`;
    const pdf = await demoLetterPdf({
      unit: unitOf(name),
      place: name,
      letterNo,
      letterDate,
      decisionNo,
      decisionDate,
      addressee: "Cục Công nghiệp địa phương – Bộ Công Thương",
      roundTitle: input.toTitle,
      signerName,
      items: recognised.map((e) => ({ productName: e.productName, facilityName: e.facilityName, groupNo: e.groupNo, score: e.meanScore, serial: e.certificateSerial })),
    });
    lap("letter pdf");
    await nominate({
      actorId: organizer.id,
      fromSlug: round.slug,
      toSlug: input.toSlug,
      entryIds: recognised.map((e) => e.entryId),
      letterNo,
      letterDate,
      signer: `KT. Chủ tịch – Phó Chủ tịch ${signerName}`,
      pdf: { bytes: pdf, name: `cong-van-${letterNo.replace(/\//g, "-")}.pdf` },
      now: at(`${letterDate}T10:00:00`),
    });
    lap("nominate");
    out.push({ code, name, slug: round.slug, roundId: round.id });
  }
  input.phase(`${out.length} đợt cấp tỉnh 2016 đã công nhận và gửi công văn đề nghị [${Object.entries(spent).map(([k, v]) => `${k} ${v}`).join(", ")} ms]`);
  return out;
}
