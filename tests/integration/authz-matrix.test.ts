/**
 * The authorization matrix, generated from the route manifest: every file in app/routes is a route
 * (Remix flat routes), and every route's loader and action is called by every kind of caller with
 * the answer written down below. A route file without rows here fails the test, so a new route
 * cannot be forgotten.
 *
 * Codes: 200 ok · 302 redirect to /login · RDR redirect elsewhere (e.g. the signed-in home) ·
 * 400 allowed but the minimal form is invalid · 403 missing permission · 404 unknown or outside the
 * caller's scope (existence stays private) · 409 allowed but the state forbids it.
 *
 * Callers (tests/setup/world.ts builds them and their data): anon = not signed in · ownA/ownB =
 * owners of facilities A and B · jAsg = juror assigned to A's entry · jOth = juror on the council,
 * not assigned to A's entry · jCfl = juror who declared a conflict with A's entry · oBAC = organiser
 * of the rounds' scope (region BAC) · oNAM = organiser of region NAM · mini = ministry · admn = admin.
 *
 * Every refused POST is also checked to write no row in any data table, and no refusal may carry a
 * stack trace.
 */
import fs from "node:fs";
import path from "node:path";

import { eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { ELIGIBILITY_CONDITIONS } from "../../app/models/entry/eligibility-rules";
import { jobSettled } from "../../app/models/shared/jobs.server";
import { createSessionCookie } from "../../app/utils/auth.server";
import { db, rowsOf } from "../../app/utils/db.server";
import { env } from "../../app/utils/env.server";
import { commendationDecisions, jobs } from "../../db/schema";
import { decisionForm } from "../factories/commendation";
import { facilityData, fixture } from "../factories/facility";
import { requestAs } from "../factories/index";
import { buildWorld, CALLERS, SECRET_COMMENT, type Caller, type World } from "../setup/world";

// ───────────────────────────── the manifest ─────────────────────────────

const ROUTES_DIR = path.resolve("app/routes");
const routeFiles = fs
  .readdirSync(ROUTES_DIR)
  .filter((f) => /\.(tsx?|jsx?)$/.test(f))
  .map((f) => f.replace(/\.(tsx?|jsx?)$/, ""))
  .sort();

/** The URL pattern of a flat route file name: `organizer.rounds.$slug._index` → `/organizer/rounds/:slug`. */
function routePattern(file: string): string {
  const segments: string[] = [];
  let current = "";
  let depth = 0;
  for (const ch of file) {
    if (ch === "[") depth++;
    if (ch === "]") depth--;
    if (ch === "." && depth === 0) {
      segments.push(current);
      current = "";
    } else current += ch;
  }
  segments.push(current);
  const parts = segments
    .filter((s) => s !== "_index" && !(s.startsWith("_") && !s.startsWith("_[")))
    .map((s) => s.replace(/_$/, ""))
    .map((s) => (s === "$" ? "*" : s.startsWith("$") ? `:${s.slice(1)}` : s))
    .map((s) => s.replace(/\[([^\]]*)\]/g, "$1"));
  return "/" + parts.join("/");
}

/** The params a URL gives a pattern, or null when it does not fit. */
function paramsFor(pattern: string, url: string): Record<string, string> | null {
  const want = pattern.split("/").filter(Boolean);
  const got = new URL(url, "http://x").pathname.split("/").filter(Boolean);
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i];
    if (w === "*") {
      params["*"] = got.slice(i).map(decodeURIComponent).join("/");
      return params;
    }
    if (i >= got.length) return null;
    if (w.startsWith(":")) params[w.slice(1)] = decodeURIComponent(got[i]);
    else if (w !== decodeURIComponent(got[i])) return null;
  }
  return got.length === want.length ? params : null;
}

// ───────────────────────────── the expectations ─────────────────────────────

type Form = Record<string, string | File>;
interface Row {
  route: string;
  method: "GET" | "POST";
  url: (w: World) => string;
  form?: (w: World) => Form;
  /** One code per caller, in CALLERS order. */
  expect: string;
  /** Each caller gets a fresh session (the action ends it). */
  freshSession?: boolean;
  note?: string;
}
const get = (expect: string, route: string, url: Row["url"], note?: string): Row => ({ route, method: "GET", url, expect, note });
const post = (expect: string, route: string, url: Row["url"], form: Row["form"], note?: string): Row => ({
  route,
  method: "POST",
  url,
  form,
  expect,
  note,
});

