/** Publishing a finalised round (certificates, notifications), reopening one with a reason, and the data of the results minutes. */
import { and, eq, inArray, sql } from "drizzle-orm";

import { certificates, entries, rounds, scoreSheets, users, type Round } from "../../../db/schema";
import { type Database, db, rowsOf, ruleViolation } from "../../utils/db.server";
import { AppError, notFound } from "../../utils/errors";
import { sha256 } from "../../utils/hash.server";
import { withRetry } from "../../utils/retry.server";
import { createProductCertificates } from "../certificate/certificate.server";
import { notifyResultsPublished } from "../round/notices.server";
import { recordAudit } from "../shared/audit.server";
import { notify, notifyRoundOrganizers } from "../shared/notification.server";
import { canonicalFinalTable, computeResults } from "./results.server";

/**
 * Publishes a finalised round with its decision: status published, selected entries public, a
 * product certificate for each selected entry, public version bumped — one transaction.
 * @throws AppError 409 before finalisation/decision or when already published.
 */
export async function publishRound(input: { roundId: number; actorId: string; now?: Date }, tx?: Database) {
  try {
    return await publishChecked(input, tx);
  } catch (error) {
    if (!(error instanceof HashMismatch)) throw error;
    // The refusal rolled the publication back; the mismatch itself is recorded on its own, and the
    // round's organisers hear it in that transaction.
    await db().transaction(async (t) => {
      await recordAudit(
        {
          actorId: input.actorId,
          action: "integrity.mismatch",
          entity: "round",
          entityId: error.roundId,
          roundId: error.roundId,
          after: { at: "publish" },
        },
        t,
      );
      const [round] = await t.select().from(rounds).where(eq(rounds.id, error.roundId));
      if (round)
        await notifyRoundOrganizers(
          {
            round,
            kind: "integrity_mismatch",
            title: `Sai lệch kiểm tra toàn vẹn — đợt “${round.title}”`,
            body: `Không công bố được đợt “${round.title}”: mã băm kết quả đã lưu không khớp với kết quả tính lại, tức là dữ liệu kết quả đã bị thay đổi sau khi chốt. Xem trang kiểm tra toàn vẹn và báo quản trị viên.`,
            link: `/organizer/rounds/${round.slug}/results`,
            once: "unread",
          },
          t,
        );
    });
    throw new AppError(
      409,
      "Mã băm kết quả không khớp với bảng điểm đã chốt: dữ liệu có thể đã bị sửa ngoài ứng dụng. Không công bố; báo quản trị viên kiểm tra toàn vẹn.",
    );
  }
}

class HashMismatch extends Error {
  constructor(readonly roundId: number) {
    super(`final hash mismatch in round ${roundId}`);
  }
}

async function publishChecked(input: { roundId: number; actorId: string; now?: Date }, tx?: Database) {
  const now = input.now ?? new Date();
  const run = async (t: Database) => {
    const [round] = await t.select().from(rounds).where(eq(rounds.id, input.roundId)).for("update");
    if (!round) throw notFound();
    if (round.status === "published") throw new AppError(409, "Đợt đã được công bố.");
    if (!round.finalisedAt || round.status !== "deliberation") throw new AppError(409, "Chốt kết quả trước khi công bố.");
    if (!round.decisionNo || !round.decisionDate)
      throw new AppError(409, "Ghi nhận quyết định công nhận (số, ngày, người ký) trước khi công bố.");
    if (sha256(await canonicalFinalTable(round.id, t)) !== round.finalHash) throw new HashMismatch(round.id);
    const done = await t
      .update(rounds)
      .set({ status: "published", publishedAt: now, publicVersion: sql`${rounds.publicVersion} + 1`, updatedAt: now })
      .where(and(eq(rounds.id, round.id), eq(rounds.status, "deliberation")))
      .returning({ id: rounds.id });
    if (!done.length) throw new AppError(409, "Đợt vừa được người khác công bố.");
    // After a reopening, an entry that lost its place loses its certificate (revoked, kept on record).
    const revoked = rowsOf<{ serial: string }>(
      await t.execute(sql`
        update certificates set revoked_at = ${now.toISOString()}::timestamptz, revoked_by = ${input.actorId},
               revoked_reason = 'Kết quả đợt bình chọn được điều chỉnh sau khi mở lại; sản phẩm không còn trong danh sách công nhận.'
        where round_id = ${round.id} and kind = 'product' and revoked_at is null
          and entry_id in (select id from entries where round_id = ${round.id} and status <> 'selected')
        returning serial`),
    );
    const created = await createProductCertificates({ roundId: round.id, actorId: input.actorId }, t);
    await recordAudit(
      {
        actorId: input.actorId,
        action: "round.publish",
        entity: "round",
        entityId: round.id,
        roundId: round.id,
        after: { certificates: created.length, revoked: revoked.map((r) => r.serial) },
      },
      t,
    );
    await notifyResultsPublished({ round }, t);
    return { certificates: created.length, revoked: revoked.length };
  };
  return tx ? run(tx) : withRetry(() => db().transaction(run));
}

