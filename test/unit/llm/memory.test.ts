/** Conversation memory: recent turns verbatim, older ones summarised by topic, within a token budget. */
import { describe, expect, it } from 'vitest';
import { type ChatMemory, memoryPrompt, RECENT_TURNS, remember } from '../../../src/chat/llm/memory.ts';

describe('memory', () => {
  it('keeps the last turns and summarises the older ones deterministically', () => {
    let mem: ChatMemory | null = null;
    const intents = ['balance', 'usage_by_type', 'usage_by_type', 'frame:compare', 'renewal_date', 'llm:answer'];
    intents.forEach((intent, i) => {
      mem = remember(mem, { user: `question ${i}`, bot: `**answer** ${i}\\.`, intent });
    });
    expect(mem!.recent).toHaveLength(RECENT_TURNS);
    expect(mem!.recent[0]).toEqual({ u: 'question 2', b: 'answer 2.', t: 'usage by type' });
    expect(mem!.earlier).toEqual(['balance', 'usage by type']);
    const p = memoryPrompt(mem, 1_000);
    expect(p.summary).toBe('Earlier in this chat the customer asked about: balance; usage by type.');
    expect(p.messages.map((m) => m.content)).toEqual([
      'question 2',
      'answer 2.',
      'question 3',
      'answer 3.',
      'question 4',
      'answer 4.',
      'question 5',
      'answer 5.',
    ]);
  });

  it('fits the budget: the newest turns first, the rest summarised', () => {
    let mem: ChatMemory | null = null;
    for (let i = 0; i < 4; i++)
      mem = remember(mem, { user: 'x'.repeat(200), bot: 'y'.repeat(200), intent: `topic_${i}` });
    const p = memoryPrompt(mem, 150);
    expect(p.messages).toHaveLength(2);
    expect(p.summary).toContain('topic 0; topic 1; topic 2');
    expect(p.tokens).toBeLessThanOrEqual(150);
    expect(memoryPrompt(mem, 0)).toEqual({ summary: null, messages: [], tokens: 0 });
  });
});
