// Links from a page's mentions of the source (`lib/…`, `cli/…`, a CLI command) to the repository at
// the commit the page was built from. The repository and the commit come from the
// <meta name="lever-source"> tag that observablehq.config.ts writes into every page's head
// (cli/provenance.ts sourceMeta); without it (no repository, not a git checkout) paths stay plain code.
import {html} from "htl";

/** {repository, commit} of this build, or null. */
export function sourceOrigin() {
  const meta = document.querySelector('meta[name="lever-source"]');
  const repository = meta?.getAttribute("content");
  const commit = meta?.dataset.commit;
  return repository && commit ? {repository, commit} : null;
}

/** `path` (a file or folder of the repository) as code, linked to the source at this build's commit. */
export function src(path, text = path) {
  const origin = sourceOrigin();
  const code = html`<code>${text}</code>`;
  if (!origin) return code;
  const kind = path.endsWith("/") ? "tree" : "blob";
  return html`<a href=${`${origin.repository}/${kind}/${origin.commit}/${path.replace(/\/$/, "")}`}>${code}</a>`;
}
