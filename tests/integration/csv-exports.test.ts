/**
 * Issue 17 item 4: every CSV the app serves goes through the one writer (app/utils/csv.ts: formula
 * guard, UTF-8 BOM, CRLF). The CSV routes are found in app/routes (a resource route that speaks of
 * CSV); a new one without a row here fails. Each is fed text a spreadsheet would run — starting
 * with =, +, -, @, a tab or a CR — and every cell must come out inert (prefixed with ').
 */
import fs from "node:fs";
import path from "node:path";

import { solveChallenge } from "altcha-lib";
import { desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { saveScoreSheet } from "../../app/models/scoring/scoring.server";
import { recordAudit } from "../../app/models/shared/audit.server";
import { castBallot, redeemVoterLink, requestVoterLink, voteChallenge } from "../../app/models/vote/ballot.server";
import { savePoll } from "../../app/models/vote/poll.server";
import * as auditCsv from "../../app/routes/admin.audit[.]csv";
import * as template from "../../app/routes/ministry.template.$file";
import * as votesCsv from "../../app/routes/organizer.rounds.$slug.binh-chon_.phieu[.csv]";
import * as exportRoute from "../../app/routes/organizer.rounds.$slug.export";
import * as winnersCsv from "../../app/routes/rounds.$slug.winners[.csv]";
import * as voteOpenData from "../../app/routes/rounds.$slug_.binh-chon[.csv]";
import { db } from "../../app/utils/db.server";
import { facilities, outbox, products } from "../../db/schema";
import { createOfficer } from "../factories/commendation";
import { call, createTestUser, requestAs } from "../factories/index";
import { createPublishedRound } from "../factories/published";
import { pointsForTotal, scoringRound } from "../factories/scoring";

const PAYLOADS = ['=HYPERLINK("http://evil.example","Bấm")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"];

/** RFC 4180 cells of a CSV body (quotes, doubled quotes, CRLF inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = "";
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") endCell();
    else if (c === "\r" && text[i + 1] === "\n") {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else cell += c;
  }
  if (cell || row.length) {
    endCell();
    rows.push(row);
  }
  return rows;
}

async function expectInert(res: Response, label: string, payloads: string[]) {
  expect(res.status, label).toBe(200);
  expect(res.headers.get("content-type"), label).toContain("text/csv");
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.slice(0, 3)], label).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder().decode(bytes).slice(1);
  expect(text.endsWith("\r\n"), label).toBe(true);
  const cells = parseCsv(text).flat();
  for (const cell of cells) expect(/^[=+\-@\t\r]/.test(cell), `${label}: ${JSON.stringify(cell)}`).toBe(false);
  for (const p of payloads) expect(cells, `${label} carries ${JSON.stringify(p)}`).toContain(`'${p}`);
}

/** Resource routes (no page) that speak of CSV. */
function csvRoutes(): string[] {
  const dir = path.resolve("app/routes");
  return fs
    .readdirSync(dir)
    .filter((f) => {
      const source = fs.readFileSync(path.join(dir, f), "utf8");
      return /csv/i.test(source) && !/export default function/.test(source);
    })
    .map((f) => f.replace(/\.tsx?$/, ""))
    .sort();
}

const COVERED = [
  "admin.audit[.]csv",
  "ministry.template.$file",
  "organizer.rounds.$slug.binh-chon_.phieu[.csv]",
  "organizer.rounds.$slug.export",
  "rounds.$slug.winners[.csv]",
  "rounds.$slug_.binh-chon[.csv]",
];

describe("every CSV export is inert", () => {
  it("knows every CSV route", () => {
    expect(csvRoutes()).toEqual(COVERED);
  });

  it("organiser's results and sheets CSVs", async () => {
    const ctx = await scoringRound({ entryCount: PAYLOADS.length, jurorCount: 1 });
    const [juror] = ctx.jurors;
    for (const [i, e] of ctx.entries.entries()) {
      await db().update(products).set({ name: PAYLOADS[i] }).where(eq(products.id, e.productId));
      await db().update(facilities).set({ name: PAYLOADS[i] }).where(eq(facilities.id, e.facilityId));
      await saveScoreSheet({ jurorId: juror.id, entryId: e.id, points: await pointsForTotal(ctx.round.id, 80), comment: PAYLOADS[i], submit: true });
    }
    const slug = ctx.round.slug;
    for (const table of ["results", "sheets"]) {
      const res = await call(exportRoute.loader, requestAs(ctx.organizer, `/organizer/rounds/${slug}/export?table=${table}&format=csv`), { slug });
      // Comments keep their own leading characters after trimming, so the tab/CR ones may shed them;
      // the product names (results and sheets) carry every payload as typed.
      await expectInert(res, table, PAYLOADS);
    }
  });

  it("public winners CSV", async () => {
    const { round } = await createPublishedRound({
      products: PAYLOADS.map((name) => ({ name, facility: name, province: "Ninh Bình" })),
    });
    const res = await call(winnersCsv.loader, requestAs(null, `/rounds/${round.slug}/winners.csv`), { slug: round.slug });
    await expectInert(res, "winners", PAYLOADS);
  });

  it("the people's-choice vote: open data and the organiser's export (product names, user agents)", async () => {
    const ctx = await scoringRound({ entryCount: PAYLOADS.length, jurorCount: 1, productNames: PAYLOADS });
    const now = Date.now();
    await savePoll({
      actorId: ctx.organizer.id,
      round: ctx.round,
      settings: { opensAt: new Date(now - 3600_000), closesAt: new Date(now + 86_400_000), maxTotal: 5, maxPerEntry: 1, maxPerDay: null, showLive: true },
    });
    for (const [i, p] of PAYLOADS.entries()) {
      const email = `cu-tri-${i}@example.vn`;
      const ip = `203.0.${113 + i}.9`;
      await requestVoterLink({ roundId: ctx.round.id, slug: ctx.round.slug, email, ip });
      const [mail] = await db().select().from(outbox).where(eq(outbox.recipient, email)).orderBy(desc(outbox.id)).limit(1);
      const token = /\/binh-chon\/xac-nhan\/([A-Za-z0-9_-]+)/.exec(mail.bodyText)![1];
      const voter = await redeemVoterLink({ token, client: { ip, userAgent: p } });
      const c = await voteChallenge();
      const solution = await solveChallenge(c.challenge, c.salt, c.algorithm, c.maxnumber).promise;
      const altcha = Buffer.from(JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number: solution!.number, salt: c.salt, signature: c.signature })).toString("base64");
      await castBallot({ roundId: ctx.round.id, slug: ctx.round.slug, voter: { voterId: voter.voterId, email }, entryIds: [ctx.entries[i].id], client: { ip, userAgent: p }, altcha });
    }
    const slug = ctx.round.slug;
    await expectInert(await call(voteOpenData.loader, requestAs(null, `/rounds/${slug}/binh-chon.csv`), { slug }), "vote open data", PAYLOADS);
    await expectInert(await call(votesCsv.loader, requestAs(ctx.organizer, `/organizer/rounds/${slug}/binh-chon/phieu.csv`), { slug }), "vote export", PAYLOADS);
  });

  it("admin's audit CSV", async () => {
    const admin = await createTestUser({ roles: ["admin"] });
    for (const p of PAYLOADS) await recordAudit({ actorId: null, action: p, entity: p, entityId: p });
    const res = await call(auditCsv.loader, requestAs(admin, "/admin/audit.csv"));
    await expectInert(res, "audit", PAYLOADS);
  });

  it("the recipients' import template (headers only, same writer)", async () => {
    const officer = await createOfficer();
    const res = await call(template.loader, requestAs(officer, "/ministry/template/mau-danh-sach-khen-thuong.csv"), { file: "mau-danh-sach-khen-thuong.csv" });
    await expectInert(res, "template", []);
  });
});
