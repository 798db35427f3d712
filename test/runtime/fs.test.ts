// runtime/fs.ts atomicWrite and runtime/cache.ts cachedFile: a cache entry is written whole or not at
// all with its length and checksum, computed once for concurrent callers, read back when it verifies,
// computed again when it does not, and retried after a failure.
import {createHash} from "node:crypto";
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {cachedFile, sumFile} from "../../runtime/cache.js";
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
    // the entry and its hidden length + checksum record, nothing else (no temporary, no lock)
    expect(readdirSync(join(dir, "cache"))).toEqual([".entry.json.sum", "entry.json"]);
    expect(JSON.parse(readFileSync(sumFile(f), "utf8"))).toEqual({bytes: 8, sha256: createHash("sha256").update("computed").digest("hex")});
  });

  it("returns a verified entry without computing, and says so", async () => {
    const f = join(dir, "existing.bin");
    await cachedFile(f, () => new Uint8Array([1, 2, 3]));
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

  // Issue 9 item 1: "complete" means verified complete, not "the file exists".
  it("computes again an entry that was cut short, altered, or has no length and checksum record", async () => {
    const f = join(dir, "damaged.json");
    let calls = 0;
    const compute = () => {
      calls++;
      return JSON.stringify({value: "x".repeat(100)});
    };
    await cachedFile(f, compute);
    const whole = readFileSync(f, "utf8");
    const log: string[] = [];
    truncateSync(f, 40); // cut short (a crash of a non-atomic writer, a full disk)
    expect(await cachedFile(f, compute, (l) => log.push(l), "thing")).toBe(f);
    expect(readFileSync(f, "utf8")).toBe(whole);
    writeFileSync(f, whole.replace("xxx", "yyy")); // same length, other bytes
    await cachedFile(f, compute, (l) => log.push(l), "thing");
    expect(readFileSync(f, "utf8")).toBe(whole);
    rmSync(sumFile(f)); // an entry whose record is missing is not known to be complete
    await cachedFile(f, compute, (l) => log.push(l), "thing");
    expect(calls).toBe(4);
    expect(log.filter((l) => /thing: cache entry damaged/.test(l))).toHaveLength(3);
    expect(await cachedFile(f, compute)).toBe(f);
    expect(calls).toBe(4);
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
