/**
 * The survivors report (`npm run mutation:survivors`, issue 10's working tool): the score counts as
 * Stryker's HTML report does, and each survivor shows the exact text the mutant replaced.
 */
import { describe, expect, it } from "vitest";
import { originalText, score } from "../scripts/mutation-survivors";

describe("mutation:survivors", () => {
  it("scores killed and timed-out mutants over all valid ones, those without coverage included", () => {
    expect(score({ Killed: 80, Timeout: 5, Survived: 10, NoCoverage: 5, Ignored: 300 })).toBe(85);
    expect(score({ Ignored: 12 })).toBeUndefined();
    expect(score({ Survived: 1 })).toBe(0);
  });

  it("shows the operand a mutant replaced, not the whole line (Stryker's columns count from 1, the end exclusive)", () => {
    const lines = ["export function coversPort(rule, port) {", "  if (rule.fromPort === -1 && rule.toPort === -1) return true;"];
    expect(originalText(lines, { start: { line: 2, column: 7 }, end: { line: 2, column: 27 } })).toBe("rule.fromPort === -1");
    expect(originalText(lines, { start: { line: 2, column: 3 }, end: { line: 2, column: lines[1]!.length + 1 } })).toBe(
      "if (rule.fromPort === -1 && rule.toPort === -1) return true;",
    );
  });

  it("joins a mutant over several lines and cuts a long one", () => {
    const lines = ["  const x = [", "    1,", "  ];"];
    expect(originalText(lines, { start: { line: 1, column: 13 }, end: { line: 3, column: 4 } })).toBe("[ 1, ]");
    expect(originalText(["a".repeat(200)], { start: { line: 1, column: 1 }, end: { line: 1, column: 201 } }, 20)).toBe(`${"a".repeat(17)}...`);
  });
});
