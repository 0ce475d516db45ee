// robust.mjs — garbage, abuse and bad timing thrown at cairn serve through
// a raw pipe; every answer's error code is checked, and after each kind of
// abuse a ping must still be answered.
//
// usage: node robust.mjs CAIRN INDEX_DIR BULK_DIR
//   BULK_DIR is an indexed directory of Python files; the test appends to
//   them so that a reindex has real work to do while it is pinged,
//   cancelled and abandoned.
// Prints "ok   WHAT" / "FAIL WHAT" lines and exits non-zero on a failure.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [CAIRN, INDEX, BULK] = process.argv.slice(2);
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
const NOID = Symbol('no id');

// One server process and what it has said so far.
class Session {
  constructor(env = {}) {
    this.proc = spawn(CAIRN, ['serve', '--index', INDEX], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.messages = [];
    this.badLines = [];
    this.stderr = '';
    this.waiters = [];
    let pending = '';
    this.proc.stdout.on('data', (d) => {
      pending += d.toString('utf8');
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        try {
          this.messages.push(JSON.parse(line));
        } catch {
          this.badLines.push(line);
        }
      }
      this.wake();
    });
    this.proc.stderr.on('data', (d) => { this.stderr += d.toString('utf8'); });
    this.proc.stdin.on('error', () => {});
    this.exit = new Promise((resolve) => this.proc.on('exit', (code, signal) => {
      this.wake();
      resolve({ code, signal });
    }));
  }

  wake() {
    for (const w of this.waiters.splice(0)) w();
  }

  write(data) {
    this.proc.stdin.write(data);
  }

  send(obj) {
    this.write(JSON.stringify(obj) + '\n');
  }

  // The first message after index `from` that pred accepts, or null after ms.
  async waitFor(pred, ms = 10000, from = 0) {
    const end = Date.now() + ms;
    for (;;) {
      const m = this.messages.slice(from).find(pred);
      if (m) return m;
      const left = end - Date.now();
      if (left <= 0) return null;
      await new Promise((r) => { this.waiters.push(r); setTimeout(r, Math.min(left, 200)); });
    }
  }

  // Send obj (or raw text or bytes) and wait for the reply with id, or with
  // NOID for the next message without an id (errors about unreadable
  // messages).
  async ask(obj, id = obj.id, ms = 10000) {
    const from = this.messages.length;
    if (typeof obj === 'string' || Buffer.isBuffer(obj)) this.write(obj); else this.send(obj);
    return this.waitFor((m) => (id === NOID ? !('id' in m) && !('method' in m) : m.id === id),
      ms, from);
  }

  async alive(what) {
    const id = `ping-${Math.random()}`;
    const r = await this.ask({ jsonrpc: '2.0', id, method: 'ping' });
    check(`still serving after ${what}`, r && r.result && Object.keys(r.result).length === 0, r);
  }
}

const req = (id, method, params) => ({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });
const INIT = { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'robust', version: '1' } };

function errIs(r, code, what) {
  check(what, r && r.error && r.error.code === code && typeof r.error.message === 'string', r);
}

function touchBulk(tag) {
  let n = 0;
  for (const f of fs.readdirSync(BULK, { recursive: true })) {
    if (String(f).endsWith('.py')) {
      fs.appendFileSync(path.join(BULK, String(f)), `# ${tag}\n`);
      n++;
    }
  }
  return n;
}

