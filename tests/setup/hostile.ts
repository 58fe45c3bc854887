/**
 * Tools for the hostile-input property tests: a fingerprint of every table (to prove a refused
 * request wrote nothing), the adversarial values fast-check draws from, request builders for every
 * body encoding, and the invariants every answer must keep.
 */
import { sql } from "drizzle-orm";
import fc from "fast-check";

import { db, rowsOf } from "../../app/utils/db.server";
import { BASE } from "../factories";

export type FormValue = string | File | (string | File)[];
export type Form = Record<string, FormValue | undefined>;

let tableList: string[] | undefined;

/** Row count and an order-independent hash of the contents of every table in the public schema. */
export async function fingerprint(): Promise<Map<string, string>> {
  tableList ??= rowsOf<{ t: string }>(
    await db().execute(sql`select tablename as t from pg_tables where schemaname = 'public' order by tablename`),
  ).map((r) => r.t);
  const parts = tableList.map(
    (t) =>
      `select '${t}' as t, count(*)::int as n, coalesce(md5(string_agg(md5(x::text), '' order by md5(x::text))), '') as h from "${t}" x`,
  );
  const rows = rowsOf<{ t: string; n: number; h: string }>(await db().execute(sql.raw(parts.join(" union all "))));
  return new Map(rows.map((r) => [r.t, `${r.n}:${r.h}`]));
}

/** Tables whose content differs between two fingerprints. */
export function changedTables(before: Map<string, string>, after: Map<string, string>, allowed: string[] = []): string[] {
  const out: string[] = [];
  for (const [t, v] of after) if (before.get(t) !== v && !allowed.includes(t)) out.push(t);
  return out;
}

const KB100 = "Đậu phụ Mơ 'x' <b>".repeat(Math.ceil(102_400 / 18)).slice(0, 102_400);

/** Strings that have broken real systems: injection, markup, Unicode tricks, numbers in disguise. */
export const NASTY_STRINGS = [
  "'; drop table users;--",
  "Robert'); DELETE FROM entries WHERE ('1'='1",
  "1 OR 1=1",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  "Đậu phụ Mơ Ninh Bình".normalize("NFD"),
  "Nguyễn Thị Hường".normalize("NFD"),
  "\u202Egnp.exe\u202C",
  "\u200F\u200Eمرحبا\u200F",
  "a\u200Bb\u200Cc\u200Dd\uFEFF",
  "\u0000",
  "abc\u0000def",
  "\uD800",
  "🇻🇳💥👨‍👩‍👧",
  "=HYPERLINK(\"http://x.example\",\"bấm\")",
  "../../etc/passwd",
  "%00%27%22",
  "\r\n\r\nSet-Cookie: x=1",
  "{\"intent\":\"save\"}",
  "[object Object]",
  "null",
  "undefined",
  "true",
  "Ｎｇｕｙễｎ １２３",
  "٣٤٥",
  "2016-02-30",
  "9999-99-99T99:99",
  "31/12/2016",
  KB100,
];

/** Numbers as strings, the way a form or a script might send them. */
export const NUMBER_STRINGS = [
  "NaN",
  "1e309",
  "-1e309",
  "Infinity",
  "-0",
  "0",
  "-1",
  "1,5",
  "1.5",
  "4.875,25",
  "",
  " ",
  "0x1F",
  "1e3",
  "99999999999999999999999",
  "9007199254740993",
  "2147483648",
  "-2147483649",
  "0.1e-400",
  "+7",
  "07",
  "١٢",
];

export const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 3, arbitrary: fc.constantFrom(...NUMBER_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 15 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 15 }) },
);

const FILE_BODIES: [string, string, () => Uint8Array<ArrayBuffer> | string][] = [
  ["ghi-chu.txt", "text/plain", () => "<script>alert(1)</script>"],
  ["anh.jpg", "image/jpeg", () => "GIF89a not a jpeg at all"],
  ["rong.pdf", "application/pdf", () => new Uint8Array(0)],
  ["du-lieu.bin", "application/octet-stream", () => new Uint8Array(Array.from({ length: 512 }, (_, i) => (i * 37) % 256))],
  ["../../../../tmp/x.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", () => "PK\u0003\u0004broken"],
];

