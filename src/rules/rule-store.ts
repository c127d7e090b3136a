/**
 * The rule store port: where payer rule documents live, versioned and effective-dated, and which of
 * them are in effect for a payer on a date of service. The domain depends on this interface only; the
 * DynamoDB adapter is `src/store/dynamo-rule-store.ts`. {@link CachedRuleStore} wraps any store so a
 * long-lived process (a Lambda container) asks the table at most once per payer per TTL.
 *
 * Rules are the deployment's, shared by its tenants, and keyed by payer id: the 837's 2010BB NM109, or
 * an 835's payer resolved through the payer directory. Payer {@link EVERY_PAYER_ID} (`*`) holds the rules
 * for every payer.
 */
import type { IsoDate } from '../../schemas/common.schema.ts';
import { EVERY_PAYER_ID, type PayerRule } from '../../schemas/payer-rule.schema.ts';

/** Narrows {@link RuleStore.list}. */
export interface RuleListFilter {
  /** Only this payer's own documents (`*` for the every-payer rules); the every-payer rules are not added. */
  payer?: string;
  /** Only the documents in effect on this date: the highest version of each rule whose range holds it. */
  on?: IsoDate;
}

/**
 * Where payer rules are kept. Documents are immutable by (payer, id, version): a new rule text is a new
 * version, so every write is safe to repeat and no write ever needs a transaction.
 */
export interface RuleStore {
  /**
   * Store documents. Repeating a document already stored is a no-op; a document that differs from the
   * one stored under the same payer, id and version is refused with {@link RuleVersionConflictError}.
   * Callers validate documents first (`parseRuleDocuments`), so the store is handed only valid rules.
   * Resolves to how many documents were new and how many were already stored.
   */
  put(rules: readonly PayerRule[]): Promise<RulePutOutcome>;
  /**
   * The rules in effect for `payer` on `on`: the payer's own and the every-payer (`*`) rules whose
   * effective range holds the date (see {@link selectRulesInEffect}).
   */
  rulesInEffect(payer: string, on: IsoDate): Promise<PayerRule[]>;
  /** Stored documents, every version unless `filter.on` is given; sorted by payer, id, version. */
  list(filter?: RuleListFilter): Promise<PayerRule[]>;
  /** Every stored document of every payer, every version; sorted by payer, id, version. */
  all(): Promise<PayerRule[]>;
}

/** What a `put` did: documents written now, and documents already stored with the same content. */
export interface RulePutOutcome {
  written: number;
  unchanged: number;
}

/** One rule version, as named in errors and logs: ids only, never rule content. */
export interface RuleVersionRef {
  payer: string;
  ruleId: string;
  version: number;
}

/**
 * A put was refused: a different document is already stored (or is in the same batch) under the same
 * payer, rule id and version. Documents are immutable: publish the change as a new version.
 */
export class RuleVersionConflictError extends Error {
  override readonly name = 'RuleVersionConflictError';

  constructor(
    /** Every conflicting version of the put, so one message lists them all. */
    readonly conflicts: readonly RuleVersionRef[],
  ) {
    super(
      `${conflicts.length} rule version(s) already stored with different content (publish changes as a new version): ` +
        conflicts.map(describeRuleVersion).join(', '),
    );
  }
}

/** `payer/id v3`: how a rule version is named to people. */
export function describeRuleVersion(ref: RuleVersionRef): string {
  return `${ref.payer}/${ref.ruleId} v${ref.version}`;
}

/** The ids of a rule document (for messages and keys). */
export function ruleVersionRef(rule: PayerRule): RuleVersionRef {
  return { payer: rule.payer, ruleId: rule.id, version: rule.version };
}

/**
 * True when the rule's effective range holds `on`: `from` ≤ `on` and, when there is a `to`, `on` ≤
 * `to` (the last day is included; an absent `to` is open-ended). ISO dates compare as strings.
 */
export function isInEffect(rule: PayerRule, on: IsoDate): boolean {
  const { from, to } = rule.effective;
  return from <= on && (to === undefined || on <= to);
}

/**
 * Of each rule (same payer and id), the highest version only. Rule ids are per payer: a payer's rule and
 * an every-payer rule with the same id are two rules, and both apply.
 */
export function highestVersions(rules: Iterable<PayerRule>): PayerRule[] {
  const highest = new Map<string, PayerRule>();
  for (const rule of rules) {
    const key = ruleKey(rule.payer, rule.id);
    const kept = highest.get(key);
    if (!kept || rule.version > kept.version) highest.set(key, rule);
  }
  return sortRules([...highest.values()]);
}

/**
 * The rules in effect for `payer` on `on`, picked from `rules` (which may hold any payers and
 * versions): the payer's own and the every-payer rules whose effective range holds the date; when
 * several versions of one rule are in effect, the highest version wins. A version that ended the day
 * before `on` is not in effect, and the next lower version in effect (if any) applies instead.
 *
 * @example
 * selectRulesInEffect(await store.list({ payer: 'ACME01' }), 'ACME01', '2025-03-01');
 */
export function selectRulesInEffect(rules: Iterable<PayerRule>, payer: string, on: IsoDate): PayerRule[] {
  const candidates: PayerRule[] = [];
  for (const rule of rules) {
    if ((rule.payer === payer || rule.payer === EVERY_PAYER_ID) && isInEffect(rule, on)) candidates.push(rule);
  }
  return highestVersions(candidates);
}

