/**
 * The artefact src/data/downloads.json (Node only): a manifest of the site's binary files that a reader
 * can take away — the policy library with its embeddings and regressors (policies.bin), its Q-tables
 * and visit counts (policy-tables-<key>.bin, one per library of the profile) and the HNSW indices
 * (policy-index.hnsw) — each with its length, sha256, format and how to read it, plus the profile and
 * the source commit the build ran from. The bytes are those the files' own loaders return (the same
 * runtime functions on the same cache), so the manifest describes the served files exactly.
 */
import {createHash} from "node:crypto";
import {POLICIES_FORMAT, POLICY_INDEX_FORMAT, POLICY_TABLES_FORMAT} from "../lib/lever/artefacts.js";
import type {Profile} from "../lib/core/profile.js";
import {libraryPlan} from "../lib/lever/library/plan.js";
import {policiesArtefact, policyTablesArtefact} from "./policies.js";
import {policyIndexArtefact} from "./policy-index.js";

type Log = (line: string) => void;

export const DOWNLOADS_FORMAT = "lever-downloads/1";

/** The libraries whose tables the site ships as src/data/policy-tables-<key>.bin (one stub each). */
export const TABLE_KEYS = ["grid16", "grid32"] as const;

/** The binary container every file uses (lib/core/container.ts). */
export const CONTAINER_LAYOUT =
  'bytes 0-3 "LVR1"; bytes 4-7 the header length n (uint32, little endian); then n bytes of UTF-8 JSON {meta, sections: [{name, dtype, offset, length}]}; ' +
  "zero padding to a multiple of 8; then the sections, each 8-byte aligned, offsets relative to the end of the padded header, length in elements of dtype (f64, f32, u32, i32, u8, i8, u16; little endian)";

export interface DownloadFile {
  /** The file's name under data/ on the site. */
  file: string;
  bytes: number;
  sha256: string;
  /** The `meta.format` inside the file's header. */
  format: string;
  description: string;
  /** The functions that read it (repository paths). */
  reader: string;
}

export interface DownloadsManifest {
  format: typeof DOWNLOADS_FORMAT;
  profile: string;
  /** The source commit the build ran from (cli/provenance.ts), and whether the tree had uncommitted changes. */
  commit: string;
  dirty: boolean;
  container: string;
  files: DownloadFile[];
}

export interface ManifestInput {
  file: string;
  format: string;
  description: string;
  reader: string;
  data: Uint8Array;
}

/** The manifest of `files` (pure: length and sha256 of each file's bytes, in the order given). */
export function manifestOf(files: readonly ManifestInput[], o: {profile: string; commit: string; dirty: boolean}): DownloadsManifest {
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.file)) throw new RangeError(`invalid downloads: ${f.file} is listed twice`);
    seen.add(f.file);
  }
  return {
    format: DOWNLOADS_FORMAT,
    profile: o.profile,
    commit: o.commit,
    dirty: o.dirty,
    container: CONTAINER_LAYOUT,
    files: files.map(({data, ...f}) => ({
      file: f.file,
      bytes: data.byteLength,
      sha256: createHash("sha256").update(data).digest("hex"),
      format: f.format,
      description: f.description,
      reader: f.reader,
    })),
  };
}

/** src/data/downloads.json: the manifest of this profile's policy library, tables and indices. */
export async function downloadsArtefact(profile: Profile, source: {commit: string; dirty: boolean}, log: Log): Promise<string> {
  const keys = libraryPlan(profile)
    .map((p) => p.specSet.name)
    .filter((k) => (TABLE_KEYS as readonly string[]).includes(k));
  const files: ManifestInput[] = [
    {
      file: "policies.bin",
      format: POLICIES_FORMAT,
      description:
        "every library policy: metadata (name, spec, reward system, seed, snapshot), π2vec LSTD embedding, greedy reward, the linear and gradient-boosted regressors' cross-validated and in-sample predictions and metrics, canonical states, layouts",
      reader: "lib/lever/artefacts.ts decodePolicies",
      data: await policiesArtefact(profile, log),
    },
    ...(await Promise.all(
      keys.map(async (key) => ({
        file: `policy-tables-${key}.bin`,
        format: POLICY_TABLES_FORMAT,
        description: `the ${key} library's tables: the Float64 Q-table and Uint32 cumulative visit counts of every policy snapshot (policies × states × 4 actions, in policies.bin's order) and the final Q-table of every run`,
        reader: "lib/lever/artefacts.ts decodePolicyTables",
        data: await policyTablesArtefact(profile, key, log),
      })),
    )),
    {
      file: "policy-index.hnsw",
      format: POLICY_INDEX_FORMAT,
      description:
        "per library, two cosine hnswlib indices (the policies' description embeddings, spec §4; the z-scored π2vec embeddings) with the label → policy mapping and the z-score mean and std",
      reader: "lib/lever/artefacts.ts decodePolicyIndex, then lib/lever/retrieval/hnsw.ts indexFromBytes",
      data: await policyIndexArtefact(profile, log),
    },
  ];
  const manifest = manifestOf(files, {profile, ...source});
  log(`downloads: ${manifest.files.map((f) => `${f.file} ${f.bytes} B`).join(", ")}`);
  return JSON.stringify(manifest, null, 1);
}