export const hostileFile = fc.constantFrom(...FILE_BODIES).map(([name, type, body]) => new File([body()], name, { type }));

export type Edit =
  | { kind: "string"; value: string }
  | { kind: "delete" }
  | { kind: "repeat"; value: string }
  | { kind: "file"; value: File };

export const editArb: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 5, arbitrary: hostileString.map((value) => ({ kind: "string" as const, value })) },
  { weight: 2, arbitrary: fc.constant({ kind: "delete" as const }) },
  { weight: 2, arbitrary: hostileString.map((value) => ({ kind: "repeat" as const, value })) },
  { weight: 1, arbitrary: hostileFile.map((value) => ({ kind: "file" as const, value })) },
);

export interface Mutation {
  base: number;
  edits: [number, Edit][];
  extra: [string, string] | null;
  intent: string | null;
  encoding: "multipart" | "urlencoded";
}

export const mutationArb = (baselines: number): fc.Arbitrary<Mutation> =>
  fc.record({
    base: fc.nat(Math.max(0, baselines - 1)),
    edits: fc.array(fc.tuple(fc.nat(), editArb), { minLength: 1, maxLength: 4 }),
    extra: fc.option(fc.tuple(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("p.999999", "plan.X", "__proto__", "constructor", "intent")), hostileString), { freq: 4 }),
    intent: fc.option(hostileString, { freq: 6 }),
    encoding: fc.constantFrom("multipart" as const, "multipart" as const, "urlencoded" as const),
  });

/** Applies a mutation to a valid form: the fields it names get hostile values, go missing or repeat. */
export function mutate(baselines: Form[], m: Mutation): Form {
  const form: Form = { ...baselines[m.base % baselines.length] };
  const keys = Object.keys(form).filter((k) => k !== "intent");
  for (const [i, edit] of m.edits) {
    const key = keys.length ? keys[i % keys.length] : "x";
    if (edit.kind === "string") form[key] = edit.value;
    else if (edit.kind === "delete") delete form[key];
    else if (edit.kind === "repeat") form[key] = [...[form[key] ?? ""].flat(), edit.value];
    else form[key] = edit.value;
  }
  if (m.extra) form[m.extra[0]] = m.extra[1];
  if (m.intent !== null) form.intent = m.intent;
  return form;
}

function headersFor(cookie: string | null, contentType?: string) {
  const headers = new Headers({ Origin: BASE });
  if (cookie) headers.set("Cookie", cookie);
  if (contentType) headers.set("Content-Type", contentType);
  return headers;
}

/** A POST with the form encoded as a browser would (files become their names in urlencoded bodies). */
export function formRequest(path: string, cookie: string | null, form: Form, encoding: "multipart" | "urlencoded" = "multipart"): Request {
  const url = new URL(path, BASE);
  const entries = Object.entries(form).flatMap(([k, v]) => (v === undefined ? [] : Array.isArray(v) ? v.map((x) => [k, x] as const) : [[k, v] as const]));
  if (encoding === "urlencoded") {
    const body = new URLSearchParams();
    for (const [k, v] of entries) body.append(k, typeof v === "string" ? v : v.name);
    return new Request(url, { method: "POST", headers: headersFor(cookie), body });
  }
  const body = new FormData();
  for (const [k, v] of entries) {
    if (typeof v === "string") body.append(k, v);
    else body.append(k, v, v.name);
  }
  return new Request(url, { method: "POST", headers: headersFor(cookie), body });
}

/** A POST with a raw body and the given content type (null: none at all; undefined: the body's own). */
export function rawRequest(path: string, cookie: string | null, body: BodyInit | null, contentType?: string | null): Request {
  const headers = headersFor(cookie, contentType ?? undefined);
  const request = new Request(new URL(path, BASE), { method: "POST", headers, body });
  if (contentType === null) request.headers.delete("Content-Type");
  return request;
}

