import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type OpenAIStandin, startOpenAIStandin } from '../../standins/openai.ts';

let ai: OpenAIStandin;
let client: OpenAI;

beforeAll(async () => {
  ai = await startOpenAIStandin(undefined, { apiKey: 'sk-test' });
  client = new OpenAI({ apiKey: 'sk-test', baseURL: ai.baseURL, maxRetries: 2 });
});
afterEach(() => {
  ai.reset();
  ai.setHandler(undefined);
  ai.setReply('Hello from the OpenAI stand-in.');
});
afterAll(() => ai.close());

describe('OpenAI stand-in with the real openai client', () => {
  it('answers a non-streaming chat completion and records the request', async () => {
    ai.setReply('You have 120 credits left.');
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You are a support bot.' },
        { role: 'user', content: 'How many credits do I have?' },
      ],
      temperature: 0,
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('gpt-4o-mini');
    expect(completion.choices[0]!.message).toMatchObject({ role: 'assistant', content: 'You have 120 credits left.' });
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.usage!.total_tokens).toBe(completion.usage!.prompt_tokens + completion.usage!.completion_tokens);

    expect(ai.completions()).toHaveLength(1);
    expect(ai.completions()[0]).toMatchObject({ model: 'gpt-4o-mini', temperature: 0 });
    expect(ai.requests[0]!.headers.authorization).toBe('Bearer sk-test');
  });

  it('streams SSE chunks that the client reassembles', async () => {
    ai.setReply({ content: 'Your plan renews on the 1st.', chunks: ['Your plan ', 'renews ', 'on the 1st.'] });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'When does my plan renew?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const deltas: string[] = [];
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices[0];
      if (choice?.delta.content) deltas.push(choice.delta.content);
      if (choice?.finish_reason) finish = choice.finish_reason;
    }
    expect(deltas).toEqual(['Your plan ', 'renews ', 'on the 1st.']);
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBeGreaterThan(0);

    // The helper stream API accumulates tool calls across chunks.
    ai.setReply({ toolCalls: [{ id: 'call_1', name: 'get_balance', arguments: { accountId: 'acc-1' } }] });
    const runner = client.chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'balance?' }],
      tools: [{ type: 'function', function: { name: 'get_balance', parameters: { type: 'object' } } }],
    });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
    expect(final.choices[0]!.message.tool_calls?.[0]).toMatchObject({
      id: 'call_1',
      type: 'function',
      function: { name: 'get_balance', arguments: '{"accountId":"acc-1"}' },
    });
  });

  it('lets a handler answer from the request', async () => {
    ai.setHandler((req, ctx) => {
      const last = req.messages.at(-1);
      return `#${ctx.index} echo: ${typeof last?.content === 'string' ? last.content : ''}`;
    });
    const res = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'ping' }],
    });
    expect(res.choices[0]!.message.content).toBe('#0 echo: ping');
  });

  it('lists models', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(['gpt-4o-mini', 'gpt-4o']);
    await expect(client.models.retrieve('gpt-4o')).resolves.toMatchObject({ id: 'gpt-4o', object: 'model' });
  });

  it('injects 429 with retry-after and 500; the client retries', async () => {
    ai.failNext([
      { status: 429, retryAfter: 0 },
      { status: 500, retryAfterMs: 0 },
    ]);
    const res = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(res.choices[0]!.message.content).toBe('Hello from the OpenAI stand-in.');
    const statuses = ai.requests.map((r) => r.status);
    expect(statuses).toEqual([429, 500, 200]);
    expect(ai.requests.map((r) => r.headers['x-stainless-retry-count'])).toEqual(['0', '1', '2']);
    expect(ai.completions()).toHaveLength(1);
  });

  it('surfaces errors once retries run out, with OpenAI error bodies', async () => {
    ai.failNext([
      { status: 429, retryAfterMs: 0 },
      { status: 429, retryAfterMs: 0 },
      { status: 429, retryAfterMs: 0 },
    ]);
    const err = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('rate_limit_exceeded');
    expect(ai.requests).toHaveLength(3);

    const wrongKey = new OpenAI({ apiKey: 'sk-wrong', baseURL: ai.baseURL, maxRetries: 0 });
    await expect(wrongKey.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);

    await expect(
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: [] }, { maxRetries: 0 }),
    ).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('can drop a stream mid-way and disconnect', async () => {
    ai.setReply({ content: 'one two three four', dropAfterChunks: 2 });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    const got: string[] = [];
    const consume = async () => {
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) got.push(chunk.choices[0].delta.content);
      }
    };
    await expect(consume()).rejects.toThrow();
    expect(got).toEqual(['one ', 'two ']);

    ai.failNext([{ disconnect: true }]);
    await expect(
      client.chat.completions.create(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] },
        { maxRetries: 0 },
      ),
    ).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it('waitFor resolves once enough completion requests arrived', async () => {
    setTimeout(() => {
      void client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'later' }] });
    }, 20);
    const reqs = await ai.waitFor(1, 1000);
    expect(reqs[0]!.body).toMatchObject({ messages: [{ role: 'user', content: 'later' }] });
    await expect(ai.waitFor(5, 30)).rejects.toThrow(/5 chat completion/);
  });
});
