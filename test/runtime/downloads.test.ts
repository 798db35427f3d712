// runtime/downloads.ts: the manifest of the site's data files (src/data/downloads.json).
import {readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {DOWNLOADS_FORMAT, manifestOf, TABLE_KEYS} from "../../runtime/downloads.js";
import {ROOT} from "../paths.js";

const entry = (file: string, text: string) => ({file, format: "f/1", description: "d", reader: "lib/x.ts read", data: new TextEncoder().encode(text)});

describe("manifestOf(files, {profile, commit, dirty})", () => {
  it("records each file's length and sha256, in the order given, with the profile and commit", () => {
    const m = manifestOf([entry("b.bin", "abc"), entry("a.bin", "")], {profile: "quick", commit: "0123abc", dirty: false});
    expect(m.format).toBe(DOWNLOADS_FORMAT);
    expect(m.profile).toBe("quick");
    expect(m.commit).toBe("0123abc");
    expect(m.dirty).toBe(false);
    expect(m.files.map((f) => f.file)).toEqual(["b.bin", "a.bin"]);
    // sha256("abc") and sha256("") (FIPS 180-2 test vectors).
    expect(m.files[0]).toEqual({file: "b.bin", bytes: 3, sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", format: "f/1", description: "d", reader: "lib/x.ts read"});
    expect(m.files[1].bytes).toBe(0);
    expect(m.files[1].sha256).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(m.container).toMatch(/^bytes 0-3 "LVR1"/);
  });

  it("refuses a file listed twice", () => {
    expect(() => manifestOf([entry("a.bin", "x"), entry("a.bin", "y")], {profile: "quick", commit: "c", dirty: true})).toThrow("invalid downloads: a.bin is listed twice");
  });
});

describe("TABLE_KEYS", () => {
  it("has one loader stub per key and the Methods page names each file (Framework ships only named files)", () => {
    const stubs = readdirSync(join(ROOT, "src", "data"))
      .map((f) => /^policy-tables-(.+)\.bin\.ts$/.exec(f)?.[1])
      .filter(Boolean)
      .sort();
    expect(stubs).toEqual([...TABLE_KEYS].sort());
    const page = readFileSync(join(ROOT, "src", "methods.md"), "utf8");
    for (const file of ["policies.bin", "policy-index.hnsw", "downloads.json", ...TABLE_KEYS.map((k) => `policy-tables-${k}.bin`)]) expect(page).toContain(`FileAttachment("data/${file}")`);
  });
});
