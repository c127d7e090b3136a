/**
 * The local system's fixed names and ports, shared by the runtime (`npm start`) and the commands that
 * talk to it (`claimpath submit`), so that they meet without configuration.
 */

/** Region the local clients sign for (the servers accept any). */
export const LOCAL_REGION = 'us-east-1';

/** Default ports on 127.0.0.1: DynamoDB (dynalite) and S3 (s3rver, whose own default is 4568). */
export const LOCAL_PORTS = { dynamodb: 4567, s3: 4568 } as const;

/** The local buckets (on AWS the stateful stack names its own). */
export const LOCAL_BUCKETS = {
  inbound: 'claimpath-inbound',
  outbound: 'claimpath-outbound',
  archive: 'claimpath-archive',
} as const;

/** Port of the local worklist API and page (src/local/api-server.ts) on 127.0.0.1. */
export const LOCAL_API_PORT = 4569;

/** Where `claimpath queue` finds the local API by default (the API is mounted under `/api`). */
export const LOCAL_API_URL = `http://127.0.0.1:${LOCAL_API_PORT}/api`;

/** The local S3 endpoint at its default port. */
export const LOCAL_S3_ENDPOINT = `http://127.0.0.1:${LOCAL_PORTS.s3}`;
