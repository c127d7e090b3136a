/**
 * The DynamoDB adapter of the rule store port ({@link RuleStore}): one table ({@link rulesTable}), one
 * partition per payer, one item per rule version holding the document whole.
 *
 * Items:
 * - version item — `pk = PAYER#<payer>`, `sk = RULE#<id>#V#<version, zero-padded>`; attributes
 *   `payer`, `ruleId`, `version`, `kind`, `effectiveFrom`, `effectiveTo` (for people browsing the
 *   table), `contentHash` (SHA-256 of the document's canonical JSON) and either `document` (the JSON
 *   text) or, for a document bigger than one item may be (400 KB), `partCount`;
 * - part items of a big document — `sk = <version sk>#P#<n>`, `chunk` (bytes of the JSON text),
 *   `contentHash`. A big rule (a procedure-pair table of a million pairs) would not fit otherwise.
 *
 * No transactions (the local server, dynalite, has none, and none are needed): documents
 * are immutable by payer + id + version, so every write is a conditional put that succeeds only on an
 * empty key or on identical content. The import is all-or-nothing in the sense that matters: callers
 * validate every document before calling `put`, and `put` checks every key for a conflicting document
 * before writing any. If the process dies half-way through the writes, what was written is exactly
 * what the complete import writes, and a re-run writes the rest: it converges. Until then readers see
 * part of the import — each document valid on its own — which is the one thing a transaction would
 * add, and not worth losing the local runtime for. Parts are written before their version item, so a
 * reader never sees a version whose parts are missing.
 */
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  ScanCommand,
  type NativeAttributeValue,
} from '@aws-sdk/lib-dynamodb';
import type { IsoDate } from '../../schemas/common.schema.ts';
import { EVERY_PAYER_ID, PayerRuleSchema, type PayerRule } from '../../schemas/payer-rule.schema.ts';
import {
  RuleVersionConflictError,
  highestVersions,
  isInEffect,
  ruleVersionRef,
  selectRulesInEffect,
  sortRules,
  type RuleListFilter,
  type RulePutOutcome,
  type RuleStore,
  type RuleVersionRef,
} from '../rules/rule-store.ts';
import { backOff, forEachConcurrently } from './dynamo-writes.ts';
import { StoredRuleDocumentError } from './errors.ts';
import { ruleDocumentPartSortKey, rulePartitionKey, rulesTable, ruleVersionSortKey } from './tables.ts';

type Item = Record<string, NativeAttributeValue>;

/** Options of {@link DynamoRuleStore}. */
export interface DynamoRuleStoreOptions {
  /** A client built once per process by the caller (a Lambda's module scope, the CLI's run). */
  client: DynamoDBClient | DynamoDBDocumentClient;
  /** The rules table's name (deployments name their own; see {@link rulesTable}). */
  tableName: string;
  /** Writes in flight at once during `put` (default 16). */
  writeConcurrency?: number;
  /** Largest JSON text, in bytes, kept in the version item itself; bigger documents are split (default 350,000). */
  maxInlineDocumentBytes?: number;
}

/**
 * Under DynamoDB's 400 KB item limit with room for the keys and the other attributes. Item size counts
 * attribute names and values, so the margin is generous rather than exact.
 */
const DEFAULT_MAX_INLINE_DOCUMENT_BYTES = 350_000;
const DEFAULT_WRITE_CONCURRENCY = 16;
/** BatchGetItem takes at most 100 keys per request. */
const BATCH_GET_LIMIT = 100;
/** Unprocessed keys are asked again after a pause that grows, up to this many rounds. */
const BATCH_GET_MAX_ROUNDS = 8;

const ITEM_VERSION = 'RuleVersion';
const ITEM_PART = 'RuleDocumentPart';

/** A rule document ready to write: its ids, JSON text and content hash. */
interface PreparedRule {
  rule: PayerRule;
  ref: RuleVersionRef;
  pk: string;
  sk: string;
  json: string;
  contentHash: string;
}

/**
 * The payer rule store on DynamoDB. `rulesInEffect` costs two Queries (the payer's partition and
 * `*`'s), paginated; wrap the store in a `CachedRuleStore` where it is asked often.
 *
 * @example
 * const client = new DynamoDBClient({}); // once per process
 * const store = new DynamoRuleStore({ client, tableName: config.rulesTable });
 * await store.put(rules);
 * const inEffect = await store.rulesInEffect('ACME01', '2025-03-01');
 */
export class DynamoRuleStore implements RuleStore {
  private readonly documentClient: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly writeConcurrency: number;
  private readonly maxInlineDocumentBytes: number;

  constructor(options: DynamoRuleStoreOptions) {
    // The document client only wraps the injected client (same connections and configuration).
    this.documentClient =
      options.client instanceof DynamoDBDocumentClient
        ? options.client
        : DynamoDBDocumentClient.from(options.client);
    this.tableName = options.tableName;
    this.writeConcurrency = options.writeConcurrency ?? DEFAULT_WRITE_CONCURRENCY;
    this.maxInlineDocumentBytes = options.maxInlineDocumentBytes ?? DEFAULT_MAX_INLINE_DOCUMENT_BYTES;
  }

