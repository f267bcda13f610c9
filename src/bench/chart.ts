// Benchmark summaries (see run.ts) as a standalone SVG: latency and peak memory against corpus size, one line
// per system. Pure string building with no dependencies or external fonts, so the file opens anywhere and can
// be attached to a report as is.

export interface ChartPoint {
  system: string;
  articles: number;
  queryMeanMs: number;
  p99Ms: number;
  peakRssMb: number;
}

export interface ChartOptions {
  title?: string;
  subtitle?: string;
  targets?: { latencyMeanMs?: number; latencyP99Ms?: number; peakRssMb?: number };
}

const WIDTH = 1100;
const HEIGHT = 500;
const COLOURS = ['#1f6fb4', '#d1432b', '#2b9a3e', '#8a56b8', '#e08a00', '#7a5a44'];
// Readers know the baseline by what it is, not by the benchmark's internal id.
const DISPLAY_NAMES: Record<string, string> = { lunr: 'plain lunr + lunr.fr' };
const LABEL_GAP = 13; // vertical room for one 11px value label
const FONT = 'font-family="Helvetica, Arial, sans-serif"';
const ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ENTITIES[c]!);
}

/** Ticks 0, step, 2·step… up to the first multiple of step ≥ max, with step 1, 2 or 5 × 10^n and at most `count` intervals. */
export function niceTicks(max: number, count = 5): number[] {
  if (!Number.isFinite(max) || max <= 0) return [0, 1];
  const magnitude = 10 ** Math.floor(Math.log10(max / count));
  // 10 × magnitude always fits, since magnitude ≤ max / count.
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => Math.ceil(max / s - 1e-9) <= count)!;
  const ticks: number[] = [];
  // toPrecision drops float noise such as 0.30000000000000004 from the labels.
  for (let i = 0; i <= Math.ceil(max / step - 1e-9); i++) ticks.push(+(i * step).toPrecision(12));
  return ticks;
}

/** 1000 → "1k", 2500 → "2.5k", 2000000 → "2M". */
export function formatArticles(n: number): string {
  if (n >= 1e6) return `${+(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${+(n / 1e3).toFixed(1)}k`;
  return String(n);
}

// Sub-millisecond latencies are common for the project, so small values keep their decimals.
const formatValue = (v: number) => (v < 1 ? v.toFixed(2) : v < 10 ? v.toFixed(1) : String(Math.round(v)));
const num = (v: number) => +v.toFixed(1);

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${num(x)}" y="${num(y)}" ${attrs}>${escapeXml(content)}</text>`;
}

interface Series {
  name: string;
  colour: string;
  dashed: boolean;
  points: { articles: number; value: number }[];
}

interface Panel {
  left: number;
  title: string;
  yTitle: string;
  unit: string;
  series: Series[];
  targets: { label: string; value: number }[];
}

/** Moves labels (sorted by y) apart so none overlap, staying within [top, bottom]. */
function spread(ys: number[], top: number, bottom: number): number[] {
  const out = ys.map((y) => Math.min(Math.max(y, top), bottom));
  for (let i = 1; i < out.length; i++) out[i] = Math.max(out[i]!, out[i - 1]! + LABEL_GAP);
  // If the stack ran past the bottom, push it back up from there.
  for (let i = out.length - 1; i >= 0; i--) out[i] = Math.min(out[i]!, i === out.length - 1 ? bottom : out[i + 1]! - LABEL_GAP);
  return out;
}

