import { join } from "node:path";
import { runSynth } from "./stacks/synth-command";

/**
 * `BOOTSTRAP_LOCAL_STATE=1` keeps the bootstrap stacks' state in `bootstrap-state/<stack>.tfstate`
 * at the repository root (git-ignored) for the very first apply, before their state bucket exists
 * (README, "First bootstrap"). The path is absolute because cdktf runs Terraform inside
 * `cdktf.out/stacks/<stack>/`, and it is outside `cdktf.out` so that the state survives that folder.
 * Refused configuration prints each problem once and exits 1; success prints one line per stack.
 */
const BOOTSTRAP_STATE_DIRECTORY = join(__dirname, "bootstrap-state");

process.exitCode = runSynth(
  process.env.BOOTSTRAP_LOCAL_STATE === "1" ? { bootstrapLocalStateDirectory: BOOTSTRAP_STATE_DIRECTORY } : {},
);
