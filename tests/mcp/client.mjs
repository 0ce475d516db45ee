// client.mjs — cairn serve driven by the official MCP TypeScript SDK client.
//
// usage: node client.mjs CAIRN INDEX_DIR CODE_ROOT TIL_ROOT
//   CODE_ROOT holds copies of stdlib packages (json/, http/, bulk/...), an
//   "escape.txt" symlink to /etc/passwd, an "outside" symlink to /etc, and a
//   git-ignored "secret.txt"; TIL_ROOT is the TIL archive.  Both are indexed
//   in INDEX_DIR.
// Prints "ok   WHAT" / "FAIL WHAT" lines (indented details below failures)
// for tests/e2e/test_mcp.sh to count, and exits non-zero on any failure.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  LoggingMessageNotificationSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import Ajv2020 from 'ajv/dist/2020.js';
import fs from 'node:fs';
import path from 'node:path';

const [CAIRN, INDEX, CODE, TIL] = process.argv.slice(2);
let failures = 0;

function check(what, cond, detail) {
  if (cond) {
    console.log(`ok   ${what}`);
  } else {
    failures++;
    console.log(`FAIL ${what}`);
    if (detail !== undefined) {
      const text = typeof detail === 'string' ? detail : JSON.stringify(detail);
      for (const line of text.slice(0, 1500).split('\n')) console.log(`    | ${line}`);
    }
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });

function connect(extraEnv = {}) {
  const transport = new StdioClientTransport({
    command: CAIRN,
    args: ['serve', '--index', INDEX],
    env: { ...process.env, CAIRN_MCP_PAGE_SIZE: '3', ...extraEnv },
    stderr: 'inherit',
  });
  const client = new Client({ name: 'cairn-sdk-test', version: '1.0.0' });
  return { client, transport };
}

// The file's lines start..end (1-based, inclusive) with their line endings.
function fileLines(file, start, end) {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.match(/[^\r\n]*(\r\n|\r|\n)|[^\r\n]+$/g) || [];
  return lines.slice(start - 1, end).join('');
}

async function errorCode(promise) {
  try {
    await promise;
    return 'no error';
  } catch (e) {
    return e instanceof McpError ? e.code : `${e}`;
  }
}

const textOf = (r) => (r.content || []).map((c) => c.text || '').join('\n');

