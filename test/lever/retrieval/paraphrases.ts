/**
 * Objectives as readers write them, each with the reward system a careful reader means (issue 10 item 7:
 * paraphrase, negation, word order). Written by hand for the tests of decompose.ts and text-embed.ts;
 * the first four were refused by the keyword parser on main.
 */
export const PARAPHRASES: readonly (readonly [query: string, target: string])[] = [
  // refused before (issue 10)
  ["Get out as fast as you can", "path"],
  ["Stay clear of the traps on your way out", "hazard"],
  ["exit asap with max gold", "path-gold"],
  ["Take the shortest route, collect the gold, dodge the pits and activate the lever", "path-gold-hazard-lever"],
  // path
  ["Leave the maze by the quickest route", "path"],
  ["Head straight for the door", "path"],
  ["Reach the goal in as few steps as possible", "path"],
  ["Escape in no time", "path"],
  // gold
  ["Grab as much treasure as you can before leaving", "gold"],
  ["Pick up every coin, then exit", "gold"],
  ["exit slowly, grab coins", "gold"],
  ["No rush: collect all the gold", "gold"],
  // hazard (negation: avoiding hazards is the objective)
  ["don't step on hazards", "hazard"],
  ["Reach the exit without touching any trap", "hazard"],
  ["Never run into the lava on your way to the exit", "hazard"],
  ["Keep off the pits", "hazard"],
  // lever
  ["Flip the switch and then leave", "lever"],
  ["Pull the lever, then get out", "lever"],
  ["The lever must be activated before you exit", "lever"],
  // negation of a positive objective: excluded
  ["Don't bother with the gold, just leave quickly", "path"],
  ["Hurry out, ignore the lever and the coins", "path"],
  ["Don't collect the gold, don't pull the lever, avoid hazards", "hazard"],
  ["Hurry to the door and don't forget to flip the switch", "path-lever"],
  // composites and word order
  ["collect the gold and exit fast", "path-gold"],
  ["exit fast and collect the gold", "path-gold"],
  ["The gold first, then the exit, quickly", "path-gold"],
  ["Avoid traps while collecting gold", "gold-hazard"],
  ["Dodge the pits, pull the lever and get out", "hazard-lever"],
  ["Pull the lever while dodging the pits, then get out", "hazard-lever"],
  ["Find the quickest way out, grab the coins, and steer clear of the pits", "path-gold-hazard"],
  ["Steer clear of the pits, grab the coins and find the quickest way out", "path-gold-hazard"],
  ["Hit the switch, loot the treasure, avoid every trap and rush to the exit", "path-gold-hazard-lever"],
  ["Rush to the exit after you flip the switch, collect coins and never touch a hazard", "path-gold-hazard-lever"],
];

/**
 * A second set, written before it was first run and not tuned on afterwards: main's keyword parser got
 * 12 of these 16 plus the four held-out refusals of REFUSED right, this tokeniser 20 of 20.
 */
export const HELD_OUT: readonly (readonly [query: string, target: string])[] = [
  ["Make your way to the exit as quickly as possible", "path"],
  ["Find the most direct path out", "path"],
  ["Sprint for the exit", "path"],
  ["Gather up all the coins before you go", "gold"],
  ["Your job is to collect gold", "gold"],
  ["Get to the end safely, avoiding the spikes", "hazard"],
  ["Reach the exit but watch out for traps", "hazard"],
  ["Please pull the lever before exiting", "lever"],
  ["Turn on the switch then exit", "lever"],
  ["Be quick, and pick up the gold on the way", "path-gold"],
  ["Grab coins, avoid pits", "gold-hazard"],
  ["Avoid danger and hit the button before leaving", "hazard-lever"],
  ["Quickly collect treasure while staying away from hazards", "path-gold-hazard"],
  ["Activate the lever, take the gold, keep away from the traps, and be fast", "path-gold-hazard-lever"],
  ["Don't touch the lever, just collect gold and leave", "gold"],
  ["Leave without picking up any gold, as fast as possible", "path"],
];

/** Texts that name no objective of this world, or ask for one no reward system has: refused. */
export const REFUSED: readonly string[] = [
  "make me a sandwich",
  "asdf qwerty",
  "collect the keys and exit",
  "dance",
  "step on the traps",
  "run into the lava",
  "walk to the exit",
  "avoid the gold",
  "exit quickly but don't rush",
  "",
  // held out (see HELD_OUT)
  "Bake a cake",
  "Collect the diamonds",
  "Kill the dragon and exit",
  "Fly to the moon",
];
