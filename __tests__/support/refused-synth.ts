/**
 * What an operator must read when the synth refuses __tests__/fixtures/refused-synth.ts's four
 * mistakes (CFG-5), written out as they should read it; the unit and the integration synth tests
 * share it.
 */
export const EXPECTED_PROBLEMS = [
  "  - staging.logRetentionDays: 45 is not a CloudWatch Logs retention; use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
  '  - staging.dataPlane.instanceType: "t4g.4xlarge" does not exist: t4g comes in nano, micro, small, medium, large, xlarge, 2xlarge (not 4xlarge)',
  '  - project.githubRepository: "glimpse-technology/*" contains a wildcard; name exactly one repository as owner/name. In the CI roles\' trust a wildcard lets every matching repository (e.g. any repository of the organization) assume them, production\'s deploy role included',
  '  - project.applicationRepositories[0]: "https://github.com/glimpse-technology/tracker.git" is a URL; write the repository as owner/name, here "glimpse-technology/tracker" (the CI roles\' trust compares GitHub\'s "repo:owner/name" claim)',
];
export const EXPECTED_REFUSAL = ["Invalid configuration (4 problems), nothing was synthesized:", ...EXPECTED_PROBLEMS];
