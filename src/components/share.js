// Shareable views and downloads, for any page:
//   - bindUrl(input, name)             keeps an input's value in the URL query string and restores it on
//                                      load (url-state.js), so a reloaded or shared link shows the same view;
//   - copyLink()                       a "copy link to this view" control;
//   - tableDownloads(rows, name)       CSV and JSON links for a table (rows: array of plain objects);
//   - withDownloads(figure, name)      a figure with SVG and PNG links under it.
// Every link is a real <a download> (a blob: URL), so a reader can also right-click → "save link as".
import aq from "arquero/dist/arquero.min.js";
import {html} from "htl";

// URL state: bindUrl(input, name) in url-state.js (the one implementation; re-exported here so a page
// imports its sharing controls from one module).
export {bindUrl} from "./url-state.js";

/** A "copy link to this view" button; the link is the page's address with its query string. */
export function copyLink({label = "Copy link to this view"} = {}) {
  const status = html`<span class="share-status" role="status" aria-live="polite"></span>`;
  const button = html`<button type="button" class="share-button">${label}</button>`;
  button.onclick = async () => {
    const url = location.href;
    try {
      await navigator.clipboard.writeText(url);
      status.textContent = "copied";
    } catch {
      // No clipboard (an insecure origin, a refused permission): show the link to copy by hand.
      status.replaceChildren(html`<input class="share-url" readonly value=${url} size="40" aria-label="link to this view">`);
      status.querySelector("input").select();
    }
  };
  return html`<div class="share-bar">${button} ${status}</div>`;
}

// ---------------------------------------------------------------- downloads

function blobLink(blob, filename, text, title) {
  const a = html`<a class="download-link" download=${filename} title=${title}>${text}</a>`;
  a.href = URL.createObjectURL(blob);
  return a;
}

/** A table's rows as CSV text (arquero's writer: a header line, quotes only where needed). */
export function toCSV(rows) {
  return rows.length ? aq.from(rows).toCSV() : "";
}

/** "Download: CSV · JSON" for a table's rows (plain objects; the keys are the columns). */
export function tableDownloads(rows, name) {
  const csv = blobLink(new Blob([toCSV(rows)], {type: "text/csv"}), `${name}.csv`, "CSV", `${rows.length} rows as CSV`);
  const json = blobLink(new Blob([JSON.stringify(rows, null, 1)], {type: "application/json"}), `${name}.json`, "JSON", `${rows.length} rows as JSON`);
  return html`<div class="downloads">Download the table: ${csv} · ${json}</div>`;
}

/** The figure's main SVG (a Plot figure may hold a title, legends and the chart: the largest SVG). */
function mainSvg(figure) {
  const svgs = figure instanceof SVGSVGElement ? [figure] : [...figure.querySelectorAll("svg")];
  return svgs.reduce((best, s) => (!best || area(s) > area(best) ? s : best), null);
}
const area = (svg) => (Number(svg.getAttribute("width")) || 0) * (Number(svg.getAttribute("height")) || 0);

/** A stand-alone SVG document of the figure: black text on white, whatever the page's theme. */
export function svgText(figure) {
  const svg = mainSvg(figure);
  if (!svg) return null;
  const copy = svg.cloneNode(true);
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  copy.setAttribute("style", `${copy.getAttribute("style") ?? ""};background:white;color:black;font-family:system-ui,sans-serif`);
  // A file has no page stylesheet: theme variables (fill="var(--theme-…)") become the colours they have here.
  const root = getComputedStyle(document.documentElement);
  return new XMLSerializer().serializeToString(copy).replace(/var\((--[\w-]+)\)/g, (all, name) => root.getPropertyValue(name).trim() || all);
}

/** PNG bytes of an SVG document at `scale` × its size (drawn on a canvas). */
async function pngBlob(svg, width, height, scale = 2) {
  const url = URL.createObjectURL(new Blob([svg], {type: "image/svg+xml"}));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "white";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("PNG encoding failed"))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * The figure with "Download: SVG · PNG" under it. The SVG is serialised when the figure is drawn; the
 * PNG is rendered on first click (a canvas at twice the figure's size), then downloads like the SVG.
 */
export function withDownloads(figure, name) {
  const text = svgText(figure);
  if (!text) return figure;
  const svg = mainSvg(figure);
  const width = Number(svg.getAttribute("width")) || svg.clientWidth || 640;
  const height = Number(svg.getAttribute("height")) || svg.clientHeight || 400;
  const svgA = blobLink(new Blob([text], {type: "image/svg+xml"}), `${name}.svg`, "SVG", "the figure as SVG");
  const pngA = html`<a class="download-link" download=${`${name}.png`} href="#" title="the figure as PNG (2×)">PNG</a>`;
  pngA.onclick = async (event) => {
    if (pngA.dataset.ready) return; // the PNG exists: let the browser download it
    event.preventDefault();
    try {
      pngA.href = URL.createObjectURL(await pngBlob(text, width, height));
      pngA.dataset.ready = "true";
      pngA.click();
    } catch (e) {
      pngA.replaceWith(html`<span class="download-error">PNG failed: ${e.message}</span>`);
    }
  };
  return html`<div class="figure-with-downloads">${figure}<div class="downloads">Download the figure: ${svgA} · ${pngA}</div></div>`;
}
