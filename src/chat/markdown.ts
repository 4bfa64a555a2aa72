/**
 * Text from other parties (names from the platform, a manager's reply from Slack) goes into the customer's chat,
 * which renders Markdown: escaped here so it can never become a link, an image or formatting.
 */
const SPECIAL = /[\\`*_{}[\]()#+\-.!|<>~&"]/g;

/** Escapes Markdown (and HTML) so `text` renders as itself. Line breaks are kept. */
export function md(text: string): string {
  return text.replace(SPECIAL, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === '"' ? '&quot;' : `\\${c}`,
  );
}