// prettier-ignore
const ROWS: Row[] = [
  //          anon ownA ownB jAsg jOth jCfl oBAC oNAM mini admn
  // ── public pages and open data ──
  get(       "404  404  404  404  404  404  404  404  404  404", "$", () => "/khong-co-trang-nay"),
  get(       "200  200  200  200  200  200  200  200  200  200", "_index", () => "/"),
  get(       "200  200  200  200  200  200  200  200  200  200", "rounds._index", () => "/rounds"),
  get(       "200  200  200  200  200  200  200  200  200  200", "rounds.$slug", (w) => `/rounds/${w.rounds.published.slug}`),
  get(       "404  404  404  404  404  404  404  404  404  404", "rounds.$slug", (w) => `/rounds/${w.rounds.scoring.slug}`, "a round not yet published"),
  get(       "RDR  RDR  RDR  RDR  RDR  RDR  RDR  RDR  RDR  RDR", "rounds.$slug", (w) => `/rounds/${w.rounds.registration.slug}`, "a round taking entries: its call for entries"),
  get(       "200  200  200  200  200  200  200  200  200  200", "rounds.$slug_.the-le", (w) => `/rounds/${w.rounds.registration.slug}/the-le`),
  get(       "404  404  404  404  404  404  404  404  404  404", "rounds.$slug_.the-le", (w) => `/rounds/${w.rounds.scoring.slug}/the-le`, "not taking entries"),
  get(       "200  200  200  200  200  200  200  200  200  200", "rounds.$slug.og[.png]", (w) => `/rounds/${w.rounds.published.slug}/og.png`),
  get(       "404  404  404  404  404  404  404  404  404  404", "rounds.$slug.og[.png]", (w) => `/rounds/${w.rounds.scoring.slug}/og.png`),
  get(       "200  200  200  200  200  200  200  200  200  200", "rounds.$slug.winners[.csv]", (w) => `/rounds/${w.rounds.published.slug}/winners.csv`),
  get(       "404  404  404  404  404  404  404  404  404  404", "rounds.$slug.winners[.csv]", (w) => `/rounds/${w.rounds.scoring.slug}/winners.csv`),
  get(       "200  200  200  200  200  200  200  200  200  200", "rounds.$slug.winners[.xlsx]", (w) => `/rounds/${w.rounds.published.slug}/winners.xlsx`),
  get(       "404  404  404  404  404  404  404  404  404  404", "rounds.$slug.winners[.xlsx]", (w) => `/rounds/${w.rounds.scoring.slug}/winners.xlsx`),
  get(       "200  200  200  200  200  200  200  200  200  200", "products.$id", (w) => `/products/${w.products.A3}`, "a recognised product"),
  get(       "404  404  404  404  404  404  404  404  404  404", "products.$id", (w) => `/products/${w.products.A1.id}`, "a product only in a draft entry"),
  get(       "404  404  404  404  404  404  404  404  404  404", "products.$id", (w) => `/products/${w.products.B2.id}`, "a product being scored"),
  get(       "200  200  200  200  200  200  200  200  200  200", "products.$id.og[.png]", (w) => `/products/${w.products.A3}/og.png`),
  get(       "404  404  404  404  404  404  404  404  404  404", "products.$id.og[.png]", (w) => `/products/${w.products.A1.id}/og.png`),
  get(       "200  200  200  200  200  200  200  200  200  200", "search", () => "/search?q=san+pham"),
  get(       "200  200  200  200  200  200  200  200  200  200", "stats", () => "/stats"),
  get(       "200  200  200  200  200  200  200  200  200  200", "sitemap[.]xml", () => "/sitemap.xml"),
  get(       "200  200  200  200  200  200  200  200  200  200", "commendations", () => "/commendations"),
  get(       "200  200  200  200  200  200  200  200  200  200", "programme._index", () => "/programme"),
  get(       "200  200  200  200  200  200  200  200  200  200", "programme.$year.$region", () => "/programme/2016/bac"),
  get(       "200  200  200  200  200  200  200  200  200  200", "programme.$year.$region_.bao-cao[.xlsx]", () => "/programme/2016/bac/bao-cao.xlsx"),
  get(       "200  200  200  200  200  200  200  200  200  200", "verify._index", () => "/verify"),
  get(       "200  200  200  200  200  200  200  200  200  200", "verify.$code", (w) => `/verify/${w.certificateA.code}`),
  get(       "404  404  404  404  404  404  404  404  404  404", "verify.$code", () => "/verify/ABCDEFGHJKMNPQ"),
  get(       "200  200  200  200  200  200  200  200  200  200", "api.v1.rounds._index", () => "/api/v1/rounds"),
  get(       "200  200  200  200  200  200  200  200  200  200", "api.v1.rounds.$slug.winners", (w) => `/api/v1/rounds/${w.rounds.published.slug}/winners`),
  get(       "404  404  404  404  404  404  404  404  404  404", "api.v1.rounds.$slug.winners", (w) => `/api/v1/rounds/${w.rounds.scoring.slug}/winners`),
  get(       "200  200  200  200  200  200  200  200  200  200", "api.v1.rounds.$slug._index", (w) => `/api/v1/rounds/${w.rounds.scoring.slug}`),
  get(       "200  200  200  200  200  200  200  200  200  200", "api.v1.rounds.$slug.provisional", (w) => `/api/v1/rounds/${w.rounds.published.slug}/provisional`),
  get(       "200  200  200  200  200  200  200  200  200  200", "api.v1.rounds.$slug.complaints", (w) => `/api/v1/rounds/${w.rounds.published.slug}/complaints`),
  get(       "404  404  404  404  404  404  404  404  404  404", "rounds.$slug_.du-kien", (w) => `/rounds/${w.rounds.scoring.slug}/du-kien`, "no provisional list"),
  post(      "404  404  404  404  404  404  404  404  404  404", "rounds.$slug_.du-kien", (w) => `/rounds/${w.rounds.scoring.slug}/du-kien`, () => ({ body: "x" }), "no provisional list: refused (anyone may complain by e-mail, so no sign-in first)"),
  // ── issue 19: the people's-choice vote (the world's rounds have none: 404 for everyone) ──
  get(       "404  404  404  404  404  404  404  404  404  404", "rounds.$slug_.binh-chon", (w) => `/rounds/${w.rounds.published.slug}/binh-chon`, "no vote"),
  post(      "404  404  404  404  404  404  404  404  404  404", "rounds.$slug_.binh-chon", (w) => `/rounds/${w.rounds.published.slug}/binh-chon`, () => ({ intent: "link", email: "a@example.vn" }), "no vote: refused"),
  get(       "404  404  404  404  404  404  404  404  404  404", "rounds.$slug_.binh-chon[.csv]", (w) => `/rounds/${w.rounds.published.slug}/binh-chon.csv`),
  get(       "404  404  404  404  404  404  404  404  404  404", "api.v1.rounds.$slug.votes", (w) => `/api/v1/rounds/${w.rounds.published.slug}/votes`),
  get(       "404  404  404  404  404  404  404  404  404  404", "binh-chon.xac-nhan.$token", () => "/binh-chon/xac-nhan/khong-co-duong-dan-nay", "unknown link"),
  post(      "404  404  404  404  404  404  404  404  404  404", "binh-chon.xac-nhan.$token", () => "/binh-chon/xac-nhan/khong-co-duong-dan-nay", () => ({}), "unknown link: refused"),
  get(       "200  200  200  200  200  200  200  200  200  200", "binh-chon.thu-thach", () => "/binh-chon/thu-thach"),
  get(       "200  200  200  200  200  200  200  200  200  200", "binh-chon.altcha-worker[.]js", () => "/binh-chon/altcha-worker.js"),
  get(       "302  403  403  403  403  403  200  404  403  403", "organizer.rounds.$slug.binh-chon", (w) => `/organizer/rounds/${w.rounds.scoring.slug}/binh-chon`),
  post(      "302  403  403  403  403  403  400  404  403  403", "organizer.rounds.$slug.binh-chon", (w) => `/organizer/rounds/${w.rounds.scoring.slug}/binh-chon`, () => ({})),
  post(      "302  403  403  403  403  403  400  404  403  403", "organizer.rounds.$slug.binh-chon", (w) => `/organizer/rounds/${w.rounds.scoring.slug}/binh-chon`, () => ({ intent: "save", opensAt: "x" }), "invalid settings"),
  post(      "302  403  403  403  403  403  404  404  403  403", "organizer.rounds.$slug.binh-chon", (w) => `/organizer/rounds/${w.rounds.scoring.slug}/binh-chon`, () => ({ intent: "flag", flagId: "1", decision: "excluded", reason: "lý do đủ dài" }), "no vote to decide on"),
  get(       "302  403  403  403  403  403  200  404  403  403", "organizer.rounds.$slug.binh-chon_.phieu[.csv]", (w) => `/organizer/rounds/${w.rounds.scoring.slug}/binh-chon/phieu.csv`),
  // ── the English mirror (issue 19): the same modules under /en, the same answers ──
  get(       "404  404  404  404  404  404  404  404  404  404", "en.$", () => "/en/khong-co-trang-nay"),
  get(       "200  200  200  200  200  200  200  200  200  200", "en._index", () => "/en"),
  get(       "200  200  200  200  200  200  200  200  200  200", "en.rounds._index", () => "/en/rounds"),
  get(       "200  200  200  200  200  200  200  200  200  200", "en.rounds.$slug", (w) => `/en/rounds/${w.rounds.published.slug}`),
  get(       "404  404  404  404  404  404  404  404  404  404", "en.rounds.$slug", (w) => `/en/rounds/${w.rounds.scoring.slug}`, "a round not yet published"),
  get(       "RDR  RDR  RDR  RDR  RDR  RDR  RDR  RDR  RDR  RDR", "en.rounds.$slug", (w) => `/en/rounds/${w.rounds.registration.slug}`, "a round taking entries: its call for entries"),
  get(       "200  200  200  200  200  200  200  200  200  200", "en.rounds.$slug_.the-le", (w) => `/en/rounds/${w.rounds.registration.slug}/the-le`),
  get(       "404  404  404  404  404  404  404  404  404  404", "en.rounds.$slug_.the-le", (w) => `/en/rounds/${w.rounds.scoring.slug}/the-le`, "not taking entries"),
  get(       "404  404  404  404  404  404  404  404  404  404", "en.rounds.$slug_.du-kien", (w) => `/en/rounds/${w.rounds.scoring.slug}/du-kien`, "no provisional list"),
  post(      "404  404  404  404  404  404  404  404  404  404", "en.rounds.$slug_.du-kien", (w) => `/en/rounds/${w.rounds.scoring.slug}/du-kien`, () => ({ body: "x" }), "no provisional list: refused"),
  get(       "200  200  200  200  200  200  200  200  200  200", "en.products.$id", (w) => `/en/products/${w.products.A3}`, "a recognised product"),
  get(       "404  404  404  404  404  404  404  404  404  404", "en.products.$id", (w) => `/en/products/${w.products.A1.id}`, "a product only in a draft entry"),
  get(       "404  404  404  404  404  404  404  404  404  404", "en.products.$id", (w) => `/en/products/${w.products.B2.id}`, "a product being scored"),
  get(       "200  200  200  200  200  200  200  200  200  200", "en.search", () => "/en/search?q=san+pham"),
  get(       "200  200  200  200  200  200  200  200  200  200", "en.stats", () => "/en/stats"),
  get(       "404  404  404  404  404  404  404  404  404  404", "en.rounds.$slug_.binh-chon", (w) => `/en/rounds/${w.rounds.published.slug}/binh-chon`, "no vote"),
  post(      "404  404  404  404  404  404  404  404  404  404", "en.rounds.$slug_.binh-chon", (w) => `/en/rounds/${w.rounds.published.slug}/binh-chon`, () => ({ intent: "link", email: "a@example.com" }), "no vote: refused"),
  get(       "404  404  404  404  404  404  404  404  404  404", "en.binh-chon.xac-nhan.$token", () => "/en/binh-chon/xac-nhan/khong-co-duong-dan-nay", "unknown link"),
  post(      "404  404  404  404  404  404  404  404  404  404", "en.binh-chon.xac-nhan.$token", () => "/en/binh-chon/xac-nhan/khong-co-duong-dan-nay", () => ({}), "unknown link: refused"),
  get(       "200  200  200  200  200  200  200  200  200  200", "en.commendations", () => "/en/commendations"),
  get(       "200  200  200  200  200  200  200  200  200  200", "en.programme._index", () => "/en/programme"),
  get(       "200  200  200  200  200  200  200  200  200  200", "en.programme.$year.$region", () => "/en/programme/2016/bac"),
  get(       "200  200  200  200  200  200  200  200  200  200", "en.verify._index", () => "/en/verify"),
  get(       "200  200  200  200  200  200  200  200  200  200", "en.verify.$code", (w) => `/en/verify/${w.certificateA.code}`),
  get(       "404  404  404  404  404  404  404  404  404  404", "en.verify.$code", () => "/en/verify/ABCDEFGHJKMNPQ"),
  get(       "200  200  200  200  200  200  200  200  200  200", "api.v1.certificates.$code", (w) => `/api/v1/certificates/${w.certificateA.code}`),
  get(       "404  404  404  404  404  404  404  404  404  404", "api.v1.certificates.$code", () => "/api/v1/certificates/ABCDEFGHJKMNPQ"),
  get(       "200  200  200  200  200  200  200  200  200  200", "api.v1.commendations", () => "/api/v1/commendations"),
  get(       "200  200  200  200  200  200  200  200  200  200", "api.v1.programme.$year.$region", () => "/api/v1/programme/2016/bac?period=9m"),
  get(       "200  200  200  200  200  200  200  200  200  200", "certificates.by-code.$file", (w) => `/certificates/by-code/${w.certificateA.code}.pdf`),
  get(       "404  404  404  404  404  404  404  404  404  404", "certificates.by-code.$file", () => "/certificates/by-code/ABCDEFGHJKMNPQ.pdf"),

  // ── accounts ──
  get(       "200  RDR  RDR  RDR  RDR  RDR  RDR  RDR  RDR  RDR", "login", () => "/login"),
  post(      "400  400  400  400  400  400  400  400  400  400", "login", () => "/login", () => ({})),
  get(       "200  RDR  RDR  RDR  RDR  RDR  RDR  RDR  RDR  RDR", "signup", () => "/signup"),
  post(      "400  RDR  RDR  RDR  RDR  RDR  RDR  RDR  RDR  RDR", "signup", () => "/signup", () => ({})),
  get(       "RDR  RDR  RDR  RDR  RDR  RDR  RDR  RDR  RDR  RDR", "logout", () => "/logout"),
  { ...post( "RDR  RDR  RDR  RDR  RDR  RDR  RDR  RDR  RDR  RDR", "logout", () => "/logout", () => ({})), freshSession: true },
  get(       "302  200  200  200  200  200  200  200  200  200", "account", () => "/account"),
  post(      "302  400  400  400  400  400  400  400  400  400", "account", () => "/account", () => ({})),
  get(       "200  200  200  200  200  200  200  200  200  200", "verify-email", () => "/verify-email?token=khong-co"),
  post(      "400  400  400  400  400  400  400  400  400  400", "verify-email", () => "/verify-email", () => ({})),
  get(       "302  RDR  RDR  RDR  RDR  RDR  RDR  RDR  RDR  RDR", "resend-verification", () => "/resend-verification"),
  post(      "302  400  400  400  400  400  400  400  400  400", "resend-verification", () => "/resend-verification", () => ({})),
  get(       "200  RDR  RDR  RDR  RDR  RDR  RDR  RDR  RDR  RDR", "forgot-password", () => "/forgot-password"),
  post(      "400  RDR  RDR  RDR  RDR  RDR  RDR  RDR  RDR  RDR", "forgot-password", () => "/forgot-password", () => ({})),
  get(       "200  200  200  200  200  200  200  200  200  200", "reset-password", () => "/reset-password?token=khong-co"),
  post(      "400  400  400  400  400  400  400  400  400  400", "reset-password", () => "/reset-password", () => ({})),
  get(       "200  200  200  200  200  200  200  200  200  200", "unlock", () => "/unlock?token=khong-co"),
  post(      "400  400  400  400  400  400  400  400  400  400", "unlock", () => "/unlock", () => ({})),
  get(       "302  200  200  200  200  200  200  200  200  200", "invitations._index", () => "/invitations"),
  post(      "302  404  404  404  404  404  404  404  404  404", "invitations._index", () => "/invitations", () => ({ invitationId: "999999" })),
  get(       "302  404  404  404  404  404  404  404  404  404", "invitations.$token", () => "/invitations/khong-co"),
  post(      "302  404  404  404  404  404  404  404  404  404", "invitations.$token", () => "/invitations/khong-co", () => ({})),
  get(       "302  200  200  200  200  200  200  200  200  200", "notifications", () => "/notifications"),
  post(      "302  RDR  RDR  RDR  RDR  RDR  RDR  RDR  RDR  RDR", "notifications", () => "/notifications", () => ({ intent: "read" })),
  get(       "200  200  200  200  200  200  200  200  200  200", "dev.mail._index", () => "/dev/mail"),
  get(       "404  404  404  404  404  404  404  404  404  404", "dev.mail.$id", () => "/dev/mail/999999"),
  get(       "302  403  403  403  403  403  403  403  403  200", "admin.outbox", () => "/admin/outbox"),
  post(      "302  403  403  403  403  403  403  403  403  400", "admin.outbox", () => "/admin/outbox", () => ({})),

  // ── facility ──
  get(       "302  200  200  403  403  403  403  403  403  403", "facility._index", () => "/facility"),
  get(       "302  200  200  403  403  403  403  403  403  403", "facility.register", () => "/facility/register"),
  post(      "302  400  400  403  403  403  403  403  403  403", "facility.register", () => "/facility/register", () => ({})),
  get(       "302  200  404  403  403  403  403  403  403  403", "facility.$facilityId", (w) => `/facility/${w.facilityA}`),
  get(       "302  404  200  403  403  403  403  403  403  403", "facility.$facilityId", (w) => `/facility/${w.facilityB}`),
  post(      "302  400  404  403  403  403  403  403  403  403", "facility.$facilityId", (w) => `/facility/${w.facilityA}`, () => ({})),
  post(      "302  400  404  403  403  403  403  403  403  403", "facility.$facilityId", (w) => `/facility/${w.facilityA}`, () => ({ intent: "update" })),
  post(      "302  400  404  403  403  403  403  403  403  403", "facility.$facilityId", (w) => `/facility/${w.facilityA}`, () => ({ intent: "invite" })),
  post(      "302  400  404  403  403  403  403  403  403  403", "facility.$facilityId", (w) => `/facility/${w.facilityA}`, () => ({ intent: "createProduct" })),
  get(       "302  200  404  403  403  403  403  403  403  403", "facility.products.$productId", (w) => `/facility/products/${w.products.A1.id}`),
  get(       "302  404  200  403  403  403  403  403  403  403", "facility.products.$productId", (w) => `/facility/products/${w.products.B1.id}`),
  post(      "302  400  404  403  403  403  403  403  403  403", "facility.products.$productId", (w) => `/facility/products/${w.products.A1.id}`, () => ({})),
  post(      "302  400  404  403  403  403  403  403  403  403", "facility.products.$productId", (w) => `/facility/products/${w.products.A1.id}`, () => ({ intent: "update" })),
  post(      "302  400  404  403  403  403  403  403  403  403", "facility.products.$productId", (w) => `/facility/products/${w.products.A1.id}`, () => ({ intent: "photos" })),
  post(      "302  400  404  403  403  403  403  403  403  403", "facility.products.$productId", (w) => `/facility/products/${w.products.A1.id}`, () => ({ intent: "document" })),
  post(      "302  404  404  403  403  403  403  403  403  403", "facility.products.$productId", (w) => `/facility/products/${w.products.B1.id}`, (w) => ({ intent: "delete", confirm: "1", mediaId: w.products.A1.photoIds[0] }), "B's product, A's photo"),
  get(       "302  200  404  403  403  403  403  403  403  403", "facility.entry.$productId.$slug", (w) => `/facility/entry/${w.products.A1.id}/${w.rounds.registration.slug}`),
  get(       "302  404  200  403  403  403  403  403  403  403", "facility.entry.$productId.$slug", (w) => `/facility/entry/${w.products.B1.id}/${w.rounds.registration.slug}`),
  post(      "302  400  404  403  403  403  403  403  403  403", "facility.entry.$productId.$slug", (w) => `/facility/entry/${w.products.A1.id}/${w.rounds.registration.slug}`, () => ({})),
  post(      "302  404  400  403  403  403  403  403  403  403", "facility.entry.$productId.$slug", (w) => `/facility/entry/${w.products.B1.id}/${w.rounds.registration.slug}`, () => ({})),
  post(      "302  RDR  404  403  403  403  403  403  403  403", "facility.entry.$productId.$slug", (w) => `/facility/entry/${w.products.A1.id}/${w.rounds.registration.slug}`, () => ({ intent: "save" }), "saves A's own draft; B is refused"),
  get(       "302  404  200  404  404  404  404  404  404  404", "facility.receipts.$entryId", (w) => `/facility/receipts/${w.entries.submittedB}`, "only the facility's members"),
  get(       "302  404  404  404  404  404  404  404  404  404", "facility.receipts.$entryId", (w) => `/facility/receipts/${w.entries.draftA}`, "a draft has no receipt"),
  get(       "302  404  200  404  404  404  404  404  404  404", "facility.receipts.$entryId_.bien-nhan[.pdf]", (w) => `/facility/receipts/${w.entries.submittedB}/bien-nhan.pdf`, "only the facility's members"),
  get(       "302  404  404  404  404  404  404  404  404  404", "facility.receipts.$entryId_.bien-nhan[.pdf]", (w) => `/facility/receipts/${w.entries.draftA}/bien-nhan.pdf`, "a draft has no receipt"),

  // ── files (photos, originals, documents) ──
  get(       "404  200  404  404  404  404  404  404  404  404", "files.$mediaId.$file", (w) => `/files/${w.products.A1.photoIds[0]}/640.webp`, "photo of a draft entry"),
  get(       "404  200  404  404  404  404  404  404  404  404", "files.$mediaId.$file", (w) => `/files/${w.products.A1.photoIds[0]}/original`),
  get(       "404  200  404  200  404  404  200  404  404  404", "files.$mediaId.$file", (w) => `/files/${w.products.A2.photoIds[0]}/640.webp`, "photo of an entry being scored"),
  // Jurors never read an original (EXIF/GPS): only the stripped variants (issue 13).
  get(       "404  200  404  404  404  404  200  404  404  404", "files.$mediaId.$file", (w) => `/files/${w.products.A2.photoIds[0]}/original`),
  get(       "404  200  404  200  404  404  200  404  404  404", "files.$mediaId.$file", (w) => `/files/${w.products.A2.docId}/document`),
  get(       "404  404  200  404  404  404  200  404  404  404", "files.$mediaId.$file", (w) => `/files/${w.products.B1.photoIds[0]}/320.jpg`, "photo of a submitted entry"),
  get(       "404  404  200  404  404  404  200  404  404  404", "files.$mediaId.$file", (w) => `/files/${w.products.B1.docId}/document`),

  // ── certificates ──
  get(       "302  200  404  403  403  403  200  404  200  403", "certificates.$file", (w) => `/certificates/${w.certificateA.serial}.pdf`),
  get(       "302  403  403  403  403  403  403  403  200  403", "certificates.$file", (w) => `/certificates/${w.meritCertificate.serial}.pdf`),
  get(       "302  403  403  403  403  403  200  404  200  403", "certificates.bulk.$file", (w) => `/certificates/bulk/round-${w.rounds.published.id}.zip`),
  get(       "302  403  403  403  403  403  403  403  200  403", "certificates.bulk.$file", (w) => `/certificates/bulk/decision-${w.decisions.issued}.zip`),

  // ── jury ──
  get(       "302  403  403  200  200  200  403  403  403  403", "jury._index", () => "/jury"),
  get(       "302  403  403  200  404  404  403  403  403  403", "jury.entries.$entryId", (w) => `/jury/entries/${w.entries.scoringA}`),
  get(       "302  403  403  404  404  404  403  403  403  403", "jury.entries.$entryId", (w) => `/jury/entries/${w.entries.submittedB}`, "an entry of a round not in scoring"),
  post(      "302  403  403  400  404  404  403  403  403  403", "jury.entries.$entryId", (w) => `/jury/entries/${w.entries.scoringA}`, () => ({})),
  post(      "302  403  403  400  404  404  403  403  403  403", "jury.entries.$entryId", (w) => `/jury/entries/${w.entries.scoringA}`, () => ({ intent: "submit", confirm: "1" }), "a sheet without points"),
  post(      "302  403  403  404  404  404  403  403  403  403", "jury.entries.$entryId", (w) => `/jury/entries/${w.entries.submittedB}`, () => ({ intent: "conflict", confirm: "1", reason: "Lý do thử nghiệm đủ dài" }), "an entry of a round whose council they are not on"),
  post(      "302  403  403  400  400  404  403  403  403  403", "jury.entries.$entryId", (w) => `/jury/entries/${w.entries.scoringB}`, () => ({ intent: "submit", confirm: "1", "p.1": "5" }), "B's entry: the assigned juror's sheet is incomplete, the other juror's is submitted (locked)"),

  // ── organiser ──
  get(       "302  403  403  403  403  403  200  200  403  403", "organizer._index", () => "/organizer"),
  get(       "302  403  403  403  403  403  200  200  403  403", "organizer.rounds.new", () => "/organizer/rounds/new"),
  post(      "302  403  403  403  403  403  400  400  403  403", "organizer.rounds.new", () => "/organizer/rounds/new", () => ({})),
  get(       "302  403  403  403  403  403  200  404  403  403", "organizer.rounds.$slug._index", (w) => `/organizer/rounds/${w.rounds.scoring.slug}`),
  get(       "302  403  403  403  403  403  404  200  403  403", "organizer.rounds.$slug._index", (w) => `/organizer/rounds/${w.rounds.south.slug}`),
  post(      "302  403  403  403  403  403  400  404  403  403", "organizer.rounds.$slug._index", (w) => `/organizer/rounds/${w.rounds.scoring.slug}`, () => ({})),
  post(      "302  403  403  403  403  403  400  404  403  403", "organizer.rounds.$slug._index", (w) => `/organizer/rounds/${w.rounds.scoring.slug}`, () => ({ intent: "update" })),
  get(       "302  403  403  403  403  403  200  404  403  403", "organizer.rounds.$slug.rubric", (w) => `/organizer/rounds/${w.rounds.registration.slug}/rubric`),
  post(      "302  403  403  403  403  403  400  404  403  403", "organizer.rounds.$slug.rubric", (w) => `/organizer/rounds/${w.rounds.registration.slug}/rubric`, () => ({})),
  get(       "302  403  403  403  403  403  200  404  403  403", "organizer.rounds.$slug.screening._index", (w) => `/organizer/rounds/${w.rounds.registration.slug}/screening`),
  get(       "302  403  403  403  403  403  200  404  403  403", "organizer.rounds.$slug.screening.$entryId", (w) => `/organizer/rounds/${w.rounds.registration.slug}/screening/${w.entries.submittedB}`),
  get(       "302  403  403  403  403  403  404  404  403  403", "organizer.rounds.$slug.screening.$entryId", (w) => `/organizer/rounds/${w.rounds.registration.slug}/screening/${w.entries.draftA}`, "a draft is not the organiser's to see"),
  get(       "302  403  403  403  403  403  404  404  403  403", "organizer.rounds.$slug.screening.$entryId", (w) => `/organizer/rounds/${w.rounds.south.slug}/screening/${w.entries.submittedB}`, "entry id under another round's slug"),
  post(      "302  403  403  403  403  403  400  404  403  403", "organizer.rounds.$slug.screening.$entryId", (w) => `/organizer/rounds/${w.rounds.registration.slug}/screening/${w.entries.submittedB}`, () => ({})),
  post(      "302  403  403  403  403  403  404  404  403  403", "organizer.rounds.$slug.screening.$entryId", (w) => `/organizer/rounds/${w.rounds.south.slug}/screening/${w.entries.submittedB}`, () => ({ decision: "eligible" }), "entry id under another round's slug"),
  get(       "302  403  403  403  403  403  200  404  403  403", "organizer.rounds.$slug.council", (w) => `/organizer/rounds/${w.rounds.scoring.slug}/council`),
  post(      "302  403  403  403  403  403  400  404  403  403", "organizer.rounds.$slug.council", (w) => `/organizer/rounds/${w.rounds.scoring.slug}/council`, () => ({})),
  post(      "302  403  403  403  403  403  400  404  403  403", "organizer.rounds.$slug.council", (w) => `/organizer/rounds/${w.rounds.scoring.slug}/council`, () => ({ intent: "assign" })),
  post(      "302  403  403  403  403  403  404  404  403  403", "organizer.rounds.$slug.council", (w) => `/organizer/rounds/${w.rounds.scoring.slug}/council`, (w) => ({ intent: "assign", entryId: String(w.entries.submittedB), jurorId: w.users.jurorOther.id }), "an entry of another round"),
  get(       "302  403  403  403  403  403  200  404  403  403", "organizer.rounds.$slug.results", (w) => `/organizer/rounds/${w.rounds.scoring.slug}/results`),
  post(      "302  403  403  403  403  403  400  404  403  403", "organizer.rounds.$slug.results", (w) => `/organizer/rounds/${w.rounds.scoring.slug}/results`, () => ({})),
  post(      "302  403  403  403  403  403  400  404  403  403", "organizer.rounds.$slug.results", (w) => `/organizer/rounds/${w.rounds.scoring.slug}/results`, () => ({ intent: "resolve-tie" })),
  get(       "302  403  403  403  403  403  200  404  403  403", "organizer.rounds.$slug.minutes", (w) => `/organizer/rounds/${w.rounds.scoring.slug}/minutes`),
  // ── issue 14: council, provisional list, complaints ──
  get(       "302  403  403  403  403  403  200  404  403  403", "organizer.rounds.$slug.nominations", (w) => `/organizer/rounds/${w.rounds.scoring.slug}/nominations`),
  post(      "302  403  403  403  403  403  400  404  403  403", "organizer.rounds.$slug.nominations", (w) => `/organizer/rounds/${w.rounds.scoring.slug}/nominations`, () => ({})),
  get(       "302  200  200  403  403  403  403  403  403  403", "facility.nominations", () => "/facility/nominations"),
  post(      "302  404  404  403  403  403  403  403  403  403", "facility.nominations", () => "/facility/nominations", () => ({ nominationId: "1" }), "no such nomination"),
  get(       "302  403  403  403  403  403  200  404  403  403", "organizer.rounds.$slug.hoi-dong", (w) => `/organizer/rounds/${w.rounds.scoring.slug}/hoi-dong`),
  post(      "302  403  403  403  403  403  400  404  403  403", "organizer.rounds.$slug.hoi-dong", (w) => `/organizer/rounds/${w.rounds.scoring.slug}/hoi-dong`, () => ({})),
  get(       "302  403  403  403  403  403  200  404  403  403", "organizer.rounds.$slug.hoi-dong_.$file", (w) => `/organizer/rounds/${w.rounds.scoring.slug}/hoi-dong/bien-ban.xlsx`),
  get(       "302  404  404  404  404  404  404  404  404  404", "council.$slug", (w) => `/council/${w.rounds.scoring.slug}`, "the council's secretary only"),
  post(      "302  404  404  404  404  404  404  404  404  404", "council.$slug", (w) => `/council/${w.rounds.scoring.slug}`, () => ({ intent: "open" })),
  get(       "302  404  404  404  404  404  404  404  404  404", "khieu-nai.$code", () => "/khieu-nai/KN26-0-001", "the filer's receipt only"),
  get(       "404  404  404  404  404  404  404  404  404  404", "khieu-nai.$code", () => "/khieu-nai/KN26-0-001?key=khong-co", "a receipt key that opens nothing"),
  get(       "200  200  200  200  200  200  200  200  200  200", "khieu-nai.xac-nhan", () => "/khieu-nai/xac-nhan?token=khong-co", "the link's page: says the link is unknown"),
  post(      "400  400  400  400  400  400  400  400  400  400", "khieu-nai.xac-nhan", () => "/khieu-nai/xac-nhan", () => ({ token: "khong-co" })),
  get(       "302  403  403  403  403  403  200  404  403  403", "organizer.rounds.$slug.export", (w) => `/organizer/rounds/${w.rounds.scoring.slug}/export`),
  get(       "302  403  403  403  403  403  200  404  404  403", "organizer.rounds.$slug.certificates", (w) => `/organizer/rounds/${w.rounds.published.slug}/certificates`),
  post(      "302  403  403  403  403  403  RDR  404  404  403", "organizer.rounds.$slug.certificates", (w) => `/organizer/rounds/${w.rounds.published.slug}/certificates`, () => ({})),
  get(       "302  403  403  403  403  403  200  200  403  403", "organizer.programme._index", () => "/organizer/programme?year=2016&period=9"),
  post(      "302  403  403  403  403  403  400  400  403  403", "organizer.programme._index", () => "/organizer/programme", () => ({})),
  post(      "302  403  403  403  403  403  400  400  403  403", "organizer.programme._index", () => "/organizer/programme", () => ({ intent: "approve" })),
  get(       "302  403  403  403  403  403  200  404  403  403", "organizer.programme.$province", () => "/organizer/programme/ha-noi?year=2016&period=9"),
  get(       "302  403  403  403  403  403  404  200  403  403", "organizer.programme.$province", () => "/organizer/programme/dong-nai?year=2016&period=9", "a southern province"),
  post(      "302  403  403  403  403  403  400  404  403  403", "organizer.programme.$province", () => "/organizer/programme/ha-noi", () => ({})),
  post(      "302  403  403  403  403  403  400  404  403  403", "organizer.programme.$province", () => "/organizer/programme/ha-noi", () => ({ intent: "approve" })),
  post(      "302  403  403  403  403  403  400  404  403  403", "organizer.programme.$province", () => "/organizer/programme/ha-noi", () => ({ intent: "return", comment: "Số liệu chưa khớp với báo cáo quý" })),
  get(       "302  403  403  403  403  403  200  200  403  403", "organizer.programme.mau[.xlsx]", () => "/organizer/programme/mau.xlsx?year=2016&period=9"),

  // ── ministry ──
  get(       "302  403  403  403  403  403  403  403  200  403", "ministry._index", () => "/ministry"),
  post(      "302  403  403  403  403  403  403  403  400  403", "ministry._index", () => "/ministry", () => ({})),
  get(       "302  403  403  403  403  403  403  403  200  403", "ministry.decisions.$id", (w) => `/ministry/decisions/${w.decisions.draft}`),
  get(       "302  403  403  403  403  403  403  403  200  403", "ministry.decisions.$id", (w) => `/ministry/decisions/${w.decisions.issued}`),
  post(      "302  403  403  403  403  403  403  403  400  403", "ministry.decisions.$id", (w) => `/ministry/decisions/${w.decisions.draft}`, () => ({})),
  post(      "302  403  403  403  403  403  403  403  400  403", "ministry.decisions.$id", (w) => `/ministry/decisions/${w.decisions.issued}`, () => ({ intent: "revoke" })),
  post(      "302  403  403  403  403  403  403  403  404  403", "ministry.decisions.$id", (w) => `/ministry/decisions/${w.decisions.draft}`, (w) => ({ intent: "remove", recipientId: String(w.decisions.issuedRecipient) }), "a recipient of another decision"),
  get(       "302  403  403  403  403  403  403  403  200  403", "ministry.jobs.$id", (w) => `/ministry/jobs/${w.jobId}`),
  get(       "302  403  403  403  403  403  403  403  200  403", "ministry.template.$file", () => "/ministry/template/mau-danh-sach-khen-thuong.csv"),

  // ── admin ──
  get(       "302  403  403  403  403  403  403  403  403  200", "admin._index", () => "/admin"),
  get(       "302  403  403  403  403  403  403  403  403  200", "admin.users", () => "/admin/users"),
  post(      "302  403  403  403  403  403  403  403  403  400", "admin.users", () => "/admin/users", () => ({})),
  post(      "302  403  403  403  403  403  403  403  403  400", "admin.users", () => "/admin/users", () => ({ intent: "grant" })),
  get(       "302  403  403  403  403  403  403  403  403  200", "admin.audit", () => "/admin/audit"),
  get(       "302  403  403  403  403  403  403  403  403  200", "admin.audit[.]csv", () => "/admin/audit.csv"),
  get(       "302  403  403  403  403  403  403  403  403  200", "admin.integrity", () => "/admin/integrity"),
  get(       "302  403  403  403  403  403  403  403  403  200", "admin.indicators", () => "/admin/indicators"),
  post(      "302  403  403  403  403  403  403  403  403  400", "admin.indicators", () => "/admin/indicators", () => ({})),
  get(       "302  403  403  403  403  403  403  403  403  200", "admin.provinces", () => "/admin/provinces"),
  post(      "302  403  403  403  403  403  403  403  403  400", "admin.provinces", () => "/admin/provinces", () => ({})),
  post(      "302  403  403  403  403  403  403  403  403  404", "admin.provinces", () => "/admin/provinces", () => ({ intent: "update", code: "khong-co", regionCode: "BAC" }), "an unknown unit"),

  // ── valid forms: an allowed caller really changes something, so these rows run last ──
  post(      "302  RDR  404  403  403  403  403  403  403  403", "facility.$facilityId", (w) => `/facility/${w.facilityA}`, () => ({ intent: "update", ...facilityData({ name: "Hợp tác xã A" }) }), "valid form"),
  post(      "302  RDR  404  403  403  403  403  403  403  403", "facility.products.$productId", (w) => `/facility/products/${w.products.A1.id}`, () => ({ intent: "update", name: "Sản phẩm A1 (nháp)", groupNo: "1", description: "Mô tả đã sửa" }), "valid form"),
  post(      "302  404  RDR  403  403  403  403  403  403  403", "facility.entry.$productId.$slug", (w) => `/facility/entry/${w.products.B1.id}/${w.rounds.registration.slug}`, () => ({ intent: "withdraw", confirm: "1" }), "valid form"),
  post(      "302  403  403  RDR  404  404  403  403  403  403", "jury.entries.$entryId", (w) => `/jury/entries/${w.entries.scoringA}`, (w) => ({ intent: "submit", confirm: "1", ...w.scoreForm }), "valid complete sheet"),
  post(      "302  403  403  403  403  403  RDR  404  403  403", "organizer.programme.$province", () => "/organizer/programme/ha-noi", () => ({ intent: "save", year: "2016", periodMonths: "9", "plan.DAO_TAO_NGHE": "120", "actual.DAO_TAO_NGHE": "90" }), "valid form"),
  post(      "302  403  403  403  403  403  409  404  403  403", "organizer.rounds.$slug.screening.$entryId", (w) => `/organizer/rounds/${w.rounds.registration.slug}/screening/${w.entries.submittedB}`, () => ({ decision: "eligible", ...Object.fromEntries(ELIGIBILITY_CONDITIONS.map((c) => [`c_${c.key}`, "ok"])) }), "valid form, every condition ticked (B has withdrawn: 409)"),
  post(      "302  403  403  403  403  403  RDR  404  403  403", "organizer.rounds.$slug._index", (w) => `/organizer/rounds/${w.rounds.scoring.slug}`, () => ({ intent: "advance", confirm: "1", from: "scoring" }), "valid form"),
  post(      "302  403  403  403  403  403  403  403  RDR  403", "ministry.decisions.$id", (w) => `/ministry/decisions/${w.decisions.draft}`, () => ({ intent: "update", ...decisionForm() }), "valid form"),
  post(      "302  RDR  404  403  403  403  403  403  403  403", "facility.products.$productId", (w) => `/facility/products/${w.products.A1.id}`, () => ({ intent: "photos", photos: new File([fixture("camera-3.jpg")], "anh.jpg", { type: "image/jpeg" }) }), "a real photo upload"),
];

