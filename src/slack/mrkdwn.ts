/** Text from other parties (account names, plan names) where it enters Slack's mrkdwn. */

/**
 * Escapes what Slack reads as markup: `&`, `<` and `>` (links, mentions such as <!channel>), and the formatting
 * characters (`*`, `_`, `~`, `` ` ``), which get a zero-width space before them so they stay plain text.
 */
export function escapeMrkdwn(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replace(/[*_~`]/g, (c) => `\u200b${c}`);
}

/** Text that goes inside a code span (`…`): only the characters Slack reads as markup there, and backticks. */
export function escapeMrkdwnCode(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('`', "'");
}
