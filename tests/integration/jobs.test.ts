import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { eq, sql } from "drizzle-orm";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";

import { ensureCertificatePdf } from "../../app/models/certificate/pdf.server";
import { jobPercent, jobSettled, resumeJobs, startCertificateBatch, targetCertificateIds } from "../../app/models/shared/jobs.server";
import * as bulk from "../../app/routes/certificates.bulk.$file";
import * as decisionRoute from "../../app/routes/ministry.decisions.$id";
import * as jobRoute from "../../app/routes/ministry.jobs.$id";
import * as roundCerts from "../../app/routes/organizer.rounds.$slug.certificates";
import { db, rowsOf } from "../../app/utils/db.server";
import { certificates, jobs } from "../../db/schema";
import { createOfficer, createTestDecision } from "../factories/commendation";
import { call, confirmed, createTestUser, jsonOf, requestAs } from "../factories/index";
import { createPublishedRound, SAMPLE_PRODUCTS } from "../factories/published";

async function countOf(query: ReturnType<typeof sql>) {
  return rowsOf<{ n: number }>(await db().execute(query))[0].n;
}

describe("certificate batches", () => {
  it("two officers issuing the same decision at once get one batch and no duplicate certificate", async () => {
    const a = await createOfficer();
    const b = await createOfficer();
    const d = await createTestDecision({ actorId: a.id, recipients: 12 });
    const issue = (u: { cookie: string }) => call(decisionRoute.action, requestAs(u, `/ministry/decisions/${d.id}`, { form: confirmed({ intent: "issue" }) }), { id: String(d.id) });
    const [ra, rb] = await Promise.all([issue(a), issue(b)]);
    expect([ra.status, rb.status]).toEqual([302, 302]);
    expect(ra.headers.get("Location")).toBe(rb.headers.get("Location"));
    const jobId = Number(ra.headers.get("Location")!.split("/").pop());
    const job = await jobSettled(jobId);
    expect(job).toMatchObject({ status: "done", total: 12, done: 12 });
    expect(await countOf(sql`select count(*)::int as n from jobs where target = ${`decision:${d.id}`}`)).toBe(1);
    expect(await countOf(sql`select count(*)::int as n from certificates c join commendation_recipients r on r.id = c.recipient_id where r.decision_id = ${d.id}`)).toBe(12);
    expect(await countOf(sql`select count(*)::int as n from certificates c join commendation_recipients r on r.id = c.recipient_id where r.decision_id = ${d.id} and c.pdf_key is not null`)).toBe(12);
    // The progress page shows 100 % to a reload or a second browser.
    const page = await jsonOf(await call(jobRoute.loader, requestAs(b, `/ministry/jobs/${jobId}`), { id: String(jobId) }));
    expect(page.job).toMatchObject({ status: "done", percent: 100, done: 12, total: 12 });
  });

  it("two batch starts on a published round at once: one job, every product certificate rendered once", async () => {
    const organizer = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "BAC" } });
    const { round } = await createPublishedRound({ products: SAMPLE_PRODUCTS.slice(0, 6) });
    const target = { type: "round" as const, id: round.id };
    const [x, y] = await Promise.all([startCertificateBatch({ target, actorId: organizer.id }), startCertificateBatch({ target, actorId: organizer.id })]);
    expect(x.job.id).toBe(y.job.id);
    expect([x.created, y.created].sort()).toEqual([false, true]);
    const job = await jobSettled(x.job.id);
    const ids = await targetCertificateIds(target);
    expect(job).toMatchObject({ status: "done", total: ids.length, done: ids.length });
    const certs = await db().select().from(certificates).where(eq(certificates.roundId, round.id));
    expect(certs.every((c) => c.pdfKey && c.pdfSha256)).toBe(true);
    expect(new Set(certs.map((c) => c.entryId)).size).toBe(certs.length);
    // Every PDF file on disk once.
    const files = fs.readdirSync(path.join(process.env.UPLOADS_DIR!, "certificates")).filter((f) => certs.some((c) => f.startsWith(`${c.serial}-`) && f.endsWith(".pdf")));
    expect(files).toHaveLength(certs.length);
  });

  it("resumes an interrupted job after a restart without issuing any certificate twice", async () => {
    const officer = await createOfficer();
    const d = await createTestDecision({ actorId: officer.id, recipients: 6, issue: true });
    const ids = await targetCertificateIds({ type: "decision", id: d.id });
    // Two were rendered before the "crash"; the job row says running at 2/6.
    const before = new Map<number, string>();
    for (const id of ids.slice(0, 2)) {
      const [c] = await db().select().from(certificates).where(eq(certificates.id, id));
      before.set(id, (await ensureCertificatePdf(c)).key);
    }
    const [job] = await db().insert(jobs).values({ kind: "certificates", target: `decision:${d.id}`, status: "running", total: 6, done: 2, createdBy: officer.id }).returning();
    expect(jobPercent(job)).toBe(33);
    const certCount = await countOf(sql`select count(*)::int as n from certificates`);
    expect(await resumeJobs()).toBeGreaterThanOrEqual(1);
    const after = await jobSettled(job.id);
    expect(after).toMatchObject({ status: "done", done: 6, total: 6 });
    for (const [id, key] of before) {
      const [c] = await db().select().from(certificates).where(eq(certificates.id, id));
      expect(c.pdfKey).toBe(key); // not rendered again
    }
    expect(await countOf(sql`select count(*)::int as n from certificates`)).toBe(certCount);
    // A second resume finds nothing to do.
    expect(await resumeJobs()).toBe(0);
  });

  it("fails cleanly when storage breaks, keeping what was done; starting again finishes the rest", async () => {
    const officer = await createOfficer();
    const d = await createTestDecision({ actorId: officer.id, recipients: 3, issue: true });
    const dir = path.join(process.env.UPLOADS_DIR!, "certificates");
    const aside = `${dir}-aside`;
    fs.mkdirSync(dir, { recursive: true });
    fs.renameSync(dir, aside);
    fs.writeFileSync(dir, "not a folder");
    try {
      const { job } = await startCertificateBatch({ target: { type: "decision", id: d.id }, actorId: officer.id });
      const failed = await jobSettled(job.id);
      expect(failed.status).toBe("failed");
      expect(failed.error).toMatch(/^Dừng ở giấy thứ 1\/3: .+Bấm “Phát hành” lần nữa/);
      const page = await jsonOf(await call(jobRoute.loader, requestAs(officer, `/ministry/jobs/${job.id}`), { id: String(job.id) }));
      expect(page.job).toMatchObject({ status: "failed", percent: 0 });
    } finally {
      fs.rmSync(dir, { force: true });
      fs.renameSync(aside, dir);
    }
    expect(await countOf(sql`select count(*)::int as n from certificates c join commendation_recipients r on r.id = c.recipient_id where r.decision_id = ${d.id} and c.pdf_key is not null`)).toBe(0);
    const again = await startCertificateBatch({ target: { type: "decision", id: d.id }, actorId: officer.id });
    expect(again.created).toBe(true);
    expect(await jobSettled(again.job.id)).toMatchObject({ status: "done", done: 3 });
  });

  it("refuses a batch for a draft decision or an unpublished round", async () => {
    const officer = await createOfficer();
    const d = await createTestDecision({ actorId: officer.id });
    await expect(startCertificateBatch({ target: { type: "decision", id: d.id }, actorId: officer.id })).rejects.toMatchObject({ status: 409 });
    const { round } = await createPublishedRound({ status: "deliberation", products: SAMPLE_PRODUCTS.slice(0, 1) });
    await expect(startCertificateBatch({ target: { type: "round", id: round.id }, actorId: officer.id })).rejects.toMatchObject({ status: 409 });
    expect(await countOf(sql`select count(*)::int as n from jobs where target in (${`decision:${d.id}`}, ${`round:${round.id}`})`)).toBe(0);
  });

  it("downloads all certificates as one merged PDF and as a ZIP of single PDFs", async () => {
    const officer = await createOfficer();
    const d = await createTestDecision({ actorId: officer.id, recipients: 4, issue: true });
    const zipRes = await call(bulk.loader, requestAs(officer, `/certificates/bulk/decision-${d.id}.zip`), { file: `decision-${d.id}.zip` });
    expect(zipRes.status).toBe(200);
    expect(zipRes.headers.get("Content-Type")).toBe("application/zip");
    const zip = await JSZip.loadAsync(await zipRes.arrayBuffer());
    const names = Object.keys(zip.files);
    expect(names).toHaveLength(4);
    expect(names.every((n) => /^BK-2016-\d{4}\.pdf$/.test(n))).toBe(true);
    const pdfRes = await call(bulk.loader, requestAs(officer, `/certificates/bulk/decision-${d.id}.pdf`), { file: `decision-${d.id}.pdf` });
    expect(pdfRes.status).toBe(200);
    const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cnnt-bulk-")), "all.pdf");
    fs.writeFileSync(tmp, Buffer.from(await pdfRes.arrayBuffer()));
    expect(execFileSync("pdfinfo", [tmp]).toString()).toMatch(/Pages:\s+4/);
    // The single files in the ZIP are the stored ones, byte for byte.
    const [first] = await db().select().from(certificates).where(eq(certificates.serial, names[0].replace(".pdf", "")));
    const stored = fs.readFileSync(path.join(process.env.UPLOADS_DIR!, first.pdfKey!));
    expect(Buffer.from(await zip.file(names[0])!.async("uint8array")).equals(stored)).toBe(true);
  });

  it("guards the organiser's page and the bulk downloads", async () => {
    const officer = await createOfficer();
    const d = await createTestDecision({ actorId: officer.id, recipients: 1, issue: true });
    const { round } = await createPublishedRound({ products: SAMPLE_PRODUCTS.slice(0, 2) });
    const north = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "BAC" } });
    const south = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "NAM" } });
    const juror = await createTestUser({ roles: ["juror"] });
    const page = (u: { cookie: string } | null) => call(roundCerts.loader, requestAs(u, `/organizer/rounds/${round.slug}/certificates`), { slug: round.slug });
    const start = (u: { cookie: string } | null) => call(roundCerts.action, requestAs(u, `/organizer/rounds/${round.slug}/certificates`, { form: { intent: "batch" } }), { slug: round.slug });
    expect((await page(null)).status).toBe(302);
    expect((await page(juror)).status).toBe(403);
    expect((await page(south)).status).toBe(404);
    expect((await start(null)).status).toBe(302);
    expect((await start(juror)).status).toBe(403);
    expect((await start(south)).status).toBe(404);
    expect(await countOf(sql`select count(*)::int as n from jobs where target = ${`round:${round.id}`}`)).toBe(0);
    const ok = await start(north);
    expect(ok.status).toBe(302);
    const view = await jsonOf(await page(north));
    await jobSettled(view.job.id);
    expect((await jsonOf(await page(north))).job).toMatchObject({ status: "done", percent: 100 });

    const dl = (u: { cookie: string } | null, file: string) => call(bulk.loader, requestAs(u, `/certificates/bulk/${file}`), { file });
    expect((await dl(null, `round-${round.id}.zip`)).status).toBe(302);
    expect((await dl(juror, `round-${round.id}.zip`)).status).toBe(403);
    expect((await dl(south, `round-${round.id}.zip`)).status).toBe(404);
    expect((await dl(north, `round-${round.id}.zip`)).status).toBe(200);
    expect((await dl(north, `decision-${d.id}.zip`)).status).toBe(403);
    expect((await dl(officer, `round-${round.id}.pdf`)).status).toBe(200);
    expect((await dl(officer, `decision-${d.id}.exe`)).status).toBe(404);
  });
});
