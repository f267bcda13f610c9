import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ChartPoint, escapeXml, formatArticles, niceTicks, renderChart } from '../../src/bench/chart.js';

const p = (system: string, articles: number, queryMeanMs: number, p99Ms: number, peakRssMb: number): ChartPoint => ({ system, articles, queryMeanMs, p99Ms, peakRssMb });
// Deliberately unsorted, as results arrive from separate runs.
const POINTS = [
  p('project', 10000, 4, 12, 480),
  p('lunr', 1000, 18, 60, 420),
  p('project', 1000, 2, 6, 200),
  p('lunr', 10000, 38, 156, 2100),
  p('project', 5000, 3, 9, 330),
  p('lunr', 5000, 30, 110, 1200),
];

/** Throws unless `xml` is well-formed: one root, balanced tags, quoted attributes, no bare `<` or `&`. */
function checkXml(xml: string): void {
  const token = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<\/([A-Za-z][\w:.-]*)\s*>|<([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  const badAmp = /&(?!(?:lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);)/i;
  const stack: string[] = [];
  let roots = 0;
  for (const m of xml.matchAll(token)) {
    const [, close, open, attrs, selfClosing, text, stray] = m;
    if (stray) throw new Error(`stray or malformed tag at ${m.index}: ${xml.slice(m.index, m.index + 40)}`);
    if (text !== undefined) {
      if (badAmp.test(text)) throw new Error(`bare & in text: ${text}`);
      if (stack.length === 0 && text.trim()) throw new Error(`text outside the root: ${text}`);
    } else if (open) {
      if (stack.length === 0 && ++roots > 1) throw new Error('more than one root element');
      const names = [...attrs!.matchAll(/([\w:.-]+)="([^"]*)"/g)].map(([, name, value]) => {
        if (badAmp.test(value!)) throw new Error(`bare & in attribute ${name}`);
        return name;
      });
      if (new Set(names).size !== names.length) throw new Error(`duplicate attribute on <${open}>`);
      if (!selfClosing) stack.push(open);
    } else if (close) {
      const top = stack.pop();
      if (top !== close) throw new Error(`</${close}> closes <${top}>`);
    }
  }
  if (stack.length) throw new Error(`unclosed <${stack.join('>, <')}>`);
  if (roots !== 1) throw new Error('no root element');
}

const unescape = (s: string) => s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);

/** Series name → its points as [x, y], in drawing order. */
function polylines(svg: string): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  for (const [, name, pts] of svg.matchAll(/<polyline data-series="([^"]*)" points="([^"]*)"/g)) {
    out.set(unescape(name!), pts!.split(' ').filter(Boolean).map((xy) => xy.split(',').map(Number) as [number, number]));
  }
  return out;
}

const texts = (svg: string) => [...svg.matchAll(/<text x="([^"]+)" y="([^"]+)"[^>]*>([^<]*)<\/text>/g)].map(([, x, y, t]) => ({ x: Number(x), y: Number(y), text: unescape(t!) }));

describe('checkXml (the test helper itself)', () => {
  it('rejects what is not well-formed', () => {
    expect(() => checkXml('<a><b></a></b>')).toThrow();
    expect(() => checkXml('<a>x & y</a>')).toThrow();
    expect(() => checkXml('<a>x < y</a>')).toThrow();
    expect(() => checkXml('<a b="1" b="2"/>')).toThrow();
    expect(() => checkXml('<a b=1/>')).toThrow();
    expect(() => checkXml('<a/><b/>')).toThrow();
    expect(() => checkXml('<a>')).toThrow();
    expect(() => checkXml('<?xml version="1.0"?>\n<a b="&amp;"><c/>x &lt; y</a>\n')).not.toThrow();
  });
});

