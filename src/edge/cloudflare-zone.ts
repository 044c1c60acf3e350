/**
 * The Cloudflare zone the public names live in (EDGE-2, EDGE-3), looked up by name. One lookup per
 * stack, shared by the certificate's validation records and the public records.
 */
import { DataCloudflareZone } from "@cdktf/provider-cloudflare/lib/data-cloudflare-zone";
import { Construct } from "constructs";

export interface CloudflareZoneProps {
  /** The zone's name, e.g. `glimpse.technology` (`env.dns.zoneName`). */
  readonly zoneName: string;
}

export class CloudflareZone extends Construct {
  /** The zone's Cloudflare ID, for `cloudflare_dns_record.zone_id`. */
  readonly zoneId: string;
  readonly zoneName: string;

  constructor(scope: Construct, id: string, props: CloudflareZoneProps) {
    super(scope, id);
    this.zoneName = props.zoneName;
    const zone = new DataCloudflareZone(this, "zone", { filter: { name: props.zoneName } });
    this.zoneId = zone.id;
  }
}
