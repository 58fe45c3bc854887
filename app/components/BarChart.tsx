/**
 * A horizontal bar chart drawn on the server as SVG (no client library): one row per item, an
 * optional second series drawn behind the first (e.g. registered behind recognised).
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
  // Each item: its label on one line, the bar under it — long Vietnamese names fit on a phone.
  const row = 40;
  const barWidth = 290;
  const width = barWidth + 60;
  const height = items.length * row + 6;
  const max = Math.max(1, ...items.map((i) => Math.max(i.value, i.back ?? 0)));
  const scale = (v: number) => Math.max(v > 0 ? 2 : 0, (v / max) * barWidth);
  return (
    <figure style={{ margin: 0 }}>
      <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
        <title>{title}</title>
        {items.map((item, i) => {
          const y = i * row;
          const label = item.label.length > 50 ? `${item.label.slice(0, 49)}…` : item.label;
          const value = item.back !== undefined ? `${item.value}/${item.back}` : String(item.value);
          return (
            <g key={`${item.label}-${i}`}>
              <text x={0} y={y + 13}>
                {label}
              </text>
              {item.back !== undefined ? <rect className="bar alt" x={0} y={y + 18} width={scale(item.back)} height={16} /> : null}
              <rect className="bar" x={0} y={y + 18 + (item.back !== undefined ? 4 : 0)} width={scale(item.value)} height={item.back !== undefined ? 8 : 16} />
              <text x={scale(Math.max(item.value, item.back ?? 0)) + 4} y={y + 31}>
                {value}
              </text>
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
