/**
 * ACM certificates are replaced create-before-destroy, so a listener never loses its certificate.
 * Sources: Checkov CKV_AWS_233 (ACMCertCreateBeforeDestroy: lifecycle.create_before_destroy = true).
 */
import { block, isTrue, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "acm-create-before-destroy",
  mirrors: ["CKV_AWS_233", "EDGE-2"],
  description: "aws_acm_certificate has lifecycle.create_before_destroy = true.",
  resourceTypes: ["aws_acm_certificate"],
  expectedIn: ENVIRONMENT_STACKS,
  check(cert) {
    return isTrue(block(cert.config["lifecycle"])?.["create_before_destroy"]) ? [] : ["lifecycle.create_before_destroy is not true"];
  },
};
