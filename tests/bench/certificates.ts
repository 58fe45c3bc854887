/**
 * Certificate section of `npm run bench`, in this process (one core): PDFs per second rendered
 * alone (layout + pdf-lib, no storage), single certificates through `ensureCertificatePdf` (render,
 * sha256, file, database), and a 500-certificate batch through the job runner; bytes per PDF and
 * the peak memory (RSS) during the batch. Targets: ≥ 40 PDFs/s, ≤ 120 KB per PDF, < 400 MB.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { inArray } from "drizzle-orm";

import { createUser } from "../../app/models/account/user.server";
import { ensureCertificatePdf, meritLayout } from "../../app/models/certificate/pdf.server";
import { addRecipients, createDecision, issueDecision } from "../../app/models/commendation/commendation.server";
import { jobSettled, startCertificateBatch, targetCertificateIds } from "../../app/models/shared/jobs.server";
import { DecisionSchema, type RecipientInput } from "../../app/schemas/commendation";
import { openPglite, openPostgres, setDatabase } from "../../app/utils/db.server";
import { resetEnv } from "../../app/utils/env.server";
import { renderPdf } from "../../app/utils/pdf.server";
import { certificates } from "../../db/schema";

const BATCH = Number(process.env.BENCH_CERT_BATCH ?? 500);
const SINGLE = Number(process.env.BENCH_CERT_SINGLE ?? 100);

function recipients(n: number, tag: string): RecipientInput[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: i % 3 ? "individual" : "collective",
    name: i % 3 ? `Nguyễn Thị Thủy Ngữ ${tag}${i + 1}` : `Trung tâm Khuyến công và Tư vấn phát triển công nghiệp số ${tag}${i + 1}`,
    position: i % 3 ? "Phó Giám đốc" : "",
    organization: "Sở Công Thương tỉnh Ninh Bình",
    provinceCode: null,
    achievement: "Đã có thành tích xuất sắc trong công tác khuyến công giai đoạn 2013–2015, góp phần vào sự nghiệp phát triển công nghiệp nông thôn",
  }));
}

export async function benchCertificates() {
  const uploads = fs.mkdtempSync(path.join(os.tmpdir(), "cnnt-bench-cert-"));
  const saved = { uploads: process.env.UPLOADS_DIR };
  process.env.UPLOADS_DIR = uploads;
  resetEnv();
  // An in-memory PGlite by default (its WASM heap counts in the RSS); BENCH_CERT_DATABASE_URL points
  // at a scratch PostgreSQL database instead, to see the memory of the batch alone.
  const url = process.env.BENCH_CERT_DATABASE_URL;
  const handle = url ? openPostgres(url, { max: 2 }) : await openPglite();
  setDatabase(handle);
  const rssAtOpen = process.memoryUsage().rss;
  const tag = Math.floor(Math.random() * 9000) + 1000;
  try {
    await handle.migrate();
    const { id: actorId } = await createUser({ email: `bench-${tag}-${Date.now()}@example.vn`, password: "mat-khau-bench-2016", fullName: "Cán bộ đo", roles: ["ministry"] });
    const decisionFor = async (n: number, no: number) => {
      const data = DecisionSchema.parse({ number: `${no}/QĐ-BCT`, signedOn: "2016-09-30", signerName: "Trần Tuấn Anh", signerTitle: "Bộ trưởng Bộ Công Thương", authority: "Bộ Công Thương", periodFrom: 2013, periodTo: 2015, reason: "Thành tích khuyến công" });
      const d = await createDecision({ data, actorId });
      await addRecipients({ decisionId: d.id, recipients: recipients(n, `${no}-`), actorId });
      await issueDecision({ id: d.id, actorId });
      return d.id;
    };

    // 1. Render only (layout + PDF bytes).
    const single = await decisionFor(SINGLE, tag);
    const ids = await targetCertificateIds({ type: "decision", id: single });
    const certs = await handle.db.select().from(certificates).where(inArray(certificates.id, ids));
    const byId = new Map(certs.map((c) => [c.id, c]));
    await renderPdf(meritLayout(byId.get(ids[0])!)); // fonts loaded once
    const cpuSeconds = (since: NodeJS.CpuUsage) => {
      const u = process.cpuUsage(since);
      return (u.user + u.system) / 1e6;
    };
    let t0 = performance.now();
    let c0 = process.cpuUsage();
    let bytes = 0;
    for (const id of ids) bytes += (await renderPdf(meritLayout(byId.get(id)!))).length;
    const renderRate = ids.length / ((performance.now() - t0) / 1000);
    const renderCpuRate = ids.length / cpuSeconds(c0);

    // 2. Single certificates, stored one by one (render, sha256, file, database).
    t0 = performance.now();
    c0 = process.cpuUsage();
    for (const id of ids) await ensureCertificatePdf(byId.get(id)!);
    const singleRate = ids.length / ((performance.now() - t0) / 1000);
    const singleCpuRate = ids.length / cpuSeconds(c0);

    // 3. A batch through the job runner, with memory sampled.
    const batch = await decisionFor(BATCH, tag + 1);
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    t0 = performance.now();
    c0 = process.cpuUsage();
    const { job } = await startCertificateBatch({ target: { type: "decision", id: batch }, actorId });
    const done = await jobSettled(job.id);
    const seconds = (performance.now() - t0) / 1000;
    const batchCpu = cpuSeconds(c0);
    clearInterval(sampler);
    const batchIds = await targetCertificateIds({ type: "decision", id: batch });
    const stored = await handle.db.select({ key: certificates.pdfKey }).from(certificates).where(inArray(certificates.id, batchIds));
    const sizes = stored.filter((s) => s.key).map((s) => fs.statSync(path.join(uploads, s.key!)).size);
    const avg = sizes.reduce((a, b) => a + b, 0) / Math.max(1, sizes.length);

    console.log("\n## Giấy chứng nhận PDF (một lõi, trong tiến trình)");
    // PDFs per CPU-second of this process is what one core delivers, whatever else runs on the machine.
    console.log("| phép đo | PDF/s theo đồng hồ | PDF/s mỗi giây CPU (một lõi) | mục tiêu |");
    console.log("|---|---:|---:|---:|");
    console.log(`| dựng PDF (chỉ layout + pdf-lib), ${ids.length} giấy | ${renderRate.toFixed(1)} | ${renderCpuRate.toFixed(1)} | ≥ 40 |`);
    console.log(`| giấy đơn lẻ (dựng + sha256 + ghi tệp + CSDL), ${ids.length} giấy | ${singleRate.toFixed(1)} | ${singleCpuRate.toFixed(1)} | ≥ 40 |`);
    console.log(`| lô ${done.total} giấy qua hàng đợi (trạng thái ${done.status}, ${seconds.toFixed(1)} s) | ${(done.done / seconds).toFixed(1)} | ${(done.done / batchCpu).toFixed(1)} | ≥ 40 |`);
    console.log("\n| phép đo | kết quả | mục tiêu |");
    console.log("|---|---:|---:|");
    console.log(`| dung lượng trung bình mỗi PDF | ${(avg / 1024).toFixed(1)} KB (dựng thử ${(bytes / ids.length / 1024).toFixed(1)} KB) | ≤ 120 KB |`);
    console.log(`| bộ nhớ đỉnh (RSS) trong lô | ${(peak / 1048576).toFixed(0)} MB (khi mở CSDL ${(rssAtOpen / 1048576).toFixed(0)} MB, trước lô ${(before / 1048576).toFixed(0)} MB, lô thêm ${((peak - before) / 1048576).toFixed(0)} MB; ${url ? "PostgreSQL" : "PGlite trong tiến trình"}) | < 400 MB |`);
    console.log(`\nTải máy lúc đo (loadavg 1 phút): ${os.loadavg()[0].toFixed(1)} trên ${os.cpus().length} lõi — số PDF/s chia sẻ lõi với các tiến trình khác.`);
  } finally {
    await handle.close();
    setDatabase(undefined);
    fs.rmSync(uploads, { recursive: true, force: true });
    if (saved.uploads === undefined) delete process.env.UPLOADS_DIR;
    else process.env.UPLOADS_DIR = saved.uploads;
    resetEnv();
  }
}

// Run alone: `npx tsx tests/bench/certificates.ts`
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/tests\//, "/tests/"))) {
  benchCertificates().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
