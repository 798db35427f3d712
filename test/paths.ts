// Repository paths for tests, independent of how deep a test file sits.
import {join} from "node:path";

export const ROOT = join(import.meta.dirname, "..");
/** The reference's published result tables (reference/lever, MIT licence). */
export const REFERENCE = join(ROOT, "reference/lever");
