/**
 * `lever agreement`: the π2vec LSTD-vs-MLP agreement (runtime/pi2vec-agreement.ts, spec/lever.md §3.4) on
 * any subset of the grid16 X1 library's policies. The build ships the profile's stated subset (paper: the
 * 60 % snapshot of seeds 0–4, 40 policies; lib/core/profile.ts); `--snapshots 20,60,80` runs all 120
 * (≈ 4 CPU-s per policy with the [main] ψ network). Prints the artefact's JSON, or writes it to --out.
 */
import {parseSpecSet} from "../../lib/lever/env/layout.js";
import {AGREEMENT_LABELS, agreementArtefact} from "../../runtime/pi2vec-agreement.js";
import {atomicWrite} from "../../runtime/fs.js";
import {list, log, parseFlags, parseSeedList, PROFILE_FLAG, profileFlag, quote, text, UsageError, type Flags} from "../args.js";
import {PROFILE_SCOPES} from "../../lib/core/profile.js";

export const usage = `agreement [--profile quick|paper] [--seeds 0-4] [--snapshots ${AGREEMENT_LABELS.join(",")}] [--out FILE]`;

const FLAGS: Flags = {
  profile: PROFILE_FLAG,
  seeds: {type: "string", value: "LIST"},
  snapshots: {type: "string", value: "LIST"},
  out: {type: "string", value: "FILE"},
};

export async function run(argv: string[]): Promise<void> {
  const {values: v} = parseFlags("agreement", argv, FLAGS);
  const profile = profileFlag(v.profile);
  const shipped = PROFILE_SCOPES[profile].agreement;
  const known = parseSpecSet("grid16").seeds;
  const seeds = v.seeds !== undefined ? parseSeedList(text(v, "seeds")) : [...shipped.seeds];
  for (const s of seeds) if (!known.includes(s)) throw new UsageError(`invalid --seeds: seed ${s} is not in the grid16 library (accepted: ${known.join(", ")})`);
  const labels =
    v.snapshots !== undefined
      ? list("snapshots", text(v, "snapshots"), AGREEMENT_LABELS.join(","), (x) => {
          if (!AGREEMENT_LABELS.includes(x)) throw new UsageError(`invalid --snapshots: ${quote(x)} (accepted: ${AGREEMENT_LABELS.join(", ")}, the % of training of the [main] snapshots)`);
          return x;
        })
      : [...shipped.labels];
  const json = await agreementArtefact(profile, log, {seeds, labels});
  if (v.out !== undefined) atomicWrite(text(v, "out"), json);
  else process.stdout.write(json + "\n");
}
