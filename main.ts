import { runSynth } from "./stacks/synth-command";

// `BOOTSTRAP_LOCAL_STATE=1` keeps the bootstrap stacks' state on disk for the very first apply,
// before their state bucket exists (README, "First bootstrap").
// Refused configuration prints each problem once and exits 1; success prints one line per stack.
process.exitCode = runSynth({ bootstrapLocalState: process.env.BOOTSTRAP_LOCAL_STATE === "1" });
