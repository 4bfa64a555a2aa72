/**
 * A bar chart as a self-contained SVG image (no script, no external font or stylesheet, nothing fetched), for
 * the chat to send as an image attachment: Web Chat shows it inline, offline too. 2:1, so it fits Web Chat's
 * image box (bubble width × 240 px at most) without cropping. Pure.
 */

export interface Bar {
  /** short axis label ("3", "Oct") */
  label: string;
  value: number;
}

export interface ChartSpec {
  title: string;
  bars: readonly Bar[];
  /** formats a value for the axis and the peak label (the customer's locale) */
  format: (v: number) => string;
  /** highlight the largest bar */
  highlightMax?: boolean;
}

const W = 600;
const H = 300;
/** Chat bubbles show the image at about half its size: the text is drawn large. */
const PAD = { top: 56, right: 20, bottom: 44, left: 84 };
const FONT = `-apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', 'Liberation Sans', sans-serif`;

const xml = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** A "nice" step for about `ticks` gridlines up to `max` (1, 2, 2.5 or 5 × a power of ten). */
export function niceStep(max: number, ticks = 4): number {
  if (max <= 0) return 1;
  const raw = max / ticks;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  return Math.max(1, step);
}

export function barChartSvg(spec: ChartSpec): string {
  const bars = spec.bars;
  const max = Math.max(0, ...bars.map((b) => b.value));
  const step = niceStep(max, 3);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = bars.length > 0 ? plotW / bars.length : plotW;
  const barW = Math.max(1, Math.min(48, slot * 0.7));
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img">`,
    `<title>${xml(spec.title)}</title>`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${PAD.left}" y="36" font-family="${xml(FONT)}" font-size="26" font-weight="600" fill="#101828">${xml(spec.title)}</text>`,
  );
  for (let v = 0; v <= top; v += step) {
    const yy = y(v).toFixed(1);
    parts.push(
      `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${yy}" y2="${yy}" stroke="#e4e7ec" stroke-width="1"/>`,
      `<text x="${PAD.left - 8}" y="${yy}" dy="7" text-anchor="end" font-family="${xml(FONT)}" font-size="20" fill="#5d6679">${xml(spec.format(v))}</text>`,
    );
  }
  // At most about 7 axis labels: every k-th bar, always the first and the last.
  const every = Math.max(1, Math.ceil(bars.length / 7));
  const peak = spec.highlightMax ? bars.findIndex((b) => b.value === max && max > 0) : -1;
  bars.forEach((b, i) => {
    const cx = PAD.left + slot * i + slot / 2;
    const h = (b.value / top) * plotH;
    const fill = i === peak ? '#1c2d74' : '#2f54eb';
    parts.push(
      `<rect x="${(cx - barW / 2).toFixed(1)}" y="${(PAD.top + plotH - h).toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" rx="2" fill="${fill}"><title>${xml(`${b.label}: ${spec.format(b.value)}`)}</title></rect>`,
    );
    if (i % every === 0 || (i === bars.length - 1 && i % every >= every / 2)) {
      parts.push(
        `<text x="${cx.toFixed(1)}" y="${H - PAD.bottom + 28}" text-anchor="middle" font-family="${xml(FONT)}" font-size="20" fill="#5d6679">${xml(b.label)}</text>`,
      );
    }
  });
  if (peak >= 0) {
    const cx = PAD.left + slot * peak + slot / 2;
    parts.push(
      `<text x="${cx.toFixed(1)}" y="${(y(max) - 8).toFixed(1)}" text-anchor="middle" font-family="${xml(FONT)}" font-size="20" font-weight="600" fill="#1c2d74">${xml(spec.format(max))}</text>`,
    );
  }
  parts.push(
    `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${PAD.top + plotH}" y2="${PAD.top + plotH}" stroke="#98a2b3" stroke-width="1"/>`,
    '</svg>',
  );
  return parts.join('');
}