// ───────────────────────────── running it ─────────────────────────────

let world: World;
beforeAll(async () => {
  world = await buildWorld();
}, 240_000);

function codeOf(response: Response): string {
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.get("Location") ?? "";
    return location.startsWith("/login") ? "302" : "RDR";
  }
  return String(response.status);
}

type Handler = (args: { request: Request; params: Record<string, string>; context: unknown }) => unknown;
let clientSeq = 0;

async function answer(row: Row, caller: Caller, mod: Record<string, unknown>): Promise<{ code: string; body: string }> {
  let who = world.cookies[caller];
  if (row.freshSession && who)
    who = { cookie: (await createSessionCookie(world.users[caller as Exclude<Caller, "anon">].id)).split(";")[0] };
  const url = row.url(world);
  const params = paramsFor(routePattern(row.route), url)!;
  const request = requestAs(who, url, row.method === "POST" ? { form: row.form?.(world) ?? {} } : {});
  const handler = (row.method === "GET" ? mod.loader : mod.action) as Handler;
  // A client address per request: the matrix is about who may, not about how often (rate limits
  // and code-guessing throttles have their own tests).
  const context = { clientIp: `10.${++clientSeq >> 16}.${(clientSeq >> 8) & 255}.${clientSeq & 255}` };
  let response: Response;
  try {
    const result = await handler({ request, params, context });
    response = result instanceof Response ? result : new Response(JSON.stringify(result ?? null));
  } catch (error) {
    if (!(error instanceof Response)) throw error;
    response = error;
  }
  const body = await response.text().catch(() => "");
  return { code: codeOf(response), body };
}

