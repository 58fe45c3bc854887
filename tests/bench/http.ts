import { type Figures, load, printTable, type RunningServer, startBaseline } from "./lib";

/** The HTTP targets: each app page side by side with node:http answering the same bytes. */
export const HTTP_TARGETS: { name: string; path: string; headers?: Record<string, string> }[] = [
  { name: "/healthz", path: "/healthz" },
  { name: "home page", path: "/" },
];

export async function benchHttp(server: RunningServer) {
  const rows: Figures[] = [];
  let smallest: Figures | undefined;
  for (const target of HTTP_TARGETS) {
    const res = await fetch(server.baseUrl + target.path, { headers: target.headers });
    const body = Buffer.from(await res.arrayBuffer());
    const baseline = await startBaseline(body, res.headers.get("content-type") ?? "text/plain");
    const base = await load(`node:http, same ${body.length} bytes`, baseline.url);
    await baseline.close();
    const app = await load(target.name, server.baseUrl + target.path, { headers: target.headers });
    smallest ??= app;
    printTable(`${target.name} (${body.length} bytes)`, [base, app], base);
    rows.push(app);
  }
  if (smallest && rows.length > 1) printTable("each target against the app's smallest route (/healthz)", rows, smallest);
}
