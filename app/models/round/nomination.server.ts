/**
 * Nominations up the levels (issue 15 §1–2): a higher round that takes nominations gives each
 * province a number of places; the lower round's organiser, once that round is decided, sends its
 * recognised products up with a cover letter (số công văn, date, signer, PDF) and a generated
 * summary list; each facility confirms and its dossier is submitted for the higher level from what
 * it already has (dossier, photos, documents — nothing uploaded again), before the deadline. The
 * higher secretariat screens as usual and sees the 30-working-day processing clock.
 * Here: the higher round's settings and the lower round's nomination; the facility's side in
 * nomination-facility.server.ts, the letters received in nomination-view.server.ts, public
 * holidays in holiday.server.ts.
 */

import { and, asc, count, eq, inArray } from "drizzle-orm";

import {
  certificates,
  entries,
  facilities,
  nominationLetters,
  nominations,
  productGroups,
  products,
  roundQuotas,
  rounds,
  type Round,
} from "../../../db/schema";
import { type Database, db } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { formatDateTime } from "../../utils/format";
import { sha256 } from "../../utils/hash.server";
import { storage } from "../../utils/storage/index.server";
import { newMediaId, sniff } from "../../utils/uploads.server";
import { LOWER_LEVELS } from "../entry/eligibility-rules";
import { recordAudit } from "../shared/audit.server";
import { notifyFacility } from "../shared/notification.server";
import { canNominateFrom } from "./rules";
import { provinceEraProblem, roundDay, territoryProblem, vietnamDay } from "./territory-rules";
import { provinceReference } from "./territory.server";


/**
 * Refuses a facility's own draft or submission in a round that takes nominations, unless the
 * product was nominated to it. @throws AppError 400.
 */
export async function assertIntake(round: Round, productId: number, tx: Database = db()) {
  if (round.intakeMode !== "nomination") return;
  const [n] = await tx
    .select({ id: nominations.id })
    .from(nominations)
    .where(and(eq(nominations.toRoundId, round.id), eq(nominations.productId, productId)));
  if (!n) {
    throw new AppError(
      400,
      `Đợt “${round.title}” nhận hồ sơ do cấp dưới đề nghị (công văn kèm danh sách), không nhận đăng ký trực tiếp của cơ sở. Hãy liên hệ Sở Công Thương nơi cơ sở đặt trụ sở.`,
    );
  }
}

async function requireOrganizerOf(userId: string, round: Round, tx: Database) {
  const { coversRound } = await import("../entry/entry.server");
  if (!(await coversRound(userId, round, tx))) throw notFound("Không tìm thấy đợt bình chọn.");
}

async function roundBySlug(slug: string, tx: Database) {
  const [round] = await tx.select().from(rounds).where(eq(rounds.slug, slug));
  if (!round) throw notFound("Không tìm thấy đợt bình chọn.");
  return round;
}

// ───────────────────────────── the higher round's settings ─────────────────────────────

/** Sets how the round takes entries. @throws AppError 409 once entries exist. */
export async function setIntakeMode(input: { actorId: string; slug: string; mode: string }, tx: Database = db()) {
  if (input.mode !== "direct" && input.mode !== "nomination") throw new AppError(400, "Chọn cách nhận hồ sơ.", { mode: "Chọn cách nhận hồ sơ." });
  return tx.transaction(async (t) => {
    const round = await roundBySlug(input.slug, t);
    await requireOrganizerOf(input.actorId, round, t);
    if (input.mode === "nomination" && !["region", "national", "province"].includes(round.level)) {
      throw new AppError(400, "Chỉ đợt cấp tỉnh, khu vực hoặc quốc gia nhận hồ sơ do cấp dưới đề nghị.");
    }
    const [{ n }] = await t.select({ n: count() }).from(entries).where(eq(entries.roundId, round.id));
    if (n > 0 && round.intakeMode !== input.mode) throw new AppError(409, "Đợt đã có hồ sơ nên không đổi được cách nhận hồ sơ.");
    await t.update(rounds).set({ intakeMode: input.mode as "direct" | "nomination", updatedAt: new Date() }).where(eq(rounds.id, round.id));
    await recordAudit({ actorId: input.actorId, action: "round.intake_mode", entity: "round", entityId: round.id, roundId: round.id, before: { mode: round.intakeMode }, after: { mode: input.mode } }, t);
  });
}

/**
 * Sets a province's places on a higher round (0 removes it). The province is named in the list of
 * the round's time and must lie in its territory.
 * @throws AppError 400 for a code of the wrong era, outside the territory, or places under those
 *   already nominated.
 */
