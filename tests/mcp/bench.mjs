// bench.mjs — latency of an MCP server over stdio, measured from a raw
// pipe client (no SDK on the client side, so the client adds little).
//
// usage: node bench.mjs RUNS CALLS COMMAND [ARGS...]
//   RUNS   times to measure one whole process: spawn, initialize,
//          tools/list, one search, end of input, exit
//   CALLS  sequential search calls in one session, each timed
// Prints one line of JSON: {"startup_ms": {min, p50, max}, "search_ms":
// {p50, p90, p99, max}, "ping_ms": {p50, p99}, "calls": CALLS}; pings show
// what the protocol itself costs, searches add the engine's work.  Queries cycle through words and
// identifiers found in the Python standard library.
import { spawn } from 'node:child_process';

const [runs, calls, cmd, ...args] = process.argv.slice(2);
const QUERIES = ['json decoder', 'open a socket connection', 'parse_args', 'HTTPServer',
  'read configuration file', 'thread pool executor', 'tempfile mkstemp', 'raw_decode',
  'unicode normalization', 'retry with backoff', 'SSLContext wrap_socket', 'csv writer',
  'getUserName', 'ElementTree iterparse', 'subprocess pipe timeout', 'lru_cache'];
const INIT = { jsonrpc: '2.0', id: 0, method: 'initialize', params: {
  protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } };

function start() {
  const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'ignore'] });
  const waiting = new Map();
  let buf = '';
  p.stdout.on('data', (d) => {
    buf += d;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const m = JSON.parse(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
      const w = waiting.get(m.id);
      if (w) { waiting.delete(m.id); w(m); }
    }
  });
  const exited = new Promise((r) => p.on('exit', r));
  const ask = (msg) => new Promise((resolve) => {
    waiting.set(msg.id, resolve);
    p.stdin.write(JSON.stringify(msg) + '\n');
  });
  return { p, ask, exited };
}

const search = (id, q) => ({ jsonrpc: '2.0', id, method: 'tools/call',
  params: { name: 'search', arguments: { query: q, k: 10 } } });

function pct(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return +s[Math.min(s.length - 1, Math.floor(q * s.length))].toFixed(2);
}

async function oneProcess() {
  const t0 = process.hrtime.bigint();
  const s = start();
  await s.ask(INIT);
  s.p.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
  await s.ask({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
  const r = await s.ask(search(2, 'json decoder'));
  if (!r.result || r.result.isError) throw new Error(`search failed: ${JSON.stringify(r)}`);
  s.p.stdin.end();
  await s.exited;
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const startup = [];
for (let i = 0; i < Number(runs); i++) startup.push(await oneProcess());

const s = start();
await s.ask(INIT);
const lat = [];
for (let i = 0; i < Number(calls); i++) {
  const t0 = process.hrtime.bigint();
  const r = await s.ask(search(i + 10, QUERIES[i % QUERIES.length]));
  lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
  if (!r.result) throw new Error(`call ${i} failed: ${JSON.stringify(r)}`);
}
const pings = [];
for (let i = 0; i < Number(calls); i++) {
  const t0 = process.hrtime.bigint();
  await s.ask({ jsonrpc: '2.0', id: `p${i}`, method: 'ping' });
  pings.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
s.p.stdin.end();
await s.exited;
console.log(JSON.stringify({
  startup_ms: { min: pct(startup, 0), p50: pct(startup, 0.5), max: pct(startup, 1) },
  search_ms: { p50: pct(lat, 0.5), p90: pct(lat, 0.9), p99: pct(lat, 0.99), max: pct(lat, 1) },
  ping_ms: { p50: pct(pings, 0.5), p99: pct(pings, 0.99) },
  calls: Number(calls),
}));
