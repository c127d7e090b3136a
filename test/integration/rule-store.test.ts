/**
 * The rule store on a real local DynamoDB server (dynalite): documents in and out, versions and
 * effective dates, idempotent and refused puts, pagination past 100 items and 1 MB, documents bigger
 * than one item, and the cache's TTL on an injected clock. Each test uses its own payer ids, so tests
 * share the file's table without seeing each other's documents.
 */
import { PutCommand, ScanCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PayerRuleSchema, type PayerRule } from '../../schemas/payer-rule.schema.ts';
import { CachedRuleStore, RuleVersionConflictError, type RuleListFilter, type RuleStore } from '../../src/rules/rule-store.ts';
import { DynamoRuleStore } from '../../src/store/dynamo-rule-store.ts';
import { StoredRuleDocumentError } from '../../src/store/errors.ts';
import { rulePartitionKey, rulesTable, ruleVersionSortKey } from '../../src/store/tables.ts';
import { useDynalite } from '../support/dynalite.ts';

const dynamo = useDynalite();
const tableName = rulesTable.defaultName;

function store(): DynamoRuleStore {
  return new DynamoRuleStore({ client: dynamo.client, tableName });
}

/** A timely-filing rule (the smallest document), valid by the real schema. */
function timelyFiling(payer: string, id: string, version: number, from: string, to?: string, days = 90): PayerRule {
  return PayerRuleSchema.parse({
    id,
    payer,
    kind: 'timely-filing',
    version,
    effective: to === undefined ? { from } : { from, to },
    severity: 'reject',
    params: { days },
    preventsCarc: '29',
  });
}

/** A procedure-pair rule with `count` fictional pairs: about 60 bytes of JSON a pair. */
function procedurePairs(payer: string, id: string, count: number): PayerRule {
  const pairs = Array.from({ length: count }, (_, n) => ({
    column1: `Z${String(n % 10_000).padStart(4, '0')}`,
    column2: `Y${String(Math.floor(n / 10_000)).padStart(4, '0')}${n % 7}`,
    modifierIndicator: n % 2,
  }));
  return PayerRuleSchema.parse({ id, payer, kind: 'procedure-pair', version: 1, effective: { from: '2024-01-01' }, severity: 'reject', params: { pairs } });
}

