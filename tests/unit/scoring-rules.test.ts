import { describe, expect, it } from "vitest";

import { DISAGREEMENT_SPREAD, jurorZScores, rankEntries, summarise } from "../../app/models/results/ranking";
import { defaultRubric, parseRubricLines, rubricLeaves, rubricToLines, validateRubric } from "../../app/models/round/rubric-rules";
import { planAssignments } from "../../app/models/scoring/assignment-rules";
import { parsePoints, sumPoints } from "../../app/models/scoring/rules";

describe("rubric rules", () => {
  it("the default rubric is valid: four groups 40/40/10/10 whose leaves add up to 100", () => {
    const tree = defaultRubric();
    expect(validateRubric(tree)).toEqual([]);
    expect(tree.map((g) => g.maxPoints)).toEqual([40, 40, 10, 10]);
    expect(rubricLeaves(tree).reduce((s, l) => s + l.maxPoints, 0)).toBe(100);
    // 2.4 and 4 are single leaves with the full points; 3 has the two proposed children.
    expect(tree[1].children.find((c) => c.code === "2.4")).toMatchObject({ maxPoints: 6, children: [] });
    expect(tree[3].children).toEqual([]);
    expect(tree[2].children.map((c) => c.maxPoints)).toEqual([5, 5]);
  });

  it("refuses sub-criteria that do not add up, a changed group maximum and a missing group", () => {
    const tree = defaultRubric();
    tree[0].children[0].children[0].maxPoints = 11; // 1.1 now sums to 16
    expect(validateRubric(tree).join(" ")).toContain("Tổng điểm các tiêu chí con của 1.1 là 16, phải bằng 15");
    const t2 = defaultRubric();
    t2[2].maxPoints = 12;
    expect(validateRubric(t2).join(" ")).toContain("Nhóm tiêu chí 3 có điểm tối đa cố định là 10");
    expect(validateRubric(defaultRubric().slice(0, 3)).join(" ")).toContain("đúng bốn nhóm");
  });

  it("round-trips the line format and reports bad lines", () => {
    const tree = defaultRubric();
    expect(parseRubricLines(rubricToLines(tree))).toEqual({ tree, errors: [] });
    const bad = parseRubricLines("1 | Nhóm 1 | bốn mươi\n1.9.x | Con mồ côi | 5\nthiếu");
    expect(bad.errors).toHaveLength(3);
  });
});

describe("points", () => {
  it.each([
    ["7", 7],
    ["7,5", 7.5],
    ["7.5", 7.5],
    ["0", 0],
    ["", null],
  ])("accepts %s", (raw, value) => expect(parsePoints(raw, 10)).toEqual({ ok: true, value }));
  it.each([
    ["11", "vượt quá"],
    ["-1", "âm"],
    ["abc", "không phải là số"],
    ["7.25", "một chữ số thập phân"],
    ["7.3", "bước 0,5"],
    ["1e1", "không phải là số"],
  ])("refuses %s", (raw, message) => {
    const r = parsePoints(raw, 10);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain(message);
  });
  it("sums exactly", () => expect(sumPoints([0.5, 0.5, 0.5, null, 7])).toBe(8.5));
});

describe("assignment plan", () => {
  const jurors = [
    { id: "a", name: "A", groupNos: [] },
    { id: "b", name: "B", groupNos: [] },
    { id: "c", name: "C", groupNos: [1] },
  ];
  const entries = Array.from({ length: 9 }, (_, i) => ({
    id: i + 1,
    code: `E${i + 1}`,
    groupNo: (i % 2) + 1,
    conflicted: i === 0 ? ["a"] : [],
  }));

  it("gives each entry k jurors, load balanced, never a conflicted one, deterministically", () => {
    const plan = planAssignments({ entries, jurors, k: 2 });
    expect(plan.assignments).toHaveLength(18);
    expect(plan.assignments.find((a) => a.entryId === 1 && a.jurorId === "a")).toBeUndefined();
    // c judges group 1 only (5 entries), so a and b carry the rest: 7/6/5 at worst.
    expect(Math.max(...Object.values(plan.load)) - Math.min(...Object.values(plan.load))).toBeLessThanOrEqual(2);
    const open = planAssignments({ entries, jurors: jurors.map((j) => ({ ...j, groupNos: [] })), k: 2 });
    const loads = Object.values(open.load);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
    expect(planAssignments({ entries: [...entries].reverse(), jurors: [...jurors].reverse(), k: 2 })).toEqual(plan);
    expect(plan.impossible).toEqual([]);
  });

  it("without k assigns every possible council member of the group", () => {
    const plan = planAssignments({ entries, jurors, k: null });
    expect(plan.assignments.filter((a) => a.entryId === 3).map((a) => a.jurorId)).toEqual(["a", "b", "c"]);
    expect(plan.assignments.filter((a) => a.entryId === 2).map((a) => a.jurorId)).toEqual(["a", "b"]);
  });

  it("says which entries lack jurors and why", () => {
    const plan = planAssignments({
      entries: [
        { id: 1, code: "E1", groupNo: 3, conflicted: ["a", "b"] },
        { id: 2, code: "E2", groupNo: 1, conflicted: ["a"] },
      ],
      jurors,
      k: 3,
    });
    expect(plan.impossible[0]).toMatchObject({ entryId: 1, reason: expect.stringContaining("xung đột") });
    expect(plan.impossible[1]).toMatchObject({ entryId: 2, reason: expect.stringContaining("Cần 3 giám khảo nhưng chỉ có 2") });
    expect(
      planAssignments({ entries: [{ id: 1, code: "E1", groupNo: 4, conflicted: [] }], jurors: [jurors[2]], k: null })
        .impossible[0].reason,
    ).toContain("không có giám khảo nào chấm nhóm 4");
  });
});

