// corpora.mjs — the real files the token estimate is fitted and tested on,
// shared by fit.mjs and measure.mjs.
//
// Four corpora, each a list of files of realistic chunk size (1 to 40 KB),
// sorted by path: the Python standard library's .py files, the C headers
// directly in /usr/include, the JavaScript of the machine's npm, and the
// TIL Markdown notes in ../shared/corpora/til.  Files at even
// positions of each list are the training half (fit.mjs); files at odd
// positions are held out for measuring (measure.mjs).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const MIN_BYTES = 1024;
export const MAX_BYTES = 40 * 1024;

function walk(dir, ext, out = []) {
    let entries;
    try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
        return out;
    }
    for (const e of entries) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p, ext, out);
        else if (e.isFile() && e.name.endsWith(ext)) out.push(p);
    }
    return out;
}

function command(cmd, args) {
    try {
        return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
        return "";
    }
}

// The npm package that runs `npm`: $(npm root -g)/npm where Node.js
// carries its own npm, /usr/share/nodejs/npm with Debian's npm package.
function npmDir() {
    for (let dir = path.dirname(fs.realpathSync(command("sh", ["-c", "command -v npm"]) || "/")); dir !== "/"; dir = path.dirname(dir)) {
        try {
            if (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).name === "npm") return dir;
        } catch {
            // not the package's root yet
        }
    }
    const root = command("npm", ["root", "-g"]);
    return root && fs.existsSync(path.join(root, "npm")) ? path.join(root, "npm") : "";
}

function sized(files) {
    return files
        .filter((f) => {
            const n = fs.statSync(f).size;
            return n >= MIN_BYTES && n <= MAX_BYTES;
        })
        .sort();
}

// { name: { kind: "code"|"prose", files: [...] } }; a corpus missing on
// this machine has no files (callers decide whether that is an error).
// With `multilingual`, also the little non-English text there is (CJK test
// data of the Python standard library, the translations of an npm
// package): fit.mjs trains the non-ASCII tables on all of it.
export function corpora({ multilingual = false } = {}) {
    const stdlib = command("python3", ["-c", "import sysconfig;print(sysconfig.get_paths()['stdlib'])"]);
    const npm = npmDir();
    const shared = process.env.CAIRN_SHARED || path.join(ROOT, "..", "shared");
    const include = (() => {
        try {
            return fs.readdirSync("/usr/include").filter((f) => f.endsWith(".h")).map((f) => path.join("/usr/include", f));
        } catch {
            return [];
        }
    })();
    return {
        python: { kind: "code", files: sized(stdlib ? walk(stdlib, ".py").filter((f) => !f.includes("/site-packages/")) : []) },
        c: { kind: "code", files: sized(include) },
        js: { kind: "code", files: sized(npm ? walk(npm, ".js") : []) },
        markdown: { kind: "prose", files: sized(walk(path.join(shared, "corpora", "til"), ".md")) },
        ...(multilingual && {
            multilingual: {
                kind: "prose",
                files: [
                    ...(stdlib ? walk(path.join(stdlib, "test", "cjkencodings"), "-utf8.txt") : []),
                    ...(npm ? walk(path.join(npm, "node_modules", "tiny-relative-date", "translations"), ".js") : []),
                ].sort(),
            },
        }),
    };
}

export const training = (files) => files.filter((_, i) => i % 2 === 0);
export const heldOut = (files) => files.filter((_, i) => i % 2 === 1);

// Files that are valid UTF-8: what a model is given.
const strict = new TextDecoder("utf-8", { fatal: true });
export function readText(file) {
    const bytes = fs.readFileSync(file);
    try {
        return { bytes, text: strict.decode(bytes) };
    } catch {
        return null;
    }
}
