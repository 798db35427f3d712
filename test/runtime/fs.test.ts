// runtime/fs.ts atomicWrite and runtime/cache.ts cachedFile: a cache entry is written whole or not at
// all, computed once for concurrent callers, read back when it exists, and retried after a failure.
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {cachedFile} from "../../runtime/cache.js";
import {atomicWrite} from "../../runtime/fs.js";

const dir = mkdtempSync(join(tmpdir(), "lever-fs-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe("atomicWrite(path, data)", () => {
  it("creates the parent directory and writes the bytes", () => {
    const f = join(dir, "a", "b", "x.json");
    atomicWrite(f, "{}");
    expect(readFileSync(f, "utf8")).toBe("{}");
    expect(readdirSync(join(dir, "a", "b"))).toEqual(["x.json"]);
  });
  it("leaves no temporary file when the rename fails", () => {
    const sub = join(dir, "atomic");
    mkdirSync(join(sub, "study-A.json"), {recursive: true}); // a directory where the file should go
    expect(() => atomicWrite(join(sub, "study-A.json"), "{}")).toThrow();
    expect(readdirSync(sub)).toEqual(["study-A.json"]);
  });
});

describe("cachedFile(file, compute, log, label)", () => {
  it("computes a missing entry once for concurrent callers and writes it", async () => {
    const f = join(dir, "cache", "entry.json");
    let calls = 0;
    const compute = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 20));
      return "computed";
    };
    const paths = await Promise.all([cachedFile(f, compute), cachedFile(f, compute), cachedFile(f, compute)]);
    expect(paths).toEqual([f, f, f]);
    expect(calls).toBe(1);
    expect(readFileSync(f, "utf8")).toBe("computed");
    expect(readdirSync(join(dir, "cache"))).toEqual(["entry.json"]);
  });

  it("returns an existing entry without computing, and says so", async () => {
    const f = join(dir, "existing.bin");
    writeFileSync(f, new Uint8Array([1, 2, 3]));
    const log: string[] = [];
    expect(
      await cachedFile(
        f,
        () => {
          throw new Error("must not compute");
        },
        (l) => log.push(l),
        "thing",
      ),
    ).toBe(f);
    expect(log).toEqual([`thing: cached (${f})`]);
    expect(Array.from(readFileSync(f))).toEqual([1, 2, 3]);
  });

  it("writes nothing when the computation fails, and the next caller computes again", async () => {
    const f = join(dir, "failing.json");
    await expect(
      cachedFile(f, async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(existsSync(f)).toBe(false);
    expect(await cachedFile(f, () => new Uint8Array([7]))).toBe(f);
    expect(Array.from(readFileSync(f))).toEqual([7]);
  });
});