describe("ranking", () => {
  const stat = (entryId: number, totals: number[], groupNo = 1) => ({ entryId, groupNo, ...summarise(totals) });

  it("mean, median, spread, std dev, count and the disagreement flag", () => {
    const s = summarise([70, 80, 95]);
    expect(s).toMatchObject({ n: 3, mean: 245 / 3, median: 80, min: 70, max: 95 });
    expect(s.stdDev).toBeCloseTo(10.274, 3);
    const r = rankEntries({ stats: [stat(1, [70, 70 + DISAGREEMENT_SPREAD]), stat(2, [80, 81])], passMark: 70, quota: null });
    expect(r.entries.find((e) => e.entryId === 1)!.disagreement).toBe(true);
    expect(r.entries.find((e) => e.entryId === 2)!.disagreement).toBe(false);
  });

  it("ranks in the round and in the group (1, 2, 2, 4), passes at ≥ pass mark exactly", () => {
    const r = rankEntries({
      stats: [stat(1, [90]), stat(2, [80, 80]), stat(3, [79.5, 80.5], 2), stat(4, [69.5, 70.5], 2), stat(5, [69.5]), stat(6, [])],
      passMark: 70,
      quota: null,
    });
    const by = Object.fromEntries(r.entries.map((e) => [e.entryId, e]));
    expect([by[1].rank, by[2].rank, by[3].rank, by[4].rank, by[5].rank, by[6].rank]).toEqual([1, 2, 2, 4, 5, null]);
    expect([by[3].groupRank, by[4].groupRank]).toEqual([1, 2]);
    expect(by[4].passed).toBe(true); // exactly 70
    expect(by[5].passed).toBe(false);
    expect(by[6].passed).toBe(false);
    expect(r.entries.filter((e) => e.selected).map((e) => e.entryId)).toEqual([1, 2, 3, 4]);
  });

  it("flags a tie across the quota boundary and does not break it; a recorded resolution decides it", () => {
    const stats = [stat(1, [90]), stat(2, [85]), stat(3, [85]), stat(4, [75])];
    const r = rankEntries({ stats, passMark: 70, quota: 2 });
    expect(r.tie).toEqual({ entryIds: [2, 3], seats: 1, resolution: null });
    expect(r.decidable).toBe(false);
    expect(r.entries.filter((e) => e.selected).map((e) => e.entryId)).toEqual([1]);
    const resolved = rankEntries({
      stats,
      passMark: 70,
      quota: 2,
      resolutions: [{ tiedEntryIds: [3, 2], selectedEntryIds: [3], reason: "Hội đồng biểu quyết" }],
    });
    expect(resolved.decidable).toBe(true);
    expect(
      resolved.entries
        .filter((e) => e.selected)
        .map((e) => e.entryId)
        .sort(),
    ).toEqual([1, 3]);
    // A tie fully inside the quota is no tie.
    expect(rankEntries({ stats, passMark: 70, quota: 3 }).tie).toBeNull();
  });

  it("z-scores are advisory and centred per juror", () => {
    const z = jurorZScores([
      { entryId: 1, jurorId: "a", total: 60 },
      { entryId: 2, jurorId: "a", total: 80 },
      { entryId: 1, jurorId: "b", total: 90 },
      { entryId: 2, jurorId: "b", total: 90 },
    ]);
    expect(z.entryZ.get(1)).toBeCloseTo(-0.5);
    expect(z.entryZ.get(2)).toBeCloseTo(0.5);
  });
});
