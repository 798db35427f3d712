// Observable Framework configuration. Everything is imported from node_modules:
// this site must build and run with no CDN (README: Build and test).
//
// Hosting knobs (README "Publishing"):
//   LEVER_CLEAN_URLS=false  links end in .html (./gridworld.html, ./index.html) for hosts that do not
//                           serve x.html for /x (python3 -m http.server, S3 without rewrites).
//   LEVER_BASE=/repo/       the path the site is served under; only a 404 page (src/404.md, none today)
//                           uses it: every other link and asset is relative, so the site works under
//                           any sub-path.
import {provenance, provenanceFooter, sourceMeta} from "./cli/provenance.js";

const build = provenance();
const cleanUrls = parseBoolean("LEVER_CLEAN_URLS", process.env.LEVER_CLEAN_URLS, true);

function parseBoolean(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === "") return fallback;
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  throw new RangeError(`invalid ${name}: ${JSON.stringify(value)} (accepted: true, false)`);
}

/**
 * Runs in every page's head (plain script, no imports). A skip link, first in the tab order, to the
 * page's content; and the reader's browser name and version in the footer (the User-Agent Client
 * Hints brands when the browser offers them, else the product token of the user-agent string).
 */
const SITE_SCRIPT = `(() => {
  const browser = () => {
    const brands = (navigator.userAgentData && navigator.userAgentData.brands || []).filter((b) => !/not.?a.?brand/i.test(b.brand));
    const b = brands.find((b) => b.brand !== "Chromium") || brands[0];
    if (b) return b.brand + " " + b.version;
    const ua = navigator.userAgent;
    const m = /(Firefox|Edg|OPR|Chrome|Version)\\/([\\d.]+)/.exec(ua);
    return m ? (m[1] === "Version" ? "Safari " : m[1] === "Edg" ? "Edge " : m[1] === "OPR" ? "Opera " : m[1] + " ") + m[2] : ua;
  };
  addEventListener("DOMContentLoaded", () => {
    const skip = document.createElement("a");
    skip.className = "skip-link";
    skip.href = "#observablehq-main";
    skip.textContent = "Skip to the page's content";
    document.body.prepend(skip);
    for (const el of document.querySelectorAll(".lever-browser")) el.textContent = browser();
  });
})();`;

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
        {name: "Limits of offline reuse", path: "/limits"},
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
    {
      name: "About this companion",
      pages: [
        {name: "Methods and deviations", path: "/methods"},
        {name: "Performance", path: "/performance"},
      ],
    },
  ],
  // The default stylesheet links a public web-font host; use the local theme plus the Inputs CSS,
  // which is only implicit for the npm: builtin.
  globalStylesheets: ["observablehq:stdlib/inputs.css"],
  // No favicon file: an empty data-URI icon stops every page from requesting /favicon.ico (a 404).
  // site.css: the site-wide styles (skip link, share and download controls, dark-mode colours).
  // The inline script runs on every page: a skip link as the first thing Tab reaches (past the
  // sidebar's links to the page's content), and the reader's browser in the footer's provenance.
  // The lever-source meta tag (repository and commit) lets pages link `lib/…` mentions to the source
  // at the commit they were built from (src/components/source.js).
  head: `<link rel="icon" href="data:,">\n<link rel="stylesheet" href="./site.css">\n${sourceMeta(build)}\n<script>${SITE_SCRIPT}</script>`,
  // Run TypeScript loaders with the tsx from node_modules (no PATH lookup, ~25% faster).
  interpreters: {".ts": ["node", "--import", "tsx"]},
  search: false,
  // Framework 1.13's replacement for the deprecated `cleanUrls: false`: keep ".html" and "index".
  preserveExtension: !cleanUrls,
  preserveIndex: !cleanUrls,
  base: process.env.LEVER_BASE || "/",
  // Provenance on every page: commit (linked to the source tree), build date, profile, Node version,
  // the reader's browser (filled in by SITE_SCRIPT), and a link to the citation block of the home page.
  footer: `${provenanceFooter(build)} Viewed in <span class="lever-browser">your browser</span>.<br>Cite this view: <a href="./#cite">BibTeX for both papers and this companion</a> · <a href="./methods">methods and deviations</a> · built with Observable Framework; every number on this site is recomputed by <code>npm run build</code>.`,
};
