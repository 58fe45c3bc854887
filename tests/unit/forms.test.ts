/**
 * Issue 12 item 5: a form is checked once, against the model's zod schema, through `parseForm`
 * (routes) or `parseOrThrow` (models); routes no longer turn a ZodError into field messages by hand.
 */
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";
import { z } from "zod";

import { CHECK_FIELDS, formObject, parseForm, parseOrThrow } from "../../app/utils/forms";

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

describe("formObject", () => {
  it("keeps each field's first value in the form's order, and every value of a field asked for as an array", () => {
    const form = new FormData();
    form.append("intent", "submit");
    form.append("tag", "a");
    form.append("p.1", "7,5");
    form.append("intent", "save");
    form.append("tag", "b");
    form.append("empty", "");
    form.append("tag", "c");
    const out = formObject(form, ["tag", "absent"]);
    expect(out).toEqual({ intent: "submit", tag: ["a", "b", "c"], "p.1": "7,5", empty: "" });
    expect(Object.keys(out)).toEqual(["intent", "tag", "p.1", "empty"]);
    expect(formObject(form)).toEqual({ intent: "submit", tag: "a", "p.1": "7,5", empty: "" });
  });

  it("keeps an uploaded file as the file", () => {
    const form = new FormData();
    const file = new File([new Uint8Array([1, 2, 3])], "anh.jpg", { type: "image/jpeg" });
    form.append("photo", file);
    form.append("photos", file);
    form.append("photos", "x");
    const out = formObject(form, ["photos"]);
    expect(out.photo).toBeInstanceOf(File);
    expect((out.photos as unknown[]).length).toBe(2);
    expect((out.photos as unknown[])[0]).toBeInstanceOf(File);
  });
});
