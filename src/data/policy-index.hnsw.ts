// Thin stub inside the source root: the real loader is data-loaders/policy-index.ts.
import {main} from "../../data-loaders/policy-index.js";

process.stdout.write(await main());
