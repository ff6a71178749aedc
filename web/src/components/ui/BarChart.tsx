/**
 * Horizontal bars in plain SVG, with the figures as text beside each bar and a caption: the chart's
 * text alternative is its own labels, so nothing is shown only as a length or a colour.
 */
export interface Bar {
  label: string;
  value: number;
  /** A target line drawn on the bar (e.g. a goal). */
  target?: number;
  display?: string;
  highlight?: boolean;
}

export function BarChart({ bars, caption, max }: { bars: Bar[]; caption: string; max?: number }) {
  const top = Math.max(max ?? 0, ...bars.map((b) => Math.max(b.value, b.target ?? 0)), 1);
  const rowH = 28;
  const labelW = 150;
  const barW = 260;
  const height = bars.length * rowH + 8;
  return (
    <figure className="chart">
      <svg width="100%" viewBox={`0 0 ${labelW + barW + 90} ${height}`} role="img" aria-label={caption}>
        {bars.map((b, i) => {
          const y = 4 + i * rowH;
          const w = (b.value / top) * barW;
          return (
            <g key={b.label}>
              <text x={0} y={y + 17} className="chart-label">
                {b.label}
              </text>
              <rect x={labelW} y={y + 4} width={barW} height={18} className="chart-track" rx={3} />
              <rect
                x={labelW}
                y={y + 4}
                width={Math.max(w, 1)}
                height={18}
                className={b.highlight ? "chart-bar chart-bar-hi" : "chart-bar"}
                rx={3}
              />
              {b.target !== undefined ? (
                <line
                  x1={labelW + (b.target / top) * barW}
                  x2={labelW + (b.target / top) * barW}
                  y1={y + 1}
                  y2={y + 25}
                  className="chart-target"
                />
              ) : null}
              <text x={labelW + barW + 8} y={y + 17} className="chart-value">
                {b.display ?? String(b.value)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>{caption}</figcaption>
    </figure>
  );
}
