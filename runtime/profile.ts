/**
 * The build profile of this process (Node only): `LEVER_PROFILE`, default `paper`. What each profile
 * computes is lib/core/profile.ts; this module only reads the variable, so one setting switches the
 * whole site, and the CLI's `--profile` defaults to it.
 */
import {parseProfile, type Profile} from "../lib/core/profile.js";

export type {Profile};

export function currentProfile(env: NodeJS.ProcessEnv = process.env): Profile {
  return parseProfile(env.LEVER_PROFILE ?? "paper", "LEVER_PROFILE");
}
