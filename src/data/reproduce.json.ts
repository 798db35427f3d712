// Thin stub inside the source root: the real loader is data-loaders/reproduce.ts.
import {main} from "../../data-loaders/reproduce.js";

process.stdout.write(await main());
