/**
 * The DynamoDB tables' definitions — names, keys, billing — as plain data, so that the adapters, the
 * integration tests, the local runtime (`npm start`) and the CDK stacks all build the same tables from
 * one source of truth. This module imports nothing at run time: `infra/` may read it without pulling
 * in the AWS SDK or any domain code.
 */

/** A key attribute: its name and DynamoDB scalar type (S string, N number, B binary). */
export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N' | 'B';
}

/** What it takes to create a table with only a primary key (no secondary indexes yet). */
export interface TableDefinition {
  /** The name used when no configuration gives one (local runtime, CLI); deployments set their own. */
  readonly defaultName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  /** On-demand capacity: rule imports are rare bursts and reads are cached, so nothing to provision. */
  readonly billingMode: 'PAY_PER_REQUEST';
}

/**
 * The payer-rules table: one partition per payer (`PAYER#<payer>`, payer `*` for every payer), one
 * item per rule version (`RULE#<id>#V#<version, zero-padded>`), so the rules of a payer are one Query
 * and versions of a rule sort together in version order. A document too big for one item is split
 * over extra items in the same partition (see {@link ruleDocumentPartSortKey}).
 */
export const rulesTable = {
  defaultName: 'claimpath-rules',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  billingMode: 'PAY_PER_REQUEST',
  // Every access is by payer partition; no index needed.
  globalSecondaryIndexes: [],
} as const satisfies TableWithIndexesDefinition;

/**
 * Digits of the zero-padded version in a sort key: enough for any 32-bit version, so that string order
 * is version order. A longer version still makes a unique key; only its sort position would be off,
 * and nothing relies on that order.
 */
const VERSION_DIGITS = 10;
/** Digits of a part number: 9,999 parts of ~350 KB each is far more than any rule document needs. */
const PART_DIGITS = 4;

/** The partition key of a payer's rules. */
export function rulePartitionKey(payer: string): string {
  return `PAYER#${payer}`;
}

/** The sort key of one version of one rule (the item that carries the document, or its first part). */
export function ruleVersionSortKey(ruleId: string, version: number): string {
  return `RULE#${ruleId}#V#${String(version).padStart(VERSION_DIGITS, '0')}`;
}

/**
 * The sort key of part `part` (1-based) of a rule document split over several items. Its `#P#nnnn`
 * ending can never equal a version key's `#V#` + digits ending, so parts and heads never collide.
 */
export function ruleDocumentPartSortKey(ruleId: string, version: number, part: number): string {
  return `${ruleVersionSortKey(ruleId, version)}#P#${String(part).padStart(PART_DIGITS, '0')}`;
}

// ── Claims pipeline: the data table and the idempotency table ───────────────────────────────────────

/** A global secondary index, as data: its name, keys and what it projects. */
export interface GlobalSecondaryIndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  /** `ALL` copies every attribute; `KEYS_ONLY` only the table's and the index's keys. */
  readonly projection: 'ALL' | 'KEYS_ONLY';
}

/** A table with secondary indexes and, optionally, an attribute DynamoDB expires items by. */
export interface TableWithIndexesDefinition extends TableDefinition {
  /** Empty: no secondary index. */
  readonly globalSecondaryIndexes: readonly GlobalSecondaryIndexDefinition[];
  /** Epoch seconds after which DynamoDB may delete the item (TTL); absent when nothing expires. */
  readonly timeToLiveAttribute?: string;
}

/**
 * The pipeline's data table: single-table design, one partition per entity, every key built by the
 * functions below (never by hand) so that ids stay deterministic and re-runs write the same keys.
 *
 * Items (pk / sk):
 * - file record — `FILE#<fileId>` / `FILE`: status (processing | complete | rejected), counts, the
 *   outbound keys written; fileId = tenant + SHA-256 of the content (`fileIdOf` in src/claims/ports.ts).
 * - outbound control numbers allocated to a file — `FILE#<fileId>` / `CONTROL#<purpose>`: the number,
 *   so that a retry of the file reuses it instead of advancing the counter again.
 * - interchange seen — `TENANT#<tenant>#SENDER#<ISA05>:<ISA06>` / `ISA13#<ISA13>`: which file used the
 *   sender's interchange control number and when (TA1 025 for another file within a year).
 * - claim — `CLAIM#<claimId>` / `CLAIM`: the canonical claim, its findings and status; claimId = fileId
 *   + position in the file (`claimIdOf`). Later items of the claim (remittances, audit) share the
 *   partition. GSI `byPatientControlNumber` finds it by (tenant, first 20 characters of CLM01); the
 *   item also carries the claim's `adjudication`, summed from its postings.
 * - work item — `WORK#<workItemId>` / `WORK`: a held claim to work; GSI `byQueue` lists a tenant's
 *   queue by status in priority order, GSI `byAssignee` a coder's items.
 * - trading partner settings — `TENANT#<tenant>` / `TRADING_PARTNER`: ISA/GS ids, ISA15, submitter.
 * - outbound control-number counter — `TENANT#<tenant>` / `COUNTER#<purpose>`: the last number used.
 * - remittance — `REMIT#<remittanceId>` / `REMIT`: the 835's summary (payer, payment, trace, balancing);
 *   its claim payments — `REMIT#<remittanceId>` / `CP#<position>`: each CLP loop and what it matched.
 *   remittanceId = the 835 file's id.
 * - trace number seen — `TENANT#<tenant>#PAYER#<payer>` / `TRN#<TRN02>`: which 835 carried a payer's
 *   check/EFT trace number (a different file repeating it is reported, not posted).
 * - posting — `CLAIM#<claimId>` / `POSTING#<remittanceId>#<position>`: one claim payment applied to the
 *   claim (schemas/posting.schema.ts); the claim item carries the summed `adjudication`.
 * - audit event — `CLAIM#<claimId>` / `AUDIT#<eventId>` (or `TENANT#<tenant>#AUDIT` / `AUDIT#<eventId>`
 *   when no claim is involved); GSI `byAssignee` also lists a user's events (`TENANT#<t>#ACTOR#<sub>`).
 */
