/**
 * Output folders of the CLI's runs (Node only): checked before any work, written as one unit.
 *
 * `openOutput(out, layout)` checks the destination first — it is a new or empty folder, or an earlier
 * output of the same command (every file in it is one that command writes), and a folder can be made
 * beside it — and returns a hidden temporary sibling to write into. `commit()` renames the finished
 * folder into place, replacing an earlier output whole; `discard()` removes it. So `--out` never mixes
 * an earlier run's files with a new run's, never receives a half-written run, and never loses or
 * overwrites files that are not a lever output.
 */
import {randomBytes} from "node:crypto";
import {readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from "node:fs";
import {basename, dirname, join, resolve} from "node:path";
import {makeDirs} from "./fs.js";

/**
 * The files a command writes into its output folder: file names (optionally with a content check),
 * sub-folders with their own layout, and markers (at least one must be present for a non-empty
 * folder to count as an earlier output).
 */
export interface OutputLayout {
  /** The command, for messages ("lever experiment"). */
  command: string;
  files: readonly {name: RegExp; check?: (path: string) => boolean}[];
  dirs?: readonly {name: RegExp; layout: Omit<OutputLayout, "command" | "markers">}[];
  /** Names of which one must exist at the top (e.g. experiment.json); none: any matching content. */
  markers?: readonly RegExp[];
}

/** A temporary file of runtime/fs.ts atomicWrite left by an interrupted write. */
const TEMP = /\.tmp-\d+-\d+(-[0-9a-f]+)?$/;

function jsonFormat(prefix: string): (path: string) => boolean {
  return (path) => {
    try {
      const format = (JSON.parse(readFileSync(path, "utf8")) as {format?: unknown}).format;
      return typeof format === "string" && format.startsWith(prefix);
    } catch {
      return false;
    }
  };
}

const RESULT_FILES = {files: [{name: /^full_experiment_results_(trivial|double|triple)\.csv$/}]};

/** `lever experiment` and `lever merge`: DIR/experiment.json and DIR/<spec>/*.csv, or a shard's two files. */
export const EXPERIMENT_OUTPUT: OutputLayout = {
  command: "lever experiment",
  files: [{name: /^experiment\.json$/, check: jsonFormat("lever-experiment/")}, {name: /^shard-\d+-of-\d+\.(csv|json)$/}],
  dirs: [{name: /^[^.]/, layout: RESULT_FILES}],
  markers: [/^experiment\.json$/, /^shard-\d+-of-\d+\.json$/],
};

/** `lever sweep`: the two k-sweep tables. */
export const SWEEP_OUTPUT: OutputLayout = {
  command: "lever sweep",
  files: [{name: /^hybrid_k_sweep(_runs)?\.csv$/}],
  markers: [/^hybrid_k_sweep\.csv$/],
};

/** `lever reproduce`: SUMMARY.md and one experiment or sweep folder per step. */
export const REPRODUCE_OUTPUT: OutputLayout = {
  command: "lever reproduce",
  files: [{name: /^SUMMARY\.md$/}],
  dirs: [{name: /^[^.]/, layout: {files: [...EXPERIMENT_OUTPUT.files, ...SWEEP_OUTPUT.files], dirs: EXPERIMENT_OUTPUT.dirs}}],
  markers: [/^SUMMARY\.md$/],
};

/** `lever library`: manifest.json (a library's) and DIR/<set>/<spec>/<reward>/seed_NNNN.lvr; an interrupted build has no manifest yet. */
export const LIBRARY_OUTPUT: OutputLayout = {
  command: "lever library",
  files: [{name: /^manifest\.json$/, check: jsonFormat("lever-library/")}],
  dirs: [{name: /^[^.]/, layout: {files: [], dirs: [{name: /^[^.]/, layout: {files: [], dirs: [{name: /^[^.]/, layout: {files: [{name: /^seed_\d+\.lvr$/}]}}]}}]}}],
};

/** The first entry of `dir` (relative path) that `layout` does not account for, or null. */
function foreignEntry(dir: string, layout: Omit<OutputLayout, "command" | "markers">, prefix = ""): string | null {
  for (const e of readdirSync(dir, {withFileTypes: true}).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, e.name);
    const rel = prefix + e.name;
    if (e.isDirectory()) {
      if (/^\..*\.lever-(partial|old)-/.test(e.name)) continue; // our own staging, left by a run that was killed
      const sub = layout.dirs?.find((d) => d.name.test(e.name));
      if (!sub) return `${rel}/`;
      const inner = foreignEntry(path, sub.layout, `${rel}/`);
      if (inner) return inner;
    } else {
      if (TEMP.test(e.name) && e.isFile()) continue;
      const f = layout.files.find((x) => x.name.test(e.name));
      if (!f || !e.isFile() || (f.check && !f.check(path))) return rel;
    }
  }
  return null;
}

/** What the destination is: "new" (absent), "empty", or "earlier" (an earlier output of `layout`'s command). */
export type Destination = "new" | "empty" | "earlier";

