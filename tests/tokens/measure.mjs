// measure.mjs — how close query/tokens.c's estimate is to the real
// tokenizers, on real files it was not fitted on.
//
//   node tests/tokens/measure.mjs [--sample N] [--enc o200k|cl100k] [--tokcount PATH]
//
// Takes up to N files (default 100) evenly from the held-out half of each
// corpus (corpora.mjs), counts them with build/tokcount and with
// js-tiktoken, and prints per corpus and per kind (code, prose): the
// aggregate error (estimated total / real total - 1), the per-file error
// (p50 and p90 of |estimate / real - 1|), the worst under-count and how
// many files are under-counted by more than 5%.  Then it cuts every file
// with tokens_prefix at budgets of 250, 1000 and 4000 tokens and checks the
// real count of each prefix against the budget.
//
// Exits 1 when a corpus is missing or too small, when an aggregate error
// is over MAX_AGGREGATE, when a file is under-counted by more than
// MAX_UNDER (MAX_UNDER_SMALL for files of fewer than SMALL real tokens,
// where a few rare words such as package names move the count: the error
// of an estimate that does not know the vocabulary shrinks with the square
// root of the length), or when a prefix's estimate is over its budget or
// its real count over the budget by more than those same bounds.  The
// default sample keeps the test to seconds; with --sample 100000 (the whole
// held-out half) a few files of generated data (base64 test fixtures,
// symbol tables) fall outside those bounds: see query/tokens.h.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { ROOT, corpora, heldOut, readText } from "./corpora.mjs";
import { ENCODINGS, reference } from "./reference.mjs";

const MAX_AGGREGATE = 0.05;
const MAX_UNDER = 0.08;
const MAX_UNDER_SMALL = 0.12;
const SMALL = 1000;
const MIN_FILES = 50;
const BUDGETS = [250, 1000, 4000];

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : dflt;
};
const SAMPLE = Number(opt("--sample", 100));
const TOKCOUNT = path.resolve(ROOT, opt("--tokcount", "build/tokcount"));
const encodings = opt("--enc") ? [opt("--enc")] : ENCODINGS;

const failures = [];
const fail = (msg) => {
    failures.push(msg);
    console.log(`FAIL ${msg}`);
};
const pct = (x) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;
const quantile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

function evenly(files, n) {
    if (files.length <= n) return files;
    return Array.from({ length: n }, (_, i) => files[Math.floor((i * files.length) / n)]);
}

function tokcount(args, files) {
    const out = new Map();
    for (let b = 0; b < files.length; b += 200) {
        const r = spawnSync(TOKCOUNT, [...args, ...files.slice(b, b + 200)], { encoding: "utf8", maxBuffer: 1 << 26 });
        if (r.status !== 0) throw new Error(`${TOKCOUNT} ${args.join(" ")} failed: ${r.stderr || r.error}`);
        for (const line of r.stdout.split("\n")) {
            if (!line) continue;
            const [a, b2, file] = line.split("\t");
            out.set(file, [Number(a), Number(b2)]);
        }
    }
    return out;
}

function summary(label, rows) {
    const real = rows.reduce((n, r) => n + r.real, 0);
    const est = rows.reduce((n, r) => n + r.est, 0);
    const errs = rows.map((r) => r.est / r.real - 1);
    const abs = errs.map(Math.abs).sort((a, b) => a - b);
    const agg = est / real - 1;
    const worst = rows.reduce((w, r) => (r.est / r.real < w.est / w.real ? r : w), rows[0]);
    console.log(
        `    ${label.padEnd(16)} ${String(rows.length).padStart(4)} files ${String(real).padStart(8)} tokens  aggregate ${pct(agg).padStart(6)}  per file p50 ${pct(quantile(abs, 0.5)).padStart(6)} p90 ${pct(quantile(abs, 0.9)).padStart(6)}  worst ${pct(worst.est / worst.real - 1).padStart(6)}  under 5%: ${errs.filter((e) => e < -0.05).length}`,
    );
    return { agg, worst };
}

const all = corpora();
for (const enc of encodings) {
    const ref = reference(enc);
    console.log(`${enc}: estimate against js-tiktoken, held-out files of 1-40 KB`);
    const kinds = {};
    const prefixFiles = [];
    for (const [name, corpus] of Object.entries(all)) {
        const sample = evenly(heldOut(corpus.files), SAMPLE);
        if (sample.length < Math.min(SAMPLE, MIN_FILES)) {
            fail(`${enc} ${name}: only ${sample.length} files found`);
            continue;
        }
        const texts = new Map();
        for (const f of sample) {
            const t = readText(f);
            if (t) texts.set(f, t);
        }
        const files = [...texts.keys()];
        const counts = tokcount(["--enc", enc], files);
        const rows = files.map((f) => ({ file: f, real: ref.count(texts.get(f).text), est: counts.get(f)[0] }));
        const { agg, worst } = summary(name, rows);
        if (Math.abs(agg) > MAX_AGGREGATE) fail(`${enc} ${name}: aggregate error ${pct(agg)}`);
        for (const r of rows)
            if (r.est < r.real * (1 - (r.real < SMALL ? MAX_UNDER_SMALL : MAX_UNDER))) fail(`${enc} ${r.file}: estimated ${r.est}, real ${r.real} (${pct(r.est / r.real - 1)})`);
        if (worst.est < worst.real * 0.95) console.log(`      worst: ${worst.file}`);
        (kinds[corpus.kind] ??= []).push(...rows);
        prefixFiles.push(...files.map((f) => [f, texts.get(f)]));
    }
    for (const [kind, rows] of Object.entries(kinds)) {
        const { agg } = summary(`all ${kind}`, rows);
        if (Math.abs(agg) > MAX_AGGREGATE) fail(`${enc} ${kind}: aggregate error ${pct(agg)}`);
    }

    // tokens_prefix: the estimate of the cut never over the budget, its
    // real count within the same bounds as a file's, the cut at a line end.
    let cuts = 0;
    for (const budget of BUDGETS) {
        const got = tokcount(["--enc", enc, "--prefix", String(budget)], prefixFiles.map(([f]) => f));
        const allowed = budget * (1 + (budget < SMALL ? MAX_UNDER_SMALL : MAX_UNDER));
        let n = 0, lineEnds = 0, worst = 0;
        for (const [f, { bytes }] of prefixFiles) {
            const [cut, est] = got.get(f);
            if (cut === bytes.length) continue;
            n++;
            if (est > budget) fail(`${enc} prefix of ${f} for ${budget} tokens: estimate ${est}`);
            const real = ref.count(bytes.subarray(0, cut).toString("utf8"));
            worst = Math.max(worst, real / budget);
            if (real > allowed) fail(`${enc} prefix of ${f} for ${budget} tokens: real count ${real}`);
            if (cut > 0 && bytes[cut - 1] === 0x0a) lineEnds++;
        }
        cuts += n;
        console.log(`    prefix ${String(budget).padStart(4)} tokens: ${n} files cut, ${lineEnds} at a line end; real count at most ${pct(worst - 1)} of the budget`);
    }
    if (cuts === 0) fail(`${enc}: no file was long enough to cut`);
}
console.log(failures.length ? `measure: ${failures.length} failures` : "measure: all within bounds");
process.exit(failures.length ? 1 : 0);