export const dataTable = {
  defaultName: 'claimpath-data',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  billingMode: 'PAY_PER_REQUEST',
  globalSecondaryIndexes: [
    {
      // Claims by (tenant, patient control number), newest last: remittance matching (CLP01 = CLM01).
      indexName: 'byPatientControlNumber',
      partitionKey: { name: 'gsi1pk', type: 'S' },
      sortKey: { name: 'gsi1sk', type: 'S' },
      projection: 'KEYS_ONLY',
    },
    {
      // Work items by (tenant, queue, status) in work order: nearest deadline, then amount at risk.
      indexName: 'byQueue',
      partitionKey: { name: 'gsi2pk', type: 'S' },
      sortKey: { name: 'gsi2sk', type: 'S' },
      projection: 'ALL',
    },
    {
      // Work items by (tenant, assignee): a coder's own items; only assigned items carry the keys.
      indexName: 'byAssignee',
      partitionKey: { name: 'gsi3pk', type: 'S' },
      sortKey: { name: 'gsi3sk', type: 'S' },
      projection: 'ALL',
    },
  ],
  timeToLiveAttribute: 'expiresAt',
} as const satisfies TableWithIndexesDefinition;

/**
 * Powertools Idempotency's DynamoDB persistence layout (its defaults): partition key `id`, TTL
 * attribute `expiration`. One item per processed S3 object version (bucket + key + etag).
 */
export const idempotencyTable = {
  defaultName: 'claimpath-idempotency',
  partitionKey: { name: 'id', type: 'S' },
  billingMode: 'PAY_PER_REQUEST',
  globalSecondaryIndexes: [],
  timeToLiveAttribute: 'expiration',
} as const satisfies TableWithIndexesDefinition;

/** Every table the system needs: the CDK stacks and the local runtime create exactly these. */
export const allTables: readonly TableWithIndexesDefinition[] = [
  rulesTable,
  dataTable,
  idempotencyTable,
];

/** A primary key of the data table. */
export interface DataKey {
  readonly pk: string;
  readonly sk: string;
}

/** Item kinds of the data table (the `itemType` attribute), for people browsing and for filters. */
export const dataItemTypes = {
  file: 'File',
  fileControlNumber: 'FileControlNumber',
  interchangeSeen: 'InterchangeSeen',
  claim: 'Claim',
  workItem: 'WorkItem',
  tradingPartner: 'TradingPartner',
  counter: 'Counter',
  remittance: 'Remittance',
  claimPayment: 'ClaimPayment',
  traceSeen: 'TraceSeen',
  posting: 'Posting',
  auditEvent: 'AuditEvent',
} as const;

export function fileRecordKey(fileId: string): DataKey {
  return { pk: `FILE#${fileId}`, sk: 'FILE' };
}

/** The control number allocated to one outbound file of a file (`purpose`: `acks`, `277ca`, `837#<payer>`). */
export function fileControlNumberKey(fileId: string, purpose: string): DataKey {
  return { pk: `FILE#${fileId}`, sk: `CONTROL#${purpose}` };
}

/** The record of a sender's interchange control number (ISA05:ISA06 and ISA13). */
export function interchangeSeenKey(tenant: string, senderQualifier: string, senderId: string, controlNumber: string): DataKey {
  return { pk: `TENANT#${tenant}#SENDER#${senderQualifier.trim()}:${senderId.trim()}`, sk: `ISA13#${controlNumber.trim()}` };
}

export function claimKey(claimId: string): DataKey {
  return { pk: `CLAIM#${claimId}`, sk: 'CLAIM' };
}

