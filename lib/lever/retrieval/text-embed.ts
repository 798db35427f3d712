/**
 * Deterministic offline text embedding for policy retrieval (spec/lever.md §4).
 *
 * STAND-IN, NOT THE REFERENCE MODEL. The reference embeds policy descriptions and sub-queries with the
 * sentence-transformers model `Alibaba-NLP/gte-multilingual-base` (768-d, normalize_embeddings=True) and
 * searches a FAISS IndexFlatIP, so inner product = cosine. No model can be downloaded here, so this module
 * replaces it with a hashed bag of features:
 *
 *   - normalisation (lib/lever/retrieval/tokenize.ts): lowercase, clauses, phrases, a small stemmer and a
 *     synonym table that maps words of one concept to one token ("fastest/quickest/shortest/asap" → fast,
 *     "coins/treasure" → gold, "switch/activate/pull" → lever, "traps/pits/dodge/avoid" → hazard, …);
 *     stop words ("the", "as", "much", "possible", …) are dropped, and so are the tokens a negation turns
 *     around ("don't collect the gold" embeds without gold; "don't step on hazards" keeps hazard). Word
 *     order changes only the bigrams;
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
import {tokenize} from "./tokenize.js";

export {stem, SYNONYMS, type Token, tokenize} from "./tokenize.js";

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
  const tokens = tokenize(text)
    .filter((t) => !t.negated)
    .map((t) => t.token);
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
