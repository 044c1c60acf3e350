/**
 * The Graviton (ARM64) EC2 instance types the staging database host may run on (DB-1, CFG-5), by
 * family, with the sizes AWS really sells. An instance type outside this list is refused at synth:
 * EC2 would refuse one that does not exist at apply, and an x86 type cannot boot the host's ARM64 AMI.
 *
 * Source: the EC2 API's `InstanceType` enumeration (AWS API model `ec2/2016-11-15`, as shipped in
 * botocore 1.43.11), cross-checked with the EC2 Instance Types Guide. Families kept: burstable
 * (t4g), general purpose (m6g/m6gd, m7g/m7gd, m8g/m8gd), compute optimized (c6g/c6gd, c7g/c7gd,
 * c8g/c8gd) and memory optimized (r6g/r6gd, r7g/r7gd, r8g/r8gd, x2gd, x8g). Left out on purpose:
 * a1 (first-generation Graviton), and the network-, storage-, GPU- and HPC-specialised variants
 * (c6gn, c7gn, i4g, im4gn, is4gen, i8g, g5g, hpc7g), which a single database host has no use for.
 * When AWS adds a Graviton family, add its row here with the sizes from the same source.
 */
export const GRAVITON_INSTANCE_SIZES = {
  t4g: ["nano", "micro", "small", "medium", "large", "xlarge", "2xlarge"],
  m6g: ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "metal"],
  m6gd: ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "metal"],
  m7g: ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "metal"],
  m7gd: ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "metal"],
  m8g: ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge", "metal-24xl", "metal-48xl"],
  m8gd: ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge", "metal-24xl", "metal-48xl"],
  c6g: ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "metal"],
  c6gd: ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "metal"],
  c7g: ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "metal"],
  c7gd: ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "metal"],
  c8g: ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge", "metal-24xl", "metal-48xl"],
  c8gd: ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge", "metal-24xl", "metal-48xl"],
  r6g: ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "metal"],
  r6gd: ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "metal"],
  r7g: ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "metal"],
  r7gd: ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "metal"],
  r8g: ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge", "metal-24xl", "metal-48xl"],
  r8gd: ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge", "metal-24xl", "metal-48xl"],
  x2gd: ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "metal"],
  x8g: ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge", "metal-24xl", "metal-48xl"],
} as const satisfies Readonly<Record<string, readonly string[]>>;

export type GravitonFamily = keyof typeof GRAVITON_INSTANCE_SIZES;

/** Every allowed type as EC2 spells it, e.g. `t4g.large`. */
export const GRAVITON_INSTANCE_TYPES: readonly string[] = Object.entries(GRAVITON_INSTANCE_SIZES).flatMap(([family, sizes]) =>
  sizes.map((size) => `${family}.${size}`),
);
