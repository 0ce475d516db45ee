// node_server.mjs — a minimal MCP server written with the official
// TypeScript SDK, for bench/mcp.sh to compare cairn serve against: the same
// `search` tool over the same files, answered by a plain in-memory scan
// (the files are read when the first search arrives, as a server without
// an index would have to).
//
// usage: node node_server.mjs DIR
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const dir = process.argv[2];
let files = null;

function load() {
  files = [];
  for (const rel of fs.readdirSync(dir, { recursive: true })) {
    const p = path.join(dir, String(rel));
    if (p.endsWith('.py') && fs.statSync(p).isFile())
      files.push({ path: String(rel), lines: fs.readFileSync(p, 'utf8').split('\n') });
  }
}

const server = new McpServer({ name: 'node-scan', version: '1.0.0' });
server.registerTool('search', {
  title: 'Search',
  description: 'Lines of the files that contain the most query words.',
  inputSchema: { query: z.string(), k: z.number().int().min(1).max(100).optional() },
}, async ({ query, k = 10 }) => {
  if (!files) load();
  const words = query.toLowerCase().split(/\W+/).filter(Boolean);
  const hits = [];
  for (const f of files) {
    f.lines.forEach((line, i) => {
      const l = line.toLowerCase();
      const score = words.reduce((n, w) => n + (l.includes(w) ? 1 : 0), 0);
      if (score) hits.push({ path: f.path, line: i + 1, score, text: line.trim() });
    });
  }
  hits.sort((a, b) => b.score - a.score);
  const top = hits.slice(0, k);
  return { content: [{ type: 'text', text: top.map((h) => `${h.path}:${h.line} ${h.text}`).join('\n') }] };
});
await server.connect(new StdioServerTransport());
