/**
 * Pure rules about the public hostnames (EDGE-1..EDGE-3): which names a certificate covers, which
 * ACM validation records they need, and which names Cloudflare may proxy. No constructs here, so
 * that each rule is unit-tested on its own.
 */
import type { DnsDefinition, PublicHostnames, ServiceDefinition, ServiceName } from "../config/types";

/** Every public hostname of an environment, in the order of `dns.hostnames`. */
export function publicHostnames(dns: DnsDefinition): readonly string[] {
  return Object.values(dns.hostnames);
}

/** The hostname a public web service answers on (EDGE-1); throws when the environment has none. */
export function hostnameOf(dns: DnsDefinition, service: ServiceName): string {
  const byService: Readonly<Record<string, string | undefined>> = { ...dns.hostnames };
  const hostname = byService[service];
  if (!hostname) {
    const known = Object.keys(dns.hostnames).join(", ");
    throw new Error(`edge: public web service "${service}" has no hostname in dns.hostnames (it has ${known})`);
  }
  return hostname;
}

/** The public web services of the catalog, in catalog order: the ones behind the ALB. */
export function publicWebServices(catalog: readonly ServiceDefinition[]): readonly ServiceDefinition[] {
  return catalog.filter((s) => s.kind === "public-web");
}

/**
 * The names of the certificate (EDGE-2): the frontend's hostname (the apex of the environment's
 * names) is the certificate's domain name, every other hostname a subject alternative name, sorted
 * so that the order of `dns.hostnames` does not matter.
 */
export function certificateNames(hostnames: PublicHostnames): { readonly domainName: string; readonly subjectAlternativeNames: readonly string[] } {
  const domainName = hostnames.frontend;
  const subjectAlternativeNames = [...new Set(Object.values(hostnames))].filter((h) => h !== domainName).sort();
  return { domainName, subjectAlternativeNames };
}

/**
 * The certificate names that need their own DNS validation record (EDGE-2), one per distinct
 * record: ACM gives `example.com` and `*.example.com` the same CNAME, and Cloudflare provider 5 has
 * no `allow_overwrite`, so a second record for the same name would fail. Of names that share a
 * record the non-wildcard one is kept (else the first). Order follows the input.
 */
export function validationRecordDomains(names: readonly string[]): readonly string[] {
  const chosen = new Map<string, string>();
  for (const name of names) {
    const base = name.replace(/^\*\./, "");
    const previous = chosen.get(base);
    if (previous === undefined || (previous.startsWith("*.") && !name.startsWith("*."))) chosen.set(base, name);
  }
  return [...chosen.values()];
}

/**
 * How many labels a hostname has below its zone: 0 for the apex, 1 for `tracker.glimpse.technology`
 * in `glimpse.technology`, 3 for `api.tracker.staging.glimpse.technology`.
 */
export function labelsBelowZone(hostname: string, zoneName: string): number {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  const zone = zoneName.toLowerCase().replace(/\.$/, "");
  if (host === zone) return 0;
  if (!host.endsWith(`.${zone}`)) throw new Error(`edge: "${hostname}" is not inside the zone ${zoneName}`);
  return host.slice(0, -(zone.length + 1)).split(".").length;
}

/**
 * EDGE-3: whether Cloudflare may proxy a hostname. Cloudflare's universal certificate covers the
 * zone apex and one level below it (`glimpse.technology`, `*.glimpse.technology`) only; a proxied
 * deeper name (`api.tracker.glimpse.technology`) would fail TLS at Cloudflare's edge, so it is
 * DNS-only and clients reach the ALB (and its ACM certificate) directly.
 */
export function proxiedByCloudflare(hostname: string, zoneName: string): boolean {
  return labelsBelowZone(hostname, zoneName) <= 1;
}
