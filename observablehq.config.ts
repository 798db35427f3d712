// Observable Framework configuration. Everything is imported from node_modules:
// this site must build and run with no CDN (README: Build and test).
//
// Hosting knobs (README "Publishing"):
//   LEVER_CLEAN_URLS=false  links end in .html (./gridworld.html, ./index.html) for hosts that do not
//                           serve x.html for /x (python3 -m http.server, S3 without rewrites).
//   LEVER_BASE=/repo/       the path the site is served under; only a 404 page (src/404.md, none today)
//                           uses it: every other link and asset is relative, so the site works under
//                           any sub-path.
import {provenance, provenanceFooter} from "./cli/provenance.js";

const cleanUrls = parseBoolean("LEVER_CLEAN_URLS", process.env.LEVER_CLEAN_URLS, true);

function parseBoolean(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === "") return fallback;
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  throw new RangeError(`invalid ${name}: ${JSON.stringify(value)} (accepted: true, false)`);
}

export default {
  title: "LEVER & frozen-actor steering: a reproducible companion",
  root: "src",
  pages: [
    {
      name: "Part I: LEVER",
      pages: [
        {name: "GridWorld & policy library", path: "/gridworld"},
        {name: "Policy embeddings", path: "/embeddings"},
        {name: "Search and compose", path: "/search"},
        {name: "Reproducing the paper", path: "/reproduce"},
      ],
    },
    {
      name: "Part II: steering frozen actors",
      pages: [
        {name: "Two views, one policy", path: "/steer-identity"},
        {name: "Live: steering a frozen actor on Reach2", path: "/steer-live"},
        {name: "Graceful degradation", path: "/steer-degradation"},
        {name: "Where steering helps", path: "/steer-help"},
      ],
    },
  ],
  // The default stylesheet links a public web-font host; use the local theme plus the Inputs CSS,
  // which is only implicit for the npm: builtin.
  globalStylesheets: ["observablehq:stdlib/inputs.css"],
  // No favicon file: an empty data-URI icon stops every page from requesting /favicon.ico (a 404).
  head: `<link rel="icon" href="data:,">`,
  // Run TypeScript loaders with the tsx from node_modules (no PATH lookup, ~25% faster).
  interpreters: {".ts": ["node", "--import", "tsx"]},
  search: false,
  // Framework 1.13's replacement for the deprecated `cleanUrls: false`: keep ".html" and "index".
  preserveExtension: !cleanUrls,
  preserveIndex: !cleanUrls,
  base: process.env.LEVER_BASE || "/",
  // Provenance on every page: commit (linked to the source tree), build date, profile, Node version.
  footer: `${provenanceFooter(provenance())}<br>Built with Observable Framework; every number on this site is recomputed by <code>npm run build</code>.`,
};
