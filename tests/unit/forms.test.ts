/**
 * Issue 12 item 5: a form is checked once, against the model's zod schema, through `parseForm`
 * (routes) or `parseOrThrow` (models); routes no longer turn a ZodError into field messages by hand.
 */
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";
import { z } from "zod";

import { CHECK_FIELDS, parseForm, parseOrThrow } from "../../app/utils/forms";

const Schema = z.object({
  name: z.string().trim().min(1, "Nhập tên."),
  year: z.coerce.number().int().min(2000, "Năm từ 2000."),
  groups: z.array(z.coerce.number()).default([]),
});

describe("parseForm", () => {
  it("gives the schema's output for a good FormData, with repeated fields as arrays when asked", () => {
    const form = new FormData();
    form.append("name", "  Nước mắm  ");
    form.append("year", "2026");
    form.append("groups", "1");
    form.append("groups", "3");
    expect(parseForm(Schema, form, CHECK_FIELDS, ["groups"])).toEqual({ ok: true, data: { name: "Nước mắm", year: 2026, groups: [1, 3] } });
  });

  it("gives the form's message and the first message per field, in Vietnamese", () => {
    const r = parseForm(Schema, { name: " ", year: "1999" }, "Vui lòng kiểm tra đợt.");
    expect(r).toEqual({ ok: false, formError: "Vui lòng kiểm tra đợt.", fields: { name: "Nhập tên.", year: "Năm từ 2000." } });
  });

  it("parseOrThrow throws an AppError 400 with the fields", () => {
    expect(() => parseOrThrow(Schema, { name: "", year: 2020 })).toThrow(expect.objectContaining({ name: "AppError", status: 400, fields: { name: "Nhập tên." } }));
    expect(parseOrThrow(Schema, { name: "A", year: "2020" })).toEqual({ name: "A", year: 2020, groups: [] });
  });
});

describe("one way to check a form", () => {
  it("no other route calls fieldErrors(…) on a safeParse: they use parseForm and invalid()", () => {
    const found = fs
      .readdirSync("app/routes")
      .filter((f) => /\bfieldErrors\(/.test(fs.readFileSync(path.join("app/routes", f), "utf8")));
    expect(found).toEqual([]);
  });
});
