/**
 * Pure rubric rules: the four regulation groups with fixed maxima (Phụ lục 4, TT 26/2014), the
 * default sub-criteria, validation of a council's tree, and the line format organisers edit.
 * No database here.
 */
import domain from "../../../db/reference/cnnt-domain.json";

export interface CriterionNode {
  code: string;
  name: string;
  maxPoints: number;
  children: CriterionNode[];
}

/** The regulation fixes only these four groups and their maxima; everything below is the council's. */
export const RUBRIC_GROUPS = [
  { code: "1", max: 40 },
  { code: "2", max: 40 },
  { code: "3", max: 10 },
  { code: "4", max: 10 },
] as const;

interface DomainNode {
  id?: string;
  vi: string;
  max_points?: number | null;
  proposed_default_points?: number;
  children?: DomainNode[];
  proposed_children?: DomainNode[];
}

/**
 * The default tree from the domain research. Groups 1, 2.1–2.3 have sourced sub-criteria (A Lưới
 * 2021 list) with proposed points. Sub-criteria of 2.4, 3 and 4 are unconfirmed: 3 uses the proposed
 * children (5 + 5), while 2.4 and 4 become a single scored leaf carrying the full points.
 */
export function defaultRubric(): CriterionNode[] {
  const convert = (node: DomainNode, code: string): CriterionNode => {
    const max = node.max_points ?? node.proposed_default_points ?? 0;
    const kids = node.children ?? node.proposed_children ?? [];
    return {
      code,
      name: node.vi,
      maxPoints: max,
      children: kids.map((child, i) => convert(child, child.id ?? `${code}.${String.fromCharCode(97 + i)}`)),
    };
  };
  return (domain.criteria.tree as DomainNode[]).map((group) => convert(group, group.id ?? ""));
}

/** Whether points are a multiple of 0.5 within 0..max. */
export function isHalfStep(value: number) {
  return Number.isFinite(value) && Math.round(value * 2) === value * 2;
}

/**
 * Every problem of a tree, in Vietnamese (empty when valid): the four groups with their fixed
 * maxima, children summing to their parent's maximum, points in steps of 0.5, unique codes,
 * non-empty names.
 */
export function validateRubric(tree: CriterionNode[]): string[] {
  const errors: string[] = [];
  const codes = new Set<string>();
  const groups = tree.map((g) => g.code).join(",");
  if (groups !== RUBRIC_GROUPS.map((g) => g.code).join(",")) {
    errors.push("Thang điểm phải có đúng bốn nhóm tiêu chí 1, 2, 3, 4 theo quy định.");
  }
  for (const fixed of RUBRIC_GROUPS) {
    const g = tree.find((n) => n.code === fixed.code);
    if (g && g.maxPoints !== fixed.max) {
      errors.push(`Nhóm tiêu chí ${fixed.code} có điểm tối đa cố định là ${fixed.max} (đang nhập ${fmt(g.maxPoints)}).`);
    }
  }
  const walk = (node: CriterionNode, depth: number) => {
    if (codes.has(node.code)) errors.push(`Mã tiêu chí ${node.code} bị trùng.`);
    codes.add(node.code);
    if (!node.name.trim()) errors.push(`Tiêu chí ${node.code} chưa có tên.`);
    if (!(node.maxPoints > 0) || !isHalfStep(node.maxPoints)) {
      errors.push(`Điểm tối đa của tiêu chí ${node.code} phải là số dương, bước 0,5.`);
    }
    if (depth > 3) errors.push(`Tiêu chí ${node.code} lồng quá sâu (tối đa 3 cấp).`);
    if (node.children.length) {
      const sum = node.children.reduce((s, c) => s + c.maxPoints, 0);
      if (Math.abs(sum - node.maxPoints) > 1e-9) {
        errors.push(`Tổng điểm các tiêu chí con của ${node.code} là ${fmt(sum)}, phải bằng ${fmt(node.maxPoints)}.`);
      }
      for (const c of node.children) {
        if (!c.code.startsWith(`${node.code}.`)) errors.push(`Mã ${c.code} phải bắt đầu bằng ${node.code}.`);
        walk(c, depth + 1);
      }
    }
  };
  for (const g of tree) walk(g, 1);
  return errors;
}

const fmt = (n: number) => String(n).replace(".", ",");

/** The leaves (scored criteria) in order. */
export function rubricLeaves<T extends { children: T[] }>(tree: T[]): T[] {
  return tree.flatMap((n) => (n.children.length ? rubricLeaves(n.children) : [n]));
}

/** One line per criterion, "1.2.a | Tên tiêu chí | 6": the form organisers edit without JavaScript. */
export function rubricToLines(tree: CriterionNode[]): string {
  const out: string[] = [];
  const walk = (n: CriterionNode) => {
    out.push(`${n.code} | ${n.name} | ${fmt(n.maxPoints)}`);
    n.children.forEach(walk);
  };
  tree.forEach(walk);
  return out.join("\n");
}

/**
 * Parses the line format back into a tree; a code's parent is the code without its last segment.
 * Returns the problems found in the text itself (validation of sums is `validateRubric`).
 */
export function parseRubricLines(text: string): { tree: CriterionNode[]; errors: string[] } {
  const errors: string[] = [];
  const byCode = new Map<string, CriterionNode>();
  const tree: CriterionNode[] = [];
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .forEach((line, i) => {
      const parts = line.split("|").map((p) => p.trim());
      if (parts.length !== 3) {
        errors.push(`Dòng ${i + 1}: cần đúng 3 phần "mã | tên | điểm tối đa".`);
        return;
      }
      const [code, name, raw] = parts;
      const value = Number(raw.replace(",", "."));
      if (!/^\d+(\.[a-z0-9]+)*$/i.test(code)) {
        errors.push(`Dòng ${i + 1}: mã "${code}" không hợp lệ (ví dụ 1.2.a).`);
        return;
      }
      if (!/^\d+([.,]\d+)?$/.test(raw) || !Number.isFinite(value)) {
        errors.push(`Dòng ${i + 1}: điểm tối đa "${raw}" không phải là số.`);
        return;
      }
      const node: CriterionNode = { code, name, maxPoints: value, children: [] };
      if (byCode.has(code)) {
        errors.push(`Dòng ${i + 1}: mã ${code} bị trùng.`);
        return;
      }
      byCode.set(code, node);
      const parentCode = code.includes(".") ? code.slice(0, code.lastIndexOf(".")) : null;
      if (!parentCode) tree.push(node);
      else {
        const parent = byCode.get(parentCode);
        if (!parent) errors.push(`Dòng ${i + 1}: tiêu chí cha ${parentCode} phải đứng trước ${code}.`);
        else parent.children.push(node);
      }
    });
  return { tree, errors };
}