/**
 * Check `out` before any work; throws a one-line RangeError when it is a file, or a non-empty folder
 * holding anything `layout`'s command does not write (an unrelated folder is never written into).
 */
export function checkDestination(out: string, layout: OutputLayout): Destination {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(out);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return "new";
    throw new RangeError(`cannot use --out ${out}: ${(e as Error).message}`);
  }
  if (!st.isDirectory()) throw new RangeError(`refusing --out ${out}: it is a file, not a folder`);
  let names: string[];
  try {
    names = readdirSync(out);
  } catch (e) {
    throw new RangeError(`cannot use --out ${out}: ${(e as Error).message}`);
  }
  if (names.length === 0) return "empty";
  const foreign = foreignEntry(out, layout);
  const marked = !layout.markers || names.some((n) => layout.markers!.some((m) => m.test(n)));
  if (foreign !== null || !marked)
    throw new RangeError(
      `refusing --out ${out}: it is not empty and not an earlier ${layout.command} output (${foreign !== null ? `${foreign} is not a file it writes` : "none of its files are there"}); give a new or empty folder`,
    );
  return "earlier";
}

/** A run's output being written: `dir` is the temporary folder to fill. */
export interface PendingOutput {
  /** The final folder (`--out`). */
  out: string;
  /** The temporary folder the run writes into (a hidden sibling of `out`). */
  dir: string;
  /** Rename `dir` into place, replacing an earlier output of the same command whole. */
  commit(): void;
  /** Remove `dir` (the run failed); `out` stays as it was. */
  discard(): void;
}

function hiddenSibling(out: string, tag: "partial" | "old"): string {
  return join(dirname(out), `.${basename(out)}.lever-${tag}-${process.pid}-${randomBytes(3).toString("hex")}`);
}

/** Remove hidden siblings of `out` left by runs of it that were killed (their process is gone). */
function removeLeftovers(out: string): void {
  const prefix = `.${basename(out)}.lever-`;
  let names: string[];
  try {
    names = readdirSync(dirname(out));
  } catch {
    return;
  }
  for (const n of names) {
    const m = n.startsWith(prefix) ? /^(partial|old)-(\d+)-[0-9a-f]+$/.exec(n.slice(prefix.length)) : null;
    if (!m) continue;
    try {
      process.kill(Number(m[2]), 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ESRCH") rmSync(join(dirname(out), n), {recursive: true, force: true});
    }
  }
}

/**
 * Check destination `out` (`checkDestination`), create the folder it will be written from (a hidden
 * sibling: the same file system, so the final rename is atomic) and return it. Fails at once, with one
 * line, when no folder can be made there (a read-only or virtual file system such as /proc).
 */
export function openOutput(out: string, layout: OutputLayout): PendingOutput {
  out = resolve(out);
  checkDestination(out, layout);
  removeLeftovers(out);
  const dir = hiddenSibling(out, "partial");
  try {
    makeDirs(dirname(out));
    makeDirs(dir);
  } catch (e) {
    throw new RangeError(`cannot write to --out ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message} creating a folder in ${dirname(out)}`);
  }
  let settled = false;
  return {
    out,
    dir,
    commit() {
      if (settled) throw new Error(`output ${out} already committed or discarded`);
      settled = true;
      try {
        // Checked again: the folder may have changed while the run worked.
        if (checkDestination(out, layout) === "new") {
          renameSync(dir, out);
          return;
        }
        const old = hiddenSibling(out, "old");
        renameSync(out, old);
        try {
          renameSync(dir, out);
        } catch (e) {
          renameSync(old, out);
          throw e;
        }
        rmSync(old, {recursive: true, force: true});
      } catch (e) {
        rmSync(dir, {recursive: true, force: true});
        throw e;
      }
    },
    discard() {
      if (settled) return;
      settled = true;
      rmSync(dir, {recursive: true, force: true});
    },
  };
}

/**
 * For an output built in place (a library, which resumes from the runs already in its folder): check
 * `out` (`checkDestination`) and make sure it exists and can be written, before any work.
 */
export function openInPlace(out: string, layout: OutputLayout): Destination {
  out = resolve(out);
  const d = checkDestination(out, layout);
  const probe = join(out, `.lever-write-test-${process.pid}-${randomBytes(3).toString("hex")}`);
  try {
    makeDirs(out);
    writeFileSync(probe, "");
  } catch (e) {
    throw new RangeError(`cannot write to --out ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  } finally {
    rmSync(probe, {force: true});
  }
  return d;
}

/** Run `write(dir)` into a fresh output for `out` (`openOutput`), then commit it; on failure nothing changes at `out`. */
export async function writeOutput<T>(out: string, layout: OutputLayout, write: (dir: string) => Promise<T> | T): Promise<T> {
  const o = openOutput(out, layout);
  try {
    const r = await write(o.dir);
    o.commit();
    return r;
  } catch (e) {
    o.discard();
    throw e;
  }
}

/** `path` (inside a pending output's folder) as it will be named once committed. */
export function finalPath(o: Pick<PendingOutput, "out" | "dir">, path: string): string {
  return path.startsWith(o.dir) ? o.out + path.slice(o.dir.length) : path;
}
