// Thin stub inside the source root: the real loader is data-loaders/library.ts.
import {main} from "../../data-loaders/library.js";

process.stdout.write(await main());
