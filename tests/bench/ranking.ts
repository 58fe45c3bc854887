/**
 * Ranking and scoring section of `npm run bench`, in this process, on a fresh database (PGlite in
 * memory, or a temporary PostgreSQL database when DATABASE_URL is set):
 *  1. a generated national round of 2,000 entries × 9 jurors × 20 criteria (bulk-inserted in SQL,
 *     triggers off for the load only), ranked by `computeResults` (aggregation in SQL + ranking);
 *     targets: < 1 s on PGlite, < 300 ms on PostgreSQL;
 *  2. 30 jurors scoring concurrently through `saveScoreSheet` (save a draft, then submit): latency
 *     per sheet (save + submit); target p99 < 50 ms.
 */
import crypto from "node:crypto";

import { sql } from "drizzle-orm";
import postgres from "postgres";

import { createUser } from "../../app/models/account/user.server";
import { computeResults } from "../../app/models/results/results.server";
import { createRound } from "../../app/models/round/round.server";
import type { CriterionNode } from "../../app/models/round/rubric-rules";
import { getRubricLeaves, replaceRubric } from "../../app/models/round/rubric.server";
import { saveScoreSheet } from "../../app/models/scoring/scoring.server";
import { roundSchema } from "../../app/schemas/round";
import { type DatabaseHandle, openPglite, openPostgres, setDatabase } from "../../app/utils/db.server";
import { seedReference } from "../../db/reference";

const ENTRIES = Number(process.env.BENCH_RANK_ENTRIES ?? 2000);
const JURORS = 9;
const CONCURRENT = 30;
const SHEETS_PER_JUROR = Number(process.env.BENCH_SHEETS_PER_JUROR ?? 10);

/** 20 scored criteria: 8 + 8 + 2 + 2 leaves of 5 points. */
function twentyLeafRubric(): CriterionNode[] {
  const leaves = (code: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      code: `${code}.${i + 1}`,
      name: `Tiêu chí ${code}.${i + 1}`,
      maxPoints: 5,
      children: [],
    }));
  return [
    { code: "1", name: "Thị trường và sản xuất", maxPoints: 40, children: leaves("1", 8) },
    { code: "2", name: "Kinh tế – kỹ thuật – xã hội – môi trường", maxPoints: 40, children: leaves("2", 8) },
    { code: "3", name: "Văn hóa, thẩm mỹ", maxPoints: 10, children: leaves("3", 2) },
    { code: "4", name: "Tiêu chí khác", maxPoints: 10, children: leaves("4", 2) },
  ];
}

