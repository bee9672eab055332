// A DynamoDB-protocol server on loopback for the error store's tests: dynalite (an
// implementation of the DynamoDB API over an in-memory LevelDB) stands in for DynamoDB, which
// cannot run here. The forwarder reaches it through the SDK's own endpoint variable,
// AWS_ENDPOINT_URL_DYNAMODB.
import type { AddressInfo } from 'node:net';
import {
  type AttributeValue,
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';

/** Credentials for the local server (it accepts any); nothing here reaches AWS. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'eu-west-1';

export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  createTable(input: CreateTableCommandInput): Promise<void>;
  /** Every item of the table (paginated scan). */
  scan(tableName: string): Promise<Record<string, AttributeValue>[]>;
  close(): Promise<void>;
}

/** A client for `endpoint` with the local credentials. */
export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
}

/**
 * Starts dynalite on 127.0.0.1 at a free port.
 *
 * @example
 * const db = await startLocalDynamoDb();
 * await db.createTable({ TableName: 'errors', ... });
 * await db.close();
 */
export async function startLocalDynamoDb(): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint);
  return {
    endpoint,
    client,
    async createTable(input) {
      await client.send(new CreateTableCommand(input));
    },
    async scan(tableName) {
      const items: Record<string, AttributeValue>[] = [];
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start !== undefined);
      return items;
    },
    async close() {
      client.destroy();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
