/**
 * IMG-1: each catalog row's task definition matches its image. The rules hold the health command to
 * the row's own port and path and to the tools its image contract lists, and keep the contract's
 * writable paths and user coherent with the row's storage. Called by `validateEnvironments`; every
 * problem is prefixed `catalog.<service>.<field>`.
 */
import { WORKER_HEARTBEAT_FILE } from "./service-catalog";
import type { ServiceDefinition } from "./types";

/** Words a `CMD-SHELL` command may use that `sh` itself provides (builtins), not the image. */
const SHELL_BUILTINS = new Set(["exit", "true", "false", "test", "[", ":", "echo", "printf", "exec", "command"]);

/** Reserved words that can start a list element once the separators are cut out: not commands. */
const SHELL_KEYWORDS = new Set(["if", "elif", "fi", "while", "until", "done", "!", "{", "}"]);

/** Hosts that reach the container itself: a container health check runs inside the task. */
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** An http(s) URL in a health command: scheme, host, optional port, optional path. */
const URL_PATTERN = /\b(https?):\/\/(\[[^\]]+\]|[^/:\s'"]+)(?::(\d+))?(\/[^\s'"|;&)]*)?/g;

/**
 * The executables a health command starts: for `CMD`, its first argument; for `CMD-SHELL`, `sh`
 * and the first word of every pipeline stage and list element (shell builtins left out). Paths
 * count by their last segment (`/usr/bin/curl` starts `curl`).
 */
export function healthCommandTools(command: readonly string[]): string[] {
  const [form, ...rest] = command;
  const base = (word: string) => word.split("/").pop() ?? word;
  if (form === "CMD") return rest.length > 0 ? [base(rest[0]!)] : [];
  if (form !== "CMD-SHELL") return [];
  const tools = new Set<string>(["sh"]);
  for (const stage of rest.join(" ").split(/\|\||&&|[|;&]|\bthen\b|\belse\b|\bdo\b/)) {
    const words = stage.replace(/^[({!\s]+/, "").split(/\s/).filter((w) => w !== "");
    // The reserved words that open a compound command (`if curl ...`) and leading variable
    // assignments (`LANG=C curl ...`) come before the command; `fi`, `done` and `}` alone start none.
    const word = words.find((w) => !SHELL_KEYWORDS.has(w) && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
    if (word === undefined || SHELL_BUILTINS.has(word)) continue;
    tools.add(base(word));
  }
  return [...tools];
}

/** The http(s) URLs a health command requests, parsed. */
export function healthCommandUrls(command: readonly string[]): { host: string; port: number; path: string }[] {
  const text = command.join(" ");
  return [...text.matchAll(URL_PATTERN)].map((m) => ({
    host: m[2]!,
    port: m[3] !== undefined ? Number(m[3]) : m[1] === "https" ? 443 : 80,
    path: m[4] ?? "/",
  }));
}

/** `/a/b` is `/a` or lies under it. */
function within(path: string, directory: string): boolean {
  return path === directory || path.startsWith(`${directory}/`);
}

/** Problems of every row's image contract and health command (IMG-1). */
export function imageContractProblems(catalog: readonly ServiceDefinition[]): string[] {
  const problems: string[] = [];
  for (const s of catalog) {
    const at = (field: string, message: string) => problems.push(`catalog.${s.name}.${field}: ${message}`);
    const image = s.image;

    // The health command starts only what the image provides.
    for (const tool of healthCommandTools(s.healthCommand)) {
      if (!image.tools.includes(tool)) {
        at("healthCommand", `runs "${tool}", which the image does not provide (image.tools: ${image.tools.join(", ") || "none"})`);
      }
    }

    // ... and checks the row's own port and path.
    const urls = healthCommandUrls(s.healthCommand);
    if (s.port === undefined) {
      for (const url of urls) at("healthCommand", `requests ${url.host}:${url.port}${url.path}, but a ${s.kind} has no port to check`);
    } else {
      if (!s.healthPath?.startsWith("/")) at("healthPath", `a service with a port needs the HTTP path its health checks request`);
      if (urls.length === 0) {
        at("healthCommand", `requests no http://127.0.0.1:${s.port}${s.healthPath ?? "/"}; a service with a port is checked on its own port and healthPath`);
      }
      for (const url of urls) {
        if (!LOOPBACK_HOSTS.has(url.host)) {
          at("healthCommand", `requests host ${url.host}; a container health check runs inside the task and must request 127.0.0.1`);
        }
        if (url.port !== s.port) at("healthCommand", `checks port ${url.port}, but the service listens on port ${s.port}`);
        if (s.healthPath !== undefined && url.path !== s.healthPath) {
          at("healthCommand", `checks path ${url.path}, but the service's healthPath is ${s.healthPath}`);
        }
      }
    }

    // Writable paths: absolute, distinct, not the EFS mount, sized when in memory.
    const storagePath = s.storage?.efsMountPath;
    image.scratchPaths.forEach((scratch, i) => {
      const field = `image.scratchPaths[${i}]`;
      if (!/^(\/[A-Za-z0-9._-]+)+$/.test(scratch.path) || scratch.path.split("/").some((p) => p === "." || p === "..")) {
        at(field, `"${scratch.path}" is not a normalized absolute path (and not "/")`);
      }
      image.scratchPaths.forEach((other, j) => {
        if (j > i && (within(scratch.path, other.path) || within(other.path, scratch.path))) {
          at(field, `${scratch.path} overlaps image.scratchPaths[${j}] ${other.path}`);
        }
      });
      if (storagePath !== undefined && (within(scratch.path, storagePath) || within(storagePath, scratch.path))) {
        at(field, `${scratch.path} overlaps the persistent storage at ${storagePath}; state that must survive restarts goes there, scratch elsewhere`);
      }
      if (scratch.volume === "tmpfs" && !(Number.isInteger(scratch.sizeMiB) && scratch.sizeMiB! > 0)) {
        at(field, `a tmpfs needs sizeMiB, a positive whole number of MiB (it counts against the task's memory)`);
      }
      if (scratch.volume === "ephemeral" && scratch.sizeMiB !== undefined) {
        at(field, `sizeMiB applies to tmpfs only; an ephemeral bind mount shares the task's ephemeral storage`);
      }
    });

    // The worker heartbeat is written by the worker: its directory must be writable.
    if (s.healthCommand.some((part) => part.includes(WORKER_HEARTBEAT_FILE))) {
      const writable = [...image.scratchPaths.map((p) => p.path), ...(storagePath ? [storagePath] : [])];
      if (!writable.some((dir) => within(WORKER_HEARTBEAT_FILE, dir))) {
        at("image.scratchPaths", `the health command reads ${WORKER_HEARTBEAT_FILE}, which the worker writes, but no writable path holds it`);
      }
    }

    // The user: non-root, and known wherever EFS must be owned by it.
    if (image.user) {
      for (const key of ["uid", "gid"] as const) {
        const id = image.user[key];
        if (!Number.isInteger(id) || id < 0 || id > 2147483647) at(`image.user.${key}`, `${id} is not a POSIX ${key}`);
      }
      if (image.user.uid === 0) at("image.user.uid", "0 is root; images run as a non-root user");
    } else if (s.storage) {
      at("image.user", `a service with storage needs the image's uid and gid: the EFS access point writes as them`);
    }
    if (image.tools.some((t) => t === "" || /\s|\//.test(t))) at("image.tools", "lists executable names, without paths or spaces");
    if (image.command?.some((arg) => arg === "")) at("image.command", "has an empty argument");
  }
  return problems;
}
