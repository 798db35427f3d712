// Thin stub inside the source root (a parameterized route: library-grid16-0.bin → --key=grid16 --seed=0);
// the real loader is data-loaders/library.ts (`runs`).
import {runs} from "../../data-loaders/library.js";

process.stdout.write(await runs(process.argv.slice(2)));
