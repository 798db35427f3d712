// Thin stub inside the source root: the real loader is data-loaders/steer.ts.
import {main} from "../../data-loaders/steer.js";

process.stdout.write(await main());
