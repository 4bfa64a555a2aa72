/**
 * The layering of src/, checked by `npm test` (npm run lint:deps). Lower layers never import higher ones:
 *
 *   app, demo, main.ts                         composition root and entry
 *   chat · slack · console · web · platform-api · directline · exports   channels (each its own; see exceptions)
 *   escalations > requests > accounts > credits                  the domain, in this order
 *   jobs                                       job catalog, outbox, queues, workers
 *   infra                                      PostgreSQL (pool, Prisma, transactions), Redis, HTTP errors
 *   shared · locale · config.ts · generated    pure building blocks, the config, the Prisma client
 *
 * Channels do not import each other, except the chat's Direct Line adapter (chat → directline) and the demo
 * page reusing the platform API's query schema (web → platform-api).
 */
const layers = [
  ['base', '^src/(shared|locale|generated)/|^src/config\\.ts$'],
  ['infra', '^src/infra/'],
  ['jobs', '^src/jobs/'],
  ['credits', '^src/credits/'],
  ['accounts', '^src/accounts/'],
  ['requests', '^src/requests/'],
  ['escalations', '^src/escalations/'],
  ['channels', '^src/(chat|slack|console|web|platform-api|directline|exports)/'],
  ['top', '^src/(app|demo)/|^src/main\\.ts$'],
];

const upward = layers.slice(0, -1).map(([name, path], i) => ({
  name: `${name}-imports-up`,
  comment: `${name} must not import a layer above it`,
  severity: 'error',
  from: { path },
  to: {
    path: layers
      .slice(i + 1)
      .map(([, p]) => `(${p})`)
      .join('|'),
  },
}));

const channels = ['chat', 'slack', 'console', 'web', 'platform-api', 'directline', 'exports'];
const allowed = { chat: ['directline'], web: ['platform-api'] };
const sideways = channels.map((c) => ({
  name: `${c}-imports-another-channel`,
  comment: 'a channel talks to the others through the domain and the job catalog, not by importing them',
  severity: 'error',
  from: { path: `^src/${c}/` },
  to: {
    path: `^src/(${channels.filter((o) => o !== c && !(allowed[c] ?? []).includes(o)).join('|')})/`,
  },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'no import circles, type-only imports included',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...upward,
    ...sideways,
    {
      name: 'no-src-to-tests',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
