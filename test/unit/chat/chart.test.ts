/** The server-rendered SVG bar chart (src/chat/chart.ts). */
import { describe, expect, it } from 'vitest';
import { barChartSvg, niceStep } from '../../../src/chat/chart.ts';

describe('barChartSvg', () => {
  const svg = barChartSvg({
    title: 'Credits per day <b>&</b>',
    bars: Array.from({ length: 30 }, (_, i) => ({ label: String(i + 1), value: i === 9 ? 1_020 : 100 + i })),
    format: (v) => v.toLocaleString('en-GB'),
    highlightMax: true,
  });

  it('is a self-contained 2:1 SVG with one bar per point and nothing to fetch or run', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="600" height="300"')).toBe(true);
    expect(svg.match(/<rect x=/g)).toHaveLength(30);
    expect(svg).not.toMatch(/<script|href=|url\(|@import/i);
    expect(svg).toContain('1,020'); // the peak is labelled
  });

  it('escapes text', () => {
    expect(svg).toContain('Credits per day &lt;b&gt;&amp;&lt;/b&gt;');
    expect(svg).not.toContain('<b>');
  });

  it('labels at most about a dozen bars on the axis', () => {
    expect((svg.match(/text-anchor="middle" font-family/g) ?? []).length).toBeLessThanOrEqual(8);
  });

  it('picks round gridline steps', () => {
    expect(niceStep(1_020)).toBe(500);
    expect(niceStep(1_020, 3)).toBe(500);
    expect(niceStep(90)).toBe(25);
    expect(niceStep(0)).toBe(1);
  });
});
