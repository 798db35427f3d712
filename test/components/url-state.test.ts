// bindUrl (src/components/url-state.js): inputs restored from and written to the query string.
import {describe, expect, it} from "vitest";
import {bindUrl} from "../../src/components/url-state.js";

/** A fake window location + history: replaceState updates location.search like a browser. */
function fakeWindow(search = "") {
  const calls: string[] = [];
  const location = {pathname: "/embeddings", search, hash: ""};
  const history = {
    state: null,
    replaceState(_state: unknown, _title: string, url: string) {
      calls.push(url);
      const u = new URL(url, "http://127.0.0.1");
      location.search = u.search;
      location.hash = u.hash;
    },
  };
  return {location, history, calls};
}

/** An input that accepts only `accept(v)` values, like Inputs.radio / range (a rejected set keeps the old value). */
class FakeInput extends EventTarget {
  #value: unknown;
  constructor(
    value: unknown,
    readonly accept: (v: unknown) => boolean = () => true,
  ) {
    super();
    this.#value = value;
  }
  get value() {
    return this.#value;
  }
  set value(v: unknown) {
    if (this.accept(v)) this.#value = v;
  }
  change(v: unknown) {
    this.value = v;
    this.dispatchEvent(new Event("input"));
  }
}

/** A form-like input: its value is an object of its fields' values (as Inputs.form). */
class FakeForm extends EventTarget {
  constructor(readonly fields: Record<string, FakeInput>) {
    super();
  }
  get value() {
    return Object.fromEntries(Object.entries(this.fields).map(([k, f]) => [k, f.value]));
  }
  set value(v: Record<string, unknown>) {
    for (const k in this.fields) this.fields[k].value = v[k];
  }
  change(field: string, v: unknown) {
    this.fields[field].value = v;
    this.dispatchEvent(new Event("input"));
  }
}

describe("bindUrl(input, name)", () => {
  it("restores a value from the URL before the input is read, and keeps the other parameters", () => {
    const w = fakeWindow("?method=t-SNE&other=1");
    const input = bindUrl(new FakeInput("UMAP", (v) => v === "UMAP" || v === "t-SNE"), "method", w);
    expect(input.value).toBe("t-SNE");
    expect(w.location.search).toBe("?method=t-SNE&other=1");
  });

  it("writes changes, and removes a parameter set back to the default", () => {
    const w = fakeWindow("?other=1");
    const input = bindUrl(new FakeInput(15), "k", w);
    expect(w.calls).toEqual([]);
    input.change(20);
    expect(w.location.search).toBe("?other=1&k=20");
    input.change(15);
    expect(w.location.search).toBe("?other=1");
  });

  it("drops a value the input does not accept, and one that does not decode", () => {
    const options = (v: unknown) => v === "UMAP" || v === "t-SNE";
    const w = fakeWindow("?method=LDA&k=abc&flag=maybe");
    expect(bindUrl(new FakeInput("UMAP", options), "method", w).value).toBe("UMAP");
    expect(bindUrl(new FakeInput(15), "k", w).value).toBe(15);
    expect(bindUrl(new FakeInput(true), "flag", w).value).toBe(true);
    expect(w.location.search).toBe("");
  });

  it("decodes by the default's type: numbers, booleans, strings", () => {
    const w = fakeWindow("?x=0.25&z=false&s=a+b%26c");
    expect(bindUrl(new FakeInput(0.1), "x", w).value).toBe(0.25);
    expect(bindUrl(new FakeInput(true), "z", w).value).toBe(false);
    expect(bindUrl(new FakeInput("q"), "s", w).value).toBe("a b&c");
    const empty = fakeWindow("?x=");
    expect(bindUrl(new FakeInput(0.1), "x", empty).value).toBe(0.1);
  });

  it("repeats the parameter for arrays (checkbox)", () => {
    const w = fakeWindow("?v=a&v=c");
    const input = bindUrl(new FakeInput([] as string[]), "v", w);
    expect(input.value).toEqual(["a", "c"]);
    input.change(["b"]);
    expect(w.location.search).toBe("?v=b");
    input.change([]);
    expect(w.location.search).toBe("");
  });

  it("binds each field of a form as name.field; a rejected field falls back alone", () => {
    const w = fakeWindow("?umap.n_neighbors=7&umap.seed=500");
    const seed = new FakeInput(1, (v) => typeof v === "number" && v >= 0 && v <= 99);
    const form = bindUrl(new FakeForm({n_neighbors: new FakeInput(15), seed}), "umap", w);
    expect(form.value).toEqual({n_neighbors: 7, seed: 1});
    expect(w.location.search).toBe("?umap.n_neighbors=7");
    form.change("seed", 3);
    expect(w.location.search).toBe("?umap.n_neighbors=7&umap.seed=3");
  });

  it("a re-created input with the same name reads what the previous one wrote", () => {
    const w = fakeWindow("");
    bindUrl(new FakeInput("a"), "policy", w).change("b");
    expect(bindUrl(new FakeInput("a"), "policy", w).value).toBe("b");
  });

  it("rejects a value-less target and an empty name", () => {
    expect(() => bindUrl({} as never, "x")).toThrow(/expected an input element/);
    expect(() => bindUrl(new FakeInput(1), "")).toThrow(/non-empty parameter name/);
  });
});
