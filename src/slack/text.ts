/** Text between Slack and the rest of the product: what others wrote, made safe for mrkdwn, and back. */

/** Escapes the three characters Slack's mrkdwn treats as control characters, so names and messages stay text. */
export const slackEscape = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/**
 * A Slack message's text as plain text for the customer: links `<url|label>` become "label (url)", mentions
 * and channels their names when Slack sent them (`<@U1|ana>`) or a plain "@someone", entities decoded.
 */
export function slackToPlain(text: string): string {
  return text
    .replace(/<([^<>|]+)\|([^<>]+)>/g, (_all, target: string, label: string) =>
      target.startsWith('@') || target.startsWith('#') || target.startsWith('!')
        ? `${target[0] === '#' ? '#' : '@'}${label}`
        : `${label} (${target})`,
    )
    .replace(/<([^<>]+)>/g, (_all, target: string) =>
      target.startsWith('@') ? '@someone' : target.startsWith('#') ? '#channel' : target.startsWith('!') ? '' : target,
    )
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}
