import crypto from "node:crypto";

import { sha256 } from "./hash.server";

/** A random link token (256 bits, base64url) and the SHA-256 that is stored instead of it. */
export function newToken(): { token: string; hash: string } {
  const token = crypto.randomBytes(32).toString("base64url");
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return sha256(token);
}

/** An absolute link from PUBLIC_URL (messages are read outside the site). */
export function absoluteUrl(publicUrl: string, path: string): string {
  return new URL(path, publicUrl.endsWith("/") ? publicUrl : `${publicUrl}/`).href;
}
