// Thin stub inside the source root: the real loader is data-loaders/pi2vec-agreement.ts.
import {main} from "../../data-loaders/pi2vec-agreement.js";

process.stdout.write(await main());
