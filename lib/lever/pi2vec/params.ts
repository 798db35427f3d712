/**
 * How a library's policies are embedded for launched runs and the site (spec/lever.md §3): closed-form
 * LSTD successor features [OURS] (the faithful MLP ψ over every policy costs minutes; `lever
 * experiment --library-sf mlp` selects it) over 128 canonical states per spec, seed 0.
 * lib/lever/experiment/params.ts `experimentDefaults`, the policies artefact and the π2vec agreement
 * read it, so one cached embedding file serves the experiment and the pages. Its own module, light on
 * imports: an artefact keyed by its code's import graph does not depend on composition through it.
 */
import type {SfMethod} from "./embedding.js";

export const LIBRARY_EMBEDDING: Readonly<{method: SfMethod; canonical: number; seed: number}> = Object.freeze({method: "lstd", canonical: 128, seed: 0});
