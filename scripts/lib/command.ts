/** Runs an operator command's `main` and turns its outcome into the process exit code. */
import { UsageError } from "./runtime";

/** `--help` / `-h` anywhere on the command line asks for the usage text. */
export function helpRequested(argv: readonly string[]): boolean {
  return argv.includes("--help") || argv.includes("-h");
}

/** How a command explains itself on `--help`: printed to `out`, exit code 0, nothing else runs. */
export interface CommandHelp {
  readonly argv: readonly string[];
  readonly usage: string;
  readonly out: (text: string) => void;
}

/**
 * 0 ok, 1 failed checks or runtime error, 2 usage error. With `help` and `--help`/`-h` on its
 * command line, prints the usage text and returns 0 without running `main`; a usage error ends
 * with a pointer to `--help`.
 */
export async function exitCodeOf(
  name: string,
  main: () => Promise<number>,
  error: (line: string) => void,
  help?: CommandHelp,
): Promise<number> {
  if (help && helpRequested(help.argv)) {
    help.out(help.usage.trimEnd());
    return 0;
  }
  try {
    return await main();
  } catch (err) {
    const e = err as Error & { code?: string };
    const usage = e instanceof UsageError || e.code?.startsWith("ERR_PARSE_ARGS") === true;
    error(`${name}: ${e.message}`);
    if (usage && help) error(`${name}: see '${name} --help' for the options`);
    return usage ? 2 : 1;
  }
}
