/**
 * The two bodies of a round (issue 14): founding decisions of the jury and the council (number,
 * date, signer, signed PDF) and the council's seats.
 */
import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";

import { type BodyKind, councilSeats, councilSessions, roundBodies, rounds, type SeatRole, SEAT_ROLES, users } from "../../../db/schema";
import { type Database, db } from "../../utils/db.server";
import { AppError } from "../../utils/errors";
import { prepareAttachedPdf } from "../../utils/uploads.server";
import { recordAudit } from "../shared/audit.server";
import { lockRound, validDate } from "./process.server";
import { SEAT_NAMES } from "./session-rules";

// ───────────── founding decisions ─────────────

export async function listBodies(roundId: number, tx: Database = db()) {
  return tx.select().from(roundBodies).where(eq(roundBodies.roundId, roundId)).orderBy(asc(roundBodies.kind));
}

/**
 * Records (or corrects) the founding decision of the jury or the council, with its signed PDF
 * (checked as a real PDF by the upload pipeline; stored under UPLOADS_DIR like a document).
 * @throws AppError 400 with the field, 409 once the round's result is decided.
 */
export async function saveBodyDecision(input: {
  roundId: number;
  actorId: string;
  kind: BodyKind;
  decisionNo: string;
  decisionDate: string;
  decisionSigner: string;
  pdf?: { bytes: Buffer; name: string } | null;
}) {
  const no = input.decisionNo.trim();
  const signer = input.decisionSigner.trim();
  const fields: Record<string, string> = {};
  if (!["jury", "council"].includes(input.kind)) fields.kind = "Chọn ban giám khảo hoặc hội đồng.";
  if (!/^\d+\/[\p{L}\d-]+$/u.test(no)) fields.decisionNo = "Số quyết định có dạng 125/QĐ-CNĐP.";
  if (!validDate(input.decisionDate)) fields.decisionDate = "Ngày quyết định không hợp lệ.";
  if (signer.length < 3 || signer.length > 200) fields.decisionSigner = "Nhập người ký quyết định (chức vụ và họ tên).";
  if (Object.keys(fields).length) throw new AppError(400, "Thông tin quyết định thành lập chưa hợp lệ.", fields);
  const attached = await prepareAttachedPdf(input.pdf);
  try {
    return await db().transaction(async (tx) => {
      const round = await lockRound(input.roundId, tx);
      if (round.decisionNo || round.finalisedAt) throw new AppError(409, "Đợt đã có quyết định công nhận: không sửa quyết định thành lập.");
      const values = {
        roundId: round.id,
        kind: input.kind,
        decisionNo: no,
        decisionDate: input.decisionDate,
        decisionSigner: signer,
        recordedBy: input.actorId,
        ...attached.columns,
      };
      await tx
        .insert(roundBodies)
        .values(values)
        .onConflictDoUpdate({ target: [roundBodies.roundId, roundBodies.kind], set: { ...values, recordedAt: new Date() } });
      await recordAudit(
        { actorId: input.actorId, action: "body.decision", entity: "round", entityId: round.id, roundId: round.id, after: { kind: input.kind, decisionNo: no, decisionDate: input.decisionDate, signer, pdf: attached.sha256 } },
        tx,
      );
      await attached.commit();
    });
  } catch (error) {
    await attached.discard();
    throw error;
  }
}

// ───────────── council seats ─────────────

export async function listSeats(roundId: number, tx: Database = db()) {
  return tx
    .select({ userId: councilSeats.userId, role: councilSeats.role, fullName: users.fullName, title: users.title, email: users.email })
    .from(councilSeats)
    .innerJoin(users, eq(users.id, councilSeats.userId))
    .where(eq(councilSeats.roundId, roundId))
    .orderBy(sql`case ${councilSeats.role} when 'chair' then 0 when 'vice_chair' then 1 when 'member' then 2 else 3 end`, asc(users.fullName));
}

/**
 * Seats an account on the council (chair, vice-chair, member, secretary) by e-mail. A person may
 * also sit on the jury. One chair.
 * @throws AppError 400 unknown account or role, 409 after the decision or during an open session.
 */