  /**
   * Store documents (see {@link RuleStore.put}). Every key is checked before anything is written: a
   * conflict anywhere in the batch refuses the whole batch with {@link RuleVersionConflictError}.
   * A concurrent writer that slips a different document in between the check and the write is still
   * refused by the conditional put (the other documents of the batch are then stored, which is safe:
   * each is valid and immutable, and a re-run after resolving the conflict converges).
   */
  async put(rules: readonly PayerRule[]): Promise<RulePutOutcome> {
    const prepared = dedupeBatch(rules.map(prepareRule));
    const stored = await this.storedContentHashes(prepared);

    const conflicts: RuleVersionRef[] = [];
    const toWrite: PreparedRule[] = [];
    for (const rule of prepared) {
      const storedHash = stored.get(itemKey(rule.pk, rule.sk));
      if (storedHash === undefined) toWrite.push(rule);
      else if (storedHash !== rule.contentHash) conflicts.push(rule.ref);
    }
    if (conflicts.length > 0) throw new RuleVersionConflictError(conflicts);

    const lateConflicts: RuleVersionRef[] = [];
    await forEachConcurrently(toWrite, this.writeConcurrency, async (rule) => {
      if (!(await this.writeRule(rule))) lateConflicts.push(rule.ref);
    });
    if (lateConflicts.length > 0) throw new RuleVersionConflictError(lateConflicts);
    return { written: toWrite.length, unchanged: prepared.length - toWrite.length };
  }

  async rulesInEffect(payer: string, on: IsoDate): Promise<PayerRule[]> {
    const [own, everyPayer] = await Promise.all([
      this.documentsOf(payer),
      payer === EVERY_PAYER_ID ? Promise.resolve([]) : this.documentsOf(EVERY_PAYER_ID),
    ]);
    return selectRulesInEffect([...own, ...everyPayer], payer, on);
  }

  async list(filter: RuleListFilter = {}): Promise<PayerRule[]> {
    const documents = filter.payer === undefined ? await this.all() : await this.documentsOf(filter.payer);
    if (filter.on === undefined) return documents;
    const on = filter.on;
    return highestVersions(documents.filter((rule) => isInEffect(rule, on)));
  }

