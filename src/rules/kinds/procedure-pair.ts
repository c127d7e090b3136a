/**
 * Procedure-pair edits, NCCI-style (procedure-to-procedure): when a column-1 and a column-2 code are
 * billed for the same patient by the same provider on the same date, the column-2 code is not payable
 * apart — unless the pair's modifier indicator is 1 and an NCCI-associated modifier (59, XE/XP/XS/XU,
 * anatomic modifiers, 24, 25, 57, 58, 78, 79, 91 …; configurable per rule) marks the services as
 * distinct. Indicator 0: no modifier bypasses; 9: the edit does not apply.
 *
 * Anatomic modifiers (LT/RT, E1–E4, FA, F1–F9, TA, T1–T9, LC, LD, LM, RC, RI) show distinct services
 * only when they differ between the two lines (LT on one, RT on the other): the same side twice is the
 * same site. The pair table is indexed by column-1 code then column-2 code, so a claim costs a look-up
 * per pair of its own lines, whatever the table's size. Lines are compared within the claim (the
 * patient is the claim's); other claims of the same day are not read.
 */
import type { IsoDate } from '../../../schemas/common.schema.ts';
import { NCCI_ASSOCIATED_MODIFIERS, ProcedurePairParamsSchema, type ProcedurePair } from '../../../schemas/payer-rule.schema.ts';
import type { LineReview } from './claim-review.ts';
import type { RuleKindModule } from './rule-kind.ts';

/** Modifiers naming a body site: they bypass only when the two lines name different sites. */
const ANATOMIC_MODIFIERS = new Set([
  'E1', 'E2', 'E3', 'E4', 'FA', 'F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9',
  'TA', 'T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9', 'LT', 'RT', 'LC', 'LD', 'LM', 'RC', 'RI',
]);

/** A pair with its own effective range. */
interface DatedPair {
  modifierIndicator: 0 | 1 | 9;
  from?: IsoDate;
  to?: IsoDate;
}

/**
 * column-1 code → column-2 code → the modifier indicator (the common case, a number: no per-pair
 * dates, one small value per pair for million-pair tables) or the pair's dated versions.
 */
export type PairIndex = Map<string, Map<string, 0 | 1 | 9 | DatedPair[]>>;

interface CompiledProcedurePairs {
  index: PairIndex;
  /** Bypass modifiers that do not name a site. */
  distinctService: ReadonlySet<string>;
  /** Bypass modifiers that name a site. */
  anatomic: ReadonlySet<string>;
}

/** Index a pair table by column-1 then column-2 code. */
export function indexPairs(pairs: readonly ProcedurePair[]): PairIndex {
  const index: PairIndex = new Map();
  for (const pair of pairs) {
    let column2 = index.get(pair.column1);
    if (!column2) index.set(pair.column1, (column2 = new Map()));
    const known = column2.get(pair.column2);
    if (pair.effective === undefined && known === undefined) {
      column2.set(pair.column2, pair.modifierIndicator);
      continue;
    }
    const dated: DatedPair = { modifierIndicator: pair.modifierIndicator, from: pair.effective?.from, to: pair.effective?.to };
    if (known === undefined) column2.set(pair.column2, [dated]);
    else if (typeof known === 'number') column2.set(pair.column2, [{ modifierIndicator: known }, dated]);
    else known.push(dated);
  }
  return index;
}

/** The modifier indicator of the pair on `date`, or undefined when no version of it is in effect. */
function indicatorOn(entry: 0 | 1 | 9 | DatedPair[], date: IsoDate | undefined): 0 | 1 | 9 | undefined {
  if (typeof entry === 'number') return entry;
  for (const version of entry) {
    if (date === undefined || ((version.from === undefined || version.from <= date) && (version.to === undefined || date <= version.to))) {
      return version.modifierIndicator;
    }
  }
  return undefined;
}

function bypasses(compiled: CompiledProcedurePairs, column1: LineReview, column2: LineReview): boolean {
  for (const modifier of column1.modifiers) if (compiled.distinctService.has(modifier)) return true;
  for (const modifier of column2.modifiers) if (compiled.distinctService.has(modifier)) return true;
  const sites1 = column1.modifiers.filter((m) => compiled.anatomic.has(m));
  const sites2 = column2.modifiers.filter((m) => compiled.anatomic.has(m));
  if (sites1.length === 0 && sites2.length === 0) return false;
  // Different sites: a site modifier on one line that the other line does not carry.
  return sites1.some((m) => !sites2.includes(m)) || sites2.some((m) => !sites1.includes(m));
}

export const procedurePairKind: RuleKindModule<'procedure-pair', CompiledProcedurePairs> = {
  kind: 'procedure-pair',
  paramsSchema: ProcedurePairParamsSchema,
  defaultQueue: () => 'coding',
  compile(rule) {
    const modifiers = rule.params.bypassModifiers ?? NCCI_ASSOCIATED_MODIFIERS;
    return {
      index: indexPairs(rule.params.pairs),
      distinctService: new Set(modifiers.filter((m) => !ANATOMIC_MODIFIERS.has(m))),
      anatomic: new Set(modifiers.filter((m) => ANATOMIC_MODIFIERS.has(m))),
    };
  },
  evaluate(compiled, review, lines, report) {
    if (lines.length < 2) return;
    // Same provider and same date: group the lines, then compare within each group.
    const groups = new Map<string, LineReview[]>();
    for (const line of lines) {
      if (line.code === undefined) continue;
      const key = `${line.date ?? ''}\u0000${line.providerNpi ?? ''}`;
      const group = groups.get(key);
      if (group) group.push(line);
      else groups.set(key, [line]);
    }
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      const reported = new Set<LineReview>();
      for (const column1 of group) {
        const column2Codes = compiled.index.get(column1.code!);
        if (!column2Codes) continue;
        for (const column2 of group) {
          if (column2 === column1 || reported.has(column2)) continue;
          const entry = column2Codes.get(column2.code!);
          if (entry === undefined) continue;
          const indicator = indicatorOn(entry, column2.date);
          if (indicator === undefined || indicator === 9) continue;
          if (indicator === 1 && bypasses(compiled, column1, column2)) continue;
          reported.add(column2);
          const hint = indicator === 1 ? 'unless the services were distinct and marked with an NCCI-associated modifier' : 'no modifier allows it (modifier indicator 0)';
          report({
            message: `Procedure ${column2.code} is not payable with ${column1.code}${column1.lineNumber ? ` (line ${column1.lineNumber})` : ''} on the same date by the same provider: ${hint}`,
            line: column2,
            location: review.lineSource(column2, 'procedure.code'),
            carc: '97',
          });
        }
      }
    }
  },
};
