/**
 * The assistant's prompts are plain files in prompts/assistant/ (versioned in git), read once when the product
 * starts: the system prompt (its rules), the policy facts it may state, and the guidance of each topic. The
 * rules and the guidance are what a reply must never repeat (./grounding.ts leakDetector); the policy may be.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Topic } from './route.ts';

export interface AssistantPrompts {
  system: string;
  policy: string;
  topics: Record<Topic, string>;
  /** a short hash of all of them, for the logs */
  version: string;
}

export const DEFAULT_PROMPTS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../prompts/assistant',
);

const TOPICS: Topic[] = ['account', 'usage', 'plans', 'people'];

export function loadAssistantPrompts(dir = DEFAULT_PROMPTS_DIR): AssistantPrompts {
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8').trim();
  const system = read('system.md');
  const policy = read('policy.md');
  const topics = Object.fromEntries(TOPICS.map((t) => [t, read(`topics/${t}.md`)])) as Record<Topic, string>;
  const version = createHash('sha256')
    .update([system, policy, ...TOPICS.map((t) => topics[t])].join('\n'))
    .digest('hex')
    .slice(0, 12);
  return { system, policy, topics, version };
}
