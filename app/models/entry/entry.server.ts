/**
 * Entries: a product entered into a round. The facility saves a draft, submits (completeness is
 * checked and a snapshot of the dossier is recorded: jurors score what was submitted), may withdraw
 * before screening; the round's secretariat screens it (eligible / returned / ineligible).
 * Screening lists and the owner's dashboard live in entry-views.server.ts.
 */
import { and, asc, eq, inArray, isNull } from "drizzle-orm";

import { certificates, entries, facilities, media, productGroups, provinces, provinces2025, type Entry, type Media, type Product, type Round } from "../../../db/schema";
import { DOC_TYPES, DOSSIER_FIELDS, LowerCertificateSchema, NEEDS_LOWER_CERTIFICATE, MIN_PHOTOS, REQUIRED_DOC_TYPES, type LowerCertificate } from "../../schemas/dossier";
import { EntrySnapshotSchema, type EntrySnapshotInput } from "../../schemas/snapshot";
import { type Database, db } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { formatDateTime } from "../../utils/format";
import { parseOrThrow } from "../../utils/forms";
import { inTransaction } from "../../utils/retry.server";
import { requireVerified } from "../account/account.server";
import { nextSerialNumber } from "../certificate/certificate.server";
import { requireProductMember, saveProductDossier } from "../facility/product.server";
import { assertIntake } from "../round/nomination.server";
import { getRoundById } from "../round/round.server";
import { assertInTerritory } from "../round/territory.server";
import { recordAudit } from "../shared/audit.server";
import { notifyFacility, notifyRoundOrganizers } from "../shared/notification.server";
import { canWithdrawEntry, EDITABLE_ENTRY_STATUSES } from "./rules";

export * from "./screening.server";

/** Statuses the owner may still edit and submit. */
const EDITABLE = EDITABLE_ENTRY_STATUSES;


// ───────────────────────────── rules ─────────────────────────────

/** Refuses unless the round takes entries now (status registration, within its dates). */
export function assertRegistrationOpen(round: Round, now: Date) {
  if (round.status !== "registration") {
    throw new AppError(409, `Đợt “${round.title}” không còn nhận hồ sơ (đợt đang ở giai đoạn khác).`);
  }
  if (now < round.registrationOpensAt) {
    throw new AppError(400, `Đợt “${round.title}” bắt đầu nhận hồ sơ lúc ${formatDateTime(round.registrationOpensAt)} (giờ Việt Nam).`);
  }
  if (now >= round.registrationClosesAt) {
    throw new AppError(
      400,
      `Đã hết hạn nộp hồ sơ: đợt “${round.title}” đóng lúc ${formatDateTime(round.registrationClosesAt)} (giờ Việt Nam).`,
    );
  }
}

export interface DossierParts {
  round: Pick<Round, "level">;
  product: Pick<Product, "name" | "dossier">;
  photos: Pick<Media, "id">[];
  documents: Pick<Media, "docType">[];
  lowerCertificate: Record<string, string> | null;
  lowerCertificateId: number | null;
}

/** What is still missing before the dossier can be submitted, in Vietnamese; empty when complete. */
export function missingItems(parts: DossierParts): string[] {
  const missing: string[] = [];
  const dossier = (parts.product.dossier ?? {}) as Record<string, unknown>;
  for (const f of DOSSIER_FIELDS) {
    const v = dossier[f.name];
    if (typeof v !== "string" || !v.trim()) missing.push(`Chưa nhập “${f.label}”.`);
  }
  if (parts.photos.length < MIN_PHOTOS) {
    missing.push(`Cần ít nhất ${MIN_PHOTOS} ảnh màu chụp sản phẩm từ các góc khác nhau (mới có ${parts.photos.length}).`);
  }
  for (const t of REQUIRED_DOC_TYPES) {
    if (!parts.documents.some((d) => d.docType === t)) missing.push(`Chưa có tài liệu PDF: ${DOC_TYPES[t]}.`);
  }
  if (NEEDS_LOWER_CERTIFICATE.has(parts.round.level)) {
    const lc = parts.lowerCertificate ?? {};
    const described = !!(lc.serial && lc.issuer && lc.year);
    if (!parts.lowerCertificateId && !described) {
      missing.push("Chưa khai Giấy chứng nhận sản phẩm CNNT tiêu biểu cấp dưới (số, cơ quan cấp, năm cấp).");
    }
    if (!parts.lowerCertificateId && !parts.documents.some((d) => d.docType === "earlier_certificate")) {
      missing.push(`Chưa có bản chụp PDF: ${DOC_TYPES.earlier_certificate}.`);
    }
  }
  return missing;
}

