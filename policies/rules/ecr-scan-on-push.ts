/**
 * Images are scanned for vulnerabilities when pushed (ECR-1).
 * Sources: Security Hub ECR.1 ("ECR private repositories should have image scanning configured");
 * Checkov CKV_AWS_163 (ECRImageScanning: image_scanning_configuration.scan_on_push = true); Trivy
 * AVD-AWS-0030 (aws-ecr-enable-image-scans). A registry-wide aws_ecr_registry_scanning_configuration
 * with a scan-on-push rule also satisfies it.
 */
import { block, blocks, isTrue, type Rule } from "../engine";
import { BOOTSTRAP_STACKS } from "../stacks";

export const rule: Rule = {
  id: "ecr-scan-on-push",
  mirrors: ["ECR.1", "CKV_AWS_163", "AVD-AWS-0030", "ECR-1"],
  description: "aws_ecr_repository scans on push (or the registry scanning configuration does).",
  resourceTypes: ["aws_ecr_repository"],
  expectedIn: BOOTSTRAP_STACKS,
  check(repo, ctx) {
    if (isTrue(block(repo.config["image_scanning_configuration"])?.["scan_on_push"])) return [];
    const registry = ctx
      .resources("aws_ecr_registry_scanning_configuration")
      .some((r) => blocks(r.config["rule"]).some((x) => ["SCAN_ON_PUSH", "CONTINUOUS_SCAN"].includes(String(x["scan_frequency"]))));
    return registry ? [] : ["scan_on_push is not enabled"];
  },
};
