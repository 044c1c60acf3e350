/**
 * Cloudflare records below the first level of the zone are DNS-only (EDGE-3): Cloudflare's
 * universal certificate covers `zone` and `*.zone` only, so proxying `api.tracker.<zone>` would
 * serve a certificate error. First-level names may be proxied.
 * Sources: REQUIREMENTS EDGE-3; Cloudflare universal SSL coverage (apex and first-level subdomains).
 */
import { ENVIRONMENTS } from "../../src/config/environments";
import { isTrue, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

const ZONES = [...new Set(ENVIRONMENTS.map((e) => e.dns.zoneName))];

export const rule: Rule = {
  id: "cloudflare-deep-records-dns-only",
  mirrors: ["EDGE-3"],
  description: "cloudflare_dns_record deeper than one label below the zone has proxied false.",
  resourceTypes: ["cloudflare_dns_record", "cloudflare_record"],
  expectedIn: ENVIRONMENT_STACKS,
  check(record) {
    if (!isTrue(record.config["proxied"])) return [];
    const name = String(record.config["name"] ?? "").replace(/\.$/, "");
    const zone = ZONES.find((z) => name === z || name.endsWith(`.${z}`));
    const relative = zone ? name.slice(0, Math.max(0, name.length - zone.length - 1)) : name;
    // The apex ("" or "@") counts as one label here: only depths above one are reported.
    const depth = relative.split(".").length;
    return depth > 1 ? [`${name} is proxied but is ${depth} levels below the zone`] : [];
  },
};