async function garbage() {
  const s = new Session();
  // Before initialize.
  errIs(await s.ask(req(1, 'tools/list')), -32600, 'a request before initialize gets -32600');
  let r = await s.ask(req(2, 'ping'));
  check('ping before initialize is answered', r && r.result, r);
  errIs(await s.ask(req(3, 'initialize', { protocolVersion: 5, capabilities: {} })), -32602,
    'initialize with a numeric protocolVersion gets -32602');
  errIs(await s.ask(req(4, 'initialize', { protocolVersion: '2025-11-25', capabilities: 'all' })),
    -32602, 'initialize with string capabilities gets -32602');
  r = await s.ask(req(5, 'initialize', INIT));
  check('initialize after bad attempts works', r && r.result && r.result.protocolVersion === '2025-11-25', r);
  s.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  errIs(await s.ask(req(6, 'initialize', INIT)), -32600, 'a second initialize gets -32600');

  // Unparseable input: no id can be known, so the error has none.
  r = await s.ask('{"jsonrpc": "2.0", "id": 7, "method": \n', NOID);
  errIs(r, -32700, 'a cut-off message gets -32700');
  check('a parse error carries no id', r && !('id' in r), r);
  errIs(await s.ask('this is not json\n', NOID), -32700, 'plain text gets -32700');
  errIs(await s.ask(Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]), NOID), -32700,
    'bytes that are not UTF-8 get -32700');
  errIs(await s.ask('{"jsonrpc":"2.0","id":8,"method":"ping"} {"x":1}\n', NOID), -32700,
    'two values on one line get -32700');
  errIs(await s.ask('['.repeat(200000) + ']'.repeat(200000) + '\n', NOID), -32700,
    '200,000 nested arrays get -32700, not a stack overflow');
  await s.alive('parse errors');

  // A 10 MB line: one error, the rest of the line skipped, then business as usual.
  const from = s.messages.length;
  const big = '{"jsonrpc":"2.0","id":9,"method":"ping","params":{"pad":"' + 'x'.repeat(10 << 20) + '"}}\n';
  s.write(big);
  r = await s.ask(req(10, 'ping'));
  const errs = s.messages.slice(from).filter((m) => m.error);
  check('a 10 MB line gets exactly one -32700 and no reply as a request',
    errs.length === 1 && errs[0].error.code === -32700 && !s.messages.slice(from).some((m) => m.id === 9),
    s.messages.slice(from));
  check('the request after a 10 MB line is answered', r && r.result, r);

  // Envelopes that are JSON but not requests.
  errIs(await s.ask('[]\n', NOID), -32600, 'an empty array gets -32600');
  errIs(await s.ask('42\n', NOID), -32600, 'a bare number gets -32600');
  errIs(await s.ask({ id: 11, method: 'ping' }), -32600, 'a request without "jsonrpc" gets -32600');
  errIs(await s.ask({ jsonrpc: '1.0', id: 12, method: 'ping' }), -32600, 'jsonrpc "1.0" gets -32600');
  errIs(await s.ask({ jsonrpc: '2.0', id: 13, method: 7 }), -32600, 'a numeric method gets -32600');
  errIs(await s.ask({ jsonrpc: '2.0', id: 14 }), -32600, 'a request without a method gets -32600');
  errIs(await s.ask({ jsonrpc: '2.0', id: 15, method: 'tools/list', params: 'x' }), -32600,
    'string params get -32600');
  errIs(await s.ask({ jsonrpc: '2.0', method: 'notifications/cancelled', params: 'x' }, NOID),
    -32600, 'a notification with string params gets -32600, as JSON-RPC says');
  errIs(await s.ask([req(16, 'ping'), req(17, 'ping')], NOID), -32600,
    'a batch under 2025-11-25 gets one -32600');

  // Ids of every JSON type.
  for (const id of ['abc', '', 0, -1, 42, 1.5, 2 ** 52, 'ünïcødé ✓']) {
    r = await s.ask(req(id, 'ping'), id);
    check(`id ${JSON.stringify(id)} is echoed`, r && r.id === id && r.result, r);
  }
  for (const id of [null, true, false, {}, [], { a: 1 }]) {
    r = await s.ask(req(id, 'ping'), NOID);
    errIs(r, -32600, `id ${JSON.stringify(id)} gets -32600`);
    check(`the error for id ${JSON.stringify(id)} carries no id`, r && !('id' in r), r);
  }
  await s.alive('odd ids');

  // Methods and params of the wrong shape.
  errIs(await s.ask(req(20, 'no/such/method')), -32601, 'an unknown method gets -32601');
  errIs(await s.ask(req(21, 'prompts/list')), -32601, 'prompts/list (not offered) gets -32601');
  errIs(await s.ask(req(22, 'tools/call', { name: 5 })), -32602, 'a numeric tool name gets -32602');
  errIs(await s.ask(req(23, 'tools/call', { name: 'search', arguments: 'q' })), -32602,
    'string arguments get -32602');
  errIs(await s.ask(req(24, 'tools/call', { name: 'nope' })), -32602, 'an unknown tool gets -32602');
  errIs(await s.ask(req(25, 'tools/call', { name: 'search', arguments: {}, _meta: { progressToken: {} } })),
    -32602, 'an object progressToken gets -32602');
  errIs(await s.ask(req(26, 'tools/list', { cursor: 5 })), -32602, 'a numeric cursor gets -32602');
  errIs(await s.ask(req(27, 'tools/list', { cursor: 'zz' })), -32602, 'a made-up cursor gets -32602');
  errIs(await s.ask(req(28, 'resources/read', { uri: 7 })), -32602, 'a numeric uri gets -32602');
  errIs(await s.ask(req(29, 'resources/read', {})), -32602, 'a missing uri gets -32602');
  errIs(await s.ask(req(30, 'logging/setLevel', { level: 'loud' })), -32602, 'an unknown log level gets -32602');
  errIs(await s.ask(req(31, 'tools/list', [1, 2])), -32602, 'array params get -32602');
  r = await s.ask(req(32, 'tools/call', { name: 'search', arguments: { query: 5, k: 'ten' } }));
  check('wrong argument types are an isError result naming the argument',
    r && r.result && r.result.isError && /query/.test(r.result.content[0].text), r);
  r = await s.ask(req(33, 'tools/call', { name: 'read', arguments: { path: '/etc/passwd' } }));
  check('read of /etc/passwd is an isError result without its contents', r && r.result &&
    r.result.isError && !/root:/.test(JSON.stringify(r)), r);
  r = await s.ask(req(34, 'tools/call', { name: 'read', arguments: { path: 'x'.repeat(100000) } }));
  check('a 100 KB path is an isError result', r && r.result && r.result.isError, r);
  await s.alive('bad params');

  // Things that must get no reply at all.
  const quiet = s.messages.length;
  s.send({ jsonrpc: '2.0', id: 90, result: {} });
  s.send({ jsonrpc: '2.0', id: 91, error: { code: 1, message: 'x' } });
  s.send({ jsonrpc: '2.0', method: 'notifications/whatever', params: {} });
  s.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 12345 } });
  s.send({ jsonrpc: '2.0', method: 'notifications/cancelled' });
  s.write('\n   \n');
  r = await s.ask(req(35, 'ping'));
  check('responses, unknown notifications, stray cancels and blank lines get no reply',
    r && s.messages.length - quiet === 1, s.messages.slice(quiet));

  s.proc.stdin.end();
  const ex = await s.exit;
  check('end of input ends the server with status 0', ex.code === 0, { ...ex, stderr: s.stderr });
  check('nothing but JSON was written to stdout', s.badLines.length === 0, s.badLines);
}

