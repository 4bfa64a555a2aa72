/**
 * Fan-out of new activities to the WebSocket streams of every process. An append is delivered at once to the
 * streams of this process and published on Redis (`${prefix}:dl:${conversationId}`) for the others. Each
 * process holds one subscriber connection and subscribes to a conversation's channel while at least one of
 * its streams watches that conversation (reference-counted). The message carries the activity's JSON when it
 * is small, so readers usually need no query; readers fill any gap from the database (see stream.ts).
 *
 * Wire format of a message (no JSON parsing on the hot path): `${seq}\n${originId}\n${activityJson | ''}`.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from '../infra/redis.ts';
import type { Logger } from '../shared/logger.ts';

/** Activities larger than this travel as a bare sequence number; readers fetch them. */
const INLINE_MAX = 64 * 1024;
const SUBSCRIBE_WAIT_MS = 2_000;

export type ActivityListener = (seq: number, json: string | undefined) => void;

interface Channel {
  listeners: Set<ActivityListener>;
  ready: Promise<void>;
}

export interface Hub {
  readonly originId: string;
  /** Starts watching a conversation; resolves once Redis confirmed the subscription (or after a short wait). */
  watch(conversationId: string, listener: ActivityListener): Promise<() => void>;
  /** Delivers locally and publishes to other processes. Never throws. */
  publish(conversationId: string, seq: number, json: string): void;
  /** Called after the subscriber reconnects: messages may have been lost meanwhile. */
  onResync(cb: () => void): void;
  close(): Promise<void>;
}

/** Resolves when the client is ready, or after `ms` (then the command fails fast and is logged). */
export function whenReady(client: Redis, ms: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref?.();
    client.once('ready', done);
  });
}

export function createHub(opts: { pub: Redis; sub: Redis; prefix: string; logger: Logger }): Hub {
  const { pub, sub, logger } = opts;
  const originId = randomUUID();
  const channelPrefix = `${opts.prefix}:dl:`;
  const channels = new Map<string, Channel>();
  const resyncers: Array<() => void> = [];
  let everReady = false;
  let closed = false;

  const deliver = (conversationId: string, seq: number, json: string | undefined) => {
    const ch = channels.get(conversationId);
    if (!ch) return;
    for (const l of ch.listeners) {
      try {
        l(seq, json);
      } catch (err) {
        logger.error({ err, conversationId }, 'direct line stream listener failed');
      }
    }
  };

  sub.on('message', (channel: string, message: string) => {
    if (!channel.startsWith(channelPrefix)) return;
    const a = message.indexOf('\n');
    const b = a < 0 ? -1 : message.indexOf('\n', a + 1);
    if (b < 0) return;
    if (message.slice(a + 1, b) === originId) return; // delivered locally already
    const seq = Number(message.slice(0, a));
    if (!Number.isSafeInteger(seq) || seq <= 0) return;
    const json = message.length > b + 1 ? message.slice(b + 1) : undefined;
    deliver(channel.slice(channelPrefix.length), seq, json);
  });
  sub.on('ready', () => {
    if (everReady && !closed) {
      logger.info('direct line subscriber reconnected: resynchronising streams');
      for (const cb of resyncers) cb();
    }
    everReady = true;
  });

  return {
    originId,

    async watch(conversationId, listener) {
      let ch = channels.get(conversationId);
      if (!ch) {
        const ready = sub.subscribe(channelPrefix + conversationId).then(
          () => undefined,
          (err: Error) => {
            logger.warn({ err: err.message, conversationId }, 'direct line subscribe failed');
          },
        );
        ch = { listeners: new Set(), ready };
        channels.set(conversationId, ch);
      }
      ch.listeners.add(listener);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        ch.ready,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, SUBSCRIBE_WAIT_MS);
        }),
      ]);
      clearTimeout(timer);
      const entry = ch;
      return () => {
        entry.listeners.delete(listener);
        if (entry.listeners.size === 0 && channels.get(conversationId) === entry) {
          channels.delete(conversationId);
          if (!closed) sub.unsubscribe(channelPrefix + conversationId).catch(() => undefined);
        }
      };
    },

    publish(conversationId, seq, json) {
      deliver(conversationId, seq, json);
      if (closed) return;
      const message = `${seq}\n${originId}\n${json.length <= INLINE_MAX ? json : ''}`;
      const send = () =>
        pub.publish(channelPrefix + conversationId, message).catch((err: Error) => {
          logger.warn({ err: err.message, conversationId, seq }, 'direct line publish failed');
        });
      if (pub.status === 'ready') void send();
      else void whenReady(pub, 1_000).then(send);
    },

    onResync(cb) {
      resyncers.push(cb);
    },

    async close() {
      closed = true;
      channels.clear();
    },
  };
}
