// Types for static-server.mjs (plain Node, used by smoke.mjs and test/publish/static-server.test.ts).
import type {Server} from "node:http";

export interface ServeOptions {
  /** "/" (default) or a sub-path such as "/lever-companion/": the only prefix served. */
  base?: string;
  /** Serve x.html for /x like GitHub Pages and Netlify (default true); false behaves like python3 -m http.server. */
  cleanUrls?: boolean;
}
export type Resolution = {status: number; file: string} | {status: number; location: string} | {status: number; text: string};

export const MIME: Record<string, string>;
export function normalizeBase(base?: string): string;
export function resolveRequest(root: string, rawUrl: string, options?: ServeOptions): Promise<Resolution>;
export function startServer(root: string, options?: ServeOptions): Promise<Server>;
export function closeServer(server: Server): Promise<void>;