/** "BAC16-042": the round's area, the year's last two digits and a number in submission order. */
export function entryCodePrefix(round: Pick<Round, "level" | "regionCode" | "provinceCode" | "year">): string {
  const yy = String(round.year % 100).padStart(2, "0");
  const REGION: Record<string, string> = { BAC: "BAC", TRUNG_TN: "MTTN", NAM: "NAM" };
  let area = "QG";
  if (round.level === "region") area = REGION[round.regionCode ?? ""] ?? (round.regionCode ?? "KV").toUpperCase();
  else if (round.level !== "national") {
    const base = (round.provinceCode ?? "").split(/[-_]/).filter(Boolean);
    area = base.map((w) => w[0]!.toUpperCase()).join("") || "T";
    if (round.level !== "province") area += round.level === "district" ? "H" : "X";
  }
  return `${area}${yy}`;
}

// ───────────────────────────── loading ─────────────────────────────

async function liveMedia(productId: number, tx: Database) {
  return tx
    .select()
    .from(media)
    .where(and(eq(media.productId, productId), isNull(media.deletedAt)))
    .orderBy(asc(media.createdAt), asc(media.id));
}

/** Looks the described lower certificate up among ours (by serial, same product, not revoked). */
async function matchLowerCertificate(productId: number, serial: string | undefined, tx: Database) {
  if (!serial) return null;
  const [row] = await tx
    .select({ id: certificates.id })
    .from(certificates)
    .innerJoin(entries, eq(entries.id, certificates.entryId))
    .where(and(eq(certificates.serial, serial.toUpperCase()), eq(entries.productId, productId), isNull(certificates.revokedAt)));
  return row?.id ?? null;
}

// ───────────────────────────── owner's actions ─────────────────────────────

/**
 * Creates or updates the draft entry of a product in a round, saving the dossier fields on the
 * product (reused by later rounds) and the lower-level certificate on the entry.
 * @throws AppError 404 outside the user's facilities; 409/400 when the round takes no entries now;
 *   409 when the entry is submitted (read-only until returned); 400 (fields) for over-long fields.
 */
export async function saveEntryDraft(
  input: { actorId: string; roundId: number; productId: number; dossier?: unknown; lowerCertificate?: unknown; now?: Date },
  tx: Database = db(),
): Promise<{ id: number }> {
  const now = input.now ?? new Date();
  const lowerCertificate: LowerCertificate = parseOrThrow(LowerCertificateSchema, input.lowerCertificate ?? {});
  return tx.transaction(async (t) => {
    const { product } = await requireProductMember({ userId: input.actorId, productId: input.productId }, t);
    const round = await getRoundById(input.roundId, t);
    assertRegistrationOpen(round, now);
    await assertInTerritory(round, product.facilityId, t);
    await assertIntake(round, product.id, t);
    const findExisting = async () =>
      (await t.select().from(entries).where(and(eq(entries.roundId, round.id), eq(entries.productId, product.id))).for("update"))[0];
    const refuseIfSubmitted = (existing: Entry) => {
      if (!(EDITABLE as readonly string[]).includes(existing.status) && existing.status !== "withdrawn") {
        throw new AppError(409, "Hồ sơ đã nộp nên chỉ xem được; chỉ sửa được khi Ban tổ chức trả lại để bổ sung.");
      }
    };
    let existing = await findExisting();
    if (existing) refuseIfSubmitted(existing);
    if (input.dossier !== undefined) await saveProductDossier({ actorId: input.actorId, productId: product.id, dossier: input.dossier }, t);
    const lowerCertificateId = await matchLowerCertificate(product.id, lowerCertificate.serial, t);
    const values = {
      groupNo: product.groupNo,
      lowerCertificate: NEEDS_LOWER_CERTIFICATE.has(round.level) ? lowerCertificate : null,
      lowerCertificateId,
      updatedAt: now,
    };
    if (!existing) {
      const [row] = await t
        .insert(entries)
        .values({ roundId: round.id, productId: product.id, facilityId: product.facilityId, status: "draft", ...values })
        .onConflictDoNothing()
        .returning({ id: entries.id });
      if (row) {
        await recordAudit({ actorId: input.actorId, action: "entry.create", entity: "entry", entityId: row.id, roundId: round.id }, t);
        return { id: row.id };
      }
      // Another tab created it a moment ago (its insert committed first): continue on that row.
      existing = await findExisting();
      if (!existing) throw new AppError(409, "Hồ sơ của sản phẩm này vừa thay đổi ở một cửa sổ khác. Hãy tải lại trang.");
      refuseIfSubmitted(existing);
    }
    const status = existing.status === "withdrawn" ? "draft" : existing.status;
    await t.update(entries).set({ ...values, status }).where(eq(entries.id, existing.id));
    return { id: existing.id };
  });
}

