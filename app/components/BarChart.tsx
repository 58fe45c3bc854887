import { barPercent, CHART_FONT_PX, wrapLabel } from "~/utils/chart-text";

const LINE = 17;
const BAR = 14;
const GAP = 12;

/**
 * A horizontal bar chart drawn on the server as SVG (no client library): one row per item, its
 * label above the bar, the value at the line's right end; an optional second series drawn behind
 * the first (e.g. registered behind recognised). Drawn at 1:1 — no viewBox — so the text stays
 * 13 px on a 360 px phone; the bars take a share of the width.
 */
export function BarChart({
  title,
  items,
  seriesNames,
}: {
  title: string;
  items: { label: string; value: number; back?: number }[];
  seriesNames?: [string, string];
}) {
  const max = Math.max(1, ...items.map((i) => Math.max(i.value, i.back ?? 0)));
  let y = 0;
  const rows = items.map((item) => {
    const lines = wrapLabel(item.label);
    const top = y;
    y += lines.length * LINE + 4 + BAR + GAP;
    return { item, lines, top };
  });
  return (
    <figure style={{ margin: 0 }}>
      <svg className="chart" width="100%" height={Math.max(1, y)} role="img" aria-label={title} xmlns="http://www.w3.org/2000/svg">
        <title>{title}</title>
        {rows.map(({ item, lines, top }, i) => {
          const value = item.back !== undefined ? `${item.value}/${item.back}` : String(item.value);
          const barTop = top + lines.length * LINE + 4;
          return (
            <g key={`${item.label}-${i}`}>
              {item.label !== lines.join(" ") ? <title>{item.label}</title> : null}
              {lines.map((line, k) => (
                <text key={k} x={0} y={top + (k + 1) * LINE - 4} fontSize={CHART_FONT_PX}>
                  {line}
                </text>
              ))}
              <text x="100%" y={top + LINE - 4} textAnchor="end" fontSize={CHART_FONT_PX} className="value">
                {value}
              </text>
              {item.back !== undefined ? <rect className="bar alt" x={0} y={barTop} width={barPercent(item.back, max)} height={BAR} /> : null}
              <rect
                className="bar"
                x={0}
                y={barTop + (item.back !== undefined ? 3 : 0)}
                width={barPercent(item.value, max)}
                height={item.back !== undefined ? BAR - 6 : BAR}
              />
            </g>
          );
        })}
      </svg>
      {seriesNames ? (
        <figcaption className="muted">
          Thanh đỏ: {seriesNames[0]}; thanh xám: {seriesNames[1]}.
        </figcaption>
      ) : null}
    </figure>
  );
}
