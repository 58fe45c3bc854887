/**
 * Pure automatic assignment: every entry gets k jurors (or, without k, every council member who
 * judges its group and is not in conflict), load balanced, the same output for the same input.
 * No database here.
 */

export interface AssignJuror {
  id: string;
  name: string;
  /** Groups this juror judges; empty = all groups. */
  groupNos: number[];
}

export interface AssignEntry {
  id: number;
  code: string | null;
  groupNo: number;
  /** Jurors in conflict with this entry. */
  conflicted: string[];
}

export interface AssignmentPlan {
  assignments: { entryId: number; jurorId: string }[];
  /** Entries that could not get their k jurors, and why (they keep the jurors that were possible). */
  impossible: { entryId: number; code: string | null; reason: string }[];
  load: Record<string, number>;
}

/**
 * Most constrained entries first (fewest possible jurors), then by id; each takes the k possible
 * jurors with the lowest load so far, ties by juror id. Deterministic: no randomness, stable sorts.
 */
export function planAssignments(input: { entries: AssignEntry[]; jurors: AssignJuror[]; k: number | null }): AssignmentPlan {
  const jurors = [...input.jurors].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const load: Record<string, number> = Object.fromEntries(jurors.map((j) => [j.id, 0]));
  const candidates = new Map<number, AssignJuror[]>();
  for (const e of input.entries) {
    const conflicted = new Set(e.conflicted);
    candidates.set(
      e.id,
      jurors.filter((j) => (j.groupNos.length === 0 || j.groupNos.includes(e.groupNo)) && !conflicted.has(j.id)),
    );
  }
  const order = [...input.entries].sort((a, b) => candidates.get(a.id)!.length - candidates.get(b.id)!.length || a.id - b.id);
  const plan: AssignmentPlan = { assignments: [], impossible: [], load };
  for (const e of order) {
    const possible = candidates.get(e.id)!;
    const judges = jurors.filter((j) => j.groupNos.length === 0 || j.groupNos.includes(e.groupNo));
    if (possible.length === 0) {
      plan.impossible.push({
        entryId: e.id,
        code: e.code,
        reason:
          judges.length === 0
            ? `Hội đồng không có giám khảo nào chấm nhóm ${e.groupNo}.`
            : `Cả ${judges.length} giám khảo chấm nhóm ${e.groupNo} đều có xung đột lợi ích với hồ sơ này.`,
      });
      continue;
    }
    const want = input.k ?? possible.length;
    const chosen = [...possible].sort((a, b) => load[a.id] - load[b.id] || (a.id < b.id ? -1 : 1)).slice(0, want);
    for (const j of chosen) {
      load[j.id] += 1;
      plan.assignments.push({ entryId: e.id, jurorId: j.id });
    }
    if (chosen.length < want) {
      const excluded = judges.length - possible.length;
      plan.impossible.push({
        entryId: e.id,
        code: e.code,
        reason: `Cần ${want} giám khảo nhưng chỉ có ${possible.length} giám khảo phù hợp (nhóm ${e.groupNo}: ${judges.length} người${excluded ? `, ${excluded} người xung đột lợi ích` : ""}).`,
      });
    }
  }
  plan.assignments.sort((a, b) => a.entryId - b.entryId || (a.jurorId < b.jurorId ? -1 : 1));
  plan.impossible.sort((a, b) => a.entryId - b.entryId);
  return plan;
}
