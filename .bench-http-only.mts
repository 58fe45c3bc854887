import { benchHttp } from "./tests/bench/http.ts";
import { startAppServer } from "./tests/bench/lib.ts";
async function main() {
  const server = await startAppServer({ DATABASE_URL: process.env.DATABASE_URL!, RATE_LIMIT_FACTOR: "100000" });
  try { await benchHttp(server); } finally { await server.stop(); }
}
main();