async function buildSnapshot(entry: Entry, product: Product, round: Round, parts: { photos: Media[]; documents: Media[] }, now: Date, tx: Database) {
  const [facility] = await tx
    .select({
      id: facilities.id,
      name: facilities.name,
      legalForm: facilities.legalForm,
      registrationNo: facilities.registrationNo,
      provinceCode: facilities.provinceCode,
      provinceName: provinces2025.name,
      legacyProvinceCode: facilities.legacyProvinceCode,
      legacyProvinceName: provinces.name,
      district: facilities.district,
      commune: facilities.commune,
      address: facilities.address,
      phone: facilities.phone,
      representative: facilities.representative,
      representativeTitle: facilities.representativeTitle,
    })
    .from(facilities)
    .innerJoin(provinces2025, eq(provinces2025.code, facilities.provinceCode))
    .leftJoin(provinces, eq(provinces.code, facilities.legacyProvinceCode))
    .where(eq(facilities.id, product.facilityId));
  const [group] = await tx.select().from(productGroups).where(eq(productGroups.no, product.groupNo));
  // Checked against the one shape every reader parses (app/schemas/snapshot.ts).
  return EntrySnapshotSchema.parse({
    version: entry.version + 1,
    submittedAt: now.toISOString(),
    round: { id: round.id, slug: round.slug, title: round.title, level: round.level },
    product: { id: product.id, name: product.name, groupNo: product.groupNo, groupName: group?.name ?? null, description: product.description },
    facility,
    dossier: product.dossier,
    photos: parts.photos.map((p) => ({ id: p.id, width: p.width, height: p.height, variants: p.variants, originalName: p.originalName })),
    documents: parts.documents.map((d) => ({ id: d.id, docType: d.docType, originalName: d.originalName, sizeBytes: d.sizeBytes, sha256: d.sha256 })),
    lowerCertificate: entry.lowerCertificate,
    lowerCertificateId: entry.lowerCertificateId,
  } satisfies EntrySnapshotInput);
}

/**
 * Submits a draft (or a returned) entry: checks the deadline and completeness, gives it a code on
 * first submission and records the snapshot jurors will score. Two concurrent submissions of the
 * same entry: the row lock makes the second see it submitted, so one wins.
 * @throws AppError 404 outside the user's facilities; 400 after the closing time (shown in Vietnam
 *   time) or when something is missing (listed); 409 when already submitted or not open.
 */
