/**
 * Realistic staging parameters of the database host's user data (the values the staging stack passes,
 * with stub ARNs and IDs), shared by the unit tests of the render, the construct guards and the live
 * integration tests.
 */
import { STAGING } from "../../src/config/environments";
import { internalNamespace, parameterName } from "../../src/config/naming";
import type { DatabaseHostUserDataParams } from "../../src/data/database-host/user-data";

export const EXAMPLE_HOST_PARAMS: DatabaseHostUserDataParams = {
  environment: "staging",
  region: STAGING.region,
  versions: STAGING.databaseVersions,
  dataVolumeId: "vol-0123456789abcdef0",
  privateIp: "10.42.64.10",
  databaseName: "tracker",
  databaseUser: "tracker",
  postgresPasswordSecretArn:
    "arn:aws:secretsmanager:eu-central-1:802732539686:secret:tracker/staging/postgres-password-AbCdEf",
  redisPasswordSecretArn: "arn:aws:secretsmanager:eu-central-1:802732539686:secret:tracker/staging/redis-password-AbCdEf",
  caCertificateParameterName: parameterName("staging", "database-ca-certificate"),
  applicationSubnetCidrs: ["10.42.16.0/20", "10.42.32.0/20"],
  internalNamespace: internalNamespace("staging"),
};
