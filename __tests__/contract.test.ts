/**
 * The configuration data against the written-out contract (__tests__/support/contract.ts). This
 * data is module-level, so mutation testing skips it (`ignoreStatic`); these tests are what
 * fails when a port, a health path, a retention or the TLS policy is changed in the source.
 */
import { describe, expect, it } from "vitest";
import { PRODUCTION, STAGING } from "../src/config/environments";
import { SERVICE_CATALOG, serviceDefinition } from "../src/config/service-catalog";
import { HTTPS_SSL_POLICY } from "../src/edge/load-balancer";
import { ALB_TLS_POLICY, ANISETTE_PORT, LOG_RETENTION_DAYS, POSTGRES_PORT, REDIS_PORT, WEB_SERVICES, WORKER_HEALTH_COMMAND, WORKERS, webHealthCommand } from "./support/contract";

describe("the catalog and the environments keep the contract", () => {
  // The contract pins the facts of the services it names; a service added to the catalog is not in it
  // until someone writes its facts there, so these iterate the contract, not the catalog.
  it("ECS-2, EDGE-5: api, frontend and admin are public web services, on their ports and health paths", () => {
    const publicWeb = SERVICE_CATALOG.filter((s) => s.kind === "public-web").map((s) => s.name);
    expect(publicWeb, "the contract's web services (__tests__/support/contract.ts)").toEqual(expect.arrayContaining(Object.keys(WEB_SERVICES)));
    for (const [name, { port, healthPath }] of Object.entries(WEB_SERVICES)) {
      const s = serviceDefinition(name as keyof typeof WEB_SERVICES);
      expect({ port: s.port, healthPath: s.healthPath }, name).toEqual({ port, healthPath });
      expect(s.healthCommand, name).toEqual(webHealthCommand(name as keyof typeof WEB_SERVICES));
    }
  });

  it("ECS-5: the workers have no port and a heartbeat health check", () => {
    const workers = SERVICE_CATALOG.filter((s) => s.kind === "worker").map((s) => s.name);
    expect(workers, "the contract's workers (__tests__/support/contract.ts)").toEqual(expect.arrayContaining([...WORKERS]));
    for (const name of WORKERS) {
      expect(serviceDefinition(name).port, name).toBeUndefined();
      expect(serviceDefinition(name).healthCommand, name).toEqual(WORKER_HEALTH_COMMAND);
    }
  });

  it("ECS-2: anisette listens on 6969 and its health check probes that port", () => {
    const anisette = serviceDefinition("anisette");
    expect(anisette.kind).toBe("private-service");
    expect(anisette.port).toBe(ANISETTE_PORT);
    expect(anisette.healthCommand.join(" ")).toMatch(new RegExp(`127\\.0\\.0\\.1:${ANISETTE_PORT}\\b`));
  });

  it("OBS-1: staging keeps logs 30 days, production 365", () => {
    expect(STAGING.logRetentionDays).toBe(LOG_RETENTION_DAYS.staging);
    expect(PRODUCTION.logRetentionDays).toBe(LOG_RETENTION_DAYS.production);
  });

  it("EDGE-4: the ALB's TLS policy is ELBSecurityPolicy-TLS13-1-2-Res-2021-06", () => {
    expect(HTTPS_SSL_POLICY).toBe(ALB_TLS_POLICY);
  });

  it("PRD-1: production's PostgreSQL and Valkey listen on the servers' default ports", () => {
    expect(PRODUCTION.dataPlane.mode).toBe("external");
    if (PRODUCTION.dataPlane.mode !== "external") return;
    expect(PRODUCTION.dataPlane.postgres.port).toBe(POSTGRES_PORT);
    expect(PRODUCTION.dataPlane.redis.port).toBe(REDIS_PORT);
  });
});