async function itemCount(pk: string): Promise<number> {
  const documents = DynamoDBDocumentClient.from(dynamo.client);
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({ TableName: tableName, FilterExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ExclusiveStartKey: startKey, Select: 'COUNT' }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}

const ids = (rules: readonly PayerRule[]): string[] => rules.map((rule) => `${rule.payer}/${rule.id}@${rule.version}`);

describe('DynamoRuleStore', () => {
  test('stores documents and returns them whole, sorted by payer, id and version', async () => {
    const rules = [timelyFiling('PUTGET01', 'tf', 2, '2025-01-01'), timelyFiling('PUTGET01', 'tf', 1, '2024-01-01', '2024-12-31'), timelyFiling('PUTGET02', 'tf', 1, '2024-01-01')];

    const outcome = await store().put(rules);

    expect(outcome).toEqual({ written: 3, unchanged: 0 });
    expect(await store().list({ payer: 'PUTGET01' })).toEqual([rules[1], rules[0]]);
    const all = (await store().all()).filter((rule) => rule.payer.startsWith('PUTGET'));
    expect(ids(all)).toEqual(['PUTGET01/tf@1', 'PUTGET01/tf@2', 'PUTGET02/tf@1']);
    expect(all[2]).toEqual(rules[2]);
  });

  test('rules in effect: the payer own and every-payer rules whose range holds the date, highest version winning', async () => {
    await store().put([
      timelyFiling('EFFECT01', 'timely', 1, '2024-01-01', undefined, 365),
      timelyFiling('EFFECT01', 'timely', 2, '2025-01-01', '2025-06-30', 180),
      // Ends the day before the date of service used below.
      timelyFiling('EFFECT01', 'ends-early', 1, '2024-01-01', '2025-02-28'),
      timelyFiling('EFFECT01', 'starts-late', 1, '2025-03-02'),
      timelyFiling('EFFECT02', 'other-payer', 1, '2024-01-01'),
      timelyFiling('*', 'effect-every-payer', 1, '2024-01-01'),
    ]);

    const onMarch1 = await store().rulesInEffect('EFFECT01', '2025-03-01');
    expect(ids(onMarch1)).toEqual(['*/effect-every-payer@1', 'EFFECT01/timely@2']);
    expect(onMarch1[1]?.params).toEqual({ days: 180 });

    // The last day of a range is in effect.
    expect(ids(await store().rulesInEffect('EFFECT01', '2025-02-28'))).toContain('EFFECT01/ends-early@1');
    // Version 2 over, version 1 (open-ended) applies again.
    expect(ids(await store().rulesInEffect('EFFECT01', '2025-07-01')).filter((id) => id.includes('timely'))).toEqual(['EFFECT01/timely@1']);
    // Before any version.
    expect(ids(await store().rulesInEffect('EFFECT01', '2023-12-31')).filter((id) => id.startsWith('EFFECT'))).toEqual([]);
    // A payer with no rules of its own still gets the every-payer rules.
    expect(ids(await store().rulesInEffect('NORULES01', '2025-03-01'))).toContain('*/effect-every-payer@1');
    // list --payer --on: the payer's own, in effect, highest version (no every-payer rules).
    expect(ids(await store().list({ payer: 'EFFECT01', on: '2025-03-01' }))).toEqual(['EFFECT01/timely@2']);
  });

  test('a re-put of stored documents is a no-op, whatever the order of their keys', async () => {
    const rule = timelyFiling('REPUT01', 'tf', 1, '2024-01-01');
    await store().put([rule]);
    const reordered: PayerRule = {
      params: { days: 90 },
      severity: 'reject',
      preventsCarc: '29',
      effective: { from: '2024-01-01' },
      version: 1,
      kind: 'timely-filing',
      payer: 'REPUT01',
      id: 'tf',
    };

    const again = await store().put([rule, reordered]);

    expect(again).toEqual({ written: 0, unchanged: 1 });
    expect(await itemCount(rulePartitionKey('REPUT01'))).toBe(1);
    expect(await store().list({ payer: 'REPUT01' })).toEqual([rule]);
  });

  test('a different document under a stored id and version is refused, and nothing of its batch is written', async () => {
    await store().put([timelyFiling('CONFLICT01', 'tf', 1, '2024-01-01', undefined, 90)]);
    const changed = timelyFiling('CONFLICT01', 'tf', 1, '2024-01-01', undefined, 120);
    const innocent = timelyFiling('CONFLICT01', 'new-rule', 1, '2024-01-01');

    const refusal = await store().put([innocent, changed]).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(RuleVersionConflictError);
    expect((refusal as RuleVersionConflictError).conflicts).toEqual([{ payer: 'CONFLICT01', ruleId: 'tf', version: 1 }]);
    expect(ids(await store().list({ payer: 'CONFLICT01' }))).toEqual(['CONFLICT01/tf@1']);
    expect((await store().list({ payer: 'CONFLICT01' }))[0]?.params).toEqual({ days: 90 });
    // The change as a new version goes in.
    await expect(store().put([innocent, timelyFiling('CONFLICT01', 'tf', 2, '2024-01-01', undefined, 120)])).resolves.toEqual({ written: 2, unchanged: 0 });
  });

  test('two different documents under one id and version in the same batch are refused before any write', async () => {
    const first = timelyFiling('CONFLICT02', 'tf', 1, '2024-01-01', undefined, 30);
    const second = timelyFiling('CONFLICT02', 'tf', 1, '2024-01-01', undefined, 60);

    await expect(store().put([first, second])).rejects.toThrow(RuleVersionConflictError);
    expect(await itemCount(rulePartitionKey('CONFLICT02'))).toBe(0);
  });

  test('a payer with more than 100 items and more than 1 MB is read over several pages', async () => {
    // 120 documents of ~13 KB each: ~1.6 MB, past a Query page's 1 MB.
    const rules = Array.from({ length: 120 }, (_, n) => ({ ...procedurePairs('PAGES01', `pairs-${String(n).padStart(3, '0')}`, 200) }));
    await store().put(rules);
    let queryPages = 0;
    const countingClient = new DynamoDBClient({ endpoint: dynamo.endpoint, region: dynamo.region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    countingClient.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'QueryCommand') queryPages++;
        return next(args);
      },
      { step: 'initialize' },
    );

    try {
      const read = await new DynamoRuleStore({ client: countingClient, tableName }).list({ payer: 'PAGES01' });

      expect(read).toHaveLength(120);
      expect(read).toEqual(rules);
      expect(queryPages).toBeGreaterThan(1);
    } finally {
      countingClient.destroy();
    }
  });

  test('a document bigger than one item (400 KB) is split and read back whole', async () => {
    // 40,000 pairs: ~2.4 MB of JSON.
    const big = procedurePairs('BIGDOC01', 'ncci-style', 40_000);
    const small = timelyFiling('BIGDOC01', 'tf', 1, '2024-01-01');

    await store().put([big, small]);

    expect(await itemCount(rulePartitionKey('BIGDOC01'))).toBeGreaterThan(3);
    const inEffect = await store().rulesInEffect('BIGDOC01', '2025-01-01');
    expect(inEffect.find((rule) => rule.id === 'ncci-style')).toEqual(big);
    // Re-putting it is a no-op too.
    await expect(store().put([big])).resolves.toEqual({ written: 0, unchanged: 1 });
  });

  test('a stored item that is no longer a valid document fails loudly, naming its key only', async () => {
    const documents = DynamoDBDocumentClient.from(dynamo.client);
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          pk: rulePartitionKey('BROKEN01'),
          sk: ruleVersionSortKey('tf', 1),
          itemType: 'RuleVersion',
          contentHash: 'x',
          document: JSON.stringify({ id: 'tf', payer: 'BROKEN01', kind: 'timely-filing', version: 1, effective: { from: '2024-01-01' }, severity: 'reject', params: { days: -5 } }),
        },
      }),
    );

    const failure = await store().list({ payer: 'BROKEN01' }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(StoredRuleDocumentError);
    expect((failure as Error).message).toContain('params.days');
    expect((failure as Error).message).not.toContain('-5');
  });
});