// Revision 2025-03-26 is the one with JSON-RPC batches.
async function batches() {
  const s = new Session();
  const init = await s.ask(req(1, 'initialize', { ...INIT, protocolVersion: '2025-03-26' }));
  check('initialize with 2025-03-26', init && init.result && init.result.protocolVersion === '2025-03-26', init);
  const from = s.messages.length;
  s.send([req(2, 'ping'), { jsonrpc: '2.0', method: 'notifications/initialized' }, req(3, 'tools/list'),
    { jsonrpc: '2.0', id: 4 }, req(5, 'no/such'),
    req(6, 'tools/call', { name: 'search', arguments: { query: 'json decoder', k: 1 } })]);
  const reply = await s.waitFor((m) => Array.isArray(m), 10000, from);
  const byId = Object.fromEntries((reply || []).map((m) => [m.id, m]));
  check('a batch gets one array with a reply per request and none for the notification',
    reply && reply.length === 5 && byId[2].result && byId[3].result.tools.length >= 4 &&
    byId[4].error.code === -32600 && byId[5].error.code === -32601 &&
    byId[6].result.content[0].text.includes('json/'), reply);
  const quiet = s.messages.length;
  s.send([{ jsonrpc: '2.0', method: 'notifications/initialized' }]);
  await s.alive('a batch of notifications only');
  check('a batch of notifications only gets no reply', s.messages.length - quiet === 1,
    s.messages.slice(quiet));
  errIs(await s.ask([], NOID), -32600, 'an empty batch gets -32600');
  const many = Array.from({ length: 101 }, (_, i) => req(1000 + i, 'ping'));
  errIs(await s.ask(many, NOID), -32600, 'a batch of 101 messages gets one -32600');
  s.proc.stdin.end();
  const ex = await s.exit;
  check('the 2025-03-26 session ends with status 0', ex.code === 0, ex);
}