  async all(): Promise<PayerRule[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.documentClient.send(new ScanCommand({ TableName: this.tableName, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return sortRules(this.assemble(items));
  }

  /** Every version of one payer's own documents: one Query over the payer's partition, every page. */
  private async documentsOf(payer: string): Promise<PayerRule[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.documentClient.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': rulesTable.partitionKey.name },
          ExpressionAttributeValues: { ':pk': rulePartitionKey(payer) },
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return sortRules(this.assemble(items));
  }

  /** The content hash stored under each key of `rules` that exists (BatchGetItem, 100 keys a request). */
  private async storedContentHashes(rules: readonly PreparedRule[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const { name: pkName } = rulesTable.partitionKey;
    const { name: skName } = rulesTable.sortKey;
    for (let start = 0; start < rules.length; start += BATCH_GET_LIMIT) {
      let keys: Item[] = rules.slice(start, start + BATCH_GET_LIMIT).map((rule) => ({ [pkName]: rule.pk, [skName]: rule.sk }));
      for (let round = 0; keys.length > 0; round++) {
        if (round >= BATCH_GET_MAX_ROUNDS) throw new Error(`BatchGetItem left keys unprocessed after ${BATCH_GET_MAX_ROUNDS} rounds`);
        if (round > 0) await backOff(round);
        const response = await this.documentClient.send(
          new BatchGetCommand({
            RequestItems: {
              [this.tableName]: {
                Keys: keys,
                // Conflict checks only need the hash: do not read whole documents.
                ProjectionExpression: '#pk, #sk, contentHash',
                ExpressionAttributeNames: { '#pk': pkName, '#sk': skName },
                ConsistentRead: true,
              },
            },
          }),
        );
        for (const item of response.Responses?.[this.tableName] ?? []) {
          const hash = item.contentHash;
          found.set(itemKey(String(item[pkName]), String(item[skName])), typeof hash === 'string' ? hash : '');
        }
        keys = response.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return found;
  }

  /**
   * Write one document: its parts (when split), then its version item, each with a condition that
   * accepts only an empty key or the same content. False when the condition failed (a conflict).
   */
  private async writeRule(rule: PreparedRule): Promise<boolean> {
    const bytes = Buffer.from(rule.json, 'utf8');
    const head: Item = {
      [rulesTable.partitionKey.name]: rule.pk,
      [rulesTable.sortKey.name]: rule.sk,
      itemType: ITEM_VERSION,
      payer: rule.rule.payer,
      ruleId: rule.rule.id,
      version: rule.rule.version,
      kind: rule.rule.kind,
      effectiveFrom: rule.rule.effective.from,
      contentHash: rule.contentHash,
    };
    if (rule.rule.effective.to !== undefined) head.effectiveTo = rule.rule.effective.to;
    if (bytes.length <= this.maxInlineDocumentBytes) {
      head.document = rule.json;
    } else {
      const partCount = Math.ceil(bytes.length / this.maxInlineDocumentBytes);
      for (let part = 1; part <= partCount; part++) {
        const chunk = bytes.subarray((part - 1) * this.maxInlineDocumentBytes, part * this.maxInlineDocumentBytes);
        const written = await this.conditionalPut({
          [rulesTable.partitionKey.name]: rule.pk,
          [rulesTable.sortKey.name]: ruleDocumentPartSortKey(rule.rule.id, rule.rule.version, part),
          itemType: ITEM_PART,
          ruleId: rule.rule.id,
          version: rule.rule.version,
          part,
          contentHash: rule.contentHash,
          chunk: new Uint8Array(chunk),
        });
        if (!written) return false;
      }
      head.partCount = partCount;
    }
    return this.conditionalPut(head);
  }

  /** PutItem if the key is free or holds the same content; false when it holds other content. */
  private async conditionalPut(item: Item): Promise<boolean> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(#pk) OR contentHash = :contentHash',
          ExpressionAttributeNames: { '#pk': rulesTable.partitionKey.name },
          ExpressionAttributeValues: { ':contentHash': item.contentHash },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Turn the items of a Query or Scan (version items and parts, any order) into validated documents. */
  private assemble(items: readonly Item[]): PayerRule[] {
    const pkName = rulesTable.partitionKey.name;
    const skName = rulesTable.sortKey.name;
    const parts = new Map<string, Item>();
    const heads: Item[] = [];
    for (const item of items) {
      if (item.itemType === ITEM_VERSION) heads.push(item);
      else if (item.itemType === ITEM_PART) parts.set(itemKey(String(item[pkName]), String(item[skName])), item);
      // Other item types may share the table one day; they are not rules.
    }

    return heads.map((head) => {
      const pk = String(head[pkName]);
      const sk = String(head[skName]);
      let json: string;
      if (typeof head.document === 'string') {
        json = head.document;
      } else if (typeof head.partCount === 'number' && typeof head.ruleId === 'string' && typeof head.version === 'number') {
        const chunks: Uint8Array[] = [];
        for (let part = 1; part <= head.partCount; part++) {
          const item = parts.get(itemKey(pk, ruleDocumentPartSortKey(head.ruleId, head.version, part)));
          const chunk: unknown = item?.chunk;
          if (!(chunk instanceof Uint8Array) || item?.contentHash !== head.contentHash) {
            throw this.storedDocumentError(pk, sk, `part ${part} of ${head.partCount} is missing`);
          }
          chunks.push(chunk);
        }
        json = Buffer.concat(chunks).toString('utf8');
      } else {
        throw this.storedDocumentError(pk, sk, 'holds neither a document nor its parts');
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(json);
      } catch (error) {
        throw this.storedDocumentError(pk, sk, 'holds a document that is not JSON', error);
      }
      const result = PayerRuleSchema.safeParse(parsed);
      if (!result.success) {
        // The issues' paths name the fields at fault; their messages are left out (they may quote values).
        const fields = result.error.issues.map((issue) => issue.path.join('.') || '(document)').join(', ');
        throw this.storedDocumentError(pk, sk, `document no longer valid (fields: ${fields})`, result.error);
      }
      return result.data;
    });
  }

  private storedDocumentError(pk: string, sk: string, problem: string, cause?: unknown): StoredRuleDocumentError {
    return new StoredRuleDocumentError(this.tableName, pk, sk, problem, cause === undefined ? undefined : { cause });
  }
}

/** The JSON text to store, and the hash that says whether two documents are the same. */
function prepareRule(rule: PayerRule): PreparedRule {
  return {
    rule,
    ref: ruleVersionRef(rule),
    pk: rulePartitionKey(rule.payer),
    sk: ruleVersionSortKey(rule.id, rule.version),
    json: JSON.stringify(rule),
    contentHash: createHash('sha256').update(canonicalJson(rule)).digest('hex'),
  };
}

/**
 * One entry per key: the same document twice in a batch is written once; two different documents
 * under one key refuse the batch before anything is written.
 */
function dedupeBatch(rules: readonly PreparedRule[]): PreparedRule[] {
  const byKey = new Map<string, PreparedRule>();
  const conflicting = new Map<string, RuleVersionRef>();
  for (const rule of rules) {
    const key = itemKey(rule.pk, rule.sk);
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, rule);
    else if (seen.contentHash !== rule.contentHash) conflicting.set(key, rule.ref);
  }
  if (conflicting.size > 0) throw new RuleVersionConflictError([...conflicting.values()]);
  return [...byKey.values()];
}

/**
 * JSON with object keys sorted at every level, so that the same document written with its keys in
 * another order (a file edited by hand, a re-export) hashes the same and re-imports as a no-op.
 */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, nested: unknown) =>
    nested !== null && typeof nested === 'object' && !Array.isArray(nested)
      ? Object.fromEntries(Object.entries(nested).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : nested,
  );
}

function itemKey(pk: string, sk: string): string {
  return JSON.stringify([pk, sk]);
}

