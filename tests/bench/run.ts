/**
 * `npm run bench`: prints figures and ratios; never fails on a target (targets are read, not asserted).
 * Sections: HTTP pages against a node:http baseline. Later sections add images, ranking, PDFs.
 */
import crypto from "node:crypto";

import { createScratchDatabase, useDatabase } from "../faults/lib";
import { benchAnnouncement, printTargets, workerMemoryRow } from "./announce";
import { benchCertificates } from "./certificates";
import { benchHttp } from "./http";
import { benchImages } from "./images";
import { benchJurors } from "./jurors";
import { startAppServer } from "./lib";
import { benchRanking } from "./ranking";
import { benchVotes } from "./votes";

interface SectionContext {
  baseUrl: string;
  /** The app server's process id (for memory sampling). */
  serverPid: number;
}

const SECTIONS: { name: string; run(ctx: SectionContext): Promise<void> }[] = [];

export function addSection(name: string, run: (ctx: SectionContext) => Promise<void>) {
  SECTIONS.push({ name, run });
}

addSection("Images (issue 3): 12 MP photo → variants, raw sharp baseline, memory under 4 uploads", benchImages);
addSection("Giấy chứng nhận và Bằng khen (PDF)", benchCertificates);
addSection("Xếp hạng và chấm điểm", benchRanking);

async function main() {
  // Issue 18: on PostgreSQL. Without DATABASE_URL a scratch database on the local server (dropped at the end);
  // BENCH_PGLITE=1 keeps the embedded database (the issue-18 juror figures are then skipped).
  const scratch = !process.env.DATABASE_URL && !process.env.BENCH_PGLITE ? await createScratchDatabase("cnnt_bench") : null;
  if (scratch) process.env.DATABASE_URL = scratch.url;
  // Issue 19: the server verifies a solved challenge whatever its difficulty; a low one keeps the
  // benchmark's own solving (the browser's work) from competing with the server for the CPU.
  process.env.VOTE_POW_MAX ??= "1000";
  // Every worker must sign and verify with the same secret (as in production); the voters speak from
  // their own addresses (X-Forwarded-For from loopback), as a crowd does.
  process.env.SESSION_SECRET ??= `bench-${crypto.randomBytes(24).toString("hex")}`;
  process.env.TRUST_PROXY ??= "loopback";
  console.log(`# CNNT Tiêu biểu — benchmark (${new Date().toISOString()}, Node ${process.version}, ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"})`);
  const server = await startAppServer(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {});
  try {
    // BENCH_ONLY_VOTES=1: issue 19's vote figures alone (the issue-18 table and the juror figures skipped).
    const onlyVotes = !!process.env.BENCH_ONLY_VOTES;
    // BENCH_SKIP_PAGES=1: without the public pages (profiling the signed-in figures).
    if (!onlyVotes && !process.env.BENCH_SKIP_PAGES) await benchAnnouncement(server);
    const handle = process.env.DATABASE_URL ? useDatabase(process.env.DATABASE_URL) : null;
    const juryRows = handle && !onlyVotes ? await benchJurors(server) : [];
    const voteRows = handle && !process.env.BENCH_SKIP_VOTES ? await benchVotes(server) : [];
    printTargets([
      ...juryRows,
      ...voteRows,
      workerMemoryRow(server, "the public pages, the juror load and the vote"),
      { figure: "bench:load public pages p99 / errors / lost or doubled writes", value: "—", target: "≤ 200 ms, 0, 0 (npm run bench:load)", met: null },
    ]);
    await handle?.close();
    if (process.env.BENCH_ONLY_ISSUE18 || onlyVotes) return;
    await benchHttp(server);
    for (const section of SECTIONS) {
      console.log(`\n# ${section.name}`);
      // With several workers an upload lands on any of them; the first one's memory is sampled.
      await section.run({ baseUrl: server.baseUrl, serverPid: server.workerPids()[0] ?? server.pid });
    }
  } finally {
    await server.stop();
    await scratch?.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