async function main() {
  const { client, transport } = connect();
  const clientErrors = [];
  client.onerror = (e) => clientErrors.push(String(e));
  const logs = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => logs.push(n.params));
  await client.connect(transport);

  // ---- initialize ----
  const info = client.getServerVersion();
  check('serverInfo names cairn', info && info.name === 'cairn' && info.version, info);
  const caps = client.getServerCapabilities();
  check('capabilities: tools, resources, logging',
    caps.tools && caps.tools.listChanged === false && caps.resources && caps.logging, caps);
  const instr = client.getInstructions() || '';
  check('instructions tell when to use search and read',
    /search/.test(instr) && /read/.test(instr) && instr.includes(CODE), instr);

  // ---- tools/list across pages ----
  const tools = [];
  let cursor;
  let pages = 0;
  do {
    const page = await client.listTools(cursor ? { cursor } : {});
    tools.push(...page.tools);
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 50);
  const names = tools.map((t) => t.name);
  check('tools/list comes in several pages of at most 3', pages >= 2 &&
    tools.length <= pages * 3, { pages, names });
  check('no tool is listed twice', new Set(names).size === names.length, names);
  for (const n of ['search', 'read', 'index_status', 'reindex'])
    check(`tools/list has ${n}`, names.includes(n), names);
  const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
  const validators = {};
  for (const t of tools) {
    const a = t.annotations || {};
    check(`${t.name}: title, description, schemas, annotations`,
      t.title && t.description && t.description.length > 80 &&
      t.inputSchema && t.inputSchema.type === 'object' &&
      t.outputSchema && t.outputSchema.type === 'object' &&
      typeof a.readOnlyHint === 'boolean' && typeof a.destructiveHint === 'boolean' &&
      typeof a.idempotentHint === 'boolean' && a.openWorldHint === false, t);
    try {
      ajv.compile(t.inputSchema);
      validators[t.name] = ajv.compile(t.outputSchema);
      check(`${t.name}: schemas compile as JSON Schema 2020-12`, true);
    } catch (e) {
      check(`${t.name}: schemas compile as JSON Schema 2020-12`, false, String(e));
    }
  }
  check('read-only tools say so', byName.search.annotations.readOnlyHint &&
    byName.read.annotations.readOnlyHint && !byName.reindex.annotations.readOnlyHint);

  async function call(name, args, opts) {
    const r = await client.callTool({ name, arguments: args }, undefined, opts);
    if (!r.isError && validators[name]) {
      const ok = validators[name](r.structuredContent);
      check(`${name} ${JSON.stringify(args).slice(0, 60)}: structuredContent fits outputSchema`,
        ok, validators[name].errors);
    }
    return r;
  }

  // ---- search ----
  let r = await call('search', { query: 'apache bench length errors' });
  let res = r.structuredContent && r.structuredContent.results;
  check('search finds the TIL note on Apache Bench first',
    !r.isError && res.length > 0 && res[0].path === 'ab/apache-bench-length-errors.md' &&
    res[0].root === TIL && res[0].kind === 'prose', r);
  check('search text rendering names the note and its lines',
    /ab\/apache-bench-length-errors\.md:\d+-\d+/.test(textOf(r)), textOf(r));
  r = await call('search', { query: 'json decoder', k: 3, language: 'python' });
  res = r.structuredContent.results;
  check('search with language and k', res.length === 3 && res.every((h) => h.lang === 'python') &&
    res[0].path.startsWith('json/'), res);
  r = await call('search', { query: 'docker container', kind: 'prose', path: 'docker/*' });
  res = r.structuredContent.results;
  check('search with kind and path glob', res.length > 0 &&
    res.every((h) => h.kind === 'prose' && h.path.startsWith('docker/')), res);
  r = await call('search', { query: 'zzqqxxv_nothing_matches' });
  check('a search without results is a result, not an error',
    !r.isError && r.structuredContent.results.length === 0 && /No results/.test(textOf(r)), r);
  r = await call('search', { query: 'x', k: 500 });
  check('k over 100 is an isError result saying the bound', r.isError &&
    /at most 100/.test(textOf(r)), r);
  r = await call('search', { query: 'x', mode: 'semantic' });
  check('an argument cairn does not take yet is refused by name', r.isError &&
    /unknown argument 'mode'/.test(textOf(r)), r);
  r = await call('search', { query: 'decoder', language: 'pyton' });
  check('an unknown language says where to find the right names', r.isError &&
    /index_status/.test(textOf(r)), r);
  r = await call('search', {});
  check('a missing query is an isError result', r.isError && /query/.test(textOf(r)), r);

  // ---- read ----
  r = await call('read', { path: 'json/decoder.py', start_line: 10, end_line: 20 });
  let sc = r.structuredContent;
  check('read returns exactly lines 10-20 of the file', !r.isError &&
    sc.text === fileLines(path.join(CODE, 'json/decoder.py'), 10, 20) &&
    sc.start_line === 10 && sc.end_line === 20 && sc.root === CODE && !sc.truncated, r);
  check('read reports the file length',
    sc.total_lines === fs.readFileSync(path.join(CODE, 'json/decoder.py'), 'utf8').split('\n').length - 1,
    sc);
  r = await call('read', { path: path.join(TIL, 'ab/apache-bench-length-errors.md') });
  check('read of an absolute path inside a root returns the whole file', !r.isError &&
    r.structuredContent.text === fs.readFileSync(path.join(TIL, 'ab/apache-bench-length-errors.md'), 'utf8'),
    r);
  r = await call('read', { path: 'json/decoder.py', start_line: 100000 });
  check('read past the end is an isError result', r.isError && /past the end/.test(textOf(r)), r);
  const big = 'bulk/unittest/mock.py';
  const bigLines = fileLines(path.join(CODE, big), 1, 1e9).match(/\n/g).length;
  r = await call('read', { path: big });
  sc = r.structuredContent;
  check(`read of a ${bigLines}-line file stops at 2000 lines and says where to go on`,
    bigLines > 2000 && !r.isError && sc.truncated && sc.start_line === 1 && sc.end_line === 2000 &&
    sc.total_lines === bigLines && sc.text === fileLines(path.join(CODE, big), 1, 2000) &&
    /start_line=2001/.test(textOf(r)), sc && { ...sc, text: sc.text.length });
  r = await call('read', { path: big, start_line: 2001 });
  check('the rest of it comes with start_line', !r.isError && !r.structuredContent.truncated &&
    r.structuredContent.end_line === bigLines, r.structuredContent);
  for (const [what, p] of [
    ['../../etc/passwd', '../../etc/passwd'],
    ['/etc/passwd', '/etc/passwd'],
    ['json/../../../etc/passwd', 'json/../../../etc/passwd'],
    ['a symlink to /etc/passwd inside the root', 'escape.txt'],
    ['a path through a symlink to /etc', 'outside/passwd'],
    ['an absolute path through that symlink', path.join(CODE, 'outside/passwd')],
    ['a git-ignored file inside the root', 'secret.txt'],
    ['the index database', path.join(INDEX, 'index.db')],
  ]) {
    r = await call('read', { path: p });
    check(`read refuses ${what}`, r.isError && !/root:x:0:0/.test(textOf(r)) &&
      !/TOP SECRET/.test(textOf(r)) && /(outside|'\.\.'|not in the index|not an indexed|no such)/.test(textOf(r)), r);
  }

  // ---- index_status ----
  r = await call('index_status', {});
  sc = r.structuredContent;
  const rootPaths = (sc.roots || []).map((x) => x.path).sort();
  check('index_status lists both roots', JSON.stringify(rootPaths) === JSON.stringify([CODE, TIL].sort()), sc);
  const tilNotes = fs.readdirSync(TIL, { recursive: true }).filter((f) => f.endsWith('.md')).length;
  const md = (sc.languages || []).find((l) => l.lang === 'markdown');
  check('index_status counts every TIL note', md && md.files === tilNotes, { md, tilNotes });
  check('index_status reports freshness', sc.roots.every((x) => x.indexed_at > 1600000000) &&
    sc.last_indexed > 1600000000, sc);

  // ---- freshness: a file saved while serving is found by a later query ----
  fs.writeFileSync(path.join(CODE, 'fresh_while_serving.py'), 'def zebra_fresh_marker():\n    return 42\n');
  const tFresh = Date.now();
  let found = false;
  for (let i = 0; i < 100 && !found; i++) {
    await new Promise((res) => setTimeout(res, 50));
    r = await call('search', { query: 'zebra_fresh_marker' });
    found = !r.isError && r.structuredContent.results.some((h) => h.path === 'fresh_while_serving.py');
  }
  check('a file saved while serving is found by a later search', found);
  console.log(`# saved -> searchable while serving: ${Date.now() - tFresh} ms`);

  // ---- navigation ----
  for (const n of ['find_symbol', 'find_references', 'outline', 'related', 'quote'])
    check(`tools/list has ${n}`, names.includes(n), names);
  r = await call('find_symbol', { name: 'JSONDecoder' });
  sc = r.structuredContent;
  check('find_symbol finds the class exactly', !r.isError && sc.match === 'exact' &&
    sc.definitions.some((d) => d.path === 'json/decoder.py' && d.kind === 'class' &&
      /class JSONDecoder/.test(d.signature)), r);
  r = await call('find_symbol', { name: 'JSONDecodr' });
  check('find_symbol falls back to fuzzy matches and says so', !r.isError &&
    r.structuredContent.match === 'fuzzy' &&
    r.structuredContent.definitions.some((d) => d.name === 'JSONDecoder'), r);
  r = await call('find_symbol', { name: 'raw_decode', kind: 'method' });
  check('find_symbol with kind', !r.isError && r.structuredContent.definitions.length > 0 &&
    r.structuredContent.definitions.every((d) => d.kind === 'method'), r);
  r = await call('find_references', { name: 'JSONDecodeError' });
  sc = r.structuredContent;
  check('find_references lists callers with their enclosing definition', !r.isError &&
    sc.direction === 'callers' && sc.references.some((x) => x.caller && x.path.startsWith('json/')), r);
  r = await call('find_references', { name: 'JSONDecoder.decode', direction: 'callees' });
  sc = r.structuredContent;
  check('find_references callees resolves raw_decode', !r.isError && sc.direction === 'callees' &&
    sc.callees.some((x) => x.name === 'raw_decode' && x.target && x.target.path === 'json/decoder.py'), r);
  r = await call('outline', { path: 'json/decoder.py' });
  sc = r.structuredContent;
  const dec = (sc.symbols || []).find((x) => x.name === 'JSONDecoder');
  check('outline nests methods under their class', !r.isError && dec &&
    dec.children.some((m) => m.name === 'raw_decode'), r);
  r = await call('outline', { path: '../../etc/passwd' });
  check('outline refuses paths outside the roots', r.isError, r);

  // ---- packing ----
  for (const n of ['pack_context', 'repo_map'])
    check(`tools/list has ${n}`, names.includes(n), names);
  r = await call('pack_context', { task: 'fix how the JSON decoder reports errors in raw_decode', budget: 2000 });
  sc = r.structuredContent;
  check('pack_context stays within its budget and brings the decoder', !r.isError && sc.tokens <= 2000 &&
    sc.items.length > 0 && sc.items.some((x) => x.path === 'json/decoder.py'), r);
  check('pack_context items never repeat a line of a file', !r.isError && sc.items.every((a, i) =>
    sc.items.every((b, j) => i === j || a.path !== b.path || a.end_line < b.start_line || b.end_line < a.start_line)), sc);
  r = await call('pack_context', { task: 'json decoder', budget: 0 });
  check('a budget of 0 gives an empty pack, not an error', !r.isError && r.structuredContent.tokens === 0 &&
    r.structuredContent.items.length === 0, r);
  r = await call('pack_context', { task: 'json', focus: ['/etc/passwd'] });
  check('a focus outside the roots is refused', r.isError && /outside|not in the index/.test(textOf(r)), r);
  r = await call('repo_map', { query: 'json decoding', budget: 500 });
  sc = r.structuredContent;
  check('repo_map fits its budget and names json definitions', !r.isError && sc.tokens <= 500 &&
    sc.items.some((x) => x.path.startsWith('json/')), r);

  // ---- writing ----
  r = await call('related', { text: 'I benchmarked a web server with Apache Bench (ab) and the ' +
    'report said many requests failed because of the length of the response. It turned out the ' +
    'responses were dynamic and differed in size, so ab counted them as errors.' });
  sc = r.structuredContent;
  check('related finds the Apache Bench note from a draft', !r.isError &&
    sc.documents.slice(0, 3).some((d) => d.path === 'ab/apache-bench-length-errors.md'), r);
  r = await call('related', { path: path.join(TIL, 'ab/apache-bench-length-errors.md'), k: 5 });
  check('related to an indexed note leaves the note out', !r.isError &&
    r.structuredContent.documents.every((d) => d.path !== 'ab/apache-bench-length-errors.md'), r);
  r = await call('related', {});
  check('related needs text or path', r.isError && /text|path/.test(textOf(r)), r);
  r = await call('quote', { query: 'apache bench length errors' });
  sc = r.structuredContent;
  check('quote returns an exact passage with its lines', !r.isError && sc.quotes.length > 0 &&
    sc.quotes[0].path === 'ab/apache-bench-length-errors.md' &&
    fileLines(path.join(TIL, sc.quotes[0].path), sc.quotes[0].start_line, sc.quotes[0].end_line)
      .replace(/\s+/g, ' ').includes(sc.quotes[0].text.replace(/\s+/g, ' ').slice(0, 40)), r);
  r = await call('search', { query: 'apache bench', since: '1990', kind: 'prose' });
  check('search takes since', !r.isError && r.structuredContent.results.length > 0, r);
  r = await call('search', { query: 'apache bench', since: 'last week' });
  check('a malformed date is refused', r.isError, r);

  // ---- logging + reindex with progress ----
  await client.setLoggingLevel('debug');
  const bulk = path.join(CODE, 'bulk', 'email');
  const changed = fs.readdirSync(bulk).filter((f) => f.endsWith('.py'));
  for (const f of changed) fs.appendFileSync(path.join(bulk, f), '\n# touched by client.mjs\n');
  const progress = [];
  r = await call('reindex', { paths: [CODE] }, { onprogress: (p) => progress.push(p) });
  sc = r.structuredContent;
  check('reindex of one root reports what changed', !r.isError && sc.roots.length === 1 &&
    sc.roots[0] === CODE && sc.updated === changed.length && sc.errors.length === 0, r);
  check('reindex sends progress notifications', progress.length >= 2, progress);
  check('progress increases', progress.every((p, i) => i === 0 || p.progress > progress[i - 1].progress),
    progress);
  check('logging/setLevel debug brings notifications/message', logs.some((l) =>
    l.logger === 'cairn' && /Refreshed/.test(String(l.data))), logs);
  r = await call('reindex', { paths: ['/nonexistent/elsewhere'] });
  check('reindex of a path that is not a root says what the roots are', r.isError &&
    textOf(r).includes(CODE), r);
  r = await call('search', { query: 'touched by client.mjs', path: 'bulk/email/*' });
  check('search sees the reindexed text', r.structuredContent.results.length > 0, r);

  // ---- cancellation ----
  const many = [];
  for (const dir of fs.readdirSync(path.join(CODE, 'bulk')))
    for (const f of fs.readdirSync(path.join(CODE, 'bulk', dir), { recursive: true }))
      if (String(f).endsWith('.py')) many.push(path.join(CODE, 'bulk', dir, String(f)));
  for (const f of many) fs.appendFileSync(f, '# again\n');
  const ac = new AbortController();
  const seen = [];
  const t0 = Date.now();
  const outcome = await client.callTool({ name: 'reindex', arguments: {} }, undefined, {
    signal: ac.signal,
    onprogress: (p) => { seen.push(p); if (seen.length === 1) ac.abort('test cancels'); },
  }).then(() => 'completed', (e) => `rejected: ${e}`);
  check('a cancelled reindex rejects on the client', /rejected/.test(outcome) && seen.length >= 1,
    { outcome, seen: seen.length });
  const pong = await client.ping().then(() => true, () => false);
  check('ping is answered right after a cancel', pong);
  // The cancelled run stops between files; a new one must start soon after.
  let again;
  for (let i = 0; i < 50; i++) {
    again = await call('reindex', {});
    if (!(again.isError && /already running/.test(textOf(again)))) break;
    await sleep(100);
  }
  check('reindex runs again after a cancel and finishes the work',
    !again.isError && again.structuredContent.updated > 0, again);
  await sleep(300);
  check('no reply ever arrived for the cancelled request',
    !clientErrors.some((e) => /unknown message ID|Received a response/i.test(e)), clientErrors);
  console.log(`# cancel, ping and a full reindex took ${Date.now() - t0} ms`);

  // ---- resources ----
  const resources = [];
  cursor = undefined;
  pages = 0;
  do {
    const page = await client.listResources(cursor ? { cursor } : {});
    resources.push(...page.resources);
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 5000);
  const st = (await call('index_status', {})).structuredContent;
  const uris = resources.map((x) => x.uri);
  check(`resources/list pages (${pages}) cover every indexed file (${st.files})`,
    resources.length === st.files && pages > 2, { got: resources.length, want: st.files });
  check('resource URIs are unique', new Set(uris).size === uris.length);
  check('resource URIs carry the root name', uris.every((u) => /^cairn:\/\/file\/(code|til)\//.test(u)),
    uris.slice(0, 5));
  const note = resources.find((x) => x.uri === 'cairn://file/til/ab/apache-bench-length-errors.md');
  check('the TIL note is a markdown resource', note && note.mimeType === 'text/markdown', note);
  let rr = await client.readResource({ uri: 'cairn://file/til/ab/apache-bench-length-errors.md' });
  check('resources/read returns the file text', rr.contents.length === 1 &&
    rr.contents[0].text === fs.readFileSync(path.join(TIL, 'ab/apache-bench-length-errors.md'), 'utf8') &&
    rr.contents[0].mimeType === 'text/markdown', rr);
  rr = await client.readResource({ uri: 'cairn://file/code%2Fjson%2Fdecoder.py' });
  check('a percent-encoded URI from the template works', rr.contents[0].text ===
    fs.readFileSync(path.join(CODE, 'json/decoder.py'), 'utf8'));
  const tpl = await client.listResourceTemplates();
  check('resources/templates/list has cairn://file/{path}',
    tpl.resourceTemplates.some((x) => x.uriTemplate === 'cairn://file/{path}'), tpl);
  for (const [uri, want] of [
    ['cairn://file/../../etc/passwd', -32602],
    ['cairn://file/%2e%2e/%2e%2e/etc/passwd', -32602],
    ['cairn://file//etc/passwd', -32602],
    ['cairn://file/code/escape.txt', -32602],
    ['cairn://file/code/outside/passwd', -32602],
    ['file:///etc/passwd', -32602],
    ['cairn://file/code/secret.txt', -32002],
    ['cairn://file/code/no/such/file.py', -32002],
    ['cairn://file/code/json%00/decoder.py', -32602],
  ]) {
    check(`resources/read ${uri} is refused with ${want}`,
      (await errorCode(client.readResource({ uri }))) === want);
  }
  const cursorErr = await errorCode(client.listResources({ cursor: 'bm90IGEgY3Vyc29y' }));
  check('a forged cursor is -32602', cursorErr === -32602, cursorErr);
  check('an unknown tool is -32602', (await errorCode(client.callTool({ name: 'nope', arguments: {} }))) === -32602);

  await client.close();
  // The SDK handles a notification a microtask after the reply that may
  // have come in the same read, and forgets a request's progress handler
  // when it cancels; a progress notification that meets either race is
  // reported as for an "unknown token".  That is the client's timing, not
  // a protocol error; anything else is.
  const races = clientErrors.filter((e) => /progress notification for an unknown token/.test(e));
  if (races.length) console.log(`# ${races.length} progress notification(s) raced their request's end`);
  check('no transport errors during the session', clientErrors.length === races.length, clientErrors);
}

