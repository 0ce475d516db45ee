#!/usr/bin/env python3
"""fake_embed_server.py — a loopback embedding server for cairn's tests.

Speaks OpenAI's POST /v1/embeddings and Ollama's POST /api/embed, with
deterministic vectors (hashed bag of words, L2-normalised, so texts that
share words are near), and misbehaves on request.

    fake_embed_server.py [PORT]        0 or nothing: a free port

It binds 127.0.0.1, prints the port on the first line of stdout, and exits
when its stdin closes, so a test that dies takes the server with it.

The model name carries the behaviour: NAME[+DIRECTIVE...], directives
  dim=N        vectors of N values (default 64)
  429=K        the first K requests get 429 with Retry-After: 1 (seconds)
  429date=K    the same with Retry-After as an HTTP date
  500=K        the first K requests get 500
  slow=K:S     the first K requests wait S seconds before answering
  hang         never answer (the connection stays open for 60 s)
  malformed    answer broken JSON
  count        answer one vector fewer than asked
  nan          answer strings where numbers belong
  dimflip      the first request gets dim values, later ones dim + 1
  echoauth     answer 401 quoting the request's Authorization header
  big=N        pad every answer with N bytes of whitespace
  shuffle      list OpenAI's vectors in reverse order (their "index" says which)
Counters are per model name.  GET /stats?model=NAME answers
{"requests": n, "sizes": [...], "max_inflight": n, "auth": [...]} for it.
"""
import email.utils
import hashlib
import http.server
import json
import math
import re
import sys
import threading
import time
import urllib.parse

LOCK = threading.Lock()
STATS = {}


def stats_for(model):
    return STATS.setdefault(model, {"requests": 0, "sizes": [], "inflight": 0,
                                    "max_inflight": 0, "auth": []})


def parse_model(model):
    opts = {"dim": 64}
    for part in model.split("+")[1:]:
        key, _, value = part.partition("=")
        opts[key] = value
    return opts


def vector(text, dim):
    v = [0.0] * dim
    for word in re.findall(r"\w+", text.lower()):
        h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
        v[h % dim] += 1.0 if (h >> 32) & 1 else -1.0
    norm = math.sqrt(sum(x * x for x in v))
    if norm == 0:
        v[0] = 1.0
        return v
    return [x / norm for x in v]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send(self, status, body, headers=()):
        data = body if isinstance(body, bytes) else body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        if url.path != "/stats":
            self.send(404, '{"error": "not found"}')
            return
        model = urllib.parse.parse_qs(url.query).get("model", [""])[0]
        with LOCK:
            st = dict(stats_for(model))
        self.send(200, json.dumps(st))

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        path = urllib.parse.urlparse(self.path).path
        if path not in ("/v1/embeddings", "/api/embed"):
            self.send(404, '{"error": {"message": "no such endpoint %s"}}' % path)
            return
        try:
            req = json.loads(raw)
            model = req["model"]
            texts = req["input"]
            if isinstance(texts, str):
                texts = [texts]
        except (ValueError, KeyError, TypeError):
            self.send(400, '{"error": {"message": "bad request body"}}')
            return
        opts = parse_model(model)
        with LOCK:
            st = stats_for(model)
            st["requests"] += 1
            n = st["requests"]
            st["sizes"].append(len(texts))
            st["auth"].append(self.headers.get("Authorization", ""))
            st["inflight"] += 1
            st["max_inflight"] = max(st["max_inflight"], st["inflight"])
        try:
            self.answer(path, model, opts, n, texts)
        finally:
            with LOCK:
                st["inflight"] -= 1

    def answer(self, path, model, opts, n, texts):
        dim = int(opts["dim"])
        if "slow" in opts:
            k, _, secs = opts["slow"].partition(":")
            if n <= int(k):
                time.sleep(float(secs))
        if "hang" in opts:
            time.sleep(60)
            return
        if "429" in opts and n <= int(opts["429"]):
            self.send(429, '{"error": {"message": "rate limited"}}', [("Retry-After", "1")])
            return
        if "429date" in opts and n <= int(opts["429date"]):
            when = email.utils.formatdate(time.time() + 2, usegmt=True)
            self.send(429, '{"error": {"message": "rate limited"}}', [("Retry-After", when)])
            return
        if "500" in opts and n <= int(opts["500"]):
            self.send(500, '{"error": {"message": "internal trouble"}}')
            return
        if "echoauth" in opts:
            self.send(401, json.dumps({"error": {"message": "Incorrect API key provided: "
                                                 + self.headers.get("Authorization", "")}}))
            return
        if "malformed" in opts:
            self.send(200, '{"data": [{"embedding": [0.1, 0.2,')
            return
        if "dimflip" in opts and n > 1:
            dim += 1
        vecs = [vector(t, dim) for t in texts]
        if "nan" in opts:
            vecs[0][0] = "NaN"
        if "count" in opts:
            vecs = vecs[:-1]
        pad = " " * int(opts.get("big", "0"))
        if path == "/api/embed":
            body = json.dumps({"model": model, "embeddings": vecs})
        else:
            items = [{"object": "embedding", "index": i, "embedding": v}
                     for i, v in enumerate(vecs)]
            if "shuffle" in opts:
                items.reverse()
            body = json.dumps({"object": "list", "data": items, "model": model,
                               "usage": {"prompt_tokens": 0, "total_tokens": 0}})
        self.send(200, body + pad)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def handle_error(self, request, client_address):
        # Clients hang up on purpose (timeouts, oversized answers).
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    server = Server(("127.0.0.1", port), Handler)
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()  # returns when the test closes our stdin or dies


if __name__ == "__main__":
    main()
