/**
 * Deterministic offline text embedding for policy retrieval (spec/lever.md §4).
 *
 * STAND-IN, NOT THE REFERENCE MODEL. The reference embeds policy descriptions and sub-queries with the
 * sentence-transformers model `Alibaba-NLP/gte-multilingual-base` (768-d, normalize_embeddings=True) and
 * searches a FAISS IndexFlatIP, so inner product = cosine. No model can be downloaded here, so this module
 * replaces it with a hashed bag of features:
 *
 *   - normalisation: lowercase, punctuation → space, a small stemmer (plural -s/-es, -ing, -ed, -est, -ly)
 *     and a small synonym table that maps words of one concept to one token
 *     ("fastest/quickest/shortest/quickly/fast" → fast, "coins/treasure" → gold, "switch/activate/pull" →
 *     lever, "traps/danger/avoid" → hazard, …); stop words ("the", "as", "much", "possible", …) are dropped;
 *   - features: token unigrams (weight 1), bigrams of consecutive tokens (weight 0.5) and character
 *     trigrams of each token, padded with "#" (total weight 0.5 per token, spread over its trigrams);
 *   - feature hashing: FNV-1a 32-bit into `dim` buckets (default 256) with a hash-derived sign;
 *   - L2 normalisation (a text with no features embeds as the zero vector).
 *
 * Cosine scores of this embedding are NOT comparable with the reference's gte scores: the spec's
 * thresholds (> 0.7 in experiments, > 0.6 in the CLI demo) are kept as the faithful setting, but whether a
 * given string clears them is a property of this stand-in, reported in test/retrieval/.
 */
import {REWARD_SYSTEMS, parseRewardSystem, type RewardSystemName} from "../env/rewards.js";

/** Embedding dimension used by default (the reference's gte model has 768). */
export const EMBED_DIM = 256;

/**
 * The fixed description of each library reward system (spec §4, verbatim: exact strings matter for
 * retrieval). All policies of one reward system share one description, hence one vector.
 */
export const POLICY_DESCRIPTIONS: Readonly<Record<RewardSystemName, string>> = {
  path: "Find the shortest path to the exit.",
  gold: "Collect as much gold as possible before exiting.",
  lever: "Activate the lever before reaching the exit.",
  hazard: "Reach the exit while avoiding hazards and staying away from them.",
  "hazard-lever": "Activate the lever and avoid hazards while reaching the exit.",
  "path-gold": "Find the fastest exit and collect as much gold as possible.",
  "path-gold-hazard": "Find the fastest exit, collect as much gold as possible, and avoid hazards.",
  "path-gold-hazard-lever": "Find the fastest exit, collect as much gold as possible, avoid hazards, and activate the lever.",
};

/**
 * Description of a reward system: the fixed string of §4 for the 8 library systems, otherwise the
 * reference's fallback "Composite objective: a, b." with the components in canonical order
 * (path, gold, hazard, lever) [INFERRED: the spec gives only the template]. Throws on invalid names.
 */
export function describeRewardSystem(name: string): string {
  const system = parseRewardSystem(name);
  if ((REWARD_SYSTEMS as readonly string[]).includes(system.name)) return POLICY_DESCRIPTIONS[system.name as RewardSystemName];
  return `Composite objective: ${system.name.split("-").join(", ")}.`;
}

/** Words dropped before featurisation (function words and the filler of "as much … as possible"). */
const STOP_WORDS = new Set([
  "a",
  "an",
  "the",
  "and",
  "or",
  "to",
  "of",
  "in",
  "on",
  "at",
  "as",
  "is",
  "it",
  "its",
  "be",
  "by",
  "for",
  "with",
  "from",
  "them",
  "they",
  "this",
  "that",
  "all",
  "much",
  "many",
  "possible",
  "cost",
  "costs",
  "while",
  "then",
  "also",
  "any",
  "every",
  "you",
  "your",
  "please",
  "can",
  "should",
  "must",
  "will",
  "i",
  "we",
  "me",
  "my",
  "our",
  "so",
  "too",
  "very",
  "up",
  "before",
  "after",
  "first",
  "once",
  "stay",
  "staying",
  "keep",
  "keeping",
  "make",
  "sure",
  "try",
  "trying",
]);

