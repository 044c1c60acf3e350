/**
 * The contract facts a reviewer checks the infrastructure against, written out once, by hand.
 * Tests compare the synthesized stacks with these values, never with the service catalog, the
 * environment definitions or a renderer (a wrong value there would otherwise be its own expected
 * value). Changing one of these is a contract change: the images, the operators or AWS's
 * behaviour changed, and the reviewer should see it in the diff of this file.
 */
import type { ServiceName } from "../../src/config/types";

/** What each image listens on and answers health checks at (the images' contract). */
export const WEB_SERVICES = {
  api: { port: 8000, healthPath: "/health" },
  frontend: { port: 3000, healthPath: "/healthz" },
  admin: { port: 3001, healthPath: "/healthz" },
} as const satisfies Partial<Record<ServiceName, { port: number; healthPath: string }>>;

/** The private anisette server's port (workers call http://anisette-v3:6969). */
export const ANISETTE_PORT = 6969;

/** Workers listen on nothing; every other service is here. */
export const WORKERS: readonly ServiceName[] = ["tracker-fetcher", "unified-geofence", "notification-service", "materialized-view-service"];

/** A worker is healthy while its heartbeat file is younger than 2 minutes (the images write it). */
export const WORKER_HEALTH_COMMAND = ["CMD-SHELL", "find /tmp/worker-heartbeat -mmin -2 | grep -q . || exit 1"];

/** A web service's container health check: its own health path on its own port, over loopback. */
export const webHealthCommand = (service: keyof typeof WEB_SERVICES): string[] => [
  "CMD-SHELL",
  `curl -fsS -o /dev/null http://127.0.0.1:${WEB_SERVICES[service].port}${WEB_SERVICES[service].healthPath} || exit 1`,
];

/** EDGE-4: TLS 1.2 minimum with TLS 1.3, forward-secret ciphers only (an ELB.17-compliant policy). */
export const ALB_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06";

/** OBS-1: how long logs are kept, in days. Production a year (CKV_AWS_338); staging a month. */
export const LOG_RETENTION_DAYS = { staging: 30, production: 365 } as const;

/** EDGE-6: seconds a target keeps draining after deregistration. */
export const DEREGISTRATION_DELAY_SECONDS = 30;

/** The servers' default ports, which clients and security groups use. */
export const POSTGRES_PORT = 5432;
export const REDIS_PORT = 6379;
