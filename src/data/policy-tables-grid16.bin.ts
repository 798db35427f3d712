// Thin stub inside the source root: the real loader is data-loaders/policies.ts (`tables`).
import {tables} from "../../data-loaders/policies.js";

process.stdout.write(await tables("grid16"));
