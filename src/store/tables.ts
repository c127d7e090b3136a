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
} as const satisfies TableDefinition;

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
