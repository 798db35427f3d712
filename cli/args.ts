/** Flag values shared by the CLI's commands. */

/** "0-4", "0,2,3" or "1" → [0, 1, 2, 3, 4] etc. (duplicates dropped, order kept). */
export function parseSeedList(value: string): number[] {
  const out: number[] = [];
  for (const part of value.split(",").map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new RangeError(`invalid --seeds: ${JSON.stringify(value)} (expected e.g. 0-4 or 0,2,3)`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw new RangeError(`invalid --seeds: ${JSON.stringify(part)} (range end before start)`);
    for (let s = a; s <= b; s++) if (!out.includes(s)) out.push(s);
  }
  if (out.length === 0) throw new RangeError(`invalid --seeds: empty`);
  return out;
}
