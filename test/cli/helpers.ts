// Shared by the CLI tests: run `lever ARGS` in-process and capture its output.
import {vi} from "vitest";
import {main} from "../../cli/lever.js";

/** `lever ARGS` in-process: exit code, stdout, stderr lines. */
export async function lever(...args: string[]): Promise<{code: number; stdout: string; stderr: string[]}> {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((s) => ((stdout += String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((s) => ((stderr += String(s)), true));
  try {
    const code = await main(args);
    return {code, stdout, stderr: stderr.trim().split("\n")};
  } finally {
    vi.restoreAllMocks();
  }
}