function renderPanel(panel: Panel, sizes: number[]): string[] {
  const width = WIDTH / 2;
  // Right margin leaves room for the value labels of the largest corpus.
  const plot = { left: panel.left + 70, right: panel.left + width - 64, top: 120, bottom: HEIGHT - 56 };
  const values = [...panel.series.flatMap((s) => s.points.map((p) => p.value)), ...panel.targets.map((t) => t.value)];
  const yTicks = niceTicks(Math.max(0, ...values));
  const yMax = yTicks.at(-1)!;
  const xMax = Math.max(1, ...sizes);
  // x starts at 0 so distances between corpus sizes stay proportional.
  const x = (articles: number) => plot.left + (articles / xMax) * (plot.right - plot.left);
  const y = (value: number) => plot.bottom - (value / yMax) * (plot.bottom - plot.top);
  const out = [text(plot.left, plot.top - 16, panel.title, 'font-size="14" font-weight="bold"')];

  for (const t of yTicks) {
    out.push(`<line x1="${plot.left}" y1="${num(y(t))}" x2="${plot.right}" y2="${num(y(t))}" stroke="#e6e6e6"/>`);
    out.push(text(plot.left - 8, y(t) + 4, String(t), 'font-size="11" text-anchor="end" fill="#444"'));
  }
  for (const s of sizes) {
    out.push(`<line x1="${num(x(s))}" y1="${plot.bottom}" x2="${num(x(s))}" y2="${plot.bottom + 5}" stroke="#333"/>`);
    out.push(text(x(s), plot.bottom + 18, formatArticles(s), 'font-size="11" text-anchor="middle" fill="#444"'));
  }
  out.push(text((plot.left + plot.right) / 2, plot.bottom + 40, 'articles in corpus', 'font-size="12" text-anchor="middle"'));
  const midY = (plot.top + plot.bottom) / 2;
  out.push(text(panel.left + 22, midY, panel.yTitle, `font-size="12" text-anchor="middle" transform="rotate(-90 ${panel.left + 22} ${midY})"`));

  for (const t of panel.targets) {
    out.push(`<line x1="${plot.left}" y1="${num(y(t.value))}" x2="${plot.right}" y2="${num(y(t.value))}" stroke="#777" stroke-dasharray="2 3"/>`);
    out.push(text(plot.right, y(t.value) - 4, `${t.label} ${formatValue(t.value)} ${panel.unit}`, 'font-size="10" text-anchor="end" fill="#666"'));
  }

  const labels = new Map<number, { y: number; content: string; colour: string }[]>();
  for (const s of panel.series) {
    const coords = s.points.map((p) => `${num(x(p.articles))},${num(y(p.value))}`).join(' ');
    const dash = s.dashed ? ' stroke-dasharray="7 4"' : '';
    out.push(`<polyline data-series="${escapeXml(s.name)}" points="${coords}" fill="none" stroke="${s.colour}" stroke-width="2" stroke-linejoin="round"${dash}/>`);
    s.points.forEach((p, i) => {
      // Hollow markers tell p99 points from mean points even where the lines meet.
      out.push(`<circle cx="${num(x(p.articles))}" cy="${num(y(p.value))}" r="3.5" fill="${s.dashed ? '#fff' : s.colour}" stroke="${s.colour}" stroke-width="1.5"/>`);
      // The label sits right of its point, on the side the outgoing segment leaves free (below a rising line).
      const next = s.points[i + 1];
      const shift = next === undefined || next.value === p.value ? 4 : next.value > p.value ? 13 : -6;
      const column = labels.get(p.articles) ?? [];
      column.push({ y: y(p.value) + shift, content: `${formatValue(p.value)} ${panel.unit}`, colour: s.colour });
      labels.set(p.articles, column);
    });
  }
  // Close values at one corpus size (e.g. two fast systems) would print on top of each other: stack them.
  for (const [articles, column] of labels) {
    column.sort((a, b) => a.y - b.y);
    const ys = spread(column.map((l) => l.y), plot.top + 4, plot.bottom - 2);
    column.forEach((l, i) => {
      // A translucent backing keeps a label legible where stacking puts it over a line; its width is estimated.
      out.push(`<rect x="${num(x(articles) + 5)}" y="${num(ys[i]! - 10)}" width="${num(l.content.length * 6.4 + 4)}" height="13" fill="#fff" fill-opacity="0.85"/>`);
      out.push(text(x(articles) + 7, ys[i]!, l.content, `font-size="11" fill="${l.colour}"`));
    });
  }
  // Axes last, so label backings never hide them.
  out.push(`<path d="M${plot.left} ${plot.top}V${plot.bottom}H${plot.right}" fill="none" stroke="#333"/>`);
  return out;
}

export function renderChart(points: ChartPoint[], options: ChartOptions = {}): string {
  const usable = points.filter((p) => [p.articles, p.queryMeanMs, p.p99Ms, p.peakRssMb].every(Number.isFinite));
  const systems = [...new Set(usable.map((p) => p.system))];
  const sizes = [...new Set(usable.map((p) => p.articles))].sort((a, b) => a - b);
  const colour = (system: string) => COLOURS[systems.indexOf(system) % COLOURS.length]!;
  const name = (system: string) => DISPLAY_NAMES[system] ?? system;
  const series = (system: string, suffix: string, value: (p: ChartPoint) => number, dashed = false): Series => ({
    name: `${name(system)} ${suffix}`,
    colour: colour(system),
    dashed,
    points: usable.filter((p) => p.system === system).sort((a, b) => a.articles - b.articles).map((p) => ({ articles: p.articles, value: value(p) })),
  });
  const targets = options.targets ?? {};
  const target = (label: string, value: number | undefined) => (value === undefined ? [] : [{ label, value }]);

  const latency: Panel = {
    left: 0,
    title: 'Latency per question',
    yTitle: 'latency (ms)',
    unit: 'ms',
    series: systems.flatMap((s) => [series(s, 'mean', (p) => p.queryMeanMs), series(s, 'p99', (p) => p.p99Ms, true)]),
    targets: [...target('target mean', targets.latencyMeanMs), ...target('target p99', targets.latencyP99Ms)],
  };
  const memory: Panel = {
    left: WIDTH / 2,
    title: 'Peak resident memory',
    yTitle: 'peak RSS (MB)',
    unit: 'MB',
    series: systems.map((s) => series(s, 'peak RSS', (p) => p.peakRssMb)),
    targets: target('target', targets.peakRssMb),
  };

  // Legend: one swatch per system, then a key for the line styles. Widths are estimated, as SVG cannot measure text.
  const legend: string[] = [];
  let lx = 70;
  const entry = (label: string, stroke: string, dash: string) => {
    legend.push(`<line x1="${lx}" y1="76" x2="${lx + 24}" y2="76" stroke="${stroke}" stroke-width="2"${dash}/>`);
    legend.push(text(lx + 30, 80, label, 'font-size="12"'));
    lx += 30 + label.length * 6.6 + 20;
  };
  for (const s of systems) entry(name(s), colour(s), '');
  entry('mean latency', '#555', '');
  entry('p99 latency', '#555', ' stroke-dasharray="7 4"');
  if (latency.targets.length + memory.targets.length > 0) entry('target', '#777', ' stroke-dasharray="2 3"');

  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" ${FONT}>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    text(70, 30, options.title ?? 'Benchmark: latency and memory by corpus size', 'font-size="18" font-weight="bold"'),
    ...(options.subtitle ? [text(70, 50, options.subtitle, 'font-size="12" fill="#555"')] : []),
    ...legend,
    ...renderPanel(latency, sizes),
    ...renderPanel(memory, sizes),
    '</svg>',
    '',
  ].join('\n');
}
