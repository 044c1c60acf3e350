/**
 * The policy engine's value helpers and its reader of cdktf's `jsonencode(...)` literals
 * (policies/engine.ts): what a rule sees when a Terraform attribute is written by hand, in HCL, or with
 * interpolations. Expected values are what Terraform means by the text.
 */
import { describe, expect, it } from "vitest";
import { asNumber, blocks, interpolations, parseHclLiteral, stringList } from "../policies/engine";

describe("policy engine: value helpers", () => {
  it("blocks: a list of objects as it is, a bare object as a list of one, nothing else", () => {
    expect(blocks(undefined)).toEqual([]);
    expect(blocks(null)).toEqual([]);
    expect(blocks({ a: 1 })).toEqual([{ a: 1 }]);
    expect(blocks([{ a: 1 }, "x", null, [1], { b: 2 }])).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it("stringList: a string as a list of one, the strings of a list, nothing for null", () => {
    expect(stringList(undefined)).toEqual([]);
    expect(stringList(null)).toEqual([]);
    expect(stringList("a")).toEqual(["a"]);
    expect(stringList(["a", 1, null, "b"])).toEqual(["a", "b"]);
  });

  it("asNumber: numbers and numeric strings (Terraform accepts both), nothing else", () => {
    expect(asNumber(7)).toBe(7);
    expect(asNumber(" 30 ")).toBe(30);
    expect(asNumber("-2.5")).toBe(-2.5);
    expect(asNumber("1e3")).toBeUndefined();
    expect(asNumber("30 days")).toBeUndefined();
    expect(asNumber(true)).toBeUndefined();
    expect(asNumber(undefined)).toBeUndefined();
  });
});

describe("policy engine: interpolations", () => {
  it("the body of each ${...}, with nested braces and braces inside strings kept whole", () => {
    expect(interpolations("no expression")).toEqual([]);
    expect(interpolations("${aws_s3_bucket.logs.id}")).toEqual(["aws_s3_bucket.logs.id"]);
    expect(interpolations('a-${jsonencode({"k" = "}"})}-b-${var.x}')).toEqual(['jsonencode({"k" = "}"})', "var.x"]);
    expect(interpolations('${replace("a\\"}", "}", "")}')).toEqual(['replace("a\\"}", "}", "")']);
  });

  it("an interpolation that never closes runs to the end of the text", () => {
    expect(interpolations("x ${aws_lb.alb.arn")).toEqual(["aws_lb.alb.arn"]);
  });
});

describe("policy engine: parseHclLiteral (the argument of cdktf's jsonencode)", () => {
  it("objects with = or :, quoted or bare keys; tuples; numbers, booleans and null", () => {
    expect(parseHclLiteral('{ a = 1, "b-c": [true, false, null, -2.5, 1e3], d = {} , e = [] }')).toEqual({
      a: 1,
      "b-c": [true, false, null, -2.5, 1000],
      d: {},
      e: [],
    });
  });

  it("strings keep JSON escapes; a template string keeps its interpolation; a reference or call becomes ${...}", () => {
    expect(parseHclLiteral('["a\\"b", "line\\nnext", "pre-${aws_x.y.id}-post", aws_iam_role.r.arn, format("%s-%s", a.b, [1, 2])]')).toEqual([
      'a"b',
      "line\nnext",
      "pre-${aws_x.y.id}-post",
      "${aws_iam_role.r.arn}",
      '${format("%s-%s", a.b, [1, 2])}',
    ]);
    expect(parseHclLiteral('{ k = lookup(m, "x,y") }')).toEqual({ k: '${lookup(m, "x,y")}' });
  });

  it("a string with an escape JSON does not know is kept as written", () => {
    expect(parseHclLiteral('"a\\qb"')).toBe("a\\qb");
  });

  it("text it cannot read is an error that says where", () => {
    expect(() => parseHclLiteral("{ = 1 }")).toThrow("HCL: bad key at 2");
    expect(() => parseHclLiteral("{ a 1 }")).toThrow("HCL: expected = at 4");
    expect(() => parseHclLiteral("{ a = 1")).toThrow("HCL: unterminated object");
    expect(() => parseHclLiteral("[1, 2")).toThrow("HCL: unterminated tuple");
    expect(() => parseHclLiteral("{ a = 1 } x")).toThrow("HCL: trailing text at 10");
  });
});
