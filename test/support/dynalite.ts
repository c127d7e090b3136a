/**
 * A real local DynamoDB server for integration tests: dynalite on 127.0.0.1, a free port chosen by the
 * system, data in memory. Call {@link useDynalite} at the top of a test file: it starts the server and
 * creates the tables in `beforeAll`, and destroys the client and stops the server in `afterAll`
 * (both awaited, so no test runs before the table exists and jest finds no open handle after).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { ensureTable } from '../../src/store/create-table.ts';
import { createDynamoClient } from '../../src/store/dynamo-client.ts';
import { rulesTable, type TableDefinition } from '../../src/store/tables.ts';

/** A table to create: its definition and the name to give it. */
export interface TableToCreate {
  definition: TableDefinition;
  name: string;
}

/** The running server, available inside tests (after `beforeAll`). */
export interface LocalDynamo {
  /** `http://127.0.0.1:<port>`, for code that builds its own client (the CLI). */
  readonly endpoint: string;
  /** A client on the server, shared by the file's tests. */
  readonly client: DynamoDBClient;
  readonly region: string;
}

const REGION = 'us-east-1';

/**
 * Start dynalite for this test file and create `tables` (default: the rules table under its default
 * name). The returned object's fields throw when read outside a test (before the server is up).
 *
 * @example
 * const dynamo = useDynalite();
 * test('…', async () => { const store = new DynamoRuleStore({ client: dynamo.client, tableName: rulesTable.defaultName }); … });
 */
export function useDynalite(tables: readonly TableToCreate[] = [{ definition: rulesTable, name: rulesTable.defaultName }]): LocalDynamo {
  let server: Server | undefined;
  let client: DynamoDBClient | undefined;
  let endpoint: string | undefined;

  beforeAll(async () => {
    // No CREATING delay: tables are usable as soon as CreateTable returns, as tests want.
    server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    const started = server;
    await new Promise<void>((resolve, reject) => {
      started.once('error', reject);
      started.listen(0, '127.0.0.1', () => resolve());
    });
    const address: AddressInfo | string | null = started.address();
    if (address === null || typeof address === 'string') throw new Error('dynalite is not listening on a TCP port');
    endpoint = `http://127.0.0.1:${address.port}`;
    client = createDynamoClient({ endpoint, region: REGION });
    for (const table of tables) await ensureTable(client, table.definition, table.name);
  });

  afterAll(async () => {
    // The client's kept-alive sockets would hold the server's close open: destroy the client first.
    client?.destroy();
    const running = server;
    if (running) {
      running.closeAllConnections();
      await new Promise<void>((resolve, reject) => running.close((error) => (error ? reject(error) : resolve())));
    }
  });

  const running = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`dynalite ${what} is available only inside tests, after beforeAll`);
    return value;
  };
  return {
    get endpoint() {
      return running(endpoint, 'endpoint');
    },
    get client() {
      return running(client, 'client');
    },
    region: REGION,
  };
}
