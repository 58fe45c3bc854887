/**
 * `npm run bench`: prints figures and ratios; never fails on a target (targets are read, not asserted).
 * Sections: HTTP pages against a node:http baseline. Later sections add images, ranking, PDFs.
 */
import { benchCertificates } from "./certificates";
import { benchHttp } from "./http";
import { startAppServer } from "./lib";

const SECTIONS: { name: string; run(ctx: { baseUrl: string }): Promise<void> }[] = [];

export function addSection(name: string, run: (ctx: { baseUrl: string }) => Promise<void>) {
  SECTIONS.push({ name, run });
}

addSection("Giấy chứng nhận và Bằng khen (PDF)", benchCertificates);

async function main() {
  console.log(`# CNNT Tiêu biểu — benchmark (${new Date().toISOString()}, Node ${process.version}, ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"})`);
  const server = await startAppServer(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {});
  try {
    await benchHttp(server);
    for (const section of SECTIONS) {
      console.log(`\n# ${section.name}`);
      await section.run({ baseUrl: server.baseUrl });
    }
  } finally {
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
