/**
 * ACM certificates use RSA keys of at least 2048 bits (or ECDSA).
 * Sources: Security Hub ACM.2 ("RSA certificates managed by ACM should use a key length of at
 * least 2,048 bits"). Absent key_algorithm means RSA_2048 and passes.
 */
import type { Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

const ACCEPTED = ["RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"];

export const rule: Rule = {
  id: "acm-key-algorithm",
  mirrors: ["ACM.2", "EDGE-2"],
  description: "aws_acm_certificate.key_algorithm is RSA >= 2048 or ECDSA (absent = RSA_2048).",
  resourceTypes: ["aws_acm_certificate"],
  expectedIn: ENVIRONMENT_STACKS,
  check(cert) {
    const algorithm = cert.config["key_algorithm"] ?? "RSA_2048";
    return ACCEPTED.includes(String(algorithm)) ? [] : [`key_algorithm ${String(algorithm)} is weaker than RSA 2048`];
  },
};
