// Types for palette.js (plain JS for the pages; typed for test/components/palette.test.ts).
export const REWARD_COLORS: Readonly<Record<string, string>>;
export const OTHER_REWARD_COLOR: string;
export function rewardColor(name: string): string;
export function rewardScale(present?: readonly string[]): {type: "categorical"; domain: string[]; range: string[]};