export async function saveSeat(input: { roundId: number; actorId: string; email: string; role: SeatRole }) {
  if (!SEAT_ROLES.includes(input.role)) throw new AppError(400, "Chọn vai trò trong hội đồng.", { role: "Chọn vai trò." });
  const email = input.email.trim().toLowerCase();
  return db().transaction(async (tx) => {
    const round = await lockRound(input.roundId, tx);
    if (round.decisionNo || round.finalisedAt) throw new AppError(409, "Đợt đã có quyết định công nhận: không thay đổi hội đồng.");
    const [open] = await tx.select({ id: councilSessions.id }).from(councilSessions).where(and(eq(councilSessions.roundId, round.id), isNull(councilSessions.closedAt)));
    if (open) throw new AppError(409, "Hội đồng đang họp: thay đổi thành phần sau khi kết thúc phiên họp.");
    const [user] = await tx.select({ id: users.id, name: users.fullName }).from(users).where(sql`lower(${users.email}) = ${email}`);
    if (!user) throw new AppError(400, "Không có tài khoản với địa chỉ email này.", { email: "Không có tài khoản với địa chỉ email này." });
    if (input.role === "chair") {
      const [chair] = await tx.select().from(councilSeats).where(and(eq(councilSeats.roundId, round.id), eq(councilSeats.role, "chair")));
      if (chair && chair.userId !== user.id) throw new AppError(400, "Hội đồng đã có Chủ tịch: đổi vai trò của người đó trước.", { role: "Hội đồng đã có Chủ tịch." });
    }
    await tx
      .insert(councilSeats)
      .values({ roundId: round.id, userId: user.id, role: input.role })
      .onConflictDoUpdate({ target: [councilSeats.roundId, councilSeats.userId], set: { role: input.role } });
    await recordAudit(
      { actorId: input.actorId, action: "council.seat", entity: "round", entityId: round.id, roundId: round.id, after: { userId: user.id, role: input.role } },
      tx,
    );
    return { name: user.name, roleName: SEAT_NAMES[input.role] };
  });
}

export async function removeSeat(input: { roundId: number; actorId: string; userId: string }) {
  return db().transaction(async (tx) => {
    const round = await lockRound(input.roundId, tx);
    if (round.decisionNo || round.finalisedAt) throw new AppError(409, "Đợt đã có quyết định công nhận: không thay đổi hội đồng.");
    const [open] = await tx.select({ id: councilSessions.id }).from(councilSessions).where(and(eq(councilSessions.roundId, round.id), isNull(councilSessions.closedAt)));
    if (open) throw new AppError(409, "Hội đồng đang họp: thay đổi thành phần sau khi kết thúc phiên họp.");
    await tx.delete(councilSeats).where(and(eq(councilSeats.roundId, round.id), eq(councilSeats.userId, input.userId)));
    await recordAudit({ actorId: input.actorId, action: "council.unseat", entity: "round", entityId: round.id, roundId: round.id, after: { userId: input.userId } }, tx);
  });
}

/** Whether the user is the council's secretary in this round (who opens sessions and records votes). */
export async function isSecretary(roundId: number, userId: string, tx: Database = db()) {
  const [row] = await tx
    .select()
    .from(councilSeats)
    .where(and(eq(councilSeats.roundId, roundId), eq(councilSeats.userId, userId), eq(councilSeats.role, "secretary")));
  return !!row;
}

/** Rounds where the user is the council's secretary (their work list). */
export async function secretaryRounds(userId: string) {
  return db()
    .select({ id: rounds.id, slug: rounds.slug, title: rounds.title, status: rounds.status })
    .from(councilSeats)
    .innerJoin(rounds, eq(rounds.id, councilSeats.roundId))
    .where(and(eq(councilSeats.userId, userId), eq(councilSeats.role, "secretary")))
    .orderBy(desc(rounds.year));
}

export async function hasCouncil(roundId: number, tx: Database = db()) {
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(councilSeats).where(eq(councilSeats.roundId, roundId));
  return (row?.n ?? 0) > 0;
}