const modules = new Map<string, Record<string, unknown>>();
async function load(route: string) {
  if (!modules.has(route))
    modules.set(
      route,
      await import(
        /* @vite-ignore */ path.join(
          ROUTES_DIR,
          fs.readdirSync(ROUTES_DIR).find((f) => f.replace(/\.(tsx?|jsx?)$/, "") === route)!,
        )
      ),
    );
  return modules.get(route)!;
}

const REFUSED = new Set(["302", "400", "403", "404", "409"]);

const WATCHED_TABLES = [
  "users",
  "user_roles",
  "facilities",
  "facility_members",
  "invitations",
  "auth_tokens",
  "outbox",
  "notifications",
  "products",
  "media",
  "rounds",
  "rubric_criteria",
  "entries",
  "council_members",
  "conflicts",
  "assignments",
  "score_sheets",
  "scores",
  "tie_resolutions",
  "commendation_decisions",
  "commendation_recipients",
  "certificates",
  "jobs",
  "programme_indicators",
  "programme_figures",
  "audit_events",
  "vote_polls",
  "voters",
  "voter_tokens",
  "votes",
  "vote_flags",
];

/** Row counts of every data table (and the audit log, which every change writes to). */
async function rowCounts(): Promise<string> {
  const query = WATCHED_TABLES.map((t) => `select '${t}' as t, count(*)::int as n from ${t}`).join(" union all ");
  return rowsOf<{ t: string; n: number }>(await db().execute(sql.raw(query)))
    .map((r) => `${r.t}=${r.n}`)
    .join(" ");
}

