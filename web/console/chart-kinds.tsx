/**
 * Plain SVG charts (no chart library: a few hundred bytes instead of tens of KiB). Each chart has
 * a text alternative, and the pages show the same numbers in a table next to it.
 */
export interface Series {
  name: string;
  colour: string;
  points: { x: number; y: number }[];
}

const W = 320;
const H = 140;
const PAD = 28;

export function LineChart({ label, series, unit }: { label: string; series: Series[]; unit: string }) {
  const xs = series.flatMap((line) => line.points.map((point) => point.x));
  const ys = series.flatMap((line) => line.points.map((point) => point.y));
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const yMax = Math.max(1, ...ys) * 1.1;
  const sx = (x: number) => PAD + (x1 === x0 ? (W - 2 * PAD) / 2 : ((x - x0) / (x1 - x0)) * (W - 2 * PAD));
  const sy = (y: number) => H - PAD + 8 - (y / yMax) * (H - PAD - 8);
  const last = series.map((line) => `${line.name} ${line.points.at(-1)?.y ?? 0} ${unit}`).join(", ");
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${label}: latest ${last}`} data-chart="line">
        <line x1={PAD} y1={H - PAD + 8} x2={W - PAD} y2={H - PAD + 8} class="axis" />
        <line x1={PAD} y1={8} x2={PAD} y2={H - PAD + 8} class="axis" />
        <text x={2} y={14} class="tick">
          {yMax.toFixed(yMax < 10 ? 1 : 0)}
        </text>
        <text x={2} y={H - PAD + 8} class="tick">
          0
        </text>
        {series.map((line) => (
          <g key={line.name}>
            <polyline
              class="line"
              fill="none"
              stroke={line.colour}
              stroke-width={2}
              points={line.points.map((point) => `${sx(point.x)},${sy(point.y)}`).join(" ")}
            />
            {line.points.map((point, index) => (
              <circle key={index} cx={sx(point.x)} cy={sy(point.y)} r={2.5} fill={line.colour} />
            ))}
          </g>
        ))}
      </svg>
      <figcaption>
        {label} ({unit}) ·{" "}
        {series.map((line) => (
          <span key={line.name} class="legend">
            <svg viewBox="0 0 10 10" width="10" height="10" aria-hidden="true">
              <rect width="10" height="10" fill={line.colour} />
            </svg>{" "}
            {line.name}{" "}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

export function BarChart({
  label,
  bars,
  max,
  marker,
}: {
  label: string;
  bars: { name: string; value: number; text: string }[];
  max?: number;
  marker?: number;
}) {
  const top = max ?? Math.max(1, ...bars.map((bar) => bar.value), marker ?? 0);
  const rowH = 22;
  const height = bars.length * rowH + 8;
  const barW = (value: number) => Math.max(1, (value / top) * (W - 130));
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${W} ${height}`}
        role="img"
        aria-label={`${label}: ${bars.map((bar) => `${bar.name} ${bar.text}`).join(", ")}`}
        data-chart="bar"
      >
        {bars.map((bar, index) => (
          <g key={bar.name}>
            <text x={0} y={index * rowH + 18} class="tick">
              {bar.name.slice(0, 16)}
            </text>
            <rect
              class="bar"
              x={100}
              y={index * rowH + 6}
              width={barW(Math.min(bar.value, top))}
              height={14}
              fill={marker !== undefined && bar.value > marker ? "#a4161a" : "#0b5cad"}
            />
            <text x={104 + barW(Math.min(bar.value, top))} y={index * rowH + 18} class="tick">
              {bar.text}
            </text>
          </g>
        ))}
        {marker !== undefined ? (
          <line x1={100 + barW(marker)} y1={0} x2={100 + barW(marker)} y2={height} class="marker" />
        ) : null}
      </svg>
      <figcaption>{label}</figcaption>
    </figure>
  );
}
