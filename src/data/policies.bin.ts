// Thin stub inside the source root: the real loader is data-loaders/policies.ts.
import {main} from "../../data-loaders/policies.js";

process.stdout.write(await main());