// Each revision: initialize by hand through the SDK's stdio transport.
// (Batches are tested in robust.mjs: the SDK has no way to send them.)
async function older(version) {
  const transport = new StdioClientTransport({
    command: CAIRN, args: ['serve', '--index', INDEX], stderr: 'inherit',
    env: { ...process.env },
  });
  const pending = new Map();
  transport.onmessage = (m) => {
    const key = m.id;
    if (pending.has(key)) { pending.get(key)(m); pending.delete(key); }
  };
  await transport.start();
  const rpc = (msg, key = msg.id) => new Promise((resolve, reject) => {
    pending.set(key, resolve);
    setTimeout(() => reject(new Error(`no reply to ${JSON.stringify(msg).slice(0, 80)}`)), 10000);
    transport.send(msg);
  });
  const init = await rpc({ jsonrpc: '2.0', id: 1, method: 'initialize',
    params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 't', version: '1' } } });
  const want = version.startsWith('1999') ? '2025-11-25' : version;
  check(`initialize asking for ${version} answers ${want}`,
    init.result && init.result.protocolVersion === want, init);
  await transport.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  const list = await rpc({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
  const search = list.result.tools.find((t) => t.name === 'search');
  const modern = want >= '2025-06-18';
  check(`${want}: outputSchema and title only from 2025-06-18`,
    !!search.outputSchema === modern && !!search.title === modern, search);
  check(`${want}: annotations only from 2025-03-26`, !!search.annotations === (want >= '2025-03-26'));
  const call = await rpc({ jsonrpc: '2.0', id: 3, method: 'tools/call',
    params: { name: 'search', arguments: { query: 'apache bench', k: 1 } } });
  check(`${want}: a search answers, structuredContent only from 2025-06-18`,
    call.result && /apache-bench/.test(call.result.content[0].text) &&
    !!call.result.structuredContent === modern, call);
  await transport.close();
}

try {
  await main();
  for (const v of ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05', '1999-01-01'])
    await older(v);
} catch (e) {
  check('the session ran to the end', false, e.stack || String(e));
}
process.exit(failures ? 1 : 0);
