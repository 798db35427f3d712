/** `lever bench`: SARSA throughput, the optimum DP and successor features, timed on this machine. */
import {benchOptimum, benchSarsa, benchTypicalSuccessor} from "../../lib/core/bench.js";
import {int, log, parseFlags, print, type Flags} from "../args.js";

export const usage = "bench     [--json] [--repeats N]";

const FLAGS: Flags = {json: {type: "boolean"}, repeats: {type: "string", value: "N"}};

export async function run(argv: string[]): Promise<void> {
  const {values: v} = parseFlags("bench", argv, FLAGS);
  const repeats = v.repeats !== undefined ? int("repeats", v.repeats, 1, 1000) : 15;
  log(`bench: SARSA throughput (${repeats} timed runs)…`);
  const sarsa = benchSarsa(repeats);
  log(`bench: optimum solver…`);
  const opt = benchOptimum();
  log(`bench: successor features (LSTD vs MLP) for one library policy…`);
  const sf = benchTypicalSuccessor();
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    sarsa: {stepsPerSecond: Math.round(sarsa.stepsPerSecond), samples: sarsa.samples.map(Math.round), stepsPerRun: sarsa.stepsPerRun, medianSeconds: sarsa.medianSeconds, protocol: sarsa.protocol},
    optimum: {medianMs16: opt.ms16, medianMs32: opt.ms32},
    successor: sf,
  };
  if (v.json) print(result);
  else {
    process.stdout.write(
      `SARSA: ${(sarsa.stepsPerSecond / 1e6).toFixed(1)} M steps/s (median of ${repeats}; ${sarsa.stepsPerRun} steps per X1 run, ${sarsa.medianSeconds.toFixed(3)} s)\n` +
        `optimum DP: ${opt.ms16.toFixed(2)} ms (16×16), ${opt.ms32.toFixed(2)} ms (32×32), path-gold-hazard-lever\n` +
        `successor features of one policy (${sf.transitions} transitions, ${sf.canonical} canonical states): LSTD ${sf.lstdMs.toFixed(2)} ms, MLP ${sf.mlpMs.toFixed(0)} ms ([${sf.mlp.architecture}] network, ${sf.mlp.parameters.toLocaleString("en-US")} parameters; median of ${sf.repeats})\n`,
    );
  }
}
