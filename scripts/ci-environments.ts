/**
 * Prints (or with `--write`, writes) `.github/ci-environments.json`, the environment facts the
 * workflows read: role ARNs, stacks, clusters, ECR repositories. See scripts/lib/ci-environments.ts.
 * `--build-targets` prints the JSON that .github/workflows/build-image.yml carries inline.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildTargets, CI_ENVIRONMENTS_FILE, renderCiEnvironments } from "./lib/ci-environments";
import { helpRequested } from "./lib/command";

if (helpRequested(process.argv.slice(2))) {
  console.log(`Usage: npx tsx scripts/ci-environments.ts [--write | --build-targets]

Prints ${CI_ENVIRONMENTS_FILE}, the environment facts the workflows read (role ARNs, stacks,
clusters, ECR repositories), derived from the environment definitions and the service catalog.

Options:
  --write           write the file instead of printing it
  --build-targets   print the JSON that .github/workflows/build-image.yml carries inline
  -h, --help        this text

Example:
  npx tsx scripts/ci-environments.ts --write`);
  process.exit(0);
}

const text = renderCiEnvironments();
if (process.argv.includes("--write")) {
  const path = join(__dirname, "..", CI_ENVIRONMENTS_FILE);
  writeFileSync(path, text);
  console.log(`wrote ${CI_ENVIRONMENTS_FILE}`);
} else if (process.argv.includes("--build-targets")) {
  // The inline copy for .github/workflows/build-image.yml (TRACKER_BUILD_TARGETS).
  console.log(JSON.stringify(buildTargets(), null, 2));
} else {
  process.stdout.write(text);
}
