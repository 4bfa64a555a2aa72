/**
 * Generated hostile input for the property-based tests: strings PostgreSQL refuses, huge strings, RTL and
 * zero-width characters, Markdown and HTML, malformed headers, cookies and percent-encoding, deep nesting and
 * numbers outside every range. FC_NUM_RUNS sets how many runs each property makes (default: a few dozen, so
 * `npm test` stays fast; e.g. FC_NUM_RUNS=2000 for a long run).
 */
import fc from 'fast-check';
import { isStorable, storableText } from '../../src/shared/text.ts';

export const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? '') || 30;
/** The vitest timeout of a property test: grows with FC_NUM_RUNS (a property makes up to 3 × NUM_RUNS runs). */
export const PROPERTY_TIMEOUT_MS = Math.max(30_000, NUM_RUNS * 600);
/** The seed of a run, printed by fast-check on failure; FC_SEED replays one. */
export const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
export const fcOptions = (runs = NUM_RUNS): fc.Parameters<unknown> => ({
  numRuns: runs,
  ...(SEED !== undefined ? { seed: SEED } : {}),
  // An integration property runs real requests: keep shrinking bounded so a failure reports in seconds.
  endOnFailure: false,
  interruptAfterTimeLimit: Math.max(60_000, runs * 2_000),
  markInterruptAsFailure: true,
});

/** Characters that break storage, rendering or parsing when someone forgets about them. */
const nasty = [
  '\u0000',
  '\ud800',
  '\udfff',
  '\ud83d', // the first half of an emoji, alone
  '\u202e', // right-to-left override
  '\u2066',
  '\u200b', // zero-width space
  '\u200d',
  '\ufeff',
  '\u2028',
  '\r\n',
  '\n',
  '\t',
  '\\',
  '"',
  "'",
  '`',
  '%',
  '%00',
  '%ZZ',
  '%E0%A4%A',
  '../',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '![t](https://tracker.example/p.png)',
  '[click](https://evil.example)',
  'https://evil.example/x',
  'www.evil.example',
  'x@evil.example',
  'mailto:x@evil.example',
  '//evil.example',
  'ftp://evil.example',
  'javascript:alert(1)',
  'evil.example',
  '1. ',
  '2) ',
  '- ',
  '+ ',
  '> ',
  '---',
  '```',
  '~~s~~',
  '|a|b|',
  '&amp;',
  '&#60;script&#62;',
  '<https://evil.example>',
  '{aria-label="x"}',
  '**bold**',
  '_i_',
  '# H',
  '\n[ref]: https://evil.example',
  '{{x}}',
  '$' + '{x}',
  '😀',
  'مرحبا',
  'שלום',
  'Ω≈ç√',
  '\u0301',
];

/** A string made of nasty pieces and ordinary text. */
export const hostileString = (maxPieces = 12): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(fc.constantFrom(...nasty), fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 6 })),
      {
        minLength: 1,
        maxLength: maxPieces,
      },
    )
    .map((parts) => parts.join(''));

/** A string PostgreSQL cannot store: it holds a NUL or an unpaired surrogate somewhere. */
export const unstorableString: fc.Arbitrary<string> = fc
  .tuple(
    fc.string({ maxLength: 10 }),
    fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff', '\ud83d'),
    fc.string({ maxLength: 10 }),
  )
  .map(([a, bad, b]) => `${a}${bad}${b}`)
  // `a` ending in a high surrogate next to a low one would pair up into a valid character
  .filter((s) => !isStorable(s));

/** Anything a JSON field could hold, from ordinary to hostile. */
export const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  hostileString(),
  unstorableString,
  fc.constantFrom('', ' ', 'x'.repeat(300), 'x'.repeat(70_000)),
  fc.constantFrom(0, -1, 1.5, 2 ** 31, 2 ** 53, -(2 ** 63), 1e308, Number.MAX_SAFE_INTEGER + 2),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);

/** Numbers around every boundary the storage has (int4, int8, safe integers) and outside them. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    0,
    -1,
    1,
    0.5,
    -0.0,
    2 ** 31 - 1,
    2 ** 31,
    2 ** 32,
    2 ** 53 - 1,
    2 ** 53,
    2 ** 63,
    1e21,
    1e308,
    -1e308,
    100_000_000,
    100_000_001,
  ),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** JSON nested `depth` levels deep, as text (so the client never stringifies it). */
export const nestedJson = (depth: number, kind: 'array' | 'object' = 'array'): string =>
  kind === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** A value nested deeply enough to break a recursive walk, or just deep. */
export const deepValue: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 20, max: 60_000 }), fc.constantFrom<'array' | 'object'>('array', 'object'))
  .map(([d, k]) => nestedJson(d, k));

/** A JSON value of hostile scalars, a few levels deep. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileScalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), unstorableString, hostileString(3)), tie('value'), {
      maxKeys: 4,
    }),
  ),
})).value;

/** A path segment with malformed percent-encoding or characters that decode to something hostile. */
export const hostilePathSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '%',
    '%Z',
    '%ZZ',
    '%E0%A4%A',
    '%C0%AF',
    '%00',
    '%ED%A0%80',
    '%2e%2e',
    '..',
    '%2F',
    'a%',
    '%%',
    '%u0000',
  ),
  hostileString(4).map((s) => encodeURIComponent(s.replace(/[\p{Cs}]/gu, 'x'))),
  fc.string({ maxLength: 10 }).map((s) => `${encodeURIComponent(s.replace(/[\p{Cs}]/gu, 'x'))}%`),
);