/**
 * Synonym table: surface word (or its stem) → concept token. Concept tokens are plain words so that the
 * explanation of a decomposition (lib/lever/retrieval/decompose.ts) can name them.
 */
export const SYNONYMS: Readonly<Record<string, string>> = {
  // speed / shortest route → "fast"
  fast: "fast",
  fastest: "fast",
  faster: "fast",
  quick: "fast",
  quickest: "fast",
  quickly: "fast",
  quicker: "fast",
  short: "fast",
  shortest: "fast",
  shorter: "fast",
  rapid: "fast",
  rapidly: "fast",
  speed: "fast",
  speedy: "fast",
  swift: "fast",
  swiftly: "fast",
  efficient: "fast",
  efficiently: "fast",
  asap: "fast",
  hurry: "fast",
  minimal: "fast",
  minimum: "fast",
  few: "fast",
  fewest: "fast",
  // route
  path: "path",
  route: "path",
  way: "path",
  // exit
  exit: "exit",
  goal: "exit",
  door: "exit",
  finish: "exit",
  end: "exit",
  leave: "exit",
  escape: "exit",
  // gold
  gold: "gold",
  coin: "gold",
  treasure: "gold",
  loot: "gold",
  money: "gold",
  golden: "gold",
  // collect
  collect: "collect",
  gather: "collect",
  grab: "collect",
  pick: "collect",
  take: "collect",
  get: "collect",
  obtain: "collect",
  acquire: "collect",
  fetch: "collect",
  harvest: "collect",
  // lever (the object and the act of using it)
  lever: "lever",
  switch: "lever",
  button: "lever",
  handle: "lever",
  activate: "lever",
  pull: "lever",
  flip: "lever",
  press: "lever",
  toggle: "lever",
  trigger: "lever",
  // hazard (the object and keeping clear of it)
  hazard: "hazard",
  trap: "hazard",
  danger: "hazard",
  dangerous: "hazard",
  pit: "hazard",
  lava: "hazard",
  fire: "hazard",
  spike: "hazard",
  avoid: "hazard",
  away: "hazard",
  safe: "hazard",
  safely: "hazard",
  careful: "hazard",
  carefully: "hazard",
  risk: "hazard",
  risky: "hazard",
  // reach
  reach: "reach",
  arrive: "reach",
  go: "reach",
  head: "reach",
  navigate: "reach",
  move: "reach",
  // find
  find: "find",
  locate: "find",
  seek: "find",
  search: "find",
  discover: "find",
};

/** Irregular forms the suffix stemmer would get wrong. */
const IRREGULAR: Readonly<Record<string, string>> = {
  stays: "stay",
  exiting: "exit",
  exits: "exit",
  exited: "exit",
  reaching: "reach",
  reaches: "reach",
  reached: "reach",
  activating: "activate",
  activated: "activate",
  activates: "activate",
  avoiding: "avoid",
  avoids: "avoid",
  avoided: "avoid",
  hazards: "hazard",
  hazardous: "hazard",
  collecting: "collect",
  collects: "collect",
  collected: "collect",
  gets: "get",
  getting: "get",
  got: "get",
  pulling: "pull",
  pulls: "pull",
  pulled: "pull",
  switches: "switch",
  switching: "switch",
  levers: "lever",
  finding: "find",
  finds: "find",
  found: "find",
  going: "go",
  goes: "go",
  heading: "head",
  leaving: "leave",
  picking: "pick",
  taking: "take",
  traps: "trap",
  coins: "coin",
};