export async function setQuota(input: { actorId: string; slug: string; provinceCode: string; places: string | number }, tx: Database = db()) {
  const places = Number(input.places);
  if (!Number.isInteger(places) || places < 0 || places > 999) {
    throw new AppError(400, "Số suất là số nguyên từ 0 đến 999.", { places: "Số suất là số nguyên từ 0 đến 999." });
  }
  return tx.transaction(async (t) => {
    const round = await roundBySlug(input.slug, t);
    await requireOrganizerOf(input.actorId, round, t);
    const ref = await provinceReference(t);
    const day = roundDay(round);
    const eraProblem = provinceEraProblem(input.provinceCode, day, ref);
    if (eraProblem) throw new AppError(400, eraProblem, { provinceCode: eraProblem });
    const outside = territoryProblem(round, provinceAsFacility(input.provinceCode, day, ref), ref);
    if (outside) {
      const msg = `Tỉnh này không thuộc phạm vi của đợt “${round.title}”.`;
      throw new AppError(400, msg, { provinceCode: msg });
    }
    const used = await usedPlaces(round.id, input.provinceCode, t);
    if (places < used) {
      const msg = `Tỉnh đã được đề nghị ${used} sản phẩm nên số suất không thể ít hơn ${used}.`;
      throw new AppError(400, msg, { places: msg });
    }
    if (places === 0) await t.delete(roundQuotas).where(and(eq(roundQuotas.roundId, round.id), eq(roundQuotas.provinceCode, input.provinceCode)));
    else
      await t
        .insert(roundQuotas)
        .values({ roundId: round.id, provinceCode: input.provinceCode, places })
        .onConflictDoUpdate({ target: [roundQuotas.roundId, roundQuotas.provinceCode], set: { places } });
    await recordAudit({ actorId: input.actorId, action: "round.quota", entity: "round", entityId: round.id, roundId: round.id, after: { provinceCode: input.provinceCode, places } }, t);
  });
}

/** A province code as a facility located there (for the territory rule). */
function provinceAsFacility(code: string, day: string, ref: Awaited<ReturnType<typeof provinceReference>>) {
  if (day >= "2025-07-01") return { provinceCode: code, legacyProvinceCode: null };
  return { provinceCode: ref.old.get(code)?.currentCode ?? code, legacyProvinceCode: code };
}

async function usedPlaces(roundId: number, provinceCode: string, tx: Database) {
  const [{ n }] = await tx
    .select({ n: count() })
    .from(nominations)
    .innerJoin(nominationLetters, eq(nominationLetters.id, nominations.letterId))
    .where(and(eq(nominations.toRoundId, roundId), eq(nominationLetters.provinceCode, provinceCode)));
  return n;
}

export async function listQuotas(roundId: number, tx: Database = db()) {
  const rows = await tx.select().from(roundQuotas).where(eq(roundQuotas.roundId, roundId)).orderBy(asc(roundQuotas.provinceCode));
  const ref = await provinceReference(tx);
  const out = [];
  for (const q of rows) {
    out.push({
      provinceCode: q.provinceCode,
      provinceName: ref.old.get(q.provinceCode)?.name ?? ref.current.get(q.provinceCode)?.name ?? q.provinceCode,
      places: q.places,
      used: await usedPlaces(roundId, q.provinceCode, tx),
    });
  }
  return out;
}

// ───────────────────────────── the lower round's nomination ─────────────────────────────

