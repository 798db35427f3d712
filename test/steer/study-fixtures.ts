// Shared settings of the study tests (study-unit.test.ts, study-output.test.ts): a tiny scale that
// trains in well under a second per unit.
import type {ProfileScale} from "../../lib/steer/studies.js";

export const TINY: Partial<ProfileScale> = {seeds: 1, episodes: 4, trainSteps: 40, datasetEpisodes: 20, mazeTransitions: 3000, calStates: 100};
