/**
 * Builds the DynamoDB client of a process (a CLI run, the local runtime, a test) from where the table
 * lives: AWS itself, or a local DynamoDB-compatible server on loopback. Build it once and inject it into
 * every adapter (they share its connections).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Where DynamoDB is. */
export interface DynamoLocation {
  /** An endpoint URL (`http://127.0.0.1:8000`); absent for AWS's regional endpoint. */
  endpoint?: string;
  region: string;
}

/**
 * Credentials for a local server, which checks none but the SDK still signs every request: fixed dummy
 * values keep a developer's real AWS credentials out of requests to a local process.
 */
const LOCAL_CREDENTIALS = { accessKeyId: 'claimpath-local', secretAccessKey: 'claimpath-local' } as const;

/** True when the endpoint is this machine (a local DynamoDB-compatible server). */
export function isLoopbackEndpoint(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * A DynamoDB client for `location`: dummy credentials for a loopback endpoint, the default
 * credential chain (environment, profile, role) otherwise.
 *
 * @example
 * const client = createDynamoClient({ endpoint: 'http://127.0.0.1:8000', region: 'us-east-1' });
 */
export function createDynamoClient(location: DynamoLocation): DynamoDBClient {
  const { endpoint, region } = location;
  if (endpoint === undefined) return new DynamoDBClient({ region });
  return new DynamoDBClient({ region, endpoint, ...(isLoopbackEndpoint(endpoint) ? { credentials: LOCAL_CREDENTIALS } : {}) });
}
