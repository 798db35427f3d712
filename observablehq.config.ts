// Observable Framework configuration. Everything is imported from node_modules:
// this site must build and run with no CDN (see ../shared/spec/stack.md).
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
  // Run TypeScript loaders with the tsx from node_modules (no PATH lookup, ~25% faster).
  interpreters: {".ts": ["node", "--import", "tsx"]},
  search: false,
  footer: "Built with Observable Framework. Every number on this site is recomputed by `npm run build`.",
};
