import { type Figures, load, printTable, type RunningServer, startBaseline } from "./lib";

export interface HttpTarget {
  name: string;
  path: string;
  headers?: Record<string, string>;
  /** Fills path/headers from the running server (ids, codes, ETags known only at run time). */
  resolve?: (baseUrl: string) => Promise<{ path?: string; headers?: Record<string, string> }>;
}

const ROUND_2016 = "/rounds/2016-khu-vuc-phia-bac";

/** The first product page in the sitemap, the first certificate of the 2016 round, the round page's ETag. */
const firstProduct = async (baseUrl: string) => ({ path: /<loc>[^<]*(\/products\/\d+)<\/loc>/.exec(await (await fetch(`${baseUrl}/sitemap.xml`)).text())?.[1] ?? "/products/1" });
const firstCertificate = async (baseUrl: string) => {
  const body = (await (await fetch(`${baseUrl}/api/v1${ROUND_2016}/winners`)).json()) as { winners?: { certificate: { code: string } | null }[] };
  return { path: `/verify/${body.winners?.find((w) => w.certificate)?.certificate?.code ?? "UNKNOWN"}` };
};
const roundEtag = async (baseUrl: string) => ({ headers: { "If-None-Match": (await fetch(baseUrl + ROUND_2016)).headers.get("etag") ?? "" } });

/** The HTTP targets: each app page side by side with node:http answering the same bytes. */
export const HTTP_TARGETS: HttpTarget[] = [
  { name: "/healthz", path: "/healthz" },
  { name: "home page", path: "/" },
  { name: "programme report (Bắc, 9 tháng 2016)", path: "/programme/2016/bac?period=9m" },
  { name: "programme API (Bắc, 9 tháng 2016)", path: "/api/v1/programme/2016/bac?period=9m" },
  { name: "round page (2016 Bắc, 73 products)", path: ROUND_2016 },
  { name: "round page, conditional (If-None-Match → 304)", path: ROUND_2016, resolve: roundEtag },
  { name: "product page", path: "/products/1", resolve: firstProduct },
  { name: "search “nuoc mam”", path: "/search?q=nuoc+mam" },
  { name: "verify page (certificate)", path: "/verify/", resolve: firstCertificate },
];

export async function benchHttp(server: RunningServer) {
  const rows: Figures[] = [];
  let smallest: Figures | undefined;
  const byName = new Map<string, Figures>();
  for (const configured of HTTP_TARGETS) {
    const target = { ...configured, ...(configured.resolve ? await configured.resolve(server.baseUrl) : {}) };
    const res = await fetch(server.baseUrl + target.path, { headers: target.headers });
    const body = Buffer.from(await res.arrayBuffer());
    const baseline = await startBaseline(body, res.headers.get("content-type") ?? "text/plain");
    const base = await load(`node:http, same ${body.length} bytes`, baseline.url);
    await baseline.close();
    const app = await load(target.name, server.baseUrl + target.path, { headers: target.headers });
    smallest ??= app;
    printTable(`${target.name} (${body.length} bytes)`, [base, app], base);
    rows.push(app);
    byName.set(configured.name, app);
  }
  if (smallest && rows.length > 1) printTable("each target against the app's smallest route (/healthz)", rows, smallest);
  const full = byName.get("round page (2016 Bắc, 73 products)");
  const conditional = byName.get("round page, conditional (If-None-Match → 304)");
  if (full && conditional && smallest) {
    console.log(`\nround page: ${(full.rps / smallest.rps).toFixed(2)}× the smallest route (target ≥ 0.60), p99 ${full.p99} ms (target ≤ 250)`);
    console.log(`conditional round page: ${(conditional.rps / full.rps).toFixed(2)}× the full render (target ≥ 3)`);
  }
}
