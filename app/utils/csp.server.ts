/**
 * Content-Security-Policy for scripts (issue 11, item 6). Pages that are never revalidated carry a
 * per-request nonce. Pages that can be answered 304 (they carry an ETag) are allowed by the SHA-256 of
 * their inline scripts instead: the hash belongs to the body, so the policy a browser stored with the
 * body stays true for it — a fresh nonce on a 304 would not (Chromium applies the 304's headers to the
 * old body and refuses its scripts). A 304 carries no policy at all, so the stored one stays.
 */
import crypto from "node:crypto";
import type { ServerResponse } from "node:http";

/** Carries the hashes from entry.server.tsx to server.ts, which removes it before sending. */
export const SCRIPT_HASHES_HEADER = "X-CSP-Script-Hashes";

/** `'sha256-…'` for the content of every inline `<script>` (one without `src`) of a document. */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\ssrc\s*=/i.test(m[1]) || m[2] === "") continue;
    hashes.add(`'sha256-${crypto.createHash("sha256").update(m[2], "utf8").digest("base64")}'`);
  }
  return [...hashes];
}

/** The policy with its script-src nonce replaced by the given sources (hashes). */
export function withScriptSources(policy: string, sources: string): string {
  return policy.replace(/(script-src[^;]*?)\s'nonce-[^']*'/, (_m, head: string) => `${head}${sources ? ` ${sources}` : ""}`);
}

/**
 * Hooks a response so that, as its head is written, a 304 loses its policy and a page rendered with
 * script hashes gets them in place of the nonce.
 */
export function scriptPolicyOnHead(res: ServerResponse) {
  const writeHead = res.writeHead;
  res.writeHead = function (this: typeof res, ...args: unknown[]) {
    const status = typeof args[0] === "number" ? args[0] : res.statusCode;
    const hashes = res.getHeader(SCRIPT_HASHES_HEADER);
    if (hashes !== undefined) {
      res.removeHeader(SCRIPT_HASHES_HEADER);
      const policy = res.getHeader("Content-Security-Policy");
      if (typeof policy === "string") res.setHeader("Content-Security-Policy", withScriptSources(policy, String(hashes)));
    }
    if (status === 304) res.removeHeader("Content-Security-Policy");
    return (writeHead as (...a: unknown[]) => typeof res).apply(this, args);
  } as typeof res.writeHead;
}
