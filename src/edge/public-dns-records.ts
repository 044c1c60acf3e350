/**
 * The public Cloudflare records (EDGE-3): each public hostname is a CNAME to the ALB. A name one
 * level below the zone is proxied by Cloudflare (its universal certificate covers it); deeper names
 * are DNS-only, so clients meet the ALB and its ACM certificate directly. See `proxiedByCloudflare`
 * and docs/DESIGN.md "Edge: Cloudflare proxying".
 */
import { DnsRecord } from "@cdktf/provider-cloudflare/lib/dns-record";
import { Construct } from "constructs";
import { environmentStackName } from "../config/naming";
import type { DnsDefinition, EnvironmentName } from "../config/types";
import { proxiedByCloudflare } from "./hostnames";

/** TTL of a DNS-only record, in seconds (a proxied record's TTL is Cloudflare's automatic, 1). */
export const DNS_ONLY_TTL = 300;

export interface PublicDnsRecordsProps {
  readonly environment: EnvironmentName;
  /** The zone and the hostnames (`env.dns`). */
  readonly dns: DnsDefinition;
  /** The Cloudflare zone (`CloudflareZone.zoneId`). */
  readonly zoneId: string;
  /** What every hostname points at: the ALB's DNS name (`LoadBalancer.dnsName`). */
  readonly target: string;
}

export class PublicDnsRecords extends Construct {
  constructor(scope: Construct, id: string, props: PublicDnsRecordsProps) {
    super(scope, id);
    for (const [service, hostname] of Object.entries(props.dns.hostnames) as [string, string][]) {
      const proxied = proxiedByCloudflare(hostname, props.dns.zoneName);
      new DnsRecord(this, service, {
        zoneId: props.zoneId,
        name: hostname,
        type: "CNAME",
        content: props.target,
        proxied,
        ttl: proxied ? 1 : DNS_ONLY_TTL,
        comment: `${service} of ${environmentStackName(props.environment)} -> ALB, managed by cdktf`,
      });
    }
  }
}