export interface NominationInput {
  actorId: string;
  fromSlug: string;
  toSlug: string;
  entryIds: number[];
  letterNo: string;
  letterDate: string;
  signer: string;
  pdf: { bytes: Buffer; name: string } | null;
  now?: Date;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function letterFieldErrors(input: NominationInput, today: string) {
  const errors: Record<string, string> = {};
  const no = input.letterNo.trim();
  if (!no) errors.letterNo = "Nhập số công văn (ví dụ 1234/UBND-KT).";
  else if (no.length > 60) errors.letterNo = "Số công văn tối đa 60 ký tự.";
  if (!DAY.test(input.letterDate)) errors.letterDate = "Ngày công văn không hợp lệ.";
  else if (input.letterDate > today) errors.letterDate = "Ngày công văn không được sau hôm nay.";
  if (!input.signer.trim()) errors.signer = "Nhập người ký công văn (chức vụ và họ tên).";
  else if (input.signer.trim().length > 200) errors.signer = "Người ký tối đa 200 ký tự.";
  if (!input.pdf || input.pdf.bytes.length === 0) errors.pdf = "Đính kèm bản chụp công văn (PDF).";
  else if (sniff(input.pdf.bytes) !== "pdf") errors.pdf = `Tệp “${input.pdf.name}” không phải là PDF.`;
  else if (input.pdf.bytes.length > 20 * 1024 * 1024) errors.pdf = "Công văn phải nhỏ hơn 20 MB.";
  if (!input.entryIds.length) errors.entryIds = "Chọn ít nhất một sản phẩm để đề nghị.";
  return errors;
}

/** Rounds the decided lower round may nominate to: open, taking nominations, containing its province. */
export async function nominationTargets(from: Round, tx: Database = db()) {
  const open = await tx
    .select()
    .from(rounds)
    .where(and(eq(rounds.intakeMode, "nomination"), inArray(rounds.status, ["draft", "registration"])));
  const ref = await provinceReference(tx);
  return open.filter((to) => {
    if (!(LOWER_LEVELS[to.level] ?? []).includes(from.level) || !from.provinceCode) return false;
    return !territoryProblem(to, provinceAsFacility(from.provinceCode, roundDay(to), ref), ref);
  });
}

/** The lower round's recognised entries that can be sent up (with their certificates). */
export async function recognisedEntries(fromRoundId: number, tx: Database = db()) {
  return tx
    .select({
      entryId: entries.id,
      productId: entries.productId,
      facilityId: entries.facilityId,
      productName: products.name,
      facilityName: facilities.name,
      groupNo: entries.groupNo,
      groupName: productGroups.name,
      meanScore: entries.meanScore,
      certificateId: certificates.id,
      certificateSerial: certificates.serial,
      certificateRevoked: certificates.revokedAt,
    })
    .from(entries)
    .innerJoin(products, eq(products.id, entries.productId))
    .innerJoin(facilities, eq(facilities.id, entries.facilityId))
    .innerJoin(productGroups, eq(productGroups.no, entries.groupNo))
    .leftJoin(certificates, eq(certificates.entryId, entries.id))
    .where(and(eq(entries.roundId, fromRoundId), eq(entries.status, "selected")))
    .orderBy(asc(entries.rank), asc(entries.id));
}

async function storeLetterPdf(bytes: Buffer) {
  const key = newMediaId();
  await storage().put(letterPdfKey(key), bytes, { contentType: "application/pdf" });
  return key;
}

/** The storage key of a cover letter's PDF (local folder or S3). */
export function letterPdfKey(key: string) {
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(key)) throw notFound("Không tìm thấy tệp.");
  return `letters/${key}.pdf`;
}

/**
 * Sends recognised products of a decided lower round up to a higher round with a cover letter.
 * @throws AppError 404 outside the actor's scope; 400 (Vietnamese, nothing written) for a target
 *   that takes direct registration, after its deadline, over the province's quota, a product the
 *   lower round did not recognise (or whose certificate was revoked), or letter fields missing.
 */
