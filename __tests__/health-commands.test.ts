/**
 * IMG-1: the container health checks do what ECS will do with them in the image. Each command is run
 * the way ECS runs `CMD-SHELL` (`/bin/sh -c <command>`) with a PATH that holds only the tools the
 * image contract lists, against a server that answers like the real process (anisette's `GET /`
 * on 127.0.0.1:6969) or a heartbeat file of a given age (the workers).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDefinition, WORKER_HEARTBEAT_FILE } from "../src/config/service-catalog";
import type { ServiceDefinition } from "../src/config/types";

/** A directory with only these executables, linked from the machine's own. */
function pathWith(tools: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "image-tools-"));
  for (const tool of tools) symlinkSync(`/usr/bin/${tool}`, join(dir, tool));
  return dir;
}

/** Runs a health command as ECS does; resolves with its exit code. */
function runHealthCheck(command: readonly string[], path: string): Promise<number> {
  expect(command[0]).toBe("CMD-SHELL");
  return new Promise((resolve) => {
    execFile("/bin/sh", ["-c", command.slice(1).join(" ")], { env: { PATH: path }, timeout: 5000 }, (error) => {
      resolve(error ? (typeof error.code === "number" ? error.code : 1) : 0);
    });
  });
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("IMG-1: anisette's health check against a server answering like anisette-v3-server", () => {
  const anisette = serviceDefinition("anisette");
  let status = 200;
  let server: Server;
  let path: string;

  beforeAll(async () => {
    path = pathWith(anisette.image.tools.filter((t) => t !== "sh"));
    dirs.push(path);
    // source/app.d: GET / answers the anisette v1 headers as JSON; anything else is not the check.
    server = createServer((req, res) => {
      if (req.method === "GET" && req.url === "/") {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ "X-Apple-I-MD": "AAAA", "X-Apple-I-MD-M": "BBBB" }));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(6969, "127.0.0.1", resolve);
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("IMG-1: with only the image's curl on PATH the check passes on 200 and fails on 500", async () => {
    status = 200;
    expect(await runHealthCheck(anisette.healthCommand, path)).toBe(0);
    status = 500;
    expect(await runHealthCheck(anisette.healthCommand, path)).not.toBe(0);
    status = 200;
  });

  it("IMG-1: the former wget check fails in that image even while the server is healthy", async () => {
    status = 200;
    const former: ServiceDefinition["healthCommand"] = ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:6969/ || exit 1"];
    expect(await runHealthCheck(former, path)).not.toBe(0);
  });
});

describe("IMG-1: the workers' heartbeat check with only sh, find and grep", () => {
  const worker = serviceDefinition("tracker-fetcher");

  it("IMG-1: a fresh heartbeat passes, one older than two minutes fails, none fails", async () => {
    const path = pathWith(worker.image.tools.filter((t) => t !== "sh"));
    dirs.push(path);
    try {
      writeFileSync(WORKER_HEARTBEAT_FILE, "");
      expect(await runHealthCheck(worker.healthCommand, path)).toBe(0);
      const threeMinutesAgo = new Date(Date.now() - 3 * 60_000);
      utimesSync(WORKER_HEARTBEAT_FILE, threeMinutesAgo, threeMinutesAgo);
      expect(await runHealthCheck(worker.healthCommand, path)).not.toBe(0);
    } finally {
      rmSync(WORKER_HEARTBEAT_FILE, { force: true });
    }
    expect(await runHealthCheck(worker.healthCommand, path)).not.toBe(0);
  });
});
