/**
 * Build provenance for the site's footer (Node only; read by observablehq.config.ts at build time):
 * the source commit, the build date, the profile and the Node version. It never throws: without git or
 * outside a checkout the commit falls back to $GITHUB_SHA, then to "unknown (not a git checkout)".
 */
import {execFileSync} from "node:child_process";
import {readFileSync} from "node:fs";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";

export interface Provenance {
  /** Full commit hash, or "unknown (not a git checkout)". */
  commit: string;
  /** The first 7 characters of the commit (the whole fallback text when unknown). */
  shortCommit: string;
  /** True when the working tree had uncommitted changes to tracked files at build time. */
  dirty: boolean;
  /** Build date, UTC ISO 8601. */
  date: string;
  /** `$LEVER_PROFILE`, default "paper". */
  profile: string;
  /** `process.version`, e.g. "v20.20.2". */
  node: string;
  /** Web URL of the source repository (no trailing slash, no .git), or null. */
  repository: string | null;
}

export interface ProvenanceOptions {
  /** Directory of the checkout and of package.json (default: the project root). */
  cwd?: string;
  /** Environment for the git call and the fallbacks (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Build date (default: now). */
  now?: Date;
}

export const UNKNOWN_COMMIT = "unknown (not a git checkout)";
const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

export function provenance({cwd = PROJECT_ROOT, env = process.env, now = new Date()}: ProvenanceOptions = {}): Provenance {
  const head = git(["rev-parse", "--verify", "HEAD"], cwd, env);
  const fromGit = head !== null && /^[0-9a-f]{40,64}$/.test(head);
  const sha = fromGit ? head : env.GITHUB_SHA && /^[0-9a-f]{40,64}$/i.test(env.GITHUB_SHA) ? env.GITHUB_SHA.toLowerCase() : null;
  const commit = sha ?? UNKNOWN_COMMIT;
  return {
    commit,
    shortCommit: sha ? sha.slice(0, 7) : UNKNOWN_COMMIT,
    dirty: fromGit && (git(["status", "--porcelain", "--untracked-files=no"], cwd, env) ?? "") !== "",
    date: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
    profile: env.LEVER_PROFILE ?? "paper",
    node: process.version,
    repository: repositoryUrl(cwd, env),
  };
}

/** Output of `git ARGS` in `cwd`, trimmed, or null when git is missing or fails. */
function git(args: string[], cwd: string, env: NodeJS.ProcessEnv): string | null {
  try {
    return execFileSync("git", args, {cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 10_000}).trim();
  } catch {
    return null;
  }
}

/** package.json `repository` (string, `github:owner/name` or {url}), else $GITHUB_SERVER_URL/$GITHUB_REPOSITORY. */
function repositoryUrl(cwd: string, env: NodeJS.ProcessEnv): string | null {
  let spec: unknown;
  try {
    spec = (JSON.parse(readFileSync(join(cwd, "package.json"), "utf8")) as {repository?: unknown}).repository;
  } catch {
    spec = undefined;
  }
  const raw = typeof spec === "string" ? spec : spec && typeof spec === "object" && typeof (spec as {url?: unknown}).url === "string" ? (spec as {url: string}).url : null;
  const url = raw ? normalizeRepositoryUrl(raw) : null;
  if (url) return url;
  if (env.GITHUB_REPOSITORY) return `${env.GITHUB_SERVER_URL ?? "https://github.com"}/${env.GITHUB_REPOSITORY}`;
  return null;
}

/** "git+https://host/o/r.git", "github:o/r", "o/r", "git@github.com:o/r.git" → "https://host/o/r"; null if not a web URL. */
export function normalizeRepositoryUrl(raw: string): string | null {
  let s = raw.trim();
  const shorthand = /^(github|gitlab|bitbucket):([\w.-]+\/[\w.-]+)$/.exec(s) ?? (/^([\w.-]+\/[\w.-]+)$/.test(s) ? [s, "github", s] : null);
  if (shorthand) s = `https://${shorthand[1] === "bitbucket" ? "bitbucket.org" : `${shorthand[1]}.com`}/${shorthand[2]}`;
  const ssh = /^git@([\w.-]+):(.+)$/.exec(s);
  if (ssh) s = `https://${ssh[1]}/${ssh[2]}`;
  s = s
    .replace(/^git\+/, "")
    .replace(/^git:\/\//, "https://")
    .replace(/\.git$/, "")
    .replace(/\/+$/, "");
  return /^https?:\/\/[^/\s]+\/\S+$/.test(s) ? s : null;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The footer line: commit (linked to the source tree at that commit when the repository is known), date, profile, Node. */
export function provenanceFooter(p: Provenance): string {
  const known = p.commit !== UNKNOWN_COMMIT;
  const code = `<code>${escapeHtml(p.shortCommit)}</code>`;
  const commit = known && p.repository ? `<a href="${escapeHtml(`${p.repository}/tree/${p.commit}`)}" title="${escapeHtml(p.commit)}">${code}</a>` : code;
  return [
    `Built from commit ${commit}${p.dirty ? " (with uncommitted changes)" : ""}`,
    `on <time datetime="${escapeHtml(p.date)}">${escapeHtml(p.date)}</time>`,
    `with profile <code>${escapeHtml(p.profile)}</code>`,
    `and Node ${escapeHtml(p.node)}.`,
  ].join(" ");
}

/**
 * `<meta name="lever-source" …>` for the page head: the repository's web URL and the commit, read by
 * src/components/source.js to link a page's mentions of source files to that commit. Empty when either
 * is unknown (the pages then show the paths without links).
 */
export function sourceMeta(p: Provenance): string {
  if (p.commit === UNKNOWN_COMMIT || !p.repository) return "";
  return `<meta name="lever-source" content="${escapeHtml(p.repository)}" data-commit="${escapeHtml(p.commit)}">`;
}