export async function submitEntry(input: { actorId: string; entryId: number; now?: Date }, tx?: Database) {
  const now = input.now ?? new Date();
  // Twenty clicks at once can deadlock on PostgreSQL (row lock, serial counter, audit): retried.
  return inTransaction(tx, async (t) => {
    const [entry] = await t.select().from(entries).where(eq(entries.id, input.entryId)).for("update");
    if (!entry) throw notFound("Không tìm thấy hồ sơ.");
    const { product } = await requireProductMember({ userId: input.actorId, productId: entry.productId }, t).catch(() => {
      throw notFound("Không tìm thấy hồ sơ.");
    });
    const round = await getRoundById(entry.roundId, t);
    await requireVerified({ userId: input.actorId, doing: "nộp hồ sơ" }, t);
    if (!(EDITABLE as readonly string[]).includes(entry.status)) {
      throw new AppError(409, entry.status === "withdrawn" ? "Hồ sơ đã rút; hãy lưu lại bản nháp trước khi nộp." : "Hồ sơ này đã được nộp rồi.");
    }
    assertRegistrationOpen(round, now);
    await assertInTerritory(round, product.facilityId, t);
    await assertIntake(round, product.id, t);
    const all = await liveMedia(product.id, t);
    const photos = all.filter((m) => m.kind === "photo");
    const documents = all.filter((m) => m.kind === "document");
    const missing = missingItems({ round, product, photos, documents, lowerCertificate: entry.lowerCertificate, lowerCertificateId: entry.lowerCertificateId });
    if (missing.length) {
      throw new AppError(400, `Hồ sơ chưa đủ để nộp: ${missing.join(" ")}`, { _missing: missing.join("\n") });
    }
    const code = entry.code ?? `${entryCodePrefix(round)}-${String(await nextSerialNumber(`entry:${round.id}`, t)).padStart(3, "0")}`;
    const snapshot = await buildSnapshot(entry, product, round, { photos, documents }, now, t);
    const updated = await t
      .update(entries)
      .set({
        status: "submitted",
        code,
        snapshot,
        groupNo: product.groupNo,
        submittedAt: now,
        version: entry.version + 1,
        updatedAt: now,
      })
      .where(and(eq(entries.id, entry.id), inArray(entries.status, [...EDITABLE])))
      .returning({ id: entries.id });
    if (updated.length === 0) throw new AppError(409, "Hồ sơ này đã được nộp rồi.");
    await recordAudit(
      {
        actorId: input.actorId,
        action: entry.status === "returned" ? "entry.resubmit" : "entry.submit",
        entity: "entry",
        entityId: entry.id,
        roundId: round.id,
        before: { status: entry.status },
        after: { status: "submitted", code, version: entry.version + 1 },
      },
      t,
    );
    await notifyFacility(
      {
        facilityId: entry.facilityId,
        kind: "entry_received",
        title: `Đã tiếp nhận hồ sơ ${code}`,
        body: `Hồ sơ “${product.name}” đã được nộp vào đợt “${round.title}” với mã ${code}. Ban tổ chức sẽ thẩm định và báo kết quả.`,
        link: `/facility/entry/${product.id}/${round.slug}`,
      },
      t,
    );
    // The secretariat hears that the queue has work: one notice until they read it, not one per dossier.
    await notifyRoundOrganizers(
      {
        round,
        kind: "screening_waiting",
        title: `Hồ sơ chờ thẩm định — đợt “${round.title}”`,
        body: `Có hồ sơ ${entry.status === "returned" ? "nộp lại" : "mới nộp"} đang chờ thẩm định trong đợt “${round.title}” (gần nhất: ${code} — “${product.name}”).`,
        link: `/organizer/rounds/${round.slug}/screening`,
        once: "unread",
      },
      t,
    );
    return { id: entry.id, code };
  });
}

/**
 * Withdraws an entry before screening decides on it.
 * @throws AppError 404 outside the user's facilities; 409 once screened or when the round moved on.
 */
export async function withdrawEntry(input: { actorId: string; entryId: number }, tx: Database = db()) {
  await tx.transaction(async (t) => {
    const [entry] = await t.select().from(entries).where(eq(entries.id, input.entryId)).for("update");
    if (!entry) throw notFound("Không tìm thấy hồ sơ.");
    await requireProductMember({ userId: input.actorId, productId: entry.productId }, t).catch(() => {
      throw notFound("Không tìm thấy hồ sơ.");
    });
    const round = await getRoundById(entry.roundId, t);
    if (!canWithdrawEntry(entry, round)) {
      throw new AppError(409, "Không thể rút hồ sơ sau khi Ban tổ chức đã thẩm định.");
    }
    await t.update(entries).set({ status: "withdrawn", updatedAt: new Date() }).where(eq(entries.id, entry.id));
    await recordAudit(
      { actorId: input.actorId, action: "entry.withdraw", entity: "entry", entityId: entry.id, roundId: round.id, before: { status: entry.status }, after: { status: "withdrawn" } },
      t,
    );
  });
}

