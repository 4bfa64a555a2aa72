/** Server-rendered HTML for the console: escaped by construction. */
export function esc(v: unknown): string {
  return String(v ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

export function page(title: string, body: string, opts: { operator?: string; csrf?: string } = {}): string {
  const nav = opts.operator
    ? `<nav><a href="/console">Queue</a><a href="/console/jobs">Failed jobs</a><a href="/console/queues/">Queue board</a>
       <form method="post" action="/console/logout"><input type="hidden" name="csrf" value="${esc(opts.csrf)}">
       <span>${esc(opts.operator)}</span><button class="link">Log out</button></form></nav>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} · Support console</title><link rel="icon" href="data:,">
<style>
:root{--accent:#2f4fd8;--bg:#f5f6f8;--line:#e3e6eb;--text:#1d2330;--muted:#667085;--bad:#b42318;--ok:#067647}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:var(--bg);color:var(--text)}
header{background:#fff;border-bottom:1px solid var(--line);padding:12px 24px;display:flex;align-items:center;justify-content:space-between}
header h1{font-size:16px;margin:0}nav{display:flex;gap:16px;align-items:center}nav a{color:var(--accent);text-decoration:none}
nav form{display:flex;gap:8px;align-items:center;margin:0}main{max-width:1180px;margin:24px auto;padding:0 24px}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:16px 20px;margin-bottom:16px}
table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.03em}
button{font:inherit;border-radius:6px;border:1px solid var(--line);background:#fff;padding:6px 12px;cursor:pointer}
button.primary{background:var(--accent);border-color:var(--accent);color:#fff}button.danger{color:var(--bad);border-color:#f4c7c3}
button.link{border:0;background:none;color:var(--accent);padding:0}input,textarea{font:inherit;padding:6px 8px;border:1px solid var(--line);border-radius:6px}
.overdue{color:var(--bad);font-weight:600}.muted{color:var(--muted)}.flash{background:#eef2ff;border:1px solid #c7d2fe;padding:8px 12px;border-radius:8px;margin-bottom:16px}
.error{background:#fef3f2;border-color:#fecdca}.actions{display:flex;gap:8px;flex-wrap:wrap;align-items:flex-start}.actions form{display:flex;gap:6px;margin:0}
.msg{border-left:3px solid var(--line);padding:6px 10px;margin:8px 0;background:#fafbfc;border-radius:4px}.msg .meta{font-size:12px;color:var(--muted)}
.msg.customer{border-color:#2f4fd8}.msg.agent{border-color:#067647}.msg.note{border-color:#b54708;background:#fffaeb}.msg.bot{border-color:#98a2b3}.msg.system{border:0;background:none;padding:2px 0}
.reply textarea{width:100%}.inline{display:flex;gap:6px;align-items:center;margin:6px 0}
.login{max-width:360px;margin:10vh auto}.login label{display:block;margin:12px 0 4px}.login input{width:100%}
.filters{display:flex;gap:10px;flex-wrap:wrap;align-items:flex-end;margin:0}.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted);gap:2px}
select{font:inherit;padding:5px 6px;border:1px solid var(--line);border-radius:6px;background:#fff}
.badge{display:inline-block;font-size:11px;font-weight:600;padding:1px 7px;border-radius:10px;background:#eef2ff;color:#3538cd;text-transform:uppercase;letter-spacing:.03em}
.badge.escalation{background:#fef0c7;color:#93370d}.badge.done{background:#f2f4f7;color:#475467}
.row-forms{display:flex;flex-direction:column;gap:6px}.row-forms form{display:flex;gap:6px;margin:0;flex-wrap:wrap}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:10px}.figures div{background:#fafbfc;border:1px solid var(--line);border-radius:8px;padding:8px 10px}
.figures strong{display:block;font-size:18px}.trail{list-style:none;padding:0;margin:0}.trail li{border-left:3px solid var(--line);padding:6px 10px;margin:6px 0;background:#fafbfc;border-radius:4px}
.trail li .meta{font-size:12px;color:var(--muted)}.trail li.missing{border-color:var(--bad);background:#fef3f2}
code{font-size:12px;background:#f2f4f7;padding:1px 4px;border-radius:4px;word-break:break-all}
</style></head><body><header><h1>Support console</h1>${nav}</header><main>${body}</main></body></html>`;
}
