// bench.mjs — throughput of the real tokenizer (js-tiktoken), for
// bench/tokens.sh to set next to build/tokcount --bench on the same files.
//
//   node tests/tokens/bench.mjs [--enc o200k|cl100k] SECONDS FILE...
//
// Prints "files N bytes B tokens T rounds R seconds S MB/s X", the time
// being this process's CPU time, as tokcount's is.
import fs from "node:fs";
import { reference } from "./reference.mjs";

const argv = process.argv.slice(2);
let enc = "o200k";
if (argv[0] === "--enc") {
    enc = argv[1];
    argv.splice(0, 2);
}
const seconds = Number(argv.shift());
const texts = argv.map((f) => fs.readFileSync(f, "utf8"));
const bytes = argv.reduce((n, f) => n + fs.statSync(f).size, 0);
const ref = reference(enc);
const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
};
const t0 = cpu();
let rounds = 0, tokens = 0, t;
do {
    tokens = 0;
    for (const text of texts) tokens += ref.count(text);
    rounds++;
} while ((t = cpu() - t0) < seconds);
console.log(`files ${texts.length} bytes ${bytes} tokens ${tokens} rounds ${rounds} seconds ${t.toFixed(3)} MB/s ${((bytes * rounds) / t / 1e6).toFixed(1)}`);
