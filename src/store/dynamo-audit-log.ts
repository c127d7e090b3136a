/**
 * The DynamoDB adapter of {@link AuditLog}. An event lives in its claim's partition
 * (`CLAIM#<claimId>` / `AUDIT#<eventId>`), or the tenant's audit partition when no claim is involved,
 * and is indexed by actor in `byAssignee` (`TENANT#<tenant>#ACTOR#<sub>`): the two ways auditors ask
 * (who saw this claim; what did this person see). Events are created only where absent: an event id
 * written twice (a retried change) is one event, and no event is ever overwritten.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QueryCommand, type DynamoDBDocumentClient, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { AuditEventSchema, type AuditEvent } from '../../schemas/audit-event.schema.ts';
import type { AuditLog, AuditSelector } from '../worklist/ports.ts';
import { documentClientOf, putIfAbsent } from './dynamo-writes.ts';
import { auditEventByActorKeys, auditEventKey, dataItemTypes, dataTable } from './tables.ts';

export interface DynamoAuditLogOptions {
  client: DynamoDBClient | DynamoDBDocumentClient;
  tableName: string;
}

/** Sort-key prefix of audit events (`auditEventKey`, `auditEventByActorKeys`). */
const AUDIT_PREFIX = 'AUDIT#';
const DEFAULT_LIMIT = 1_000;

/** The actor index: a name the table's definition must hold (checked when compiling). */
const BY_ACTOR: (typeof dataTable.globalSecondaryIndexes)[number]['indexName'] = 'byAssignee';

/**
 * @example
 * const audit = new DynamoAuditLog({ client: clients.dynamo, tableName: config.DATA_TABLE });
 * await audit.append(event);
 * const reads = await audit.list(tenant, { claimId });
 */
export class DynamoAuditLog implements AuditLog {
  private readonly documentClient: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: DynamoAuditLogOptions) {
    this.documentClient = documentClientOf(options.client);
    this.tableName = options.tableName;
  }

  async append(event: AuditEvent): Promise<void> {
    const valid = AuditEventSchema.parse(event);
    await putIfAbsent(this.documentClient, this.tableName, {
      ...auditEventKey(valid.tenant, valid.eventId, valid.claimId),
      ...auditEventByActorKeys(valid.tenant, valid.actor, valid.eventId),
      itemType: dataItemTypes.auditEvent,
      ...valid,
    });
  }

  async list(tenant: string, selector: AuditSelector, limit = DEFAULT_LIMIT): Promise<AuditEvent[]> {
    const query =
      'claimId' in selector
        ? { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': auditEventKey(tenant, '', selector.claimId).pk, ':prefix': AUDIT_PREFIX } }
        : {
            IndexName: BY_ACTOR,
            KeyConditionExpression: 'gsi3pk = :pk AND begins_with(gsi3sk, :prefix)',
            ExpressionAttributeValues: { ':pk': auditEventByActorKeys(tenant, selector.actor, '').gsi3pk, ':prefix': AUDIT_PREFIX },
          };
    const events: AuditEvent[] = [];
    let start: Record<string, NativeAttributeValue> | undefined;
    do {
      const response = await this.documentClient.send(new QueryCommand({ TableName: this.tableName, ...query, ExclusiveStartKey: start }));
      for (const raw of response.Items ?? []) {
        const event = AuditEventSchema.safeParse(raw);
        // An audit record that cannot be read is reported, never skipped: a gap in an audit trail is a finding.
        if (!event.success) throw new Error(`The stored audit event ${String(raw.pk)} ${String(raw.sk)} is invalid`);
        // A claim's partition is shared by tenants only in theory (ids carry the tenant); check anyway.
        if (event.data.tenant === tenant) events.push(event.data);
      }
      start = response.LastEvaluatedKey;
    } while (start !== undefined && events.length < limit);
    return events.slice(0, limit);
  }
}
