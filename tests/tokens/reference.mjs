// reference.mjs — the real tokenizers (js-tiktoken's o200k_base and
// cl100k_base ranks), as the ground truth for query/tokens.c.
import { Tiktoken } from "js-tiktoken/lite";
import cl100k from "js-tiktoken/ranks/cl100k_base";
import o200k from "js-tiktoken/ranks/o200k_base";

const RANKS = { o200k, cl100k };
export const ENCODINGS = Object.keys(RANKS);

export function reference(name) {
    const enc = new Tiktoken(RANKS[name]);
    const memo = new Map();
    return {
        // Tokens of a whole text; special-token strings such as
        // <|endoftext|> count as the ordinary text they are in a file.
        count: (text) => enc.encode(text, [], []).length,
        // Byte lengths of the tokens of one piece of text, memoized since
        // pieces repeat (" the", "self", "    ").
        tokenLengths(piece) {
            let lens = memo.get(piece);
            if (!lens) {
                lens = enc.encode(piece, [], []).map((t) => enc.textMap.get(t).length);
                if (memo.size > 2_000_000) memo.clear();
                memo.set(piece, lens);
            }
            return lens;
        },
    };
}
