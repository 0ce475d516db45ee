// fit.mjs — fit the tables of query/tokens_tables.c against the real tokenizers.
//
//   node tests/tokens/fit.mjs [--write] [--bias B] [--worst N] [--tokcount PATH]
//
// For each encoding (o200k, cl100k), build/tokcount --units cuts the
// training half of every corpus (corpora.mjs, with its multilingual extra)
// into the scanner's pieces and characters ("units"); the real tokenizer
// splits each piece into tokens.  Then, each English corpus weighing the
// same (the multilingual text a quarter), and every mean drawn toward a
// prior where it rests on fewer than about PRIOR_N pieces:
//   1. pair table: for each two unit classes a, b, the share of adjacent
//      (a, b) characters inside a piece that the tokenizer splits, in
//      64ths (prior: a split for symbols and for two different punctuation
//      characters, else the mean of all pairs);
//   2. run table: the same for a character that repeats the one before for
//      the RUN-th time or more, measured for ASCII on the character
//      repeated 512 times;
//   3. block table: for each block of non-ASCII characters, the mean number
//      of splits inside one character's bytes;
//   4. correction and slope tables: for each piece class, the mean of
//      (B * real tokens - 1 - pair, run and block costs), and for the
//      longest length class a least-squares line in the length past it.
//      B (the bias, default BIAS) makes the estimate lean high, so that
//      text sized to a budget by the estimate stays inside it by the real
//      count; words with non-ASCII letters, fitted on little text, lean
//      NON_ASCII_MARGIN higher still.
// It prints the per-corpus error on the held-out half (what the tables
// predict, before they are compiled in; --worst N: the N files counted
// lowest, and the piece classes why) and the tables as C; --write puts
// them between the FITTED TABLES markers of query/tokens_tables.c.  Rebuild
// build/tokcount and run measure.mjs to check the compiled estimate.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ROOT, corpora, heldOut, readText, training } from "./corpora.mjs";
import { ENCODINGS, reference } from "./reference.mjs";

const BIAS = 1.025;
const PRIOR_N = 8;
const MULTILINGUAL_WEIGHT = 0.25;
const NON_ASCII_MARGIN = 0.075;
const SCALE = 256;

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : dflt;
};
const WRITE = argv.includes("--write");
const bias = Number(opt("--bias", BIAS));
const TOKCOUNT = path.resolve(ROOT, opt("--tokcount", "build/tokcount"));

// The pieces of files as tokcount cuts them, with the real split points,
// packed: per piece its class, real tokens and where its units end; per
// unit its class | block << 7 | (a token starts at it) << 14 | (splits
// inside its bytes) << 15.
const U = (x) => x & 127, BLK = (x) => (x >> 7) & 127, SPLIT = (x) => (x >> 14) & 1, INNER = (x) => x >> 15;

function load(encName, files, ref) {
    const out = [];
    const texts = new Map();
    const valid = files.filter((f) => {
        const t = readText(f);
        if (t) texts.set(f, t);
        return t !== null;
    });
    let meta = null;
    const finish = (f) => {
        if (!f) return;
        for (const k of ["cls", "over", "tok", "uend", "units"]) f[k] = Int32Array.from(f[k]);
        delete f.bytes;
    };
    for (let b = 0; b < valid.length; b += 100) {
        const batch = valid.slice(b, b + 100);
        const r = spawnSync(TOKCOUNT, ["--enc", encName, "--units", ...batch], { maxBuffer: 1 << 30, encoding: "utf8" });
        if (r.status !== 0) throw new Error(`${TOKCOUNT} failed: ${r.stderr}`);
        let file = null;
        for (const line of r.stdout.split("\n")) {
            if (line === "") continue;
            if (line.startsWith("# ")) {
                const m = line.match(/units (\d+) blocks (\d+) classes (\d+) run (\d+) lens (\d+)/);
                meta = { units: +m[1], blocks: +m[2], classes: +m[3], run: +m[4], lens: +m[5], names: [], unit: [] };
                continue;
            }
            if (line.startsWith("u ")) {
                const [, u, code, kind, ...name] = line.split(" ");
                meta.unit[+u] = { char: +code >= 0 ? String.fromCharCode(+code) : null, kind, name: name.join(" ") };
                continue;
            }
            if (line.startsWith("c ")) {
                const sp = line.indexOf(" ", 2);
                meta.names[+line.slice(2, sp)] = line.slice(sp + 1);
                continue;
            }
            if (line.startsWith("F ")) {
                finish(file);
                const name = line.slice(2);
                const { bytes, text } = texts.get(name);
                file = { name, bytes, real: ref.count(text), off: 0, cls: [], over: [], tok: [], uend: [], units: [] };
                out.push(file);
                continue;
            }
            const [c, l, us, bl, over] = line.split("\t");
            const cls = +c, len = +l;
            const pieceBytes = file.bytes.subarray(file.off, file.off + len);
            file.off += len;
            const lens = ref.tokenLengths(pieceBytes.toString("utf8"));
            const starts = new Set();
            for (let i = 0, o = 0; i < lens.length - 1; i++) starts.add((o += lens[i]));
            const wide = new Map();
            for (const w of bl.split(",")) if (w) {
                const [k, blk, n] = w.split(":").map(Number);
                wide.set(k, [blk, n]);
            }
            for (let i = 0, o = 0; i < us.length; i++) {
                const [blk, n] = wide.get(i) ?? [0, 1];
                let inner = 0;
                for (let k = 1; k < n; k++) inner += starts.has(o + k);
                file.units.push((us.charCodeAt(i) - 32) | (blk << 7) | ((o > 0 && starts.has(o) ? 1 : 0) << 14) | (inner << 15));
                o += n;
            }
            file.cls.push(cls);
            file.over.push(+over);
            file.tok.push(lens.length);
            file.uend.push(file.units.length);
        }
        finish(file);
    }
    return { files: out, meta };
}

