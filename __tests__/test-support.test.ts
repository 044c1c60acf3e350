/**
 * The suite's own helpers that decide whether a broken build can pass unnoticed
 * (__tests__/support/synth.ts): a build that throws while a file is collected must fail the tests that
 * depend on it (under Stryker a file without tests counts as a surviving mutant), and a cached stack
 * must not be changeable by one test for the next.
 */
import { describe, expect, it, type RunnerTestFile } from "vitest";
import { COLLECTION_FAILURE_TEST, CollectionFailureReporter } from "./support/collection-failure-reporter";
import { STAGING } from "../src/config/environments";
import { builtOrFailEachTest, synthTracker } from "./support/synth";

let fallback: number | undefined;

describe("a build that throws while the file is collected", () => {
  fallback = builtOrFailEachTest((): number => {
    throw new Error("construct exploded");
  }, 42);

  it.fails("fails each test of its block with the build's error, even one that asserts nothing", () => {});
});

describe("after a build that threw", () => {
  it("the fallback was handed back, so the rest of the file still collected", () => {
    expect(fallback).toBe(42);
  });
});

describe("a build that succeeds", () => {
  const value = builtOrFailEachTest(() => 7, 0);
  it("returns what it built, and no test fails", () => {
    expect(value).toBe(7);
  });
  it("inside a test, a build that throws simply throws", () => {
    expect(() => builtOrFailEachTest(() => { throw new Error("late"); }, 0)).toThrow("late");
  });
});

describe("the cached synthesized stacks", () => {
  it("are frozen: a test that changes one throws instead of changing what the next file reads", () => {
    const stack = synthTracker(STAGING) as { resource: Record<string, unknown> };
    expect(() => {
      stack.resource["aws_vpc"] = {};
    }).toThrow(TypeError);
    expect(() => (Object.values(stack.resource)[0] as Record<string, unknown>)["x"] = 1).toThrow(TypeError);
  });
});

describe("under Stryker, a file that fails to collect counts as a failed test", () => {
  const file = (state: "fail" | "pass", tasks: unknown[] = []) =>
    ({ id: "f1", name: "__tests__/x.test.ts", type: "suite", mode: "run", tasks, meta: {}, filepath: "/r/__tests__/x.test.ts", result: { state, errors: state === "fail" ? [{ message: "synth threw" }] : [] } }) as unknown as RunnerTestFile;

  it("a failed file without tests gets one failed test carrying the collection error", () => {
    const failed = file("fail");
    new CollectionFailureReporter().onFinished([failed]);
    expect(failed.tasks).toHaveLength(1);
    expect(failed.tasks[0]).toMatchObject({ type: "test", name: COLLECTION_FAILURE_TEST, mode: "run", result: { state: "fail", errors: [{ message: "synth threw" }] } });
    expect(failed.tasks[0]!.file).toBe(failed);
  });

  it("files that collected (passed, or failed with their own tests) are left as they are", () => {
    const passed = file("pass");
    const withTests = file("fail", [{ type: "test", name: "t" }]);
    new CollectionFailureReporter().onFinished([passed, withTests]);
    expect(passed.tasks).toEqual([]);
    expect(withTests.tasks).toHaveLength(1);
  });
});
