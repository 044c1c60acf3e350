/**
 * The account guard, default tags and state backend every stack of an environment's account uses
 * (ACC-1, ACC-2, ACC-5). One function each, so that the environment stack and the bootstrap stack
 * cannot drift apart.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CloudflareProvider } from "@cdktf/provider-cloudflare/lib/provider";
import type { Construct } from "constructs";
import { S3Backend, type TerraformStack } from "../src/cdktf";
import { defaultTags, stateBucketName, stateKey } from "../src/config/naming";
import type { EnvironmentDefinition } from "../src/config/types";

/**
 * The AWS provider of an environment: it refuses to act on any account but the environment's own
 * (ACC-1) and tags every resource (ACC-5).
 */
export function awsProvider(scope: Construct, env: EnvironmentDefinition): AwsProvider {
  return new AwsProvider(scope, "aws", {
    region: env.region,
    allowedAccountIds: [env.accountId],
    defaultTags: [{ tags: defaultTags(env.name) }],
  });
}

/**
 * The Cloudflare provider. Its API token is read from `CLOUDFLARE_API_TOKEN` at plan time by the
 * provider itself; it never appears in code or in the synthesized JSON.
 */
export function cloudflareProvider(scope: Construct): CloudflareProvider {
  return new CloudflareProvider(scope, "cloudflare", {});
}

/**
 * The S3 backend of a stack (ACC-2): the bucket named after the environment's account, one key per
 * stack, encrypted, native S3 locking (`use_lockfile`, no DynamoDB table), and the same account
 * guard as the provider so that production credentials cannot touch staging state.
 */
export function stateBackend(stack: TerraformStack, env: EnvironmentDefinition, stackName: string): S3Backend {
  const backend = new S3Backend(stack, {
    bucket: stateBucketName(env.accountId),
    key: stateKey(stackName),
    region: env.region,
    encrypt: true,
    allowedAccountIds: [env.accountId],
  });
  // cdktf 0.21's S3BackendConfig has no useLockfile (Terraform >= 1.10 has it).
  backend.addOverride("use_lockfile", true);
  // use_lockfile needs Terraform 1.10, write-only secret values (secret_string_wo) and ephemeral
  // resources 1.11: older versions fail with a clear message instead of a confusing one.
  stack.addOverride("terraform.required_version", ">= 1.11.0");
  return backend;
}
