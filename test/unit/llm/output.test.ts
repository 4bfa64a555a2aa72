/** The model's text reaches Web Chat escaped: no link, image or HTML it could inject; lists and bold survive. */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { modelReplyMarkdown } from '../../../src/chat/llm/output.ts';

// Web Chat's renderer with its options (test/unit/shared/text.test.ts does the same for names).
const MarkdownIt = createRequire(import.meta.url)('markdown-it') as new (
  o: Record<string, boolean>,
) => { render(s: string): string };
const render = (s: string) =>
  new MarkdownIt({ breaks: false, html: true, linkify: true, typographer: true, xhtmlOut: true }).render(s);

describe('modelReplyMarkdown', () => {
  it('renders no link, image or HTML, whatever the model wrote', () => {
    const attacks = [
      '[Confirm your purchase](https://evil.example/pay)',
      '![logo](https://evil.example/pixel.png)',
      'Visit https://evil.example or www.evil.example or mail me at x@evil.example',
      '<a href="https://evil.example">click</a><img src=x onerror=alert(1)>',
      '<https://evil.example>',
      '[ref]: https://evil.example\n[click][ref]',
      '**[bold link](https://evil.example)**',
    ];
    for (const a of attacks) {
      const html = render(modelReplyMarkdown(a));
      expect(html, a).not.toMatch(/<a[\s>]|<img[\s>]|<script/);
    }
  });

  it('keeps bold and lists, and drops headings and code fences to text', () => {
    const md = modelReplyMarkdown('# Summary\nYou have **14,931 credits**.\n- Plan: 10,000\n- Accumulated: 4,931');
    expect(render(md)).toContain('<strong>14,931 credits</strong>');
    expect(render(md)).toContain('<li>Plan: 10,000</li>');
    expect(render(md)).not.toContain('<h1>');
  });
});
