/**
 * `npm run bench`: prints figures and ratios; never fails on a target (targets are read, not asserted).
 * Sections: HTTP pages against a node:http baseline. Later sections add images, ranking, PDFs.
 */
import { benchCertificates } from "./certificates";
import { benchHttp } from "./http";
import { benchImages } from "./images";
import { startAppServer } from "./lib";
import { benchRanking } from "./ranking";

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
  console.log(`# CNNT Tiêu biểu — benchmark (${new Date().toISOString()}, Node ${process.version}, ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"})`);
  const server = await startAppServer(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {});
  try {
    await benchHttp(server);
    for (const section of SECTIONS) {
      console.log(`\n# ${section.name}`);
      await section.run({ baseUrl: server.baseUrl, serverPid: server.pid });
    }
  } finally {
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
