import { formatPercentShort } from "~/models/programme/rules";
import { barPercent, CHART_FONT_PX, wrapLabel } from "~/utils/chart-text";

export interface ChartLine {
  code: string;
  name: string;
  percentOfPlan: number | null;
  behind: boolean;
}

const LINE = 17;
const BAR = 12;
const ROW = LINE + 4 + BAR + 9;
const AXIS = 22;

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * A horizontal bar per province: actual as % of plan, a dashed line at 100 %, the provinces
 * furthest behind plan in red. Each province's name and percentage sit on a line above its bar.
 * Plain SVG markup built as a string (styled by classes in programme.css): no script, and drawn
 * at 1:1 — no viewBox — so its 13 px text stays 13 px on a 360 px phone while the bars take a
 * share of whatever width there is.
 */
export function programmeChartSvg(props: { id: string; title: string; lines: ChartLine[] }): string {
  const max = Math.max(120, ...props.lines.map((l) => Math.ceil((l.percentOfPlan ?? 0) / 20) * 20));
  const height = props.lines.length * ROW + AXIS;
  const f = `font-size="${CHART_FONT_PX}"`;
  const out: string[] = [
    `<svg class="programme-chart" width="100%" height="${height}" role="img" aria-labelledby="${esc(props.id)}-title" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${esc(props.id)}-title">${esc(props.title)}</title>`,
  ];
  for (const t of [0, 50, 100]) {
    const x = t === 0 ? "1" : barPercent(t, max);
    out.push(
      `<line x1="${x}" x2="${x}" y1="0" y2="${height - AXIS + 2}" class="${t === 100 ? "g100" : "g"}"/>`,
      `<text x="${x}" y="${height - 5}" ${f} class="ax${t === 0 ? " start" : ""}">${t}%</text>`,
    );
  }
  props.lines.forEach((l, i) => {
    const y = i * ROW;
    const cls = l.behind ? " bad" : "";
    const [name] = wrapLabel(l.name, 28, 1);
    out.push(`<text x="0" y="${y + LINE - 4}" ${f} class="n${cls}">${esc(name)}</text>`);
    out.push(`<text x="100%" y="${y + LINE - 4}" ${f} class="v${cls}">${esc(formatPercentShort(l.percentOfPlan))}</text>`);
    if (l.percentOfPlan !== null) out.push(`<rect x="0" y="${y + LINE + 2}" width="${barPercent(l.percentOfPlan, max)}" height="${BAR}" class="bar${cls}"/>`);
  });
  out.push("</svg>");
  return out.join("");
}

export function ProgrammeChart(props: { id: string; title: string; lines: ChartLine[] }) {
  return <div className="chart-box" dangerouslySetInnerHTML={{ __html: programmeChartSvg(props) }} />;
}
