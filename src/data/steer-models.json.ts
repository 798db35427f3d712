// Thin stub inside the source root: the real loader is data-loaders/steer-models.ts.
import {main} from "../../data-loaders/steer-models.js";

process.stdout.write(await main());
