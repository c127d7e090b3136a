/**
 * The category of an 835 adjustment (CAS group + CARC, with RARCs), in DESIGN.md's order:
 *
 * 1. group PR → patient responsibility, whatever the CARC;
 * 2. a contractual CARC (e.g. CO-45, CO-253) → contractual;
 * 3. OA-23, the prior payer's adjudication → informational;
 * 4. otherwise the CARC's category, refined by the first non-alert RARC in our table when the CARC
 *    says "see remark" (CO-16 + M76 → coding, CO-16 + N382 → billing);
 * 5. a CARC not in our table → billing, flagged `unknown`, for a person to look at.
 */
import type { WorkQueue } from '../../../schemas/finding.schema.ts';
import type { AdjustmentCategory, AdjustmentRouting, CarcEntry, RarcEntry } from './types.ts';

/** The work queue of each category; the last three make no work item. */
const QUEUE_OF: Readonly<Record<AdjustmentCategory, WorkQueue | undefined>> = {
  coding: 'coding',
  billing: 'billing',
  clinical: 'clinical',
  contractual: undefined,
  'patient-responsibility': undefined,
  informational: undefined,
};

/** The work queue for a category, or undefined when the category makes no work item. */
export function queueOf(category: AdjustmentCategory): WorkQueue | undefined {
  return QUEUE_OF[category];
}

/** Route one adjustment with the given CARC and RARC tables (see the module comment for the order). */
export function routeAdjustment(
  carcCode: string,
  rarcCodes: readonly string[],
  group: string,
  carcTable: ReadonlyMap<string, CarcEntry>,
  rarcTable: ReadonlyMap<string, RarcEntry>,
): AdjustmentRouting {
  const normalizedGroup = group.trim().toUpperCase();
  const normalizedCarc = carcCode.trim().toUpperCase();
  if (normalizedGroup === 'PR') return routed('patient-responsibility');
  const carc = carcTable.get(normalizedCarc);
  if (carc?.category === 'contractual') return routed('contractual');
  if (normalizedGroup === 'OA' && normalizedCarc === '23') return routed('informational');
  if (!carc) return { ...routed('billing'), unknown: true };
  if (carc.seeRemark) {
    for (const rarcCode of rarcCodes) {
      const code = rarcCode.trim().toUpperCase();
      const rarc = rarcTable.get(code);
      if (rarc && !rarc.alert) return { ...routed(rarc.category), refinedBy: code };
    }
  }
  return routed(carc.category);
}

function routed(category: AdjustmentCategory): AdjustmentRouting {
  const queue = QUEUE_OF[category];
  return queue ? { category, queue } : { category };
}
