/**
 * A round row inserted directly with its default rubric (the round model has its own guarded
 * creation; tests of facilities and entries only need a round in a given state).
 */
import crypto from "node:crypto";

import { eq } from "drizzle-orm";

import { createDefaultRubric } from "../../app/models/round/rubric.server";
import { db } from "../../app/utils/db.server";
import { rounds, type Round, type RoundStatus } from "../../db/schema";

const DAY = 24 * 60 * 60 * 1000;

export async function createTestRound(
  overrides: Partial<Omit<typeof rounds.$inferInsert, "status">> & { status?: RoundStatus } = {},
): Promise<Round> {
  const now = Date.now();
  const level = overrides.level ?? "region";
  const [round] = await db()
    .insert(rounds)
    .values({
      slug: `thu-${crypto.randomBytes(4).toString("hex")}`,
      title: "Bình chọn sản phẩm CNNT tiêu biểu khu vực phía Bắc (thử)",
      level,
      regionCode: level === "region" ? "BAC" : null,
      year: 2026,
      registrationOpensAt: new Date(now - 10 * DAY),
      registrationClosesAt: new Date(now + 20 * DAY),
      scoringClosesAt: new Date(now + 40 * DAY),
      authority: "Cục Công Thương địa phương",
      ...overrides,
      // The rubric is frozen beyond screening: insert it first, then move to the wanted status.
      status: "registration",
    })
    .returning();
  await createDefaultRubric({ roundId: round.id });
  const status = overrides.status ?? "registration";
  if (status !== "registration") {
    const [moved] = await db().update(rounds).set({ status }).where(eq(rounds.id, round.id)).returning();
    return moved;
  }
  return round;
}

export async function setRoundStatus(roundId: number, status: RoundStatus) {
  await db().update(rounds).set({ status }).where(eq(rounds.id, roundId));
}
