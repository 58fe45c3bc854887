/**
 * Complaints by anyone with an e-mail address, without an account (issue 14 §3): the complaint waits
 * in complaint_requests until the one-time link mailed to the address is followed.
 */
import { and, eq, isNull, lt } from "drizzle-orm";

import { complaintRequests, entries, rounds } from "../../../db/schema";
import { db } from "../../utils/db.server";
import { env } from "../../utils/env.server";
import { AppError, notFound } from "../../utils/errors";
import { absoluteUrl, hashToken, newToken } from "../../utils/tokens.server";
import { prepareAttachedPdf } from "../../utils/uploads.server";
import { withinLimit } from "../account/throttle.server";
import { processOf } from "../council/process.server";
import { COMPLAINT_LINK_HOURS, COMPLAINT_MAILS_PER_ADDRESS, PROCESS_SUBJECT } from "../council/session-rules";
import { enqueueMessage } from "../messaging/outbox.server";
import { complaintLinkMessage, complaintReceiptMessage } from "../messaging/templates";
import { recordAudit } from "../shared/audit.server";
import { assertWindowOpen, checkComplaint, insertComplaint, withinComplaintLimit } from "./complaint.server";

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A complaint by anyone with an e-mail address, without an account: every check of a complaint
 * passes now (text, window, entry, PDF, the client's allowance and COMPLAINT_MAILS_PER_ADDRESS an
 * hour to one address), then the complaint waits in complaint_requests and a one-time link
 * (COMPLAINT_LINK_HOURS) is mailed through the outbox. Nothing is recorded as a complaint until
 * the link is followed (confirmComplaintRequest).
 * @returns when the link expires.
 * @throws AppError 400 / 409 / 429; nothing is written.
 */
export async function requestComplaintByEmail(input: {
  roundId: number;
  email: string;
  entryCode?: string | null;
  body: string;
  pdf?: { bytes: Buffer; name: string } | null;
  client?: string | null;
  now?: Date;
}) {
  const now = input.now ?? new Date();
  const email = input.email.normalize("NFC").trim().toLowerCase();
  if (!EMAIL_RE.test(email) || email.length > 254)
    throw new AppError(400, "Địa chỉ email không hợp lệ.", { email: "Nhập địa chỉ email của bạn (ví dụ: ten@donvi.vn): liên kết xác nhận gửi tới đó." });
  const { body, code, entryId } = await checkComplaint({ ...input, now });
  const attached = await prepareAttachedPdf(input.pdf);
  try {
    await withinComplaintLimit(input.client ?? email);
    if (!(await withinLimit({ key: `complaint-mail:${email}`, limit: COMPLAINT_MAILS_PER_ADDRESS, windowMinutes: 60 })))
      throw new AppError(429, `Đã gửi ${COMPLAINT_MAILS_PER_ADDRESS} thư xác nhận khiếu nại tới địa chỉ này trong một giờ. Vui lòng thử lại sau.`);
    return await db().transaction(async (tx) => {
      const [round] = await tx.select().from(rounds).where(eq(rounds.id, input.roundId));
      if (!round) throw notFound();
      const { token, hash } = newToken();
      const expiresAt = new Date(now.getTime() + COMPLAINT_LINK_HOURS * 3_600_000);
      const [req] = await tx
        .insert(complaintRequests)
        .values({ roundId: round.id, entryId, body, email, client: input.client ?? null, tokenHash: hash, expiresAt, createdAt: now, ...attached.columns })
        .returning({ id: complaintRequests.id });
      await enqueueMessage(
        {
          to: email,
          kind: "complaint_link",
          content: complaintLinkMessage({ roundTitle: round.title, subject: code ? `hồ sơ ${code}` : "quy trình bình chọn", url: absoluteUrl(env().PUBLIC_URL, `/khieu-nai/xac-nhan?token=${token}`), expiresAt }),
        },
        tx,
      );
      await recordAudit({ actorId: null, action: "complaint.request", entity: "complaint", entityId: `request-${req.id}`, roundId: round.id, after: { entryId, pdf: attached.sha256 } }, tx);
      await attached.commit();
      return { expiresAt };
    });
  } catch (error) {
    await attached.discard();
    throw error;
  }
}