/** A store that counts the reads the cache makes and can be told to fail. */
class CountingStore implements RuleStore {
  listCalls: string[] = [];
  failNext = false;

  constructor(private readonly inner: RuleStore) {}

  put(rules: readonly PayerRule[]) {
    return this.inner.put(rules);
  }
  rulesInEffect(payer: string, on: string) {
    return this.inner.rulesInEffect(payer, on);
  }
  async list(filter?: RuleListFilter) {
    this.listCalls.push(filter?.payer ?? '(all)');
    if (this.failNext) {
      this.failNext = false;
      throw new Error('store unavailable');
    }
    return this.inner.list(filter);
  }
  all() {
    return this.inner.all();
  }
}

describe('CachedRuleStore', () => {
  test('reads each payer once per TTL, answers any date from it, and refreshes after the TTL', async () => {
    await store().put([timelyFiling('CACHE01', 'tf', 1, '2024-01-01', undefined, 90), timelyFiling('*', 'cache-every-payer', 1, '2024-01-01')]);
    let now = 1_000_000;
    const counting = new CountingStore(store());
    const cached = new CachedRuleStore(counting, { ttlMs: 60_000, now: () => now });

    const first = await cached.rulesInEffect('CACHE01', '2025-03-01');
    await cached.rulesInEffect('CACHE01', '2024-06-01');
    expect(ids(first)).toEqual(expect.arrayContaining(['CACHE01/tf@1', '*/cache-every-payer@1']));
    expect(counting.listCalls.sort()).toEqual(['*', 'CACHE01']);

    // A new version written elsewhere is not seen until the TTL runs out…
    await store().put([timelyFiling('CACHE01', 'tf', 2, '2025-01-01', undefined, 30)]);
    now += 59_999;
    expect(ids(await cached.rulesInEffect('CACHE01', '2025-03-01'))).toContain('CACHE01/tf@1');
    expect(counting.listCalls).toHaveLength(2);

    // …and is, once it has.
    now += 1;
    expect(ids(await cached.rulesInEffect('CACHE01', '2025-03-01'))).toContain('CACHE01/tf@2');
    expect(counting.listCalls).toHaveLength(4);
  });

  test('concurrent misses share one read; a failed read is not kept; a put through the cache empties it', async () => {
    await store().put([timelyFiling('CACHE02', 'tf', 1, '2024-01-01')]);
    const counting = new CountingStore(store());
    const cached = new CachedRuleStore(counting, { now: () => 0 });

    await Promise.all([cached.rulesInEffect('CACHE02', '2025-01-01'), cached.rulesInEffect('CACHE02', '2025-02-01'), cached.rulesInEffect('CACHE02', '2025-03-01')]);
    expect(counting.listCalls.filter((payer) => payer === 'CACHE02')).toHaveLength(1);

    await cached.put([timelyFiling('CACHE02', 'tf', 2, '2025-01-01')]);
    counting.failNext = true;
    await expect(cached.rulesInEffect('CACHE02', '2025-03-01')).rejects.toThrow('store unavailable');
    const afterFailure = await cached.rulesInEffect('CACHE02', '2025-03-01');
    expect(ids(afterFailure)).toContain('CACHE02/tf@2');
  });
});
