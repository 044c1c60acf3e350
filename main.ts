import { buildApp } from "./stacks/app";

// `BOOTSTRAP_LOCAL_STATE=1` keeps the bootstrap stacks' state on disk for the very first apply,
// before their state bucket exists (README, "First bootstrap").
buildApp({ bootstrapLocalState: process.env.BOOTSTRAP_LOCAL_STATE === "1" }).synth();
