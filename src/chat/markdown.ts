/**
 * The one way the chat assembles its Markdown: a reply is a sequence of blocks (paragraphs and lists), and
 * blocks are always separated by a blank line, so a sentence after a list is its own paragraph and never
 * renders inside the last item (CommonMark's "lazy continuation"). Pure.
 *
 *   md('You used **2,269 credits** this period:', ['Enrichment: 1,200', 'Workflows: 1,069'], 'Next top-up: …')
 *
 * A string is a paragraph, an array of strings a bullet list; null, undefined and false are skipped, so optional
 * blocks read naturally (`cond && 'text'`). Names that come from the platform (users, identities, campaigns,
 * plans) are another party's text: insert them with `escapeMd` (or `name`) so they cannot add formatting.
 */
import { escapeMarkdown } from '../shared/text.ts';

export type Block = string | readonly string[] | null | undefined | false;

/**
 * Escapes another party's text (a name) for Markdown: the product's one escaper (src/shared/text.ts), which also
 * keeps it from becoming a link, strips control and bidi characters and turns line breaks into spaces.
 */
export const escapeMd = (text: string | null | undefined): string => escapeMarkdown(text);

/** A marker that would open a block when the text starts a line: "- x", "+ x", "# x", "> x", "1. x", "2) x". */
function guardLineStart(line: string): string {
  return line.replace(/^(\s*)([-+*>]|#{1,6})(?=\s|$)/, '$1\\$2').replace(/^(\s*\d+)([.)])(?=\s|$)/, '$1\\$2');
}

/** A name in bold, escaped. */
export const bold = (text: string) => `**${escapeMd(text)}**`;

/** Collapses a paragraph to one line and keeps it from being read as a list item or a heading. */
function paragraph(text: string): string {
  return guardLineStart(text.replace(/\s*\n\s*/g, ' ').trim());
}

function list(items: readonly string[]): string {
  return items.map((i) => `- ${i.replace(/\s*\n\s*/g, ' ').trim()}`).join('\n');
}

/** Paragraphs and lists, separated by blank lines. */
export function md(...blocks: Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (b === null || b === undefined || b === false) continue;
    if (typeof b === 'string') {
      const p = paragraph(b);
      if (p) out.push(p);
    } else if (b.length > 0) {
      out.push(list(b));
    }
  }
  return out.join('\n\n');
}

/** Joins already assembled Markdown documents (e.g. the answers to two asks) with a blank line. */
export const joinMd = (...docs: Array<string | null | undefined | false>): string =>
  docs.filter((d): d is string => typeof d === 'string' && d.trim().length > 0).join('\n\n');
