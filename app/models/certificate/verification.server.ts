/**
 * Public verification of a certificate by its code (typed by hand or scanned from the QR), with
 * guessing throttled: each client may ask for a limited number of unknown codes per window.
 * The counters live in the database (login_throttle, keys "verify:<client>") so every app
 * server sees the same count.
 */
import { eq, sql } from "drizzle-orm";

import { type CertificateKind, loginThrottle } from "../../../db/schema";
import { db, rowsOf } from "../../utils/db.server";
import { AppError } from "../../utils/errors";
import { findCertificateByCode } from "./certificate.server";
import { CODE_ALPHABET, CODE_LENGTH, normaliseCode, validityRuleText, vietnamToday } from "./rules";

export const UNKNOWN_CODES_PER_WINDOW = 20;
export const THROTTLE_MINUTES = 15;

const CODE_RE = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);

async function assertNotThrottled(key: string) {
  const [row] = await db().select().from(loginThrottle).where(eq(loginThrottle.key, key));
  if (row?.lockedUntil && row.lockedUntil > new Date()) {
    const minutes = Math.max(1, Math.ceil((row.lockedUntil.getTime() - Date.now()) / 60000));
    throw new AppError(429, `Bạn đã tra cứu quá nhiều mã không tồn tại. Vui lòng thử lại sau ${minutes} phút.`);
  }
}

async function countUnknown(key: string) {
  // A count older than the window starts again; reaching the limit locks the client for the window.
  const fresh = sql`${loginThrottle.updatedAt} < now() - make_interval(mins => ${THROTTLE_MINUTES})`;
  const next = sql`(case when ${fresh} then 1 else ${loginThrottle.failures} + 1 end)`;
  await db()
    .insert(loginThrottle)
    .values({ key, failures: 1, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures: next,
        lockedUntil: sql`case when ${next} >= ${UNKNOWN_CODES_PER_WINDOW} then now() + make_interval(mins => ${THROTTLE_MINUTES}) else null end`,
        updatedAt: sql`now()`,
      },
    });
}

export interface PublicCertificate {
  serial: string;
  code: string;
  kind: CertificateKind;
  status: "valid" | "expired" | "revoked";
  subject: Record<string, unknown> & { name: string };
  issuer: string;
  /** Null for a favourite certificate: the public vote, not a decision, gave the award. */
  decisionNo: string | null;
  decisionDate: string | null;
  issuedAt: string;
  validUntil: string | null;
  /** The validity rule (regime) that dated `validUntil`, and how the pages say it. */
  validityRule: string | null;
  validityBasis: string | null;
  revokedAt: string | null;
  revokedReason: string | null;
  productId: number | null;
}

/**
 * A certificate as the public sees it, or null for an unknown code (which counts towards the
 * client's throttle).
 * @throws AppError 429 while the client is throttled.
 */
export async function verifyCertificateCode(input: {
  code: string;
  client?: string | null;
  /** Memoises the lookup per published state (cache.server's `memo`); the throttle is checked every time. */
  memo?: <T>(key: string, read: () => Promise<T>) => Promise<T>;
}): Promise<PublicCertificate | null> {
  const key = `verify:${input.client ?? "unknown"}`;
  await assertNotThrottled(key);
  const code = normaliseCode(input.code ?? "").slice(0, 40);
  if (!CODE_RE.test(code)) {
    await countUnknown(key);
    return null;
  }
  const found = await (input.memo ?? ((_k, read) => read()))(`certificate:${code}`, () => lookupCertificate(code));
  if (!found) await countUnknown(key);
  return found;
}

async function lookupCertificate(code: string): Promise<PublicCertificate | null> {
  const cert = await findCertificateByCode(code);
  if (!cert) return null;
  // A product (or favourite) certificate links to the product page only while the product is public.
  const entryId = cert.entryId ?? cert.favouriteEntryId;
  const rows = entryId
    ? rowsOf<{ product_id: number }>(
        await db().execute(sql`select e.product_id from entries e join rounds r on r.id = e.round_id
          where e.id = ${entryId} and e.status = 'selected' and r.status = 'published'`),
      )
    : [];
  return {
    serial: cert.serial,
    code: cert.code,
    kind: cert.kind,
    status: cert.status,
    subject: { ...cert.subject, name: cert.subjectName },
    issuer: cert.issuer,
    decisionNo: cert.decisionNo,
    decisionDate: cert.decisionDate,
    issuedAt: vietnamToday(cert.issuedAt),
    validUntil: cert.validUntil,
    validityRule: cert.validityRule,
    validityBasis: validityRuleText(cert.validityRule),
    revokedAt: cert.revokedAt ? vietnamToday(cert.revokedAt) : null,
    revokedReason: cert.revokedAt ? cert.revokedReason : null,
    productId: rows[0] ? Number(rows[0].product_id) : null,
  };
}
