/** What each facility hears when a round's results are published (issue 16 §5), in that transaction. */
import { and, eq, inArray, isNull, sql } from "drizzle-orm";

import { certificates, entries, notifications, products, type Round, rounds } from "../../../db/schema";
import { type Database, db, rowsOf } from "../../utils/db.server";
import { formatDateTime } from "../../utils/format";
import { DECIDED_ENTRY_STATUSES } from "../entry/rules";
import { notify, notifyFacility } from "../shared/notification.server";

export async function notifyResultsPublished(input: { round: Round }, t: Database) {
  const { round } = input;
  const rows = await t
    .select({ id: entries.id, code: entries.code, status: entries.status, facilityId: entries.facilityId, productId: entries.productId, name: products.name })
    .from(entries)
    .innerJoin(products, eq(products.id, entries.productId))
    .where(and(eq(entries.roundId, round.id), inArray(entries.status, [...DECIDED_ENTRY_STATUSES])));
  const issued = await t
    .select({ entryId: certificates.entryId, code: certificates.code })
    .from(certificates)
    .where(and(eq(certificates.roundId, round.id), eq(certificates.kind, "product"), isNull(certificates.revokedAt)));
  for (const e of rows) {
    const selected = e.status === "selected";
    await notifyFacility(
      {
        facilityId: e.facilityId,
        kind: "results_published",
        title: `Kết quả đợt “${round.title}”`,
        body: selected
          ? `Sản phẩm “${e.name}” (hồ sơ ${e.code}) được công nhận là sản phẩm công nghiệp nông thôn tiêu biểu theo quyết định ${round.decisionNo ?? ""}.`
          : `Sản phẩm “${e.name}” (hồ sơ ${e.code}) chưa được công nhận trong đợt này.`,
        link: `/rounds/${round.slug}`,
      },
      t,
    );
    const certificate = issued.find((c) => c.entryId === e.id);
    if (selected && certificate) {
      await notifyFacility(
        {
          facilityId: e.facilityId,
          kind: "certificate_issued",
          title: `Giấy chứng nhận cho “${e.name}”`,
          body: `Giấy chứng nhận của sản phẩm “${e.name}” đã được cấp với mã tra cứu ${certificate.code}. Ai cũng có thể kiểm tra giấy chứng nhận bằng liên kết bên dưới.`,
          link: `/verify/${certificate.code}`,
        },
        t,
      );
    }
  }
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * Jurors with unsubmitted sheets hear 3 days and 1 day before scoring closes (issue 16 §5). Run
 * hourly by the server; each reminder goes once per juror, round and threshold (its title is the key).
 * @returns how many reminders were written.
 */
export async function sendScoringReminders(input: { now?: Date } = {}) {
  const now = input.now ?? new Date();
  const open = await db()
    .select()
    .from(rounds)
    .where(and(eq(rounds.status, "scoring"), isNull(rounds.finalisedAt), sql`${rounds.scoringClosesAt} > ${now.toISOString()}::timestamptz`));
  let sent = 0;
  for (const round of open) {
    const left = round.scoringClosesAt.getTime() - now.getTime();
    const days = left <= DAY ? 1 : left <= 3 * DAY ? 3 : null;
    if (!days) continue;
    // Assigned entries whose sheet by that juror is missing or still a draft.
    const pending = rowsOf<{ juror_id: string; n: number }>(
      await db().execute(sql`
        select a.juror_id, count(*)::int as n from assignments a
        left join score_sheets s on s.entry_id = a.entry_id and s.juror_id = a.juror_id and s.status = 'submitted'
        where a.round_id = ${round.id} and s.id is null group by a.juror_id`),
    );
    const title = `Còn ${days} ngày để chấm điểm đợt “${round.title}”`;
    for (const p of pending) {
      await db().transaction(async (t) => {
        const [already] = await t
          .select({ id: notifications.id })
          .from(notifications)
          .where(and(eq(notifications.userId, p.juror_id), eq(notifications.kind, "scoring_reminder"), eq(notifications.title, title)));
        if (already) return;
        await notify(
          {
            userId: p.juror_id,
            kind: "scoring_reminder",
            title,
            body: `Bạn còn ${p.n} phiếu chấm chưa nộp trong đợt “${round.title}”. Hạn chấm: ${formatDateTime(round.scoringClosesAt)}.`,
            link: "/jury",
          },
          t,
        );
        sent++;
      });
    }
  }
  return sent;
}