// A long reindex: pings, duplicate ids and a second reindex while it runs,
// then a cancel that leaves no reply.
async function concurrency() {
  const n = touchBulk('robust concurrency');
  const s = new Session();
  await s.ask(req(1, 'initialize', INIT));
  s.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  s.send(req(100, 'tools/call', { name: 'reindex', arguments: {}, _meta: { progressToken: 'tok' } }));
  const first = await s.waitFor((m) => m.method === 'notifications/progress', 20000);
  check(`a reindex of ${n} changed files reports progress`, first && first.params.progressToken === 'tok', first);
  const pong = await s.ask(req(101, 'ping'));
  const dup = await s.ask(req(100, 'tools/list'));
  const second = await s.ask(req(102, 'tools/call', { name: 'reindex', arguments: {} }));
  const search = await s.ask(req(103, 'tools/call', { name: 'search', arguments: { query: 'email header parser' } }));
  const done100 = s.messages.some((m) => m.id === 100 && m.result);
  check('ping is answered while the reindex runs', pong && pong.result && !done100, { pong, done100 });
  errIs(dup, -32600, 'a request reusing the running request\'s id gets -32600');
  check('a second reindex meanwhile is an isError result', second && second.result &&
    second.result.isError && /already running/.test(second.result.content[0].text), second);
  check('search answers while the reindex runs', search && search.result && !search.result.isError &&
    search.result.structuredContent.results.length > 0, search);
  s.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 100, reason: 'test' } });
  await sleep(1500);
  check('the cancelled reindex gets no reply', !s.messages.some((m) => m.id === 100 && m.result),
    s.messages.filter((m) => m.id === 100));
  let again;
  for (let i = 0; i < 50; i++) {
    const call = req(200 + i, 'tools/call', { name: 'reindex', arguments: {} });
    again = await s.ask(call, call.id, 300000); // a whole reindex: slow under sanitizers
    if (!(again && again.result && again.result.isError)) break;
    await sleep(100);
  }
  check('after the cancel a new reindex runs to the end', again && again.result && !again.result.isError &&
    again.result.structuredContent.updated > 0, again);
  s.proc.stdin.end();
  const ex = await s.exit;
  check('the session ends with status 0', ex.code === 0, { ...ex, stderr: s.stderr });
}

// Clients that go away in the middle of things.
async function disconnects() {
  // Vanishes (both pipes closed) during a long reindex.
  const n = touchBulk('robust disconnect');
  let s = new Session();
  await s.ask(req(1, 'initialize', INIT));
  s.send(req(2, 'tools/call', { name: 'reindex', arguments: {}, _meta: { progressToken: 1 } }));
  const p = await s.waitFor((m) => m.method === 'notifications/progress', 20000);
  check(`a reindex of ${n} files started`, !!p, p);
  const t0 = Date.now();
  s.proc.stdin.destroy();
  s.proc.stdout.destroy();
  let ex = await Promise.race([s.exit, sleep(30000).then(() => null)]);
  check('a client that disconnects mid-call leaves a server that exits with status 0',
    ex && ex.code === 0, { ex, stderr: s.stderr });
  console.log(`# it exited ${Date.now() - t0} ms after the client left`);

  // Closes its input with requests still queued: they are answered first.
  s = new Session();
  s.write([req(1, 'initialize', INIT), req(2, 'tools/list'),
    req(3, 'tools/call', { name: 'search', arguments: { query: 'json decoder' } })]
    .map((m) => JSON.stringify(m)).join('\n') + '\n');
  s.write(JSON.stringify(req(4, 'ping'))); // no newline before the end
  s.proc.stdin.end();
  ex = await s.exit;
  await sleep(50);
  const ids = s.messages.map((m) => m.id).sort();
  check('requests queued before the end of input are all answered, the last without a newline',
    JSON.stringify(ids) === JSON.stringify([1, 2, 3, 4]) && ex.code === 0, { ids, ex });

  // Disconnects right after sending a burst.
  s = new Session();
  for (let i = 0; i < 200; i++) s.send(req(i + 10, 'tools/call', { name: 'search', arguments: { query: 'decoder' } }));
  s.proc.stdin.destroy();
  s.proc.stdout.destroy();
  ex = await Promise.race([s.exit, sleep(30000).then(() => null)]);
  check('a burst of requests followed by a disconnect ends with status 0', ex && ex.code === 0,
    { ex, stderr: s.stderr });
}

try {
  await garbage();
  await batches();
  await concurrency();
  await disconnects();
} catch (e) {
  check('the robustness run reached its end', false, e.stack || String(e));
}
process.exit(failures ? 1 : 0);