describe('renderChart', () => {
  const svg = renderChart(POINTS, { title: 'Bench' });

  it('is a standalone, well-formed SVG document', () => {
    checkXml(svg);
    expect(svg).toMatch(/^<\?xml[^>]*\?>\s*<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    // Nothing fetched from elsewhere: no scripts, links, images or web fonts.
    expect(svg).not.toMatch(/<script|href=|<image|@import|url\(/i);
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('draws one line per series: mean and p99 latency and peak memory for each system', () => {
    const lines = polylines(svg);
    expect([...lines.keys()].sort()).toEqual(
      ['plain lunr + lunr.fr mean', 'plain lunr + lunr.fr p99', 'plain lunr + lunr.fr peak RSS', 'project mean', 'project p99', 'project peak RSS'].sort(),
    );
    expect(svg.match(/<polyline/g)).toHaveLength(6);
    expect(svg.match(/<circle/g)).toHaveLength(18);
    // p99 dashed, mean solid, and one colour per system across its lines.
    const tag = (name: string) => svg.match(new RegExp(`<polyline data-series="${escapeXml(name).replace(/[+.]/g, '\\$&')}"[^>]*>`))![0];
    expect(tag('project p99')).toContain('stroke-dasharray');
    expect(tag('project mean')).not.toContain('stroke-dasharray');
    const colour = (name: string) => tag(name).match(/stroke="([^"]+)"/)![1];
    expect(colour('project p99')).toBe(colour('project mean'));
    expect(colour('project peak RSS')).toBe(colour('project mean'));
    expect(colour('plain lunr + lunr.fr mean')).not.toBe(colour('project mean'));
  });

  it('puts larger corpora further right, at the same x in every series', () => {
    const lines = polylines(svg);
    for (const pts of lines.values()) {
      expect(pts).toHaveLength(3);
      expect(pts[0]![0]).toBeLessThan(pts[1]![0]);
      expect(pts[1]![0]).toBeLessThan(pts[2]![0]);
    }
    const xs = (name: string) => lines.get(name)!.map(([x]) => x);
    expect(xs('plain lunr + lunr.fr p99')).toEqual(xs('project mean'));
    // Linear in article count: 1k→5k is 4/5 of the 5k→10k gap... (4000 vs 5000 articles).
    const [a, b, c] = xs('project mean') as [number, number, number];
    expect((b - a) / (c - b)).toBeCloseTo(4000 / 5000, 1);
    // Memory panel sits to the right of the latency panel.
    expect(xs('project peak RSS')[0]).toBeGreaterThan(c);
    const ticks = texts(svg).filter((t) => ['1k', '5k', '10k'].includes(t.text));
    expect(ticks.filter((t) => t.x < c + 10).map((t) => t.text)).toEqual(['1k', '5k', '10k']);
    expect(ticks.map((t) => t.x).slice(0, 3)).toEqual([a, b, c]);
  });

  it('draws a larger value higher, on a linear scale from 0', () => {
    const lines = polylines(svg);
    const ys = (name: string) => lines.get(name)!.map(([, y]) => y);
    const [y2, y3, y4] = ys('project mean') as [number, number, number];
    expect(y2).toBeGreaterThan(y3);
    expect(y3).toBeGreaterThan(y4);
    // Linear: lunr p99 60 → 110 → 156 ms climbs 50 then 46 ms (wide gaps, so 0.1 px rounding does not matter).
    const [l1, l5, l10] = ys('plain lunr + lunr.fr p99') as [number, number, number];
    expect((l1 - l5) / (l5 - l10)).toBeCloseTo(50 / 46, 2);
    expect(ys('plain lunr + lunr.fr mean')[0]).toBeLessThan(y2);
    expect(ys('project p99')[0]).toBeLessThan(y2);
    expect(ys('plain lunr + lunr.fr peak RSS')[2]).toBeLessThan(ys('project peak RSS')[2]!);
    // The 0 tick lies where 2 ms extrapolates to 0 ms: y(0) = y(2) + (y(2) − y(3)) × 2.
    const zero = texts(svg).find((t) => t.text === '0')!;
    expect(zero.y - 4).toBeCloseTo(y2 + (y2 - y3) * 2, 0);
  });

  it('labels axes, ticks, legend and every data point', () => {
    const all = texts(svg).map((t) => t.text);
    for (const label of ['Bench', 'articles in corpus', 'latency (ms)', 'peak RSS (MB)', 'project', 'plain lunr + lunr.fr', 'mean latency', 'p99 latency']) expect(all).toContain(label);
    for (const label of ['2.0 ms', '4.0 ms', '12 ms', '156 ms', '38 ms', '200 MB', '2100 MB', '1k', '5k', '10k']) expect(all).toContain(label);
    // y ticks: latency up to 156 → 0…200 by 50, memory up to 2100 → 0…2500 by 500.
    for (const tick of ['0', '50', '100', '150', '200', '500', '1000', '2500']) expect(all).toContain(tick);
    expect(all).not.toContain('lunr');
    expect(all.some((t) => t.startsWith('target'))).toBe(false);
  });

  it('keeps value labels at one corpus size from overlapping', () => {
    const values = texts(svg).filter((t) => /^[\d.]+ (ms|MB)$/.test(t.text));
    expect(values).toHaveLength(18);
    // …and stay above the x axis, whose tick labels sit 18 px below it.
    const axis = texts(svg).find((t) => t.text === '1k')!.y - 18;
    for (const v of values) expect(v.y).toBeLessThanOrEqual(axis);
    for (const x of new Set(values.map((t) => t.x))) {
      const ys = values.filter((t) => t.x === x).map((t) => t.y).sort((a, b) => a - b);
      for (let i = 1; i < ys.length; i++) expect(ys[i]! - ys[i - 1]!).toBeGreaterThanOrEqual(12);
    }
  });

  it('stacks equal values at the top of the axis downwards, inside the plot', () => {
    // a falls after 1k, so its labels would sit above its points: above the plot.
    const out = renderChart([p('a', 1000, 100, 100, 100), p('b', 1000, 100, 100, 100), p('a', 5000, 50, 50, 50)]);
    const all = texts(out);
    const top = all.find((t) => t.text === '100')!; // the highest latency tick, level with the points
    const labels = all.filter((t) => t.text === '100 ms').map((t) => t.y).sort((a, b) => a - b);
    expect(labels).toHaveLength(4);
    expect(labels[0]).toBeGreaterThanOrEqual(top.y - 8);
    for (let i = 1; i < labels.length; i++) expect(labels[i]! - labels[i - 1]!).toBeGreaterThanOrEqual(12);
  });

  it('escapes text for XML', () => {
    const out = renderChart([p('<script>&"x"', 1000, 1, 2, 3)], { title: 'a <b> & c', subtitle: "it's <i>" });
    checkXml(out);
    expect(out).not.toContain('<script>');
    expect(out).not.toContain('<b>');
    expect(out).toContain('a &lt;b&gt; &amp; c');
    expect(out).toContain('it&apos;s &lt;i&gt;');
    expect(out).toContain('&lt;script&gt;&amp;&quot;x&quot;');
    expect(texts(out).map((t) => t.text)).toContain('<script>&"x"');
    expect(escapeXml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
  });

  it('renders a single corpus size and a single system', () => {
    const out = renderChart([p('project', 5000, 3, 9, 330)]);
    checkXml(out);
    expect(out).not.toMatch(/NaN|Infinity/);
    const lines = polylines(out);
    expect(lines.size).toBe(3);
    for (const pts of lines.values()) expect(pts).toHaveLength(1);
    expect(texts(out).map((t) => t.text)).toEqual(expect.arrayContaining(['5k', '3.0 ms', '9.0 ms', '330 MB']));
  });

  it('leaves out the point of a system missing a size, and handles more systems', () => {
    const out = renderChart([...POINTS.filter((x) => !(x.system === 'lunr' && x.articles === 5000)), p('other', 5000, 1, 1, 1)]);
    checkXml(out);
    const lines = polylines(out);
    expect(lines.size).toBe(9);
    expect(lines.get('plain lunr + lunr.fr mean')).toHaveLength(2);
    expect(lines.get('project mean')).toHaveLength(3);
    expect(lines.get('other mean')![0]![0]).toBe(lines.get('project mean')![1]![0]);
    // The lunr line joins 1k straight to 10k, at the same x as the project's.
    expect(lines.get('plain lunr + lunr.fr mean')!.map(([x]) => x)).toEqual([lines.get('project mean')![0]![0], lines.get('project mean')![2]![0]]);
  });

  it('draws dashed target lines, and widens the axis to show them', () => {
    const out = renderChart(POINTS, { targets: { latencyMeanMs: 5, latencyP99Ms: 20, peakRssMb: 3000 } });
    checkXml(out);
    const all = texts(out).map((t) => t.text);
    expect(all.filter((t) => t.startsWith('target '))).toEqual(['target mean 5.0 ms', 'target p99 20 ms', 'target 3000 MB']);
    expect(all).toContain('target'); // legend key
    expect(all).toContain('3000');
    expect(out.match(/<line [^>]*stroke-dasharray="2 3"/g)).toHaveLength(4); // three targets and the legend key
    expect(polylines(out).size).toBe(6);
  });
});

describe('niceTicks', () => {
  it('picks round steps from 0', () => {
    expect(niceTicks(156)).toEqual([0, 50, 100, 150, 200]);
    expect(niceTicks(2100)).toEqual([0, 500, 1000, 1500, 2000, 2500]);
    expect(niceTicks(12)).toEqual([0, 5, 10, 15]);
    expect(niceTicks(100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0.3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(0.07)).toEqual([0, 0.02, 0.04, 0.06, 0.08]);
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(Number.NaN)).toEqual([0, 1]);
  });

  it('always covers max with at most 5 steps of 1, 2 or 5 × 10^n', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e9, noNaN: true }), (max) => {
        const ticks = niceTicks(max);
        const step = ticks[1]!;
        const mantissa = +(step / 10 ** Math.floor(Math.log10(step))).toPrecision(6);
        expect([1, 2, 5]).toContain(mantissa);
        expect(ticks[0]).toBe(0);
        expect(ticks.length - 1).toBeLessThanOrEqual(5);
        expect(ticks.at(-1)!).toBeGreaterThanOrEqual(max * (1 - 1e-9));
        expect(ticks.at(-2)!).toBeLessThan(max);
        ticks.forEach((t, i) => expect(t).toBeCloseTo(i * step, 9));
      }),
    );
  });
});

describe('formatArticles', () => {
  it('abbreviates thousands and millions', () => {
    expect([500, 1000, 2500, 10000, 2_000_000].map(formatArticles)).toEqual(['500', '1k', '2.5k', '10k', '2M']);
  });
});