// Calls fn(cls, tokens, unitStart, unitEnd, over) for every piece of a file.
function eachPiece(f, fn) {
    for (let p = 0, us = 0; p < f.cls.length; us = f.uend[p++]) fn(f.cls[p], f.tok[p], us, f.uend[p], f.over[p]);
}

// tokens.c's constants, as tokcount reports them.
let RUN, LENS;

// Whether the unit at i repeats the one before it for the RUN-th time or
// more.
function inRun(units, u0, i) {
    let k = 0;
    while (k <= RUN && i - k - 1 >= u0 && U(units[i - k - 1]) === U(units[i])) k++;
    return k >= RUN;
}

// Weighted means that fall back to a prior where the data is thin: with
// n pieces seen (not weighed), the mean moves from the prior to the data as
// n / (n + PRIOR_N).
class Mean {
    constructor(size) {
        this.w = new Float64Array(size);
        this.sum = new Float64Array(size);
        this.n = new Uint32Array(size);
    }
    add(k, w, x) {
        this.w[k] += w;
        this.sum[k] += w * x;
        this.n[k]++;
    }
    get(k, prior) {
        if (!this.n[k]) return prior;
        const t = this.n[k] / (this.n[k] + PRIOR_N);
        return t * (this.sum[k] / this.w[k]) + (1 - t) * prior;
    }
}