const LINK_INVALID = "Liên kết xác nhận khiếu nại không hợp lệ hoặc đã được dùng. Nếu bạn chưa nhận được mã khiếu nại, hãy gửi lại khiếu nại.";
const LINK_EXPIRED = `Liên kết xác nhận khiếu nại đã hết hạn (${COMPLAINT_LINK_HOURS} giờ): khiếu nại chưa được ghi nhận. Hãy gửi lại khiếu nại.`;

/** What the link would record, without using it (the page before the button). */
export async function checkComplaintRequest(input: { token: string; now?: Date }) {
  const [row] = await db()
    .select({ r: complaintRequests, entryCode: entries.code, roundTitle: rounds.title, roundSlug: rounds.slug })
    .from(complaintRequests)
    .innerJoin(rounds, eq(rounds.id, complaintRequests.roundId))
    .leftJoin(entries, eq(entries.id, complaintRequests.entryId))
    .where(eq(complaintRequests.tokenHash, hashToken(input.token)));
  if (!row || row.r.usedAt) return { ok: false as const, message: LINK_INVALID };
  if (row.r.expiresAt <= (input.now ?? new Date())) return { ok: false as const, message: LINK_EXPIRED };
  return { ok: true as const, email: row.r.email, subject: row.entryCode ?? PROCESS_SUBJECT, body: row.r.body, pdfName: row.r.pdfName, roundTitle: row.roundTitle, roundSlug: row.roundSlug };
}

/**
 * Follows the mailed link: records the waiting complaint (its code, as for an account) once — the
 * link is used in the same transaction — if it has not expired and the window is still open. The
 * address receives the receipt link; the returned key opens the receipt (khieu-nai/:code?key=…).
 * @throws AppError 400 unknown, used or expired link; 409 after the window.
 */
export async function confirmComplaintRequest(input: { token: string; now?: Date }) {
  const now = input.now ?? new Date();
  return db().transaction(async (tx) => {
    const [req] = await tx.select().from(complaintRequests).where(eq(complaintRequests.tokenHash, hashToken(input.token))).for("update");
    if (!req || req.usedAt) throw new AppError(400, LINK_INVALID);
    if (req.expiresAt <= now) throw new AppError(400, LINK_EXPIRED);
    assertWindowOpen(await processOf(req.roundId, tx), now);
    const { row, round } = await insertComplaint(tx, {
      roundId: req.roundId,
      entryId: req.entryId,
      body: req.body,
      userId: null,
      email: req.email,
      filedAt: now,
      pdf: { pdfId: req.pdfId, pdfName: req.pdfName, pdfSha256: req.pdfSha256, pdfSize: req.pdfSize },
    });
    const { token: key, hash: receiptHash } = newToken();
    const used = await tx
      .update(complaintRequests)
      .set({ usedAt: now, complaintId: row.id, receiptHash })
      .where(and(eq(complaintRequests.id, req.id), isNull(complaintRequests.usedAt)))
      .returning({ id: complaintRequests.id });
    if (!used.length) throw new AppError(400, LINK_INVALID);
    await enqueueMessage(
      { to: req.email, kind: "complaint_receipt", content: complaintReceiptMessage({ code: row.code, roundTitle: round.title, url: absoluteUrl(env().PUBLIC_URL, `/khieu-nai/${row.code}?key=${key}`) }) },
      tx,
    );
    return { code: row.code, key };
  });
}

/** Removes complaint requests never confirmed, a day after their link expired (their PDF becomes a stray the sweep removes). */
export async function purgeExpiredComplaintRequests(now = new Date()) {
  const gone = await db()
    .delete(complaintRequests)
    .where(and(isNull(complaintRequests.usedAt), lt(complaintRequests.expiresAt, new Date(now.getTime() - 86_400_000))))
    .returning({ id: complaintRequests.id });
  return gone.length;
}