/** A header value Node's client will send (visible ASCII and spaces, no CR/LF), hostile in meaning. */
export const hostileHeaderValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    'gzip',
    'br',
    'deflate',
    'identity',
    'x-unknown',
    'gzip, gzip',
    'application/json; charset=utf-7',
    'application/json; charset=koi8-r',
    'text/plain',
    'multipart/form-data; boundary=',
    'Bearer',
    'Bearer ',
    'Bearer x.y.z',
    'Basic Zm9vOmJhcg==',
    'a=%ZZ',
    'a=%00',
    '=',
    ';;;',
    `x=${'a'.repeat(4_000)}`,
  ),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 }),
);

/** A Cookie header: well-formed pairs mixed with malformed percent-encoding, NULs and junk. */
export const hostileCookie: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.constantFrom('cb_console', 'cb_login_csrf', 'x', '', ' '),
      fc.oneof(
        fc.constantFrom('%', '%ZZ', '%E0%A4%A', '%00', '%ED%A0%80', 'a'.repeat(200), '"q"', ''),
        fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 30 }),
      ),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v.replaceAll(';', '')}`).join('; '));

/** A value to put where a valid one was: mostly what storage refuses or what breaks ranges and types. */
export const hostileReplacement: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: unstorableString },
  { weight: 2, arbitrary: hostileString() },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: hostileScalar },
  { weight: 1, arbitrary: hostileJson },
  { weight: 1, arbitrary: fc.constantFrom<unknown>([], {}, null, true, '', 'x'.repeat(100_000)) },
);

/** Every path to a value inside a JSON value, leaves first (strings and numbers are what validation is about). */
export function pathsOf(v: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const leaves: Array<Array<string | number>> = [];
  const inner: Array<Array<string | number>> = [prefix];
  const walk = (x: unknown, p: Array<string | number>) => {
    if (Array.isArray(x) || (x && typeof x === 'object')) {
      if (p.length) inner.push(p);
      for (const [k, y] of Array.isArray(x) ? x.entries() : Object.entries(x as object)) walk(y, [...p, k]);
    } else leaves.push(p);
  };
  walk(v, prefix);
  return [...leaves, ...leaves, ...leaves, ...inner]; // leaves three times as likely
}

export function replaceAt(v: unknown, path: Array<string | number>, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(v) ? [...v] : { ...(v as Record<string, unknown>) }) as Record<string | number, unknown>;
  copy[head!] = replaceAt((v as Record<string | number, unknown>)?.[head!], rest, value);
  return copy;
}

/**
 * A request body: a valid one with one to three values replaced by hostile ones (also where an object or the
 * whole body was), or raw text that is not JSON or is nested tens of thousands of levels deep.
 */
export const mutatedBody = (valid: unknown): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 8,
      // One edit mostly: a single bad value must be found on its own, not hidden behind another one.
      arbitrary: fc
        .oneof(
          { weight: 3, arbitrary: fc.tuple(fc.nat(), hostileReplacement).map((e) => [e]) },
          { weight: 1, arbitrary: fc.array(fc.tuple(fc.nat(), hostileReplacement), { minLength: 2, maxLength: 3 }) },
        )
        .map((edits) => {
          const paths = pathsOf(valid);
          let body = valid;
          for (const [n, value] of edits) body = replaceAt(body, paths[n % paths.length]!, value);
          return JSON.stringify(body) ?? 'null';
        }),
    },
    { weight: 1, arbitrary: deepValue },
    { weight: 1, arbitrary: hostileString(6) },
  );

/**
 * Path segments: a route's template (`:id` segments filled from `ids`) with one or two segments made hostile,
 * or, less often, any segments at all.
 */
export const hostilePath = (templates: string[][], ids: string[]): fc.Arbitrary<string[]> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...templates),
          fc.constantFrom(...ids),
          fc.array(fc.tuple(fc.nat(), hostilePathSegment), { minLength: 1, maxLength: 2 }),
        )
        .map(([template, id, edits]) => {
          const segments = template.map((x) => (x === ':id' ? id : x));
          for (const [n, bad] of edits) segments[n % segments.length] = bad;
          return segments;
        }),
    },
    {
      weight: 1,
      arbitrary: fc.array(fc.oneof(hostilePathSegment, fc.constantFrom(...templates.flat(), ...ids)), {
        minLength: 1,
        maxLength: 5,
      }),
    },
  );

/** Paths to the string values of a JSON value (the fields a storable-text check is about). */
export function stringPathsOf(v: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof v === 'string') return [prefix];
  if (Array.isArray(v) || (v && typeof v === 'object')) {
    return (Array.isArray(v) ? [...v.entries()] : Object.entries(v as object)).flatMap(([k, x]) =>
      stringPathsOf(x, [...prefix, k]),
    );
  }
  return [];
}

/** Hostile, but storable: what gets past the edges' storage checks and reaches the code behind them. */
export const storableHostile: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString().map(storableText) },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, true, [], {}, '', ' ', 'x'.repeat(5_000)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);