/** How many files and folders the uploads folder holds. */
const storedFiles = () => fs.readdirSync(env().uploadsDir, { recursive: true }).length;

/** Waits for certificate batches an allowed action started, so none outlives the file's database. */
async function settleJobs() {
  const open = await db()
    .select({ id: jobs.id })
    .from(jobs)
    .where(inArray(jobs.status, ["queued", "running"]));
  for (const job of open) await jobSettled(job.id);
}

const normalise = (s: string) => s.trim().split(/\s+/).join(" ");

describe("route manifest", () => {
  it("every route file has rows for exactly the handlers it exports, and every row's URL fits its route", async () => {
    const problems: string[] = [];
    for (const file of routeFiles) {
      const mod = await load(file);
      const rows = ROWS.filter((r) => r.route === file);
      if (mod.loader && !rows.some((r) => r.method === "GET")) problems.push(`${file}: loader without a row`);
      if (mod.action && !rows.some((r) => r.method === "POST")) problems.push(`${file}: action without a row`);
      if (!mod.loader && rows.some((r) => r.method === "GET")) problems.push(`${file}: GET row but no loader`);
      if (!mod.action && rows.some((r) => r.method === "POST")) problems.push(`${file}: POST row but no action`);
    }
    for (const row of ROWS) {
      if (!routeFiles.includes(row.route)) problems.push(`${row.route}: row for a route file that does not exist`);
      else if (!paramsFor(routePattern(row.route), row.url(world)))
        problems.push(`${row.route}: ${row.url(world)} does not fit ${routePattern(row.route)}`);
      if (normalise(row.expect).split(" ").length !== CALLERS.length)
        problems.push(`${row.route} ${row.method} ${row.url(world)}: needs ${CALLERS.length} codes`);
    }
    expect(problems).toEqual([]);
  });

  it("derives URL patterns from flat route file names", () => {
    expect(routePattern("organizer.rounds.$slug._index")).toBe("/organizer/rounds/:slug");
    expect(routePattern("admin.audit[.]csv")).toBe("/admin/audit.csv");
    expect(routePattern("programme.$year.$region_.bao-cao[.xlsx]")).toBe("/programme/:year/:region/bao-cao.xlsx");
    expect(routePattern("$")).toBe("/*");
    expect(routePattern("_index")).toBe("/");
  });
});

