import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

let script: Promise<string> | undefined;

/** GET /binh-chon/altcha-worker.js: the widget's worker from the altcha package, served by the site (CSP 'self'). */
export async function loader() {
  script ??= readFile(createRequire(import.meta.url).resolve("altcha/worker"), "utf8");
  return new Response(await script, {
    headers: { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "public, max-age=86400" },
  });
}
