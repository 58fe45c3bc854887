/**
 * SIGKILL of the server in the middle of a certificate batch, then a restart: the batch resumes
 * (`resumeJobs()` at start) and completes; no certificate is issued twice (one record per selected
 * entry, unique serials and codes) and each has exactly one PDF on disk; what the killed render
 * left half-written is removed by the start-up cleanup.
 */
import fs from "node:fs";
import path from "node:path";

import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type DatabaseHandle } from "../../app/utils/db.server";
import { certificates, jobs } from "../../db/schema";
import { createTestUser } from "../factories/index";
import { createPublishedRound, type ProductSpec } from "../factories/published";
import { age, type AppProcess, listFiles, startApp, type FaultWorld, startFaultWorld, stopFaultWorld } from "./lib";

let scratch: FaultWorld["scratch"];
let app: AppProcess;
let handle: DatabaseHandle;
let tmp: string;
let uploadsDir: string;

beforeAll(async () => {
  ({ scratch, tmp, uploadsDir, app, handle } = await startFaultWorld("cnnt-fault-batch-"));
});

afterAll(async () => {
  await stopFaultWorld({ app, handle, scratch, tmp });
});

const PROVINCES = ["Ninh Bình", "Hà Nội", "Hải Phòng", "Bắc Ninh", "Nam Định", "Thái Bình"];

async function jobOf(target: string) {
  const [job] = await handle.db.select().from(jobs).where(eq(jobs.target, target));
  return job;
}

describe("SIGKILL during a certificate batch", () => {
  it("resumes after the restart and issues every certificate once, with one PDF each", async () => {
    const specs: ProductSpec[] = Array.from({ length: 40 }, (_, i) => ({
      name: `Sản phẩm tiêu biểu số ${i + 1}`,
      facility: `Cơ sở sản xuất số ${i + 1}`,
      province: PROVINCES[i % PROVINCES.length],
      groupNo: (i % 4) + 1,
      meanScore: 95 - i / 2,
      photos: 0,
    }));
    const { round, products } = await createPublishedRound({ products: specs });
    const organizer = await createTestUser({ roles: ["organizer"], organizerScope: { scopeRegion: "BAC" } });
    const target = `round:${round.id}`;

    const res = await fetch(`${app.baseUrl}/organizer/rounds/${round.slug}/certificates`, {
      method: "POST",
      headers: { Cookie: organizer.cookie, Origin: app.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
      body: "",
      redirect: "manual",
    });
    expect(res.status).toBe(302);

    // Kill while the batch is part-way.
    const deadline = Date.now() + 60_000;
    let job = await jobOf(target);
    while ((!job || job.done < 3) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      job = await jobOf(target);
    }
    await app.kill();
    job = await jobOf(target);
    expect(job.status).toBe("running");
    expect(job.done).toBeLessThan(products.length);
    const doneAtKill = job.done;

    // What a render killed mid-write leaves (writeAtomic's temporary file, a PDF never recorded).
    const certDir = path.join(uploadsDir, "certificates");
    fs.mkdirSync(certDir, { recursive: true });
    fs.writeFileSync(path.join(certDir, "KV-BAC-2016-999-0123456789abcdef.pdf.1a2b3c4d.tmp"), "%PDF-1.7 half");
    fs.writeFileSync(path.join(certDir, "KV-BAC-2016-998-0123456789abcdef.pdf"), "%PDF-1.7 never recorded");
    age(uploadsDir, 10 * 60 * 1000);

    app = await startApp({ databaseUrl: scratch.url, uploadsDir, port: app.port });
    expect(app.log()).toMatch(/Tiếp tục 1 lượt phát hành/);
    const finish = Date.now() + 90_000;
    job = await jobOf(target);
    while (job.status === "running" || job.status === "queued") {
      if (Date.now() > finish) throw new Error(`batch did not finish: ${JSON.stringify(job)}`);
      await new Promise((r) => setTimeout(r, 200));
      job = await jobOf(target);
    }
    expect(job.status).toBe("done");
    expect(job.done).toBe(products.length);
    expect(await handle.db.select().from(jobs).where(eq(jobs.target, target))).toHaveLength(1);

    const certs = await handle.db.select().from(certificates).where(eq(certificates.roundId, round.id));
    expect(certs).toHaveLength(products.length);
    expect(new Set(certs.map((c) => c.entryId)).size).toBe(products.length);
    expect(new Set(certs.map((c) => c.serial)).size).toBe(products.length);
    expect(new Set(certs.map((c) => c.code)).size).toBe(products.length);
    for (const c of certs) {
      expect(c.pdfKey, c.serial).toBeTruthy();
      expect(fs.existsSync(path.join(uploadsDir, c.pdfKey!)), c.pdfKey!).toBe(true);
    }
    // One PDF per certificate on disk: no duplicate render, nothing half-written left.
    const files = listFiles(certDir).filter((f) => !f.startsWith("previews"));
    expect(files.sort()).toEqual(certs.map((c) => path.basename(c.pdfKey!)).sort());
    console.log(
      `SIGKILL during a certificate batch: killed at ${doneAtKill}/${products.length}, resumed to ${job.done}/${job.total}, ${files.length} PDFs on disk`,
    );
  });
});
