/** The functions read a payer's rules per file: within the TTL those reads come from the cache. */
import { CachedRuleStore, type RuleStore } from '../../src/rules/rule-store.ts';
import type { PayerRule } from '../../schemas/payer-rule.schema.ts';

function countingStore(): { store: RuleStore; calls: string[] } {
  const calls: string[] = [];
  const store = {
    put: async () => ({ written: 0, unchanged: 0 }),
    rulesInEffect: async () => [],
    list: async (filter?: { payer?: string; on?: string }) => {
      calls.push(JSON.stringify(filter ?? {}));
      return [] as PayerRule[];
    },
    all: async () => [],
  } as unknown as RuleStore;
  return { store, calls };
}

describe('CachedRuleStore.list', () => {
  test('a payer-only list is cached for the TTL; a dated list is not', async () => {
    let now = 0;
    const { store, calls } = countingStore();
    const cached = new CachedRuleStore(store, { ttlMs: 1000, now: () => now });
    await cached.list({ payer: 'TESTPPO01' });
    await cached.list({ payer: 'TESTPPO01' });
    await cached.rulesInEffect('TESTPPO01', '2026-03-01');
    expect(calls.filter((c) => c === '{"payer":"TESTPPO01"}')).toHaveLength(1);
    await cached.list({ payer: 'TESTPPO01', on: '2026-03-01' });
    expect(calls).toContain('{"payer":"TESTPPO01","on":"2026-03-01"}');
    now = 1001;
    await cached.list({ payer: 'TESTPPO01' });
    expect(calls.filter((c) => c === '{"payer":"TESTPPO01"}')).toHaveLength(2);
  });
});
