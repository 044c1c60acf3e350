/**
 * Issue 11: the requirement IDs that test titles cite resolve inside the project. Every ID named in
 * a test file exists in docs/requirements.md (the project's copy of the catalogue).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..");
const catalogue = readFileSync(join(root, "docs", "requirements.md"), "utf8");
const ID = /\b(ACC|NET|SG|EDGE|ECS|EFS|DB|CFG|OBS|ECR|CD|PRD|IAM|SHR|IMG|RUN|DLV|COST)-\d+\b/g;

/** The IDs the catalogue defines: each is a list item that starts with it ("- NET-2 At least two ..."). */
const defined = new Set([...catalogue.matchAll(/^- ((?:[A-Z]+)-\d+) /gm)].map((m) => m[1]!));

const cited = new Map<string, string[]>();
for (const file of readdirSync(join(root, "__tests__")).filter((f) => f.endsWith(".test.ts"))) {
  for (const [id] of readFileSync(join(root, "__tests__", file), "utf8").matchAll(ID)) {
    cited.set(id, [...(cited.get(id) ?? []), file]);
  }
}

describe("requirement IDs", () => {
  it("the catalogue defines the IDs of every section (it is the real catalogue, not an empty file)", () => {
    for (const id of ["ACC-1", "NET-2", "SG-6", "EDGE-4", "ECS-11", "EFS-2", "DB-9", "CFG-5", "OBS-3", "ECR-1", "CD-5", "PRD-2", "IAM-4", "SHR-2", "IMG-1", "RUN-2", "DLV-4", "COST-4"]) {
      expect(defined, id).toContain(id);
    }
  });

  it("every ID a test cites is defined in docs/requirements.md", () => {
    expect(cited.size).toBeGreaterThan(20);
    const unknown = [...cited].filter(([id]) => !defined.has(id)).map(([id, files]) => `${id} (${[...new Set(files)].join(", ")})`);
    expect(unknown).toEqual([]);
  });
});