describe("authorization matrix", () => {
  const header = CALLERS.join(" ");
  for (const row of ROWS) {
    const label = `${row.method} ${row.route}${row.note ? ` (${row.note})` : ""}`;
    it(`${label}: ${normalise(row.expect)}`, async () => {
      const mod = await load(row.route);
      const got: string[] = [];
      for (const caller of CALLERS) {
        const before = row.method === "POST" ? `${await rowCounts()} files=${storedFiles()}` : "";
        const { code, body } = await answer(row, caller, mod);
        got.push(code);
        if (row.method === "POST" && REFUSED.has(code)) {
          // A refused request writes nothing.
          expect(`${await rowCounts()} files=${storedFiles()}`, `${caller}: rows or files written by a refused ${label}`).toBe(
            before,
          );
        }
        if (REFUSED.has(code) && code !== "302")
          expect(body, `${caller}: ${label} leaks a stack trace`).not.toMatch(/\bat .+\.(ts|js):\d+/);
        await settleJobs();
      }
      if (process.env.AUTHZ_DISCOVER)
        console.log(
          `DISCOVER ${row.method} ${row.route} ${row.url(world)} ${JSON.stringify(row.form?.(world) ?? "")} :: ${got.join("  ")}`,
        );
      expect(`${header}\n${got.join(" ")}`).toBe(`${header}\n${normalise(row.expect)}`);
    });
  }
});

