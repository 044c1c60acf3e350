/**
 * The environment's ACM certificate (EDGE-2): one certificate for every public hostname, validated
 * by DNS with CNAMEs that the Cloudflare provider writes into the zone, and an
 * `aws_acm_certificate_validation` that waits until ACM has issued it. Consumers take
 * `certificateArn`, which comes from the validation resource, so an HTTPS listener is only created
 * once the certificate is usable.
 *
 * `domain_validation_options` is a set whose records are unknown until the certificate exists, so
 * the records cannot be iterated at plan time. Each record is therefore keyed by a static name
 * (one resource per distinct validation name, see `validationRecordDomains`) and reads its name and
 * value from a map of the set keyed by `domain_name`, which Terraform knows at plan time.
 */
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { DnsRecord } from "@cdktf/provider-cloudflare/lib/dns-record";
import { Construct } from "constructs";
import { Fn, TerraformIterator, Token } from "../cdktf";
import { resourceName } from "../config/naming";
import type { EnvironmentName, PublicHostnames } from "../config/types";
import { certificateNames, validationRecordDomains } from "./hostnames";

export type CertificateKeyAlgorithm = "EC_prime256v1" | "RSA_2048";

export interface CertificateProps {
  readonly environment: EnvironmentName;
  /** The public hostnames to cover (`env.dns.hostnames`); the frontend's is the domain name. */
  readonly hostnames: PublicHostnames;
  /** The Cloudflare zone the validation records go into (`CloudflareZone.zoneId`). */
  readonly zoneId: string;
  /**
   * The key algorithm. ECDSA P-256: smaller handshakes, supported by every client that speaks
   * TLS 1.2+, which the listener requires anyway.
   * @default "EC_prime256v1"
   */
  readonly keyAlgorithm?: CertificateKeyAlgorithm;
  /** TTL of the validation CNAMEs in seconds (1 = Cloudflare's automatic). @default 60 */
  readonly validationRecordTtl?: number;
}

export class Certificate extends Construct {
  /** The ARN of the issued certificate, from `aws_acm_certificate_validation` (waits for issuance). */
  readonly certificateArn: string;
  /** The certificate's domain name (the frontend's hostname). */
  readonly domainName: string;
  /** The certificate's other names. */
  readonly subjectAlternativeNames: readonly string[];
  /** Every name the certificate covers. */
  readonly names: readonly string[];
  readonly certificate: AcmCertificate;
  readonly validation: AcmCertificateValidation;
  /** The validation CNAMEs, by the certificate name each one was looked up for. */
  readonly validationRecords: ReadonlyMap<string, DnsRecord>;

  constructor(scope: Construct, id: string, props: CertificateProps) {
    super(scope, id);
    const { domainName, subjectAlternativeNames } = certificateNames(props.hostnames);
    this.domainName = domainName;
    this.subjectAlternativeNames = subjectAlternativeNames;
    this.names = [domainName, ...subjectAlternativeNames];
    const name = resourceName(props.environment, "certificate");

    this.certificate = new AcmCertificate(this, "certificate", {
      domainName,
      subjectAlternativeNames: [...subjectAlternativeNames],
      validationMethod: "DNS",
      keyAlgorithm: props.keyAlgorithm ?? "EC_prime256v1",
      options: { certificateTransparencyLoggingPreference: "ENABLED" },
      tags: { Name: name },
      // A change of names replaces the certificate: the new one is issued before the listener
      // lets go of the old one.
      lifecycle: { createBeforeDestroy: true },
    });

    // { for o in domain_validation_options : o.domain_name => o }: keys known at plan time.
    const optionsByDomain = TerraformIterator.fromList(this.certificate.domainValidationOptions).forExpressionForMap(
      "val.domain_name",
      "val",
    );
    const option = (domain: string, field: "resource_record_name" | "resource_record_value"): string =>
      // Cloudflare stores names and CNAME targets without the trailing dot ACM gives them; keeping
      // it would show a change on every plan.
      Fn.trimsuffix(Token.asString(Fn.lookupNested(optionsByDomain, [domain, field])), ".");

    const records = new Map<string, DnsRecord>();
    for (const domain of validationRecordDomains(this.names)) {
      records.set(
        domain,
        new DnsRecord(this, `validation-${domain.replace(/^\*\./, "wildcard.").replace(/\./g, "-")}`, {
          zoneId: props.zoneId,
          name: option(domain, "resource_record_name"),
          // ACM's DNS validation records are always CNAMEs; a static type keeps the plan readable.
          type: "CNAME",
          content: option(domain, "resource_record_value"),
          ttl: props.validationRecordTtl ?? 60,
          proxied: false,
          comment: `ACM DNS validation of ${name}, managed by cdktf`,
        }),
      );
    }
    this.validationRecords = records;

    this.validation = new AcmCertificateValidation(this, "validation", {
      certificateArn: this.certificate.arn,
      validationRecordFqdns: [...records.values()].map((r) => r.name),
    });
    this.certificateArn = this.validation.certificateArn;
  }
}
