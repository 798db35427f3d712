// Types for url-state.js (plain JS for the pages; typed for test/components/url-state.test.ts).

/** Anything with a value that dispatches "input" events (Observable Inputs, or a hand-made element). */
export interface ValueInput extends EventTarget {
  value: unknown;
}
export interface BindUrlOptions {
  location?: Pick<Location, "pathname" | "search" | "hash">;
  history?: Pick<History, "state" | "replaceState">;
}
export function bindUrl<T extends ValueInput>(input: T, name: string, options?: BindUrlOptions): T;
