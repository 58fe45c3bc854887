import crypto from "node:crypto";

/** SHA-256 as lowercase hex: of a text (UTF-8) or of bytes. The one hash helper of the app. */
export function sha256(data: string | Uint8Array): string {
  return crypto.createHash("sha256").update(data).digest("hex");
}
