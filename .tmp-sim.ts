import {POLICY_DESCRIPTIONS, embedText, cosine, tokenize} from "./lib/text-embed.ts";
const names = Object.keys(POLICY_DESCRIPTIONS) as (keyof typeof POLICY_DESCRIPTIONS)[];
const vecs = names.map((n) => embedText(POLICY_DESCRIPTIONS[n]));
const qs = [
 "Find the fastest exit and collect as much gold as possible",
 "Find the fastest exit, collect as much gold as possible, avoid hazards at all cost",
 "Find the fastest exit after activating the lever, collect as much gold as possible, avoid hazards at all cost",
 "Reach the exit while avoiding hazards.",
 "Find the fastest exit and collect as much gold as possible, while avoiding hazards.",
 "Activate the lever and reach the exit as quickly as possible.",
 "get the gold fast", "avoid hazards", "pull the lever first", "collect coins and exit quickly while staying away from traps",
 ...names.map(n=>POLICY_DESCRIPTIONS[n]),
];
for (const q of qs) {
  const v = embedText(q);
  const s = vecs.map((d, i) => [names[i], cosine(v, d)] as const).sort((a, b) => b[1] - a[1]);
  console.log(q.slice(0,60).padEnd(60), tokenize(q).map(t=>t.token).join(" "));
  console.log("   ", s.slice(0, 3).map(([n, c]) => `${n}:${c.toFixed(3)}`).join("  "));
}