/** Sort in place by payer, id, version (the order every store method returns). */
export function sortRules(rules: PayerRule[]): PayerRule[] {
  return rules.sort((a, b) => compareText(a.payer, b.payer) || compareText(a.id, b.id) || a.version - b.version);
}

/** Code-unit order, not the locale's: the same everywhere, like DynamoDB's key order. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One string per (payer, id) pair; JSON quoting keeps pairs apart whatever characters the ids hold. */
function ruleKey(payer: string, ruleId: string): string {
  return JSON.stringify([payer, ruleId]);
}

// ── Cache ─────────────────────────────────────────────────────────────────────────────────────────

/** Options of {@link CachedRuleStore}. */
export interface CachedRuleStoreOptions {
  /** How long a payer's documents are reused, in milliseconds (default 60 s). */
  ttlMs?: number;
  /** The clock, in milliseconds (default `Date.now`); tests inject their own. */
  now?: () => number;
  /**
   * Payers kept at most (default 1,000). Payer ids come from files, so a stream of unknown ids must
   * not grow the cache without bound; expired entries go first, then the oldest.
   */
  maxPayers?: number;
}

const DEFAULT_TTL_MS = 60_000;
const DEFAULT_MAX_PAYERS = 1_000;

interface CacheEntry {
  expiresAt: number;
  /** Every version of the payer's own documents; a promise so concurrent callers share one read. */
  documents: Promise<PayerRule[]>;
}

/**
 * A {@link RuleStore} that keeps each payer's documents (every version) for a short TTL and answers
 * {@link RuleStore.rulesInEffect} for any date from them, so a batch of claims with many dates of
 * service costs one read per payer — and one for `*`, shared by all payers — per TTL.
 * Concurrent misses for a payer share one read; a failed read is not cached. `put` goes through and
 * empties the cache; `list` and `all` are not cached (they serve people, not claims).
 *
 * @example
 * const rules = new CachedRuleStore(new DynamoRuleStore({ client, tableName }), { ttlMs: 60_000 });
 * const inEffect = await rules.rulesInEffect('ACME01', '2025-03-01');
 */
export class CachedRuleStore implements RuleStore {
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly maxPayers: number;
  private readonly entries = new Map<string, CacheEntry>();

  constructor(
    private readonly inner: RuleStore,
    options: CachedRuleStoreOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.now = options.now ?? Date.now;
    this.maxPayers = options.maxPayers ?? DEFAULT_MAX_PAYERS;
    if (!(this.ttlMs >= 0)) throw new RangeError('ttlMs must be a number of milliseconds, 0 or more');
    if (!(this.maxPayers >= 1)) throw new RangeError('maxPayers must be 1 or more');
  }

  async put(rules: readonly PayerRule[]): Promise<RulePutOutcome> {
    try {
      return await this.inner.put(rules);
    } finally {
      // Even a refused put may have written some documents before the refusal: forget everything.
      this.entries.clear();
    }
  }

  async rulesInEffect(payer: string, on: IsoDate): Promise<PayerRule[]> {
    const [own, everyPayer] = await Promise.all([
      this.documentsOf(payer),
      payer === EVERY_PAYER_ID ? Promise.resolve([]) : this.documentsOf(EVERY_PAYER_ID),
    ]);
    return selectRulesInEffect([...own, ...everyPayer], payer, on);
  }

  /** A payer's own documents come from the cache (what the functions ask for per file); other lists do not. */
  list(filter?: RuleListFilter): Promise<PayerRule[]> {
    if (filter !== undefined && filter.payer !== undefined && Object.keys(filter).every((k) => k === 'payer' || (filter as Record<string, unknown>)[k] === undefined)) {
      return this.documentsOf(filter.payer).then((documents) => [...documents]);
    }
    return this.inner.list(filter);
  }

  all(): Promise<PayerRule[]> {
    return this.inner.all();
  }

  /** Forget every cached payer (after an import in the same process, for instance). */
  clear(): void {
    this.entries.clear();
  }

  private documentsOf(payer: string): Promise<PayerRule[]> {
    const now = this.now();
    const cached = this.entries.get(payer);
    if (cached && now < cached.expiresAt) return cached.documents;

    const documents = this.inner.list({ payer });
    const entry: CacheEntry = { expiresAt: now + this.ttlMs, documents };
    this.entries.delete(payer);
    this.makeRoom(now);
    this.entries.set(payer, entry);
    // A failed read must not be served to later callers: drop it (unless a newer read replaced it).
    documents.catch(() => {
      if (this.entries.get(payer) === entry) this.entries.delete(payer);
    });
    return documents;
  }

  /** Keep the number of payers under the limit: expired entries first, then the oldest. */
  private makeRoom(now: number): void {
    if (this.entries.size < this.maxPayers) return;
    for (const [payer, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(payer);
    // A Map iterates in insertion order, and an entry is re-inserted on refresh: first is oldest.
    for (const payer of this.entries.keys()) {
      if (this.entries.size < this.maxPayers) break;
      this.entries.delete(payer);
    }
  }
}