describe("beyond status codes", () => {
  async function page(caller: Caller, route: string, url: string) {
    const mod = await load(route);
    const request = requestAs(world.cookies[caller], url);
    const response = await (mod.loader as Handler)({
      request,
      params: paramsFor(routePattern(route), url)!,
      context: { clientIp: "10.255.0.1" },
    });
    return response instanceof Response ? response.text() : JSON.stringify(response);
  }

  it("a juror assigned to an entry sees only their own sheet, never another juror's comment", async () => {
    const url = `/jury/entries/${world.entries.scoringB}`;
    expect(await page("jurorOther", "jury.entries.$entryId", url)).toContain(SECRET_COMMENT);
    expect(await page("jurorAssigned", "jury.entries.$entryId", url)).not.toContain(SECRET_COMMENT);
  });

  it("a juror whose conflict appeared after they submitted sees neither the entry nor its files", async () => {
    const late = world.jurorLate;
    const ask = async (route: string, url: string) => {
      const mod = await load(route);
      try {
        const result = await (mod.loader as Handler)({
          request: requestAs(late, url),
          params: paramsFor(routePattern(route), url)!,
          context: {},
        });
        return result instanceof Response ? result.status : 200;
      } catch (error) {
        if (error instanceof Response) return error.status;
        throw error;
      }
    };
    expect(await ask("jury.entries.$entryId", `/jury/entries/${world.entries.scoringB}`)).toBe(404);
    expect(await ask("files.$mediaId.$file", `/files/${world.products.B2.photoIds[0]}/640.webp`)).toBe(404);
    expect(await ask("files.$mediaId.$file", `/files/${world.products.B2.docId}/document`)).toBe(404);
    // The assigned juror without a conflict still reads them.
    expect(
      (
        await answer(
          get("", "files.$mediaId.$file", (w) => `/files/${w.products.B2.photoIds[0]}/640.webp`),
          "jurorAssigned",
          await load("files.$mediaId.$file"),
        )
      ).code,
    ).toBe("200");
  });

  it("lists show only the caller's own rows", async () => {
    const bacRounds = [world.rounds.scoring.slug, world.rounds.registration.slug];
    const nam = await page("orgNam", "organizer._index", "/organizer");
    for (const slug of bacRounds) expect(nam).not.toContain(slug);
    expect(nam).toContain(world.rounds.south.slug);
    expect(await page("orgBac", "organizer._index", "/organizer")).not.toContain(world.rounds.south.slug);

    expect(await page("ownerB", "facility._index", "/facility")).not.toContain("Hợp tác xã A");
    expect(await page("ownerA", "facility._index", "/facility")).toContain("Hợp tác xã A");

    // The conflicted juror's queue holds nothing of A's; the assigned juror's does.
    expect(await page("jurorConflict", "jury._index", "/jury")).not.toContain("Sản phẩm A2");
    expect(await page("jurorOther", "jury._index", "/jury")).not.toContain("Sản phẩm A2");
    expect(await page("jurorAssigned", "jury._index", "/jury")).toContain("Sản phẩm A2");

    // Screening lists no drafts.
    const screening = await page(
      "orgBac",
      "organizer.rounds.$slug.screening._index",
      `/organizer/rounds/${world.rounds.registration.slug}/screening`,
    );
    expect(screening).toContain("Sản phẩm B1");
    expect(screening).not.toContain("Sản phẩm A1");
  });

  it("public pages and open data show only what is published", async () => {
    const found = await page("anon", "search", "/search?q=san+pham");
    expect(found).toContain("Sản phẩm A3");
    for (const hidden of ["Sản phẩm A1", "Sản phẩm A2", "Sản phẩm B1", "Sản phẩm B2"]) expect(found).not.toContain(hidden);

    const sitemap = await page("anon", "sitemap[.]xml", "/sitemap.xml");
    for (const id of [world.products.A1.id, world.products.A2.id, world.products.B1.id, world.products.B2.id]) {
      expect(sitemap).not.toMatch(new RegExp(`/products/${id}(?![0-9])`));
    }
    expect(sitemap).not.toContain(world.rounds.scoring.slug);

    const [draft] = await db().select().from(commendationDecisions).where(eq(commendationDecisions.id, world.decisions.draft));
    const [issued] = await db().select().from(commendationDecisions).where(eq(commendationDecisions.id, world.decisions.issued));
    for (const [route, url] of [
      ["api.v1.commendations", "/api/v1/commendations"],
      ["commendations", "/commendations"],
    ]) {
      const body = await page("anon", route, url);
      expect(body).toContain(issued.number);
      expect(body).not.toContain(draft.number);
    }
    const rounds = await page("anon", "api.v1.rounds._index", "/api/v1/rounds");
    expect(rounds).toContain(world.rounds.published.slug);
    for (const slug of [world.rounds.scoring.slug, world.rounds.registration.slug, world.rounds.south.slug])
      expect(rounds).not.toContain(slug);
  });

  it("refuses a session cookie replayed after signing out", async () => {
    const cookie = (await createSessionCookie(world.users.ownerA.id)).split(";")[0];
    const who = { cookie };
    const facilityUrl = `/facility/${world.facilityA}`;
    const photoUrl = `/files/${world.products.A1.photoIds[0]}/640.webp`;
    const before = await answer(
      { route: "facility.$facilityId", method: "GET", url: () => facilityUrl, expect: "" },
      "ownerA",
      await load("facility.$facilityId"),
    );
    expect(before.code).toBe("200");

    const logout = await load("logout");
    const out = (await (logout.action as Handler)({
      request: requestAs(who, "/logout", { method: "POST" }),
      params: {},
      context: {},
    })) as Response;
    expect(out.status).toBe(302);

    const replay = async (route: string, url: string, method: "GET" | "POST" = "GET") => {
      const mod = await load(route);
      const request = requestAs(who, url, method === "POST" ? { form: { intent: "update" } } : {});
      try {
        const result = await ((method === "GET" ? mod.loader : mod.action) as Handler)({
          request,
          params: paramsFor(routePattern(route), url)!,
          context: {},
        });
        return result instanceof Response ? codeOf(result) : "200";
      } catch (error) {
        if (error instanceof Response) return codeOf(error);
        throw error;
      }
    };
    expect(await replay("facility.$facilityId", facilityUrl)).toBe("302");
    expect(await replay("facility.$facilityId", facilityUrl, "POST")).toBe("302");
    expect(await replay("files.$mediaId.$file", photoUrl)).toBe("404");
    expect(await replay("account", "/account")).toBe("302");
  });
});