async function openBenchDatabase(): Promise<{ handle: DatabaseHandle; drop(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const handle = await openPglite();
    return { handle, drop: async () => handle.close() };
  }
  const name = `cnnt_bench_rank_${crypto.randomBytes(4).toString("hex")}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const handle = openPostgres(u.toString(), { max: 10 });
  return {
    handle,
    async drop() {
      await handle.close();
      const a = postgres(url, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
      await a.end();
    },
  };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function roundFor(actorId: string, slug: string) {
  const data = roundSchema.parse({
    title: `Bình chọn cấp quốc gia (đo hiệu năng) ${slug}`,
    slug,
    level: "national",
    year: "2027",
    registrationOpensAt: "2027-01-01T08:00",
    registrationClosesAt: "2027-03-01T17:00",
    scoringClosesAt: "2099-12-31T17:00",
    passMark: "70",
    quota: "200",
    authority: "Bộ Công Thương",
  });
  const round = await createRound({
    actorId,
    roles: [{ role: "organizer", scopeLevel: null, scopeRegion: null, scopeProvince: null }],
    data,
  });
  await replaceRubric({ roundId: round.id, actorId, tree: twentyLeafRubric() });
  return round;
}

export async function benchRanking() {
  const { handle, drop } = await openBenchDatabase();
  setDatabase(handle);
  const db = handle.db;
  try {
    await handle.migrate();
    await seedReference(db);
    const { id: actorId } = await createUser({
      email: "bench-rank@example.vn",
      password: "mat-khau-bench-2016",
      fullName: "Ban tổ chức đo",
      roles: ["organizer"],
    });

    // ── 1. ranking a generated national round ──
    const round = await roundFor(actorId, "quoc-gia-do-hieu-nang");
    const t0 = performance.now();
    await db.execute(sql`insert into users (id, email, password_hash, full_name)
      select 'bench-j' || g, 'bench-j' || g || '@example.vn', 'x', 'Giám khảo ' || g from generate_series(1, ${JURORS}) g`);
    await db.execute(
      sql`insert into council_members (round_id, user_id, role) select ${round.id}, 'bench-j' || g, 'member' from generate_series(1, ${JURORS}) g`,
    );
    await db.execute(sql`insert into facilities (name, legal_form, registration_no, province_code, address, representative)
      select 'Cơ sở đo ' || g, 'hkd', 'BENCH-' || g, (select code from provinces_2025 order by code offset (g % 34) limit 1), 'Địa chỉ', 'Đại diện'
      from generate_series(1, ${ENTRIES}) g`);
    await db.execute(sql`insert into products (facility_id, name, group_no)
      select f.id, 'Sản phẩm đo ' || f.id, 1 + (f.id % 4) from facilities f where f.registration_no like 'BENCH-%'`);
    await db.execute(sql`insert into entries (round_id, product_id, facility_id, group_no, status, code)
      select ${round.id}, p.id, p.facility_id, p.group_no, 'eligible', 'QG27-' || p.id from products p where p.name like 'Sản phẩm đo %'`);
    await db.execute(sql`insert into assignments (round_id, entry_id, juror_id)
      select ${round.id}, e.id, 'bench-j' || g from entries e, generate_series(1, ${JURORS}) g where e.round_id = ${round.id}`);
    await db.execute(sql`update rounds set status = 'scoring' where id = ${round.id}`);
    // Bulk load only: the per-row triggers (maxima, locks) are checked by the tests, not re-run 360,000 times here.
    await db.execute(sql`alter table scores disable trigger user`);
    await db.execute(sql`alter table score_sheets disable trigger user`);
    await db.execute(sql`insert into score_sheets (round_id, entry_id, juror_id, status, total, submitted_at)
      select ${round.id}, a.entry_id, a.juror_id, 'submitted', 0, now() from assignments a where a.round_id = ${round.id}`);
    await db.execute(sql`insert into scores (sheet_id, criterion_id, points)
      select s.id, c.id, ((6 + (hashtext(s.id::text || ':' || c.id::text) & 2147483647) % 5) / 2.0)::numeric(5,2)
      from score_sheets s join rubric_criteria c on c.round_id = s.round_id and c.parent_id is not null
      where s.round_id = ${round.id}`);
    await db.execute(
      sql`update score_sheets s set total = t.sum from (select sheet_id, sum(points) as sum from scores group by sheet_id) t where t.sheet_id = s.id`,
    );
    await db.execute(sql`alter table scores enable trigger user`);
    await db.execute(sql`alter table score_sheets enable trigger user`);
    const loadMs = performance.now() - t0;
    const times: number[] = [];
    let last = null as Awaited<ReturnType<typeof computeResults>> | null;
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      last = await computeResults({ roundId: round.id });
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const kind = handle.kind === "pglite" ? "PGlite" : "PostgreSQL";
    console.log(
      `Đợt quốc gia sinh sẵn: ${ENTRIES} hồ sơ × ${JURORS} giám khảo × 20 tiêu chí (${ENTRIES * JURORS * 20} điểm), nạp trong ${Math.round(loadMs)} ms`,
    );
    console.log(
      `Xếp hạng (computeResults, ${kind}): trung vị ${Math.round(times[2])} ms, nhanh nhất ${Math.round(times[0])} ms, chậm nhất ${Math.round(times[4])} ms — mục tiêu < ${handle.kind === "pglite" ? "1000" : "300"} ms`,
    );
    console.log(
      `  ${last!.entries.filter((e) => e.selected).length} được công nhận, đồng điểm tại ranh giới: ${last!.tie ? `${last!.tie.entryIds.length} hồ sơ cho ${last!.tie.seats} suất` : "không"}`,
    );

    // ── 2. 30 jurors scoring at the same time ──
    const live = await roundFor(actorId, "quoc-gia-cham-dong-thoi");
    await db.execute(sql`insert into users (id, email, password_hash, full_name)
      select 'bench-c' || g, 'bench-c' || g || '@example.vn', 'x', 'Giám khảo đồng thời ' || g from generate_series(1, ${CONCURRENT + 1}) g`);
    await db.execute(
      sql`insert into council_members (round_id, user_id, role) select ${live.id}, 'bench-c' || g, 'member' from generate_series(1, ${CONCURRENT + 1}) g`,
    );
    await db.execute(sql`insert into entries (round_id, product_id, facility_id, group_no, status, code)
      select ${live.id}, p.id, p.facility_id, p.group_no, 'eligible', 'QG27B-' || p.id from products p where p.name like 'Sản phẩm đo %' order by p.id limit ${SHEETS_PER_JUROR}`);
    await db.execute(sql`insert into assignments (round_id, entry_id, juror_id)
      select ${live.id}, e.id, 'bench-c' || g from entries e, generate_series(1, ${CONCURRENT + 1}) g where e.round_id = ${live.id}`);
    await db.execute(sql`update rounds set status = 'scoring' where id = ${live.id}`);
    const leaves = await getRubricLeaves(live.id);
    const entryRows = await db.execute(sql`select id from entries where round_id = ${live.id} order by id`);
    const entryIds = (Array.isArray(entryRows) ? entryRows : (entryRows as { rows: { id: number }[] }).rows).map((r) =>
      Number((r as { id: number }).id),
    );
    // Baseline: one juror alone (the cost of one sheet without queueing).
    const alone: number[] = [];
    for (const entryId of entryIds) {
      const points = Object.fromEntries(leaves.map((l, k) => [String(l.id), String(((k + entryId) % 11) / 2)]));
      const t = performance.now();
      await saveScoreSheet({ jurorId: `bench-c${CONCURRENT + 1}`, entryId, points, submit: false });
      await saveScoreSheet({ jurorId: `bench-c${CONCURRENT + 1}`, entryId, points, submit: true });
      alone.push(performance.now() - t);
    }
    alone.sort((a, b) => a - b);
    console.log(
      `Chấm phiếu (lưu nháp + nộp), 1 giám khảo: p50 ${Math.round(pct(alone, 50))} ms, p99 ${Math.round(pct(alone, 99))} ms`,
    );
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENT }, async (_, j) => {
        for (const entryId of entryIds) {
          const points = Object.fromEntries(leaves.map((l, k) => [String(l.id), String(((j + k + entryId) % 11) / 2)]));
          const t = performance.now();
          await saveScoreSheet({ jurorId: `bench-c${j + 1}`, entryId, points, submit: false });
          await saveScoreSheet({ jurorId: `bench-c${j + 1}`, entryId, points, submit: true });
          latencies.push(performance.now() - t);
        }
      }),
    );
    const wall = performance.now() - started;
    latencies.sort((a, b) => a - b);
    console.log(
      `Chấm phiếu (lưu nháp + nộp), ${CONCURRENT} giám khảo đồng thời, ${latencies.length} phiếu trong ${Math.round(wall)} ms (${Math.round((latencies.length / wall) * 1000)} phiếu/s): p50 ${Math.round(pct(latencies, 50))} ms, p95 ${Math.round(pct(latencies, 95))} ms, p99 ${Math.round(pct(latencies, 99))} ms — mục tiêu p99 < 50 ms`,
    );
  } finally {
    setDatabase(undefined);
    await drop();
  }
}

// `npx tsx tests/bench/ranking.ts` runs this section alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  benchRanking().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