/**
 * Reopens a finalised round, with a reason, audited: clears the lock first (so the triggers allow
 * changes), returns entries to "eligible", optionally returns chosen sheets to draft (the round goes
 * back to scoring), and withdraws publication. Certificates already issued stay on record; the
 * public pages follow the round's status; the next publication revokes those of entries no longer
 * selected and adds the missing ones.
 * @throws AppError 400 without a reason, 409 when the round is not finalised.
 */
export async function reopenRound(input: { roundId: number; actorId: string; reason: string; sheetIds?: number[] }) {
  const reason = input.reason.trim();
  if (reason.length < 10) throw new AppError(400, "Ghi lý do mở lại đợt (ít nhất 10 ký tự).", { reason: "Ghi lý do." });
  try {
    return await db().transaction(async (tx) => {
      const [round] = await tx.select().from(rounds).where(eq(rounds.id, input.roundId)).for("update");
      if (!round) throw notFound();
      if (!round.finalisedAt) throw new AppError(409, "Đợt chưa chốt kết quả, không cần mở lại.");
      // The only door back: a SECURITY DEFINER function that clears the lock and writes the audit
      // event in this transaction (a direct UPDATE of the finalisation columns is refused).
      const sheetIds = (input.sheetIds ?? []).filter((id) => Number.isInteger(id));
      const [row] = rowsOf<{ status: Round["status"] }>(
        await tx.execute(
          sql`select cnnt_reopen_round(${round.id}, ${input.actorId}, ${reason}, ${`{${sheetIds.join(",")}}`}::integer[]) as status`,
        ),
      );
      // Each juror whose sheet went back to draft hears it, with the reason, in this transaction.
      if (sheetIds.length) {
        const reopened = await tx
          .select({ jurorId: scoreSheets.jurorId, entryId: scoreSheets.entryId, code: entries.code })
          .from(scoreSheets)
          .innerJoin(entries, eq(entries.id, scoreSheets.entryId))
          .where(and(eq(scoreSheets.roundId, round.id), inArray(scoreSheets.id, sheetIds), eq(scoreSheets.status, "draft")));
        for (const s of reopened)
          await notify(
            {
              userId: s.jurorId,
              kind: "sheet_reopened",
              title: `Phiếu chấm hồ sơ ${s.code ?? ""} được mở lại`,
              body: `Ban tổ chức đã mở lại đợt “${round.title}” để đính chính và trả phiếu chấm của bạn cho hồ sơ ${s.code ?? ""} về bản nháp. Lý do: ${reason} Hãy xem lại và nộp phiếu trước hạn chấm.`,
              link: `/jury/entries/${s.entryId}`,
            },
            tx,
          );
      }
      return { status: row.status };
    });
  } catch (error) {
    if (ruleViolation(error)) throw new AppError(409, "Không thể mở lại đợt: dữ liệu đang bị khóa.");
    throw error;
  }
}

/** Everything the minutes (biên bản) print: council, counts, results, ties and resolutions. */
export async function minutesData(roundId: number) {
  const results = await computeResults({ roundId });
  const council = rowsOf<{ full_name: string; title: string | null; role: string; sheets: number }>(
    await db().execute(sql`
      select u.full_name, u.title, cm.role,
             (select count(*)::int from score_sheets s where s.round_id = cm.round_id and s.juror_id = cm.user_id and s.status = 'submitted') as sheets
      from council_members cm join users u on u.id = cm.user_id where cm.round_id = ${roundId}
      order by case cm.role when 'chair' then 0 when 'member' then 1 else 2 end, u.full_name`),
  );
  const resolvers = await db()
    .select({ id: users.id, name: users.fullName })
    .from(users)
    .where(
      inArray(
        users.id,
        results.resolutions
          .map((r) => r.recordedBy ?? "")
          .filter(Boolean)
          .concat([""]),
      ),
    );
  const [certs] = rowsOf<{ n: number }>(
    await db().execute(sql`select count(*)::int as n from ${certificates} where round_id = ${roundId} and kind = 'product'`),
  );
  return {
    ...results,
    council,
    resolvers: Object.fromEntries(resolvers.map((r) => [r.id, r.name])),
    certificateCount: certs?.n ?? 0,
  };
}
