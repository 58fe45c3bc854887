/**
 * A round whose jury has scored every entry and whose scoring has closed (status deliberation),
 * with a council of `members` seats (the first chair, the last secretary) — through the models.
 */
import { saveSeat } from "../../app/models/council/bodies.server";
import { createTestUser, type TestUser } from "./index";
import { scoringRound, setRoundStatus, submitSheet } from "./scoring";

export async function scoredRound(options: { means: number[]; members?: number; quota?: number | null }) {
  const ctx = await scoringRound({ entryCount: options.means.length, jurorCount: 2, quota: options.quota ?? null });
  for (const [i, e] of ctx.entries.entries())
    for (const j of ctx.jurors) await submitSheet({ roundId: ctx.round.id, entryId: e.id, jurorId: j.id, total: options.means[i] });
  await setRoundStatus(ctx.round.id, "deliberation");
  const seats: TestUser[] = [];
  const n = options.members ?? 5;
  for (let i = 0; i < n; i++) {
    const u = await createTestUser({ fullName: `Thành viên HĐ ${i + 1}` });
    await saveSeat({ roundId: ctx.round.id, actorId: ctx.organizer.id, email: u.email, role: i === 0 ? "chair" : i === n - 1 ? "secretary" : "member" });
    seats.push(u);
  }
  return { ...ctx, seats, secretary: seats[n - 1] };
}
