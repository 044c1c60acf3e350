/** Runs an operator command's `main` and turns its outcome into the process exit code. */
import { UsageError } from "./runtime";

/** 0 ok, 1 failed checks or runtime error, 2 usage error. */
export async function exitCodeOf(name: string, main: () => Promise<number>, error: (line: string) => void): Promise<number> {
  try {
    return await main();
  } catch (err) {
    const e = err as Error & { code?: string };
    error(`${name}: ${e.message}`);
    return e instanceof UsageError || e.code?.startsWith("ERR_PARSE_ARGS") ? 2 : 1;
  }
}