/**
 * Characters of CLM01 the `byPatientControlNumber` index is keyed by. 5010 allows 38, but many payers
 * keep and return (in the 835's CLP01) only the first 20, so the index holds the first 20, upper-cased
 * (payers are not consistent about case either): a remittance finds every candidate with one Query and
 * the matching confirms each on the full value (src/remits/match.ts, `PAYER_PATIENT_CONTROL_NUMBER_LENGTH`).
 */
export const INDEXED_PATIENT_CONTROL_NUMBER_LENGTH = 20;

/** The `byPatientControlNumber` partition of the claims whose CLM01 begins like `patientControlNumber`. */
export function claimsByPatientControlNumberPartition(tenant: string, patientControlNumber: string): string {
  return `TENANT#${tenant}#PCN#${patientControlNumber.trim().slice(0, INDEXED_PATIENT_CONTROL_NUMBER_LENGTH).toUpperCase()}`;
}

/**
 * GSI `byPatientControlNumber` keys of a claim: (tenant, first 20 characters of CLM01), then received
 * time and claim id — a Query returns the candidates oldest first.
 */
export function claimByPatientControlNumberKeys(tenant: string, patientControlNumber: string, receivedAt: string, claimId: string): { gsi1pk: string; gsi1sk: string } {
  return { gsi1pk: claimsByPatientControlNumberPartition(tenant, patientControlNumber), gsi1sk: `${receivedAt}#${claimId}` };
}

export function workItemKey(workItemId: string): DataKey {
  return { pk: `WORK#${workItemId}`, sk: 'WORK' };
}

/**
 * GSI `byQueue` keys of a work item: (tenant, queue, status), then its priority key (nearest deadline,
 * inverted amount: `priorityKey` in src/worklist/priority.ts), then age and id — a Query in ascending
 * order returns the work in the order it should be done.
 */
export function workItemByQueueKeys(tenant: string, queue: string, status: string, priorityKey: string, createdAt: string, workItemId: string): { gsi2pk: string; gsi2sk: string } {
  return { gsi2pk: `TENANT#${tenant}#QUEUE#${queue}#STATUS#${status}`, gsi2sk: `${priorityKey}#${createdAt}#${workItemId}` };
}

/** GSI `byAssignee` keys of an assigned work item. */
export function workItemByAssigneeKeys(tenant: string, assignee: string, createdAt: string, workItemId: string): { gsi3pk: string; gsi3sk: string } {
  return { gsi3pk: `TENANT#${tenant}#ASSIGNEE#${assignee}`, gsi3sk: `${createdAt}#${workItemId}` };
}

export function tradingPartnerKey(tenant: string): DataKey {
  return { pk: `TENANT#${tenant}`, sk: 'TRADING_PARTNER' };
}

/** The tenant's counter of outbound control numbers (`purpose`: `interchange`). */
export function counterKey(tenant: string, purpose: string): DataKey {
  return { pk: `TENANT#${tenant}`, sk: `COUNTER#${purpose}` };
}

/** Digits of a claim payment's position in its remittance (string order is file order). */
const CLAIM_PAYMENT_POSITION_DIGITS = 7;

function claimPaymentPosition(position: number): string {
  return String(position).padStart(CLAIM_PAYMENT_POSITION_DIGITS, '0');
}

/** The summary item of a remittance (an 835 file). */
export function remittanceKey(remittanceId: string): DataKey {
  return { pk: `REMIT#${remittanceId}`, sk: 'REMIT' };
}

/** One claim payment (CLP loop, 1-based position) of a remittance. */
export function claimPaymentKey(remittanceId: string, position: number): DataKey {
  return { pk: `REMIT#${remittanceId}`, sk: `CP#${claimPaymentPosition(position)}` };
}

/** A payer's check/EFT trace number (TRN02), registered by the first remittance that carried it. */
export function traceSeenKey(tenant: string, payer: string, traceNumber: string): DataKey {
  return { pk: `TENANT#${tenant}#PAYER#${payer}`, sk: `TRN#${traceNumber.trim()}` };
}

/** A claim payment posted to a claim: in the claim's partition, in remittance order. */
export function postingKey(claimId: string, remittanceId: string, position: number): DataKey {
  return { pk: `CLAIM#${claimId}`, sk: `POSTING#${remittanceId}#${claimPaymentPosition(position)}` };
}

/** An audit event: in its claim's partition, or the tenant's audit partition when no claim is involved. */
export function auditEventKey(tenant: string, eventId: string, claimId?: string): DataKey {
  return { pk: claimId !== undefined ? `CLAIM#${claimId}` : `TENANT#${tenant}#AUDIT`, sk: `AUDIT#${eventId}` };
}

/** GSI `byAssignee` keys of an audit event: a user's events in time order. */
export function auditEventByActorKeys(tenant: string, actor: string, eventId: string): { gsi3pk: string; gsi3sk: string } {
  return { gsi3pk: `TENANT#${tenant}#ACTOR#${actor}`, gsi3sk: `AUDIT#${eventId}` };
}
