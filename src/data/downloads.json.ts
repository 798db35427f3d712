// Thin stub inside the source root: the real loader is data-loaders/downloads.ts.
import {main} from "../../data-loaders/downloads.js";

process.stdout.write(await main());
