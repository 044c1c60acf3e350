/**
 * `npm run image-tags -- --env staging [--override <tags>] [--format env|json] [--snapshot file]`:
 * the image tag of every service as Terraform variables (ECS-11). Reads what each ECS service's
 * PRIMARY deployment runs (DescribeServices + DescribeTaskDefinition); `--override` (JSON object
 * `{"api":"<sha>"}` or `api=<sha>,frontend=<sha>`) replaces the tags of freshly built images.
 *
 * `--format env` (default) prints `TF_VAR_image_tag_<service>=<tag>` lines for `$GITHUB_ENV`;
 * `--format json` prints the snapshot and the merged tags. `--snapshot <file>` also writes the
 * snapshot (the rollback baseline of the deploy workflow). Services without a running image are
 * reported on stderr; with `--require-all` they are an error; with `--placeholder <tag>` (plans
 * only, never deploys) they get that tag so a pull request can plan an environment not deployed yet.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ECSClient } from "@aws-sdk/client-ecs";
import { SERVICE_NAMES } from "../src/config/service-catalog";
import { assertValidTag, formatTerraformVariables, mergeImageTags, parseTagOverrides, readImageSnapshot } from "./lib/image-tags";
import { exitCodeOf } from "./lib/command";
import { IMAGE_TAGS_USAGE } from "./lib/image-tags";
import { environmentByName, UsageError } from "./lib/runtime";

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      env: { type: "string" },
      override: { type: "string" },
      format: { type: "string", default: "env" },
      snapshot: { type: "string" },
      "require-all": { type: "boolean", default: false },
      placeholder: { type: "string" },
    },
    strict: true,
  });
  const environment = environmentByName(values.env);
  if (values.format !== "env" && values.format !== "json") throw new UsageError("--format must be env or json");
  const overrides = parseTagOverrides(values.override);
  const snapshot = await readImageSnapshot(new ECSClient({ region: environment.region }), environment);
  if (values.snapshot) writeFileSync(values.snapshot, `${JSON.stringify(snapshot, null, 2)}\n`);
  const tags = mergeImageTags(snapshot, overrides);
  const unresolved = SERVICE_NAMES.filter((s) => tags[s] === undefined);
  if (values.placeholder !== undefined) assertValidTag(values.placeholder, "--placeholder");
  for (const s of unresolved) {
    const reason = snapshot.missing[s] ?? "unknown";
    if (values.placeholder !== undefined) {
      // Plans only: lets a pull request show the plan of an environment not deployed yet.
      tags[s] = values.placeholder;
      console.error(`image-tags: no image tag for ${s} (${reason}); using the placeholder "${values.placeholder}"`);
    } else {
      console.error(`image-tags: no image tag for ${s}: ${reason}; pass it with --override`);
    }
  }
  if (values.format === "json") console.log(JSON.stringify({ ...snapshot, tags }, null, 2));
  else if (Object.keys(tags).length > 0) console.log(formatTerraformVariables(tags));
  return values["require-all"] && values.placeholder === undefined && unresolved.length > 0 ? 1 : 0;
}

const argv = process.argv.slice(2);
exitCodeOf("image-tags", main, (line) => console.error(line), {
  argv,
  usage: IMAGE_TAGS_USAGE,
  out: (text) => console.log(text),
}).then((code) => process.exit(code));