/** A small suffix stemmer: irregular table, then -ies, -es/-s (plurals), -ing, -ed, -est, -ly. */
export function stem(word: string): string {
  if (IRREGULAR[word] !== undefined) return IRREGULAR[word];
  if (SYNONYMS[word] !== undefined) return word;
  if (word.length > 4 && word.endsWith("ies")) return word.slice(0, -3) + "y";
  if (word.length > 4 && /(ches|shes|sses|xes)$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss") && !word.endsWith("us")) return word.slice(0, -1);
  if (word.length > 5 && word.endsWith("ing")) return undouble(word.slice(0, -3));
  if (word.length > 4 && word.endsWith("ed")) return undouble(word.slice(0, -2));
  if (word.length > 5 && word.endsWith("est")) return undouble(word.slice(0, -3));
  if (word.length > 4 && word.endsWith("ly")) return word.slice(0, -2);
  return word;
}

function undouble(w: string): string {
  return w.length > 2 && w[w.length - 1] === w[w.length - 2] && !/[aeiou]/.test(w[w.length - 1]) ? w.slice(0, -1) : w;
}

/** One token of a normalised text: the surface word and the token it became. */
export interface Token {
  /** The lowercase word as written (punctuation stripped). */
  readonly word: string;
  /** Concept token (synonym table) or, for words outside the table, the stem. */
  readonly token: string;
  /** Whether `token` came from the synonym table. */
  readonly concept: boolean;
}

/** Lowercase, strip punctuation, drop stop words, stem and map synonyms (see the module comment). */
export function tokenize(text: string): Token[] {
  const words = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ");
  const out: Token[] = [];
  for (const word of words) {
    if (word === "" || STOP_WORDS.has(word)) continue;
    const direct = SYNONYMS[word];
    if (direct !== undefined) {
      out.push({word, token: direct, concept: true});
      continue;
    }
    const s = stem(word);
    if (STOP_WORDS.has(s)) continue;
    const mapped = SYNONYMS[s];
    out.push(mapped !== undefined ? {word, token: mapped, concept: true} : {word, token: s, concept: false});
  }
  return out;
}

/** Feature weights of the hashed bag (one documented params block). */
export interface EmbedOptions {
  /** Output dimension (number of hash buckets). Default 256. */
  dim?: number;
  /** Weight of each token unigram. Default 1. */
  unigram?: number;
  /** Weight of each bigram of consecutive tokens. Default 0.5. */
  bigram?: number;
  /** Total weight of the character trigrams of one token (split evenly). Default 0.5. */
  trigram?: number;
}

/** FNV-1a 32-bit hash of a string's UTF-16 code units. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; ++i) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Embed a text as an L2-normalised Float32Array of length `dim` (see the module comment). Deterministic:
 * the same text and options always give the same bits. A text with no features gives the zero vector.
 */
export function embedText(text: string, options: EmbedOptions = {}): Float32Array {
  const {dim = EMBED_DIM, unigram = 1, bigram = 0.5, trigram = 0.5} = options;
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`invalid embedding dimension: ${dim}`);
  const acc = new Float64Array(dim);
  const add = (feature: string, weight: number) => {
    const h = fnv1a(feature);
    acc[h % dim] += h & 0x80000000 ? -weight : weight;
  };
  const tokens = tokenize(text).map((t) => t.token);
  for (let i = 0; i < tokens.length; ++i) {
    const t = tokens[i];
    add(`u:${t}`, unigram);
    if (i > 0) add(`b:${tokens[i - 1]} ${t}`, bigram);
    const padded = `#${t}#`;
    const n = padded.length - 2;
    for (let j = 0; j < n; ++j) add(`c:${padded.slice(j, j + 3)}`, trigram / n);
  }
  let norm = 0;
  for (let i = 0; i < dim; ++i) norm += acc[i] * acc[i];
  norm = Math.sqrt(norm);
  const out = new Float32Array(dim);
  if (norm > 0) for (let i = 0; i < dim; ++i) out[i] = acc[i] / norm;
  return out;
}

/** Embed many texts into one flat row-major Float32Array of shape [texts.length, dim]. */
export function embedTexts(texts: readonly string[], options: EmbedOptions = {}): Float32Array {
  const dim = options.dim ?? EMBED_DIM;
  const out = new Float32Array(texts.length * dim);
  texts.forEach((t, i) => out.set(embedText(t, options), i * dim));
  return out;
}

/** Cosine similarity of two vectors of equal length (0 if either is zero), computed in float64. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`vector length mismatch: ${a.length} vs ${b.length}`);
  let dot = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < a.length; ++i) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}