/** Wrong content types, broken multiparts and bombs, built from a valid form. */
export function malformedBodies(form: Form): { name: string; body: BodyInit | null; contentType?: string | null; heavy?: boolean }[] {
  const strings = Object.fromEntries(
    Object.entries(form).flatMap(([k, v]) => (v === undefined ? [] : [[k, typeof v === "string" ? v : Array.isArray(v) ? String(v[0]) : v.name]])),
  ) as Record<string, string>;
  const keys = Object.keys(form);
  const boundary = "----cnnt-bomb";
  const bomb: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    const name = i % 3 === 0 && keys.length ? keys[i % keys.length] : i % 3 === 1 ? `p.${i}` : `f${i}`;
    bomb.push(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${i}\r\n`);
  }
  bomb.push(`--${boundary}--\r\n`);
  // 50 MB in one field, kept to one copy: the helper builds it once per call.
  const bigKey = keys.find((k) => k !== "intent" && typeof form[k] === "string") ?? "x";
  // The 50 MB body is built only when read (a getter), so skipped cases cost nothing.
  const bigBody = () => {
    const big = new FormData();
    for (const [k, v] of Object.entries(strings)) if (k !== bigKey) big.append(k, v);
    big.append(bigKey, "Đ".repeat(25 * 1024 * 1024));
    return big;
  };
  return [
    { name: "JSON", body: JSON.stringify(strings), contentType: "application/json" },
    { name: "text/plain", body: Object.entries(strings).map(([k, v]) => `${k}=${v}`).join("\n"), contentType: "text/plain;charset=UTF-8" },
    { name: "no body", body: null, contentType: null },
    { name: "no content type", body: "intent=save", contentType: null },
    { name: "XML", body: "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>", contentType: "application/xml" },
    { name: "urlencoded garbage", body: "%%%&&==&intent=%ZZ&a=%E0%A4%A", contentType: "application/x-www-form-urlencoded" },
    { name: "multipart without boundary", body: "--x\r\n\r\n", contentType: "multipart/form-data" },
    { name: "truncated multipart", body: `--${boundary}\r\nContent-Disposition: form-data; name="intent"\r\n\r\nsave`, contentType: `multipart/form-data; boundary=${boundary}` },
    { name: "10,000-part multipart", body: bomb.join(""), contentType: `multipart/form-data; boundary=${boundary}`, heavy: true },
    {
      name: "50 MB field",
      get body() {
        return bigBody();
      },
      heavy: true,
    },
  ];
}

const VIETNAMESE_LETTERS = /[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/i;
const STACK = [/\n\s+at [^\n]*[(:]\S*:\d+:\d+/, /\b(?:Type|Reference|Syntax|Range|Postgres|Drizzle|Zod)?Error:/, /node_modules\//];

/** An English sentence (issue 19: refusals on /en pages may answer in English). */
const ENGLISH = /\b(?:the|this|your|you|is|are|not|no|be|a|an|of|to)\b/i;

/**
 * The invariants of one answer: below 500, no stack trace, and a refusal says why in Vietnamese
 * (its message and every field message) — or, for a request to an `/en` page, in Vietnamese or English.
 * Returns the problems found (empty = fine).
 */
export async function answerProblems(response: Response, options: { english?: boolean } = {}): Promise<{ problems: string[]; body: string }> {
  const VIETNAMESE = options.english ? { test: (s: string) => VIETNAMESE_LETTERS.test(s) || ENGLISH.test(s) } : VIETNAMESE_LETTERS;
  const problems: string[] = [];
  const body = await response.text();
  if (response.status >= 500) problems.push(`status ${response.status}`);
  for (const re of STACK) if (re.test(body)) problems.push(`body looks like a stack trace (${re})`);
  if (response.status >= 400) {
    const type = response.headers.get("Content-Type") ?? "";
    if (type.includes("json")) {
      let data: { formError?: unknown; error?: unknown; message?: unknown; fields?: Record<string, unknown> } = {};
      try {
        data = JSON.parse(body);
      } catch {
        problems.push("refusal is not valid JSON");
      }
      const message = String(data.formError ?? data.error ?? data.message ?? "");
      if (!VIETNAMESE.test(message)) problems.push(`refusal without a Vietnamese message: ${JSON.stringify(message).slice(0, 200)}`);
      for (const [field, text] of Object.entries(data.fields ?? {})) {
        if (!VIETNAMESE.test(String(text))) problems.push(`field ${field} says ${JSON.stringify(text).slice(0, 200)}`);
      }
    } else if (!VIETNAMESE.test(body.slice(0, 2000))) {
      problems.push(`refusal without a Vietnamese message: ${JSON.stringify(body.slice(0, 200))}`);
    }
  }
  return { problems, body };
}