function fit(meta, sets, b, ref) {
    const NU = meta.units, NB = meta.blocks, NC = meta.classes;
    const pairs = new Mean(NU * NU), runs = new Mean(NU), blocks = new Mean(NB);
    for (const { files, w } of sets)
        for (const f of files)
            eachPiece(f, (cls, tok, u0, u1) => {
                for (let i = u0; i < u1; i++) {
                    const x = f.units[i];
                    if (inRun(f.units, u0, i)) runs.add(U(x), w, SPLIT(x));
                    else if (i > u0) pairs.add(U(f.units[i - 1]) * NU + U(x), w, SPLIT(x));
                    if (BLK(x)) blocks.add(BLK(x), w, INNER(x));
                }
            });
    let tw = 0, ts = 0;
    for (let k = 0; k < NU * NU; k++) (tw += pairs.w[k]), (ts += pairs.sum[k]);
    const pairMean = ts / tw;
    const pair = new Uint8Array(NU * NU);
    // Non-ASCII symbols are mostly a token each, and two different
    // punctuation characters that the training text rarely puts together
    // are not merged either: a split is the prior for those pairs, the mean
    // of all pairs for the others.
    const symbol = (u) => meta.unit[u].kind === "symbol";
    const punct = (u) => meta.unit[u].kind === "punct";
    for (let k = 0; k < NU * NU; k++) {
        const a = Math.floor(k / NU), c = k % NU;
        const prior = symbol(a) || symbol(c) || (punct(a) && punct(c) && a !== c) ? 1 : pairMean;
        pair[k] = Math.min(63, Math.round(pairs.get(k, prior) * 64));
    }
    // Long runs of one ASCII character: what the tokenizer makes of the
    // character repeated RUN to 512 times (control characters: of "\n");
    // the others from the text, with the pair's own chance as the prior.
    const run = new Int16Array(NU);
    for (let u = 0; u < NU; u++) {
        const ch = meta.unit[u].char;
        const rate = ch
            ? (ref.tokenLengths(ch.repeat(512)).length - ref.tokenLengths(ch.repeat(RUN)).length) / (512 - RUN)
            : runs.get(u, pair[u * NU + u] / 64);
        run[u] = Math.round(rate * SCALE);
    }
    // Two-byte letters merge more than symbols and CJK; a byte that is not
    // UTF-8 (the last block) is one byte, with nothing inside to split.
    const uni = new Int16Array(NB);
    for (let blk = 1; blk < NB; blk++) uni[blk] = Math.round(blocks.get(blk, blk === NB - 1 ? 0 : blk < 16 ? 0.3 : 1) * SCALE);
    const model = { pair, run, uni, corr: new Int16Array(NC), slope: new Int16Array(NC / LENS), NU };
    // Corrections: the mean residual of each class (toward 0 where thin);
    // for the longest length class a least-squares line in the units past
    // it.
    // Words in other scripts are fitted on little text, and lean higher.
    const bias = Array.from({ length: NC }, (_, c) => (/ (latin|nonascii|cjk) /.test(meta.names[c]) ? b + NON_ASCII_MARGIN : b));
    const n = new Uint32Array(NC), W = new Float64Array(NC), sr = new Float64Array(NC);
    const sx = new Float64Array(NC), sxx = new Float64Array(NC), sxr = new Float64Array(NC);
    for (const { files, w } of sets)
        for (const f of files)
            eachPiece(f, (cls, tok, u0, u1, over) => {
                const r = bias[cls] * tok * SCALE - rawCost(model, f.units, u0, u1);
                n[cls]++;
                W[cls] += w;
                sr[cls] += w * r;
                sx[cls] += w * over;
                sxx[cls] += w * over * over;
                sxr[cls] += w * over * r;
            });
    for (let c = 0; c < NC; c++) {
        if (!n[c]) continue;
        const mx = sx[c] / W[c], mr = sr[c] / W[c], varx = sxx[c] / W[c] - mx * mx;
        const slope = varx > 0 && n[c] >= PRIOR_N ? Math.max(0, (sxr[c] / W[c] - mx * mr) / varx) : 0;
        if (sx[c] > 0) model.slope[Math.floor(c / LENS)] = Math.round(slope);
        model.corr[c] = Math.round((mr - slope * mx) * (n[c] / (n[c] + PRIOR_N)));
    }
    return model;
}

// What tokens.c computes for a piece, before the class correction.
function rawCost(m, units, u0, u1) {
    let c = SCALE;
    for (let i = u0; i < u1; i++) {
        const x = units[i];
        if (inRun(units, u0, i)) c += m.run[U(x)];
        else if (i > u0) c += 4 * m.pair[U(units[i - 1]) * m.NU + U(x)];
        if (BLK(x)) c += m.uni[BLK(x)];
    }
    return c;
}

function cost(m, f, cls, u0, u1, over) {
    return Math.max(0, rawCost(m, f.units, u0, u1) + m.corr[cls] + (over ? over * m.slope[Math.floor(cls / LENS)] : 0));
}

function estimate(m, f) {
    let sum = 0;
    eachPiece(f, (cls, tok, u0, u1, over) => (sum += cost(m, f, cls, u0, u1, over)));
    return Math.floor((sum + SCALE / 2) / SCALE);
}

function report(label, m, files) {
    let real = 0, est = 0;
    const errs = files.map((f) => {
        const e = estimate(m, f);
        real += f.real;
        est += e;
        return e / f.real - 1;
    });
    const abs = errs.map(Math.abs).sort((a, b) => a - b);
    const q = (a, p) => a[Math.min(a.length - 1, Math.floor(a.length * p))];
    const pct = (x) => (x * 100).toFixed(1).padStart(6) + "%";
    console.log(
        `${label.padEnd(26)} files ${String(files.length).padStart(5)}  aggregate ${pct(est / real - 1)}  |err| p50 ${pct(q(abs, 0.5))} p90 ${pct(q(abs, 0.9))}  worst under ${pct(Math.min(...errs))}  over ${pct(Math.max(...errs))}  under >5% ${errs.filter((e) => e < -0.05).length}`,
    );
}

