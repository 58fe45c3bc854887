/**
 * Issue 12 item 9: no source file in app/ over 400 lines (split a file by responsibility before it
 * grows past it: reads and writes, a sub-feature, a card of a page into app/components/<area>/).
 */
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

const LIMIT = 400;

const files = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(path.join(dir, d.name)) : [path.join(dir, d.name)]));
const lines = (f: string) => fs.readFileSync(f, "utf8").split("\n").length - 1;

describe("source file size", () => {
  const sizes = files("app")
    .filter((f) => /\.tsx?$/.test(f))
    // The interface strings (app/i18n/locales/{vi,en}.ts) are a table of text, not code: one key per
    // string, kept as one file per language so the same-keys test compares them whole.
    .filter((f) => !f.split(path.sep).join("/").startsWith("app/i18n/locales/"))
    .map((f) => ({ file: f.split(path.sep).join("/"), lines: lines(f) }));

  it(`no file in app/ is over ${LIMIT} lines`, () => {
    expect(sizes.length).toBeGreaterThan(100);
    expect(sizes.filter((s) => s.lines > LIMIT)).toEqual([]);
  });
});