export async function nominate(input: NominationInput, tx: Database = db()) {
  const now = input.now ?? new Date();
  const errors = letterFieldErrors(input, vietnamDay(now));
  if (Object.keys(errors).length) throw new AppError(400, Object.values(errors)[0], errors);
  const pdfKey = await storeLetterPdf(input.pdf!.bytes);
  try {
    return await tx.transaction(async (t) => {
      const from = await roundBySlug(input.fromSlug, t);
      await requireOrganizerOf(input.actorId, from, t);
      const [to] = await t.select().from(rounds).where(eq(rounds.slug, input.toSlug)).for("update");
      if (!to) throw notFound("Không tìm thấy đợt nhận đề nghị.");
      if (to.intakeMode !== "nomination") {
        throw new AppError(400, `Đợt “${to.title}” nhận đăng ký trực tiếp của cơ sở, không nhận hồ sơ do cấp dưới đề nghị.`);
      }
      if (!canNominateFrom(from)) {
        throw new AppError(409, `Đợt “${from.title}” chưa có quyết định công nhận nên chưa đề nghị lên cấp trên được.`);
      }
      if (!(LOWER_LEVELS[to.level] ?? []).includes(from.level)) {
        throw new AppError(400, `Đợt “${to.title}” không nhận đề nghị từ đợt cấp này (chỉ từ cấp liền dưới).`);
      }
      if (!["draft", "registration"].includes(to.status) || now >= to.registrationClosesAt) {
        throw new AppError(400, `Đã hết hạn gửi đề nghị: đợt “${to.title}” nhận hồ sơ đến ${formatDateTime(to.registrationClosesAt)} (giờ Việt Nam).`);
      }
      const province = from.provinceCode ?? "";
      const ref = await provinceReference(t);
      const eraProblem = provinceEraProblem(province, roundDay(to), ref);
      if (eraProblem) throw new AppError(400, eraProblem);
      const outside = territoryProblem(to, provinceAsFacility(province, roundDay(to), ref), ref);
      if (outside) throw new AppError(400, `Tỉnh của đợt “${from.title}” không thuộc phạm vi của đợt “${to.title}”.`);
      const [quota] = await t.select().from(roundQuotas).where(and(eq(roundQuotas.roundId, to.id), eq(roundQuotas.provinceCode, province)));
      const provinceName = ref.old.get(province)?.name ?? ref.current.get(province)?.name ?? province;
      if (!quota) throw new AppError(400, `Đợt “${to.title}” chưa giao suất cho ${provinceName}.`);
      const ids = [...new Set(input.entryIds)];
      const used = await usedPlaces(to.id, province, t);
      if (used + ids.length > quota.places) {
        throw new AppError(
          400,
          `Vượt số suất: ${provinceName} được đề nghị ${quota.places} sản phẩm, đã đề nghị ${used}, lần này ${ids.length}.`,
          { entryIds: `Chọn tối đa ${quota.places - used} sản phẩm.` },
        );
      }
      const recognised = new Map((await recognisedEntries(from.id, t)).map((e) => [e.entryId, e]));
      const chosen = [];
      for (const id of ids) {
        const e = recognised.get(id);
        if (!e) {
          const [other] = await t.select({ name: products.name }).from(entries).innerJoin(products, eq(products.id, entries.productId)).where(eq(entries.id, id));
          throw new AppError(400, `Sản phẩm “${other?.name ?? id}” không được đợt “${from.title}” công nhận nên không đề nghị được.`);
        }
        if (!e.certificateId || e.certificateRevoked) {
          throw new AppError(400, `Giấy chứng nhận của sản phẩm “${e.productName}” chưa cấp hoặc đã bị thu hồi nên không đề nghị được.`);
        }
        const [facility] = await t.select().from(facilities).where(eq(facilities.id, e.facilityId));
        const problem = territoryProblem(to, facility, ref);
        if (problem) throw new AppError(400, problem);
        const [dup] = await t.select({ id: nominations.id }).from(nominations).where(and(eq(nominations.toRoundId, to.id), eq(nominations.productId, e.productId)));
        if (dup) throw new AppError(400, `Sản phẩm “${e.productName}” đã được đề nghị vào đợt này.`);
        chosen.push(e);
      }
      const [dupLetter] = await t
        .select({ id: nominationLetters.id })
        .from(nominationLetters)
        .where(and(eq(nominationLetters.toRoundId, to.id), eq(nominationLetters.letterNo, input.letterNo.trim())));
      if (dupLetter) throw new AppError(400, `Công văn số ${input.letterNo.trim()} đã được gửi cho đợt này.`, { letterNo: "Số công văn đã dùng." });
      const [letter] = await t
        .insert(nominationLetters)
        .values({
          toRoundId: to.id,
          fromRoundId: from.id,
          provinceCode: province,
          letterNo: input.letterNo.trim(),
          letterDate: input.letterDate,
          signer: input.signer.trim(),
          pdfKey,
          pdfSha256: sha256(input.pdf!.bytes),
          pdfName: input.pdf!.name.slice(0, 200),
          createdBy: input.actorId,
        })
        .returning();
      for (const e of chosen) {
        await t.insert(nominations).values({
          letterId: letter.id,
          toRoundId: to.id,
          productId: e.productId,
          facilityId: e.facilityId,
          fromEntryId: e.entryId,
          certificateId: e.certificateId,
        });
        await notifyFacility(
          {
            facilityId: e.facilityId,
            kind: "entry_received",
            title: `Sản phẩm “${e.productName}” được đề nghị lên ${to.title}`,
            body: `${provinceName} đề nghị sản phẩm “${e.productName}” tham gia đợt “${to.title}” (công văn ${letter.letterNo}). Hãy xác nhận và hoàn thiện hồ sơ trước ${formatDateTime(to.registrationClosesAt)}.`,
            link: "/facility/nominations",
          },
          t,
        );
      }
      await recordAudit(
        { actorId: input.actorId, action: "nomination.send", entity: "nomination_letter", entityId: letter.id, roundId: to.id, after: { letterNo: letter.letterNo, entries: ids } },
        t,
      );
      return { letterId: letter.id, count: chosen.length };
    });
  } catch (error) {
    await storage().remove(letterPdfKey(pdfKey));
    throw error;
  }
}