// The files the estimate undercounts most, and the piece classes that
// account for it: where to look when improving the scanner or classes.
function worst(m, files, n, names) {
    const rows = files.map((f) => ({ f, err: estimate(m, f) / f.real - 1 })).sort((a, b) => a.err - b.err);
    for (const { f, err } of n > 0 ? rows.slice(0, n) : rows.slice(n)) {
        const by = new Map();
        eachPiece(f, (cls, tok, u0, u1, over) => {
            const r = by.get(cls) ?? [0, 0, 0];
            r[0]++;
            r[1] += tok;
            r[2] += cost(m, f, cls, u0, u1, over) / SCALE;
            by.set(cls, r);
        });
        const top = [...by].sort((a, b) => a[1][2] - a[1][1] - (b[1][2] - b[1][1])).slice(0, 4);
        console.log(`  ${(err * 100).toFixed(1)}% ${f.real} tokens ${f.name}`);
        for (const [c, [k, real, est]] of top) console.log(`      ${names[c]}: ${k} pieces, ${real} tokens, estimated ${est.toFixed(0)}`);
    }
}

const tableName = (encName, t) => `${encName}_${t}`;

function emitC(encName, meta, m) {
    const lines = [`static const char ${tableName(encName, "pair")}[NUNITS + 1][NUNITS + 1] = {`];
    for (let a = 0; a < meta.units; a++) {
        let row = "";
        for (let b = 0; b < meta.units; b++) {
            const ch = String.fromCharCode(48 + m.pair[a * meta.units + b]);
            row += ch === "\\" ? "\\\\" : ch === "?" ? "\\?" : ch;
        }
        lines.push(`    "${row}", /* ${meta.unit[a].name.replace("*/", "* /")} */`);
    }
    lines.push(`    "${"0".repeat(meta.units)}", /* before the first character */`, "};");
    const nums = (arr, per) => {
        const out = [];
        for (let i = 0; i < arr.length; i += per) out.push("    " + Array.from(arr.slice(i, i + per)).join(", ") + ",");
        return out;
    };
    lines.push(`static const short ${tableName(encName, "run")}[NUNITS] = {`, ...nums(m.run, 16), "};");
    lines.push(`static const short ${tableName(encName, "uni")}[NBLOCKS] = {`, ...nums(m.uni, 16), "};");
    lines.push(`static const short ${tableName(encName, "corr")}[NCLASSES] = {`, ...nums(m.corr, 20), "};");
    lines.push(`static const short ${tableName(encName, "slope")}[NCLASSES / LENS] = {`, ...nums(m.slope, 16), "};");
    return lines.join("\n");
}

const all = corpora({ multilingual: true });
const blocks = [];
for (const encName of ENCODINGS) {
    const ref = reference(encName);
    const train = [], test = [];
    let meta;
    for (const [name, c] of Object.entries(all)) {
        // The multilingual files are few: all of them train, at a quarter
        // of the weight of an English corpus.
        const few = name === "multilingual";
        if (c.files.length === 0) {
            if (!few) throw new Error(`corpus ${name}: no files found`);
            console.log(`(no multilingual text on this machine: the non-ASCII tables fall back to their priors)`);
            continue;
        }
        const tr = load(encName, few ? c.files : training(c.files), ref);
        const te = load(encName, few ? c.files : heldOut(c.files), ref);
        meta = tr.meta;
        RUN = meta.run;
        LENS = meta.lens;
        train.push({ name, files: tr.files, weight: few ? MULTILINGUAL_WEIGHT : 1 });
        test.push({ name: few ? `${name} (trained on)` : name, files: te.files });
    }
    const tokens = train.map((s) => s.files.reduce((n, f) => n + f.real, 0));
    const mean = tokens.reduce((a, b) => a + b, 0) / tokens.length;
    const model = fit(meta, train.map((s, i) => ({ files: s.files, w: (s.weight * mean) / tokens[i] })), bias, ref);
    console.log(`== ${encName}, bias ${bias}: held-out half (training half in brackets)`);
    for (let i = 0; i < test.length; i++) {
        report(test[i].name, model, test[i].files);
        report(`  [${train[i].name}]`, model, train[i].files);
    }
    if (opt("--worst")) worst(model, test.flatMap((t) => t.files), +opt("--worst"), meta.names);
    blocks.push(emitC(encName, meta, model));
}

const block = `/* BEGIN FITTED TABLES: written by tests/tokens/fit.mjs (bias ${bias}) */\n${blocks.join("\n")}\n/* END FITTED TABLES */`;
if (WRITE) {
    const file = path.join(ROOT, "query/tokens_tables.c");
    const src = fs.readFileSync(file, "utf8");
    const re = /\/\* BEGIN FITTED TABLES[^]*?\/\* END FITTED TABLES \*\//;
    if (!re.test(src)) throw new Error("query/tokens_tables.c has no FITTED TABLES markers");
    fs.writeFileSync(file, src.replace(re, () => block));
    console.log("wrote the tables into query/tokens_tables.c");
} else {
    console.log(block);
}
