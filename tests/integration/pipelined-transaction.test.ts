/**
 * pipelinedTransaction (app/utils/db.server.ts): statements sent to PostgreSQL together in one
 * transaction (on PGlite, one after another in a transaction). What it promises whatever the
 * driver: in order, each seeing what the earlier ones wrote; all or nothing when one fails, with
 * that statement's own error; the connection handed back clean; inside a caller's transaction,
 * part of it.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { db, pgErrorCode, rowsOf, pipelinedTransaction } from "../../app/utils/db.server";

const key = () => `pipelined:${Math.random().toString(36).slice(2)}`;
const insert = (k: string) => sql`insert into login_throttle (key, failures, updated_at) values (${k}, 1, now()) returning key`;
const stored = async (k: string) => rowsOf(await db().execute(sql`select key from login_throttle where key = ${k}`)).length;

describe("pipelinedTransaction", () => {
  it("runs the statements in order, each seeing what the earlier ones wrote, and answers each one's rows", async () => {
    const k = key();
    const [first, second, third] = await pipelinedTransaction([
      insert(k),
      sql`update login_throttle set failures = failures + 1 where key = ${k} returning failures`,
      sql`select failures from login_throttle where key = ${k}`,
    ]);
    expect(first).toEqual([{ key: k }]);
    expect(second).toEqual([{ failures: 2 }]);
    expect(third).toEqual([{ failures: 2 }]);
    expect(await stored(k)).toBe(1);
  });

  it("keeps nothing when a statement fails, throws that statement's error (not the aborted ones'), and leaves every connection usable", async () => {
    const k = key();
    const later = key();
    const run = pipelinedTransaction([insert(k), sql`select 1 / (select count(*) from login_throttle where key = 'nobody')`, insert(later)]);
    await expect(run).rejects.toSatisfy((e: unknown) => pgErrorCode(e) === "22012");
    expect(await stored(k)).toBe(0);
    expect(await stored(later)).toBe(0);
    // A connection left inside the aborted transaction would answer 25P02 to whatever it runs next.
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => db().execute(sql`select ${i}::int as n`)));
    expect(answers.map((a) => rowsOf<{ n: number }>(a)[0].n)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    const again = key();
    await pipelinedTransaction([insert(again)]);
    expect(await stored(again)).toBe(1);
  });

  it("refuses a duplicate as the database does, and the first statement's write goes with it", async () => {
    const k = key();
    await expect(pipelinedTransaction([insert(`${k}-a`), insert(k), insert(k)])).rejects.toSatisfy((e: unknown) => pgErrorCode(e) === "23505");
    expect(await stored(`${k}-a`)).toBe(0);
    expect(await stored(k)).toBe(0);
  });

  it("one statement alone (sent without begin and commit) is still all or nothing", async () => {
    const k = key();
    const [rows] = await pipelinedTransaction([insert(k)]);
    expect(rows).toEqual([{ key: k }]);
    expect(await stored(k)).toBe(1);
    const twice = key();
    await expect(
      pipelinedTransaction([sql`insert into login_throttle (key, failures, updated_at) values (${`${twice}-a`}, 1, now()), (${twice}, 1, now()), (${twice}, 1, now())`]),
    ).rejects.toSatisfy((e: unknown) => pgErrorCode(e) === "23505");
    expect(await stored(`${twice}-a`)).toBe(0);
  });

  it("inside a caller's transaction runs in it: the caller's rollback undoes it", async () => {
    const k = key();
    await expect(
      db().transaction(async (tx) => {
        const [rows] = await pipelinedTransaction([insert(k)], tx);
        expect(rows).toEqual([{ key: k }]);
        expect(rowsOf(await tx.execute(sql`select key from login_throttle where key = ${k}`))).toHaveLength(1);
        throw new Error("the caller changes its mind");
      }),
    ).rejects.toThrow("the caller changes its mind");
    expect(await stored(k)).toBe(0);
  });
});
