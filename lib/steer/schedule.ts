/**
 * How the units of several studies are spread over workers (runtime/steer.ts): units sharing a
 * dataset, a frozen actor and a prior (`modelKey`: study R's five prior conditions of one cell, and
 * study A's unit of the same cell when A and R run together) form one group, so each group trains its
 * two networks once, in one worker; groups go largest first (longest-processing-time order) for a
 * balanced schedule.
 */
import {modelKey, unitCost, type UnitSpec} from "./studies.js";

/** Groups of units sharing their models, largest estimated cost first (ties keep plan order). */
export function scheduleUnits(units: readonly UnitSpec[]): UnitSpec[][] {
  const groups = new Map<string, UnitSpec[]>();
  for (const u of units) {
    const k = modelKey(u);
    const g = groups.get(k);
    if (g) g.push(u);
    else groups.set(k, [u]);
  }
  // Evaluation episodes plus the two networks' training (batch 128 per Adam update).
  const cost = (g: UnitSpec[]) => g.reduce((s, u) => s + unitCost(u), 0) + 2 * 128 * g[0].trainSteps;
  return [...groups.values()].sort((a, b) => cost(b) - cost(a));
}
