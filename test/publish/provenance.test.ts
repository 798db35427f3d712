// provenance(): the footer's commit/date/profile/node, with fallbacks when git or the checkout is missing.
import {execFileSync} from "node:child_process";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {normalizeRepositoryUrl, provenance, provenanceFooter, sourceMeta, UNKNOWN_COMMIT} from "../../cli/provenance.js";

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "lever-provenance-"));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, {recursive: true, force: true});
});

// git must not find an enclosing repository above the temporary directory.
const base = {PATH: process.env.PATH, HOME: tmpdir(), GIT_CEILING_DIRECTORIES: tmpdir()};
const now = new Date("2026-11-30T12:34:56.789Z");
const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("provenance({cwd, env, now})", () => {
  it("reads the commit of a git checkout, its cleanliness and the repository from package.json", () => {
    const d = tempDir();
    writeFileSync(join(d, "package.json"), JSON.stringify({repository: {type: "git", url: "git+https://github.com/o/r.git"}}));
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], {cwd: d, env: base, encoding: "utf8"}).trim();
    git("init", "-q");
    git("add", "package.json");
    git("commit", "-q", "-m", "x");
    const head = git("rev-parse", "HEAD");
    const p = provenance({cwd: d, env: {...base, LEVER_PROFILE: "quick", GITHUB_SHA: SHA}, now});
    expect(p).toEqual({commit: head, shortCommit: head.slice(0, 7), dirty: false, date: "2026-11-30T12:34:56Z", profile: "quick", node: process.version, repository: "https://github.com/o/r"});
    writeFileSync(join(d, "package.json"), "{}");
    const q = provenance({cwd: d, env: base, now});
    expect(q.dirty).toBe(true);
    expect(q.repository).toBeNull();
    expect(q.profile).toBe("paper");
  });

  it("falls back to $GITHUB_SHA outside a checkout, then to 'unknown'", () => {
    const d = tempDir(); // no .git, no package.json
    expect(provenance({cwd: d, env: {...base, GITHUB_SHA: SHA.toUpperCase()}, now})).toMatchObject({commit: SHA, shortCommit: "0123456", dirty: false});
    const p = provenance({cwd: d, env: base, now});
    expect(p).toMatchObject({commit: UNKNOWN_COMMIT, shortCommit: UNKNOWN_COMMIT, dirty: false, repository: null});
    expect(provenance({cwd: d, env: {...base, GITHUB_SHA: "not-a-sha"}, now}).commit).toBe(UNKNOWN_COMMIT);
  });

  it("does not throw when git is not installed (empty PATH) or cwd does not exist", () => {
    const d = tempDir();
    expect(provenance({cwd: d, env: {PATH: join(d, "no-bin")}, now}).commit).toBe(UNKNOWN_COMMIT);
    expect(provenance({cwd: join(d, "missing"), env: {PATH: process.env.PATH}, now}).commit).toBe(UNKNOWN_COMMIT);
  });

  it("takes the repository from GitHub Actions' environment when package.json has none", () => {
    const d = tempDir();
    expect(provenance({cwd: d, env: {...base, GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "a/b"}, now}).repository).toBe("https://github.com/a/b");
  });
});

describe("normalizeRepositoryUrl(spec)", () => {
  it.each([
    ["https://github.com/o/r", "https://github.com/o/r"],
    ["git+https://github.com/o/r.git", "https://github.com/o/r"],
    ["github:o/r", "https://github.com/o/r"],
    ["gitlab:o/r", "https://gitlab.com/o/r"],
    ["o/r", "https://github.com/o/r"],
    ["git@github.com:o/r.git", "https://github.com/o/r"],
    ["not a url", null],
  ])("%s → %s", (raw, url) => expect(normalizeRepositoryUrl(raw)).toBe(url));
});

describe("provenanceFooter(p)", () => {
  const p = {commit: SHA, shortCommit: "0123456", dirty: false, date: "2026-11-30T12:34:56Z", profile: "quick", node: "v20.20.2", repository: "https://github.com/o/r"};
  it("links the short commit to the source tree and names date, profile and Node", () => {
    const f = provenanceFooter(p);
    expect(f).toContain(`<a href="https://github.com/o/r/tree/${SHA}" title="${SHA}"><code>0123456</code></a>`);
    expect(f).toContain('<time datetime="2026-11-30T12:34:56Z">2026-11-30T12:34:56Z</time>');
    expect(f).toContain("profile <code>quick</code>");
    expect(f).toContain("Node v20.20.2");
  });
  it("has no link without a repository or a commit, and escapes HTML", () => {
    expect(provenanceFooter({...p, repository: null})).not.toContain("<a ");
    const f = provenanceFooter({...p, commit: UNKNOWN_COMMIT, shortCommit: UNKNOWN_COMMIT, profile: "<x>"});
    expect(f).not.toContain("<a ");
    expect(f).toContain("unknown (not a git checkout)");
    expect(f).toContain("&#60;x&#62;");
  });
});

describe("sourceMeta(p)", () => {
  const p = {commit: SHA, shortCommit: "0123456", dirty: false, date: "2026-11-30T12:34:56Z", profile: "quick", node: "v20.20.2", repository: "https://github.com/o/r"};
  it("names the repository and the commit for the pages' source links", () => {
    expect(sourceMeta(p)).toBe(`<meta name="lever-source" content="https://github.com/o/r" data-commit="${SHA}">`);
  });
  it("is empty without a repository or a commit", () => {
    expect(sourceMeta({...p, repository: null})).toBe("");
    expect(sourceMeta({...p, commit: UNKNOWN_COMMIT, shortCommit: UNKNOWN_COMMIT})).toBe("");
  });
});
