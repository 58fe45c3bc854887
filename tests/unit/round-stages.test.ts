/**
 * Issue 12: the round/entry lifecycle has one home (app/models/round/rules.ts, entry-rules.ts). The
 * stage predicates answer for every status, and no route or component compares a list of statuses
 * itself (loaders return the `can*` flags).
 */
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { canSaveEntry, canScreenEntry, canWithdrawEntry, isPublicEntry } from "../../app/models/entry/rules";
import {
  canAssign,
  canChangeResultRules,
  canDeclareLateConflict,
  canEditCouncil,
  canEditRound,
  canEditRubric,
  canFinalise,
  canPublish,
  isJudging,
  isRegistrationOpen,
  isScoringOpen,
  isScreeningOpen,
  isSheetReadable,
  ROUND_STATUSES,
} from "../../app/models/round/rules";
import { ROUND_STATUSES as DB_ROUND_STATUSES } from "../../db/schema";

const open = (pred: (r: { status: string; finalisedAt?: Date | null }) => boolean, finalisedAt: Date | null = null) =>
  ROUND_STATUSES.filter((status) => pred({ status, finalisedAt }));
const done = new Date("2026-06-01T00:00:00Z");

describe("round stage predicates", () => {
  it("lists the round statuses in the order of the database's", () => {
    expect(ROUND_STATUSES).toEqual([...DB_ROUND_STATUSES]);
  });

  it("say at which stages each thing may happen", () => {
    expect(open(canEditRubric)).toEqual(["draft", "registration", "screening"]);
    expect(open(canChangeResultRules)).toEqual(["draft", "registration", "screening"]);
    expect(open(canEditRound)).toEqual(["draft", "registration", "screening", "scoring", "deliberation"]);
    expect(open(canEditCouncil)).toEqual(["draft", "registration", "screening", "scoring"]);
    expect(open(canAssign)).toEqual(["screening", "scoring"]);
    expect(open(isScreeningOpen)).toEqual(["registration", "screening"]);
    expect(open(isJudging)).toEqual(["scoring", "deliberation"]);
    expect(open(canFinalise)).toEqual(["scoring", "deliberation"]);
    expect(open(canDeclareLateConflict)).toEqual(["scoring", "deliberation"]);
    expect(open(isSheetReadable)).toEqual(["scoring", "deliberation", "published"]);
    expect(open(canPublish)).toEqual([]);
  });

  it("close what a finalised round locks", () => {
    expect(open(canEditRubric, done)).toEqual([]);
    expect(open(canEditRound, done)).toEqual([]);
    expect(open(canEditCouncil, done)).toEqual([]);
    expect(open(canAssign, done)).toEqual([]);
    expect(open(canFinalise, done)).toEqual([]);
    expect(open(canPublish, done)).toEqual(["deliberation"]);
    expect(open(isJudging, done)).toEqual(["scoring", "deliberation"]);
  });

  it("open scoring until the deadline and registration between its times", () => {
    const closes = new Date("2026-05-01T10:00:00Z");
    const r = { status: "scoring", finalisedAt: null, scoringClosesAt: closes.toISOString() };
    expect(isScoringOpen(r, closes)).toBe(true);
    expect(isScoringOpen(r, new Date(closes.getTime() + 1))).toBe(false);
    expect(isScoringOpen({ ...r, finalisedAt: done }, closes)).toBe(false);
    expect(isScoringOpen({ ...r, status: "deliberation" }, closes)).toBe(false);
    const reg = { status: "registration", registrationOpensAt: "2026-03-01T00:00:00Z", registrationClosesAt: "2026-04-01T00:00:00Z" };
    expect(isRegistrationOpen(reg, new Date("2026-03-01T00:00:00Z"))).toBe(true);
    expect(isRegistrationOpen(reg, new Date("2026-04-01T00:00:00Z"))).toBe(false);
    expect(isRegistrationOpen(reg, new Date("2026-02-28T23:59:59Z"))).toBe(false);
    expect(isRegistrationOpen({ ...reg, status: "screening" }, new Date("2026-03-15T00:00:00Z"))).toBe(false);
  });

  it("decide what an entry's owner and the organiser may do", () => {
    const screening = { status: "screening" };
    expect(canWithdrawEntry({ status: "submitted" }, screening)).toBe(true);
    expect(canWithdrawEntry({ status: "eligible" }, screening)).toBe(false);
    expect(canWithdrawEntry({ status: "submitted" }, { status: "scoring" })).toBe(false);
    expect(canScreenEntry({ status: "ineligible" }, screening)).toBe(true);
    expect(canScreenEntry({ status: "returned" }, screening)).toBe(false);
    expect(canSaveEntry(null)).toBe(true);
    expect(canSaveEntry({ status: "withdrawn" })).toBe(true);
    expect(canSaveEntry({ status: "submitted" })).toBe(false);
    expect(isPublicEntry({ status: "selected" }, { status: "published" })).toBe(true);
    expect(isPublicEntry({ status: "selected" }, { status: "deliberation" })).toBe(false);
  });
});

describe("routes and components never compute a stage", () => {
  const files = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(path.join(dir, d.name)) : [path.join(dir, d.name)]));
  // A literal list of statuses tested against a status: `["scoring", "deliberation"].includes(round.status)`.
  const STAGE_LIST = /\[\s*"[a-z_]+"(\s*,\s*"[a-z_]+")*\s*\]\s*\.includes\(\s*[\w.?]*status\s*\)/;

  it("finds no literal status list in app/routes or app/components", () => {
    const found = [...files("app/routes"), ...files("app/components")].flatMap((f) =>
      fs
        .readFileSync(f, "utf8")
        .split("\n")
        .flatMap((line, i) => (STAGE_LIST.test(line) ? [`${f}:${i + 1}`] : [])),
    );
    expect(found).toEqual([]);
  });

  it("catches the shape it looks for", () => {
    expect(STAGE_LIST.test('const open = ["registration", "screening"].includes(round.status);')).toBe(true);
    expect(STAGE_LIST.test('{["returned", "ineligible"].includes(e.status) ? (')).toBe(true);
    expect(STAGE_LIST.test("const open = isScreeningOpen(round);")).toBe(false);
  });
});
