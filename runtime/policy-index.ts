/**
 * The policy vector DB as hnswlib-wasm index bytes (the artefact src/data/policy-index.hnsw; Node only), one
 * lib/core/container.ts file holding, per library of the profile:
 *   - `<key>.text`: a cosine HNSW index over the policies' *description* embeddings (lib/lever/retrieval/text-embed.ts),
 *     label = insertion index (spec §4: the reference indexes the text description, not the π2vec
 *     vector; all policies of one reward system share one vector);
 *   - `<key>.pi2vec`: a cosine HNSW index over the z-scored π2vec (LSTD) embeddings [OURS], for
 *     "policies that behave like this one" (z-scoring, because raw dimensions differ in scale by 10³);
 *   - metadata mapping labels back: {name, spec, reward, seed ("0003"), label} per policy, the HNSW
 *     parameters, and the z-score mean and std.
 * Bytes come from lib/lever/retrieval/hnsw.ts `indexToBytes` and load in the page with `indexFromBytes`.
 */
import {encodePolicyIndex, POLICY_INDEX_FORMAT, type LibraryIndex, type PolicyIndexMeta} from "../lib/lever/artefacts.js";
import {buildIndex, DEFAULT_HNSW_PARAMS, disposeIndex, indexToBytes} from "../lib/lever/retrieval/hnsw.js";
import {standardize} from "../lib/core/standardize.js";
import {seed4} from "../lib/lever/library/runs.js";
import {EMBED_DIM, POLICY_DESCRIPTIONS, embedTexts} from "../lib/lever/retrieval/text-embed.js";
import type {RewardSystemName} from "../lib/lever/env/rewards.js";
import type {Profile} from "../lib/core/profile.js";
import {loadHnswlibNode} from "./hnsw-node.js";
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {cachedFile, cacheKey, cacheRoot, digestOf} from "./cache.js";
import {loadPolicyLibraries, policiesArtefact} from "./policies.js";

type Log = (line: string) => void;

/**
 * src/data/policy-index.hnsw, cached by the policies it indexes (the bytes of policies.bin), the HNSW
 * parameters and this code: the index loader and the downloads manifest (runtime/downloads.ts) read
 * the same bytes, so the manifest's sha256 is the served file's (the index records its build seconds,
 * so two computations differ).
 */
export async function policyIndexArtefact(profile: Profile, log: Log): Promise<Uint8Array> {
  const policies = digestOf(await policiesArtefact(profile, log)).sha256;
  const key = cacheKey("policy-index", {profile, policies, params: DEFAULT_HNSW_PARAMS}, [new URL(import.meta.url)]);
  const file = await cachedFile(join(cacheRoot(), `policy-index-${profile}-${key}.lvr`), () => computePolicyIndex(profile, log), log, "policy-index");
  return new Uint8Array(readFileSync(file));
}

async function computePolicyIndex(profile: Profile, log: Log): Promise<Uint8Array> {
  const libraries = await loadPolicyLibraries(profile, log);
  const lib = await loadHnswlibNode();
  const meta: PolicyIndexMeta = {format: POLICY_INDEX_FORMAT, profile, params: DEFAULT_HNSW_PARAMS, libraries: []};
  const indices: LibraryIndex[] = [];
  for (const l of libraries) {
    const {key, dim} = l.meta;
    const policies = l.meta.policies;
    const t0 = performance.now();
    const descriptions = policies.map((p) => POLICY_DESCRIPTIONS[p.reward as RewardSystemName]);
    const text = buildIndex(lib, embedTexts(descriptions), EMBED_DIM);
    const textBytes = await indexToBytes(text);
    disposeIndex(text);
    const z = standardize(l.embedding, policies.length, dim);
    const behaviour = buildIndex(lib, z.data, dim);
    const pi2vecBytes = await indexToBytes(behaviour);
    disposeIndex(behaviour);
    indices.push({text: textBytes, pi2vec: pi2vecBytes, zMean: z.mean, zStd: z.std});
    const seconds = (performance.now() - t0) / 1000;
    log(`policy-index ${key}: ${policies.length} policies, text ${textBytes.byteLength} B, pi2vec ${pi2vecBytes.byteLength} B (${seconds.toFixed(2)} s)`);
    meta.libraries.push({
      key,
      count: policies.length,
      textDim: EMBED_DIM,
      pi2vecDim: dim,
      seconds,
      entries: policies.map((p) => ({name: p.name, spec: p.spec, reward: p.reward, seed: seed4(p.seed), label: p.label})),
    });
  }
  return encodePolicyIndex(meta, indices);
}
