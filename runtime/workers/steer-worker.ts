// Worker module for the steering studies (pool.ts): runs one job (a group of units that share a
// trained actor and prior, see lib/steer/studies.ts modelKey) and returns the unit results, each with
// its wall time in ms (kept out of the deterministic results).
import type {UnitSpec} from "../../lib/steer/studies.js";
import {runUnit} from "../../lib/steer/study-unit.js";

export function handle(params: {units: UnitSpec[]}) {
  const results = params.units.map((u) => {
    const t0 = performance.now();
    const result = runUnit(u);
    return {result, ms: performance.now() - t0};
  });
  return {results};
}
