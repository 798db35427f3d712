// A page's inputs in its URL query string, so a reload or a shared link reproduces the view (issue 12 §2).
//
//   const method = view(bindUrl(Inputs.radio(["UMAP", "t-SNE"], {value: "UMAP"}), "method"));
//
// bindUrl(input, name) works with any element that has a `value` property and dispatches "input"
// events (Observable Inputs: range, select, radio, toggle, text, checkbox, form; or a hand-made one):
//   - on binding, a value found in the URL replaces the input's value (before view() reads it);
//     a value the input does not accept (not an option, outside a range's bounds, not a number…)
//     is ignored and removed from the URL, so the URL always describes what is shown;
//   - on every change, the value is written to the URL with history.replaceState (no new history
//     entry, no reload); a value equal to the input's initial (default) value is removed, so a URL
//     lists only what the reader changed and stays short.
// Encoding follows the initial value's type: numbers (finite, as String(x)), booleans ("true" /
// "false"), strings, arrays (the parameter repeated: ?rule=a&rule=b; elements decoded like the
// first element of the default, else as strings), and plain objects (Inputs.form): one parameter per
// field, named `name.field` and encoded by the field's own initial value.
// Parameters of other inputs are left untouched. An input re-created by a cell (e.g. a select whose
// options depend on another input) binds again under the same name and reads the current URL.

/** The query-string codec for values like `sample` (an input's initial value). */
function codecFor(sample) {
  if (typeof sample === "number") {
    return {
      decode: (s) => {
        const x = s.trim() === "" ? Number.NaN : Number(s);
        return Number.isFinite(x) ? x : undefined;
      },
      encode: (x) => [String(x)],
    };
  }
  if (typeof sample === "boolean") return {decode: (s) => (s === "true" ? true : s === "false" ? false : undefined), encode: (x) => [String(x)]};
  return {decode: (s) => s, encode: (x) => (x == null ? [] : [String(x)])};
}

const same = (a, b) => Object.is(a, b) || (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => Object.is(x, b[i])));
const isPlainObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/**
 * The parameters of one value: [{param, initial, codec, array}] — one for a scalar or an array, one
 * per field for a plain object.
 */
function slotsFor(name, initial) {
  const slot = (param, value) => (Array.isArray(value) ? {param, initial: value, array: true, codec: codecFor(value[0] ?? "")} : {param, initial: value, array: false, codec: codecFor(value)});
  if (isPlainObject(initial)) return Object.entries(initial).map(([field, value]) => ({...slot(`${name}.${field}`, value), field}));
  return [slot(name, initial)];
}

/** Read one slot from search params: the decoded value, or undefined when absent or undecodable. */
function readSlot(params, {param, array, codec}) {
  if (!params.has(param)) return undefined;
  if (array) {
    const values = params.getAll(param).map(codec.decode);
    return values.includes(undefined) ? undefined : values;
  }
  return codec.decode(params.get(param));
}

/** Write one slot into search params: removed when equal to its initial value. */
function writeSlot(params, {param, initial, array, codec}, value) {
  const encoded = same(value, initial) ? [] : array ? value.flatMap(codec.encode) : codec.encode(value);
  if (encoded.length === 1) return params.set(param, encoded[0]); // keeps the parameter's place
  params.delete(param);
  for (const s of encoded) params.append(param, s);
}

/**
 * Keep `input`'s value in the URL query parameter `name` (see the top of this file). Returns `input`,
 * so it wraps an input inside view(…). Options (for tests and other windows): `location` and
 * `history` (default: the page's).
 */
export function bindUrl(input, name, {location = globalThis.location, history = globalThis.history} = {}) {
  if (!input || !("value" in input)) throw new TypeError(`bindUrl: ${name}: expected an input element with a value`);
  if (typeof name !== "string" || name === "") throw new TypeError("bindUrl: expected a non-empty parameter name");
  const initial = input.value;
  const slots = slotsFor(name, initial);
  const object = isPlainObject(initial);
  const replace = (params) => {
    const search = params.toString();
    const url = `${location.pathname}${search ? `?${search}` : ""}${location.hash}`;
    if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(history.state, "", url);
  };

  // Restore: apply what the URL holds, then keep only what the input accepted.
  const params = new URLSearchParams(location.search);
  const found = slots.map((s) => readSlot(params, s));
  if (found.some((v) => v !== undefined)) {
    if (object) input.value = Object.fromEntries(slots.map((s, i) => [s.field, found[i] === undefined ? s.initial : found[i]]));
    else input.value = found[0];
    const now = input.value;
    const rejected = slots.filter((s, i) => found[i] !== undefined && !same(object ? now[s.field] : now, found[i]));
    if (rejected.length) {
      input.value = object ? {...now, ...Object.fromEntries(rejected.map((s) => [s.field, s.initial]))} : initial;
    }
  }
  const accepted = input.value;
  slots.forEach((s, i) => {
    if (params.has(s.param) && found[i] === undefined)
      params.delete(s.param); // undecodable
    else if (params.has(s.param)) writeSlot(params, s, object ? accepted[s.field] : accepted);
  });
  replace(params);

  input.addEventListener("input", () => {
    const value = input.value;
    const next = new URLSearchParams(location.search);
    for (const s of slots) writeSlot(next, s, object ? value[s.field] : value);
    replace(next);
  });
  return input;
}
