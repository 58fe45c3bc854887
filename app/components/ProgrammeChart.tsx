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

/**
 * A horizontal bar per province: actual as % of plan, a dashed line at 100 %, the provinces
 * furthest behind plan in red. Rendered on the server as plain SVG (no script), scales to any width.
 */
export function ProgrammeChart(props: { id: string; title: string; lines: ChartLine[] }) {
  const max = Math.max(120, ...props.lines.map((l) => Math.ceil((l.percentOfPlan ?? 0) / 20) * 20));
  const plot = WIDTH - LABEL - RIGHT;
  const x = (pct: number) => LABEL + (Math.min(pct, max) / max) * plot;
  const height = props.lines.length * ROW + 28;
  return (
    <svg
      className="programme-chart"
      viewBox={`0 0 ${WIDTH} ${height}`}
      width="100%"
      role="img"
      aria-labelledby={`${props.id}-title`}
      preserveAspectRatio="xMinYMin meet"
    >
      <title id={`${props.id}-title`}>{props.title}</title>
      {[0, 50, 100].map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={4} y2={height - 20} stroke={t === 100 ? "#1d1d1f" : "#d9dce1"} strokeDasharray={t === 100 ? "4 3" : undefined} />
          <text x={x(t)} y={height - 6} fontSize="11" textAnchor="middle" fill="#55595f">
            {t}%
          </text>
        </g>
      ))}
      {props.lines.map((l, i) => {
        const y = 6 + i * ROW;
        return (
          <g key={l.code}>
            <text x={LABEL - 6} y={y + 13} fontSize="12" textAnchor="end" fill={l.behind ? "#a31d1d" : "#1d1d1f"} fontWeight={l.behind ? 700 : 400}>
              {l.name}
            </text>
            {l.percentOfPlan === null ? null : (
              <rect x={LABEL} y={y + 2} width={Math.max(1, x(l.percentOfPlan) - LABEL)} height={ROW - 8} fill={l.behind ? "#a31d1d" : "#3b6ea5"} rx="2" />
            )}
            <text
              x={l.percentOfPlan === null ? LABEL + 4 : x(l.percentOfPlan) + 4}
              y={y + 13}
              fontSize="11"
              fill={l.behind ? "#a31d1d" : "#1d1d1f"}
            >
              {formatPercentShort(l.percentOfPlan)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
