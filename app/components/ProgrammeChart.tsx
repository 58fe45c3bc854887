import { formatPercentShort } from "~/models/programme-rules";

export interface ChartLine {
  code: string;
  name: string;
  percentOfPlan: number | null;
  behind: boolean;
}

const ROW = 22;
const LABEL = 150;
const WIDTH = 640;
const RIGHT = 64;

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const r1 = (n: number) => Math.round(n * 10) / 10;

/**
 * A horizontal bar per province: actual as % of plan, a dashed line at 100 %, the provinces
 * furthest behind plan in red. Plain SVG markup built as a string (styled by classes in
 * programme.css): no script, scales to any width, and 7 indicators × 28 provinces stay small and fast.
 */
export function programmeChartSvg(props: { id: string; title: string; lines: ChartLine[] }): string {
  const max = Math.max(120, ...props.lines.map((l) => Math.ceil((l.percentOfPlan ?? 0) / 20) * 20));
  const plot = WIDTH - LABEL - RIGHT;
  const x = (pct: number) => r1(LABEL + (Math.min(pct, max) / max) * plot);
  const height = props.lines.length * ROW + 28;
  const out: string[] = [
    `<svg class="programme-chart" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-labelledby="${esc(props.id)}-title" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${esc(props.id)}-title">${esc(props.title)}</title>`,
  ];
  for (const t of [0, 50, 100]) {
    out.push(`<line x1="${x(t)}" x2="${x(t)}" y1="4" y2="${height - 20}" class="${t === 100 ? "g100" : "g"}"/>`, `<text x="${x(t)}" y="${height - 6}" class="ax">${t}%</text>`);
  }
  props.lines.forEach((l, i) => {
    const y = 6 + i * ROW;
    const cls = l.behind ? " bad" : "";
    out.push(`<text x="${LABEL - 6}" y="${y + 13}" class="n${cls}">${esc(l.name)}</text>`);
    if (l.percentOfPlan !== null) out.push(`<rect x="${LABEL}" y="${y + 2}" width="${Math.max(1, r1(x(l.percentOfPlan) - LABEL))}" height="${ROW - 8}" class="bar${cls}"/>`);
    const tx = l.percentOfPlan === null ? LABEL + 4 : x(l.percentOfPlan) + 4;
    out.push(`<text x="${r1(tx)}" y="${y + 13}" class="v${cls}">${esc(formatPercentShort(l.percentOfPlan))}</text>`);
  });
  out.push("</svg>");
  return out.join("");
}

export function ProgrammeChart(props: { id: string; title: string; lines: ChartLine[] }) {
  return <div className="chart-box" dangerouslySetInnerHTML={{ __html: programmeChartSvg(props) }} />;
}
