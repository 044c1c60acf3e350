/**
 * CD-3, CD-4: what the operator commands (smoke, rollback, image-tags) tell an operator who types
 * something wrong, and how their outcome becomes an exit code. The messages are written out: an
 * operator reads them.
 */
import { SERVICE_CATALOG } from "../src/config/service-catalog";
import { describe, expect, it, vi } from "vitest";
import { exitCodeOf, helpRequested } from "../scripts/lib/command";
import {
  environmentByName,
  formatDuration,
  isServiceName,
  parseDuration,
  selectServices,
  systemClock,
  UsageError,
} from "../scripts/lib/runtime";

/** Every service, in catalog order (the order the commands act in). */
const ALL_SERVICES = SERVICE_CATALOG.map((s) => s.name);

describe("CD-3, CD-4: --env", () => {
  it("CD-3: names the environment, or says which ones exist", () => {
    expect(environmentByName("staging").name).toBe("staging");
    expect(environmentByName("production").name).toBe("production");
    expect(() => environmentByName(undefined)).toThrow(new UsageError("--env is required (one of: staging, production)"));
    expect(() => environmentByName("")).toThrow("--env is required (one of: staging, production)");
    expect(() => environmentByName("qa")).toThrow('unknown environment "qa" (one of: staging, production)');
    try {
      environmentByName("qa");
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      expect((e as Error).name).toBe("UsageError");
    }
  });
});

describe("CD-4: --service", () => {
  it("CD-4: every service when none is named, in catalog order", () => {
    expect(selectServices(undefined)).toEqual(ALL_SERVICES);
    expect(selectServices([])).toEqual(ALL_SERVICES);
    expect(selectServices([" , "])).toEqual(ALL_SERVICES);
  });

  it("CD-4: repeatable and comma-separated, trimmed, in catalog order, each once", () => {
    expect(selectServices(["admin, api", "api"])).toEqual(["api", "admin"]);
    expect(selectServices(["anisette"])).toEqual(["anisette"]);
  });

  it("CD-4: an unknown name is a usage error listing the known ones", () => {
    expect(() => selectServices(["api,docs", "web"])).toThrow(
      new UsageError(`unknown service(s) docs, web (known: ${ALL_SERVICES.join(", ")})`),
    );
    expect(isServiceName("api")).toBe(true);
    expect(isServiceName("docs")).toBe(false);
  });
});

describe("CD-3, CD-4: durations", () => {
  it("CD-3: seconds by default, or ms / s / m; the fallback when absent", () => {
    expect(parseDuration(undefined, 1234, "--wait")).toBe(1234);
    expect(parseDuration("90", 0, "--wait")).toBe(90_000);
    expect(parseDuration("90s", 0, "--wait")).toBe(90_000);
    expect(parseDuration(" 15m ", 0, "--wait")).toBe(900_000);
    expect(parseDuration("250ms", 0, "--wait")).toBe(250);
    expect(parseDuration("0", 5, "--wait")).toBe(0);
  });

  it.each(["1h", "-5s", "1.5m", "m", "", "10 s", "5sec"])("CD-3: %j is a usage error naming the option", (value) => {
    expect(() => parseDuration(value, 0, "--timeout")).toThrow(
      new UsageError(`--timeout: expected a duration like 90s or 15m, got "${value}"`),
    );
  });

  it("CD-3: durations read as seconds under a minute, minutes and zero-padded seconds above", () => {
    expect(formatDuration(0)).toBe("0s");
    expect(formatDuration(499)).toBe("0s");
    expect(formatDuration(500)).toBe("1s");
    expect(formatDuration(59_000)).toBe("59s");
    expect(formatDuration(59_499)).toBe("59s");
    expect(formatDuration(59_500)).toBe("1m00s");
    expect(formatDuration(60_000)).toBe("1m00s");
    expect(formatDuration(65_000)).toBe("1m05s");
    expect(formatDuration(40 * 60_000 + 12_000)).toBe("40m12s");
  });

  it("CD-3: the system clock reads real time and sleeps on a real timer", async () => {
    vi.useFakeTimers({ now: new Date("2026-01-01T00:00:00Z") });
    try {
      expect(systemClock.now()).toBe(Date.parse("2026-01-01T00:00:00Z"));
      let woke = false;
      const sleeping = systemClock.sleep(1000).then(() => (woke = true));
      await vi.advanceTimersByTimeAsync(999);
      expect(woke).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await sleeping;
      expect(woke).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("CD-3, CD-4: exit codes", () => {
  const run = async (main: () => Promise<number>) => {
    const lines: string[] = [];
    const code = await exitCodeOf("smoke", main, (l) => lines.push(l));
    return { code, lines };
  };

  it("CD-3: the command's own result, with nothing printed", async () => {
    expect(await run(async () => 0)).toEqual({ code: 0, lines: [] });
    expect(await run(async () => 1)).toEqual({ code: 1, lines: [] });
  });

  it("CD-3: a usage error exits 2, an argument parser error 2, anything else 1; each prints 'name: message'", async () => {
    expect(await run(async () => Promise.reject(new UsageError("--env is required")))).toEqual({ code: 2, lines: ["smoke: --env is required"] });
    const parse = Object.assign(new Error("Unknown option '--bogus'"), { code: "ERR_PARSE_ARGS_UNKNOWN_OPTION" });
    expect(await run(async () => Promise.reject(parse))).toEqual({ code: 2, lines: ["smoke: Unknown option '--bogus'"] });
    const other = Object.assign(new Error("AccessDenied"), { code: "ERR_SOMETHING" });
    expect(await run(async () => Promise.reject(other))).toEqual({ code: 1, lines: ["smoke: AccessDenied"] });
    expect(await run(async () => Promise.reject(new Error("boom")))).toEqual({ code: 1, lines: ["smoke: boom"] });
  });

  describe("CD-3: --help and -h", () => {
    const withHelp = async (argv: string[], main: () => Promise<number>) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await exitCodeOf("smoke", main, (l) => err.push(l), { argv, usage: "Usage: npm run smoke -- --env <name>\n\n", out: (t) => out.push(t) });
      return { code, out, err };
    };

    it("CD-3: anywhere on the command line prints the usage (trailing blank lines trimmed), exits 0 and runs nothing", async () => {
      for (const argv of [["--help"], ["--env", "staging", "-h"]]) {
        let ran = false;
        expect(await withHelp(argv, async () => ((ran = true), 1))).toEqual({ code: 0, out: ["Usage: npm run smoke -- --env <name>"], err: [] });
        expect(ran).toBe(false);
      }
      expect(helpRequested(["--env", "staging"])).toBe(false);
      expect(helpRequested(["--helpful"])).toBe(false);
    });

    it("CD-3: without it the command runs; a usage error then points at --help, another error does not", async () => {
      expect(await withHelp(["--env", "staging"], async () => 0)).toEqual({ code: 0, out: [], err: [] });
      expect(await withHelp(["--env", "qa"], async () => Promise.reject(new UsageError('unknown environment "qa"')))).toEqual({
        code: 2,
        out: [],
        err: ['smoke: unknown environment "qa"', "smoke: see 'smoke --help' for the options"],
      });
      expect(await withHelp([], async () => Promise.reject(new Error("AccessDenied")))).toEqual({ code: 1, out: [], err: ["smoke: AccessDenied"] });
    });
  });
});
