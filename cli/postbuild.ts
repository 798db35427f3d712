/**
 * `node --import tsx cli/postbuild.ts [DIST_DIR]` (npm runs it after `npm run build`): finishes dist/
 * for static hosts. Framework copies only the files pages reference, so files a host reads on its own
 * are written here:
 *   .nojekyll   GitHub Pages (branch deploys) must not run Jekyll, which drops the `_`-prefixed
 *               folders Framework writes (_observablehq/, _npm/, _node/, _import/, _file/).
 * Each file is written atomically. A missing DIST_DIR is a one-line error and exit code 1.
 */
import {statSync} from "node:fs";
import {join, resolve} from "node:path";
import {pathToFileURL} from "node:url";
import {atomicWrite} from "../runtime/fs.js";

/** Write the host files into `dist` (which must be an existing directory); returns the paths written. */
export function postbuild(dist: string): string[] {
  const dir = resolve(dist);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new RangeError(`postbuild: no build directory at ${dir} (run the build first)`);
  const nojekyll = join(dir, ".nojekyll");
  atomicWrite(nojekyll, "");
  return [nojekyll];
}

export function main(argv: string[]): number {
  if (argv.length > 1) {
    process.stderr.write(`postbuild: too many arguments: ${argv.join(" ")} (usage: postbuild [DIST_DIR])\n`);
    return 2;
  }
  try {
    for (const file of postbuild(argv[0] ?? "dist")) process.stderr.write(`postbuild: wrote ${file}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`${(e as Error).message.split("\n")[0]}\n`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) process.exitCode = main(process.argv.slice(2));
