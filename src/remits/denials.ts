/**
 * Denial routing: the adjustments of a posting that the code sets categorize as denials (coding,
 * billing, clinical — `categoryOf`, in DESIGN.md's order) become work items, one per claim payment and
 * queue, each with its reasons (CAS group and CARC, RARCs, our own descriptions of the codes, the line
 * and the amount), the amount at risk (what was denied) and two deadlines: appeal and timely filing.
 *
 * CLP02 plays no part: a claim payment with status 4 is not denied by itself, and one with status 1
 * may deny a line. Reversals make no items: they take an earlier payment back, and the corrected
 * payment that follows carries its own denials.
 */
import type { IsoDate } from '../../schemas/common.schema.ts';
import type { WorkQueue } from '../../schemas/finding.schema.ts';
import type { PostedAdjustment, Posting } from '../../schemas/posting.schema.ts';
import type { WorkItem, WorkReason } from '../../schemas/work-item.schema.ts';
import type { CodeSets } from '../rules/codesets/types.ts';
import { isDenial } from './post.ts';
import { denialWorkItemIdOf } from './ports.ts';
import { remittanceWorkItem } from './remittance-work-item.ts';

/** What reasons are described from: our own words for CARCs and RARCs. */
export type CodeDescriptions = Pick<CodeSets, 'carc' | 'rarc'>;

/** The queues denials go to, in the order their items are made. */
const DENIAL_QUEUES: readonly WorkQueue[] = ['coding', 'billing', 'clinical'];

/** What a posting's denial items need besides the posting. */
export interface DenialContext {
  /** The claim's total charge (CLM02). */
  chargeCents: number;
  appealDeadline: IsoDate;
  timelyFilingDeadline?: IsoDate;
  /** The file's first receipt time (ISO): the items' creation time on every run. */
  createdAt: string;
  descriptions: CodeDescriptions;
}

/**
 * Our description of an adjustment: the CARC's, then the RARCs' that we know (alerts included: they
 * tell the coder something), for a person reading the queue.
 *
 * @example
 * describeAdjustment('16', ['M76'], codeSets);
 * // 'Claim or line lacks information or has a billing error; the remark says which — M76: Diagnosis or condition missing, incomplete or invalid'
 */
export function describeAdjustment(carc: string, rarcs: readonly string[], descriptions: CodeDescriptions): string {
  const carcText = descriptions.carc.lookup(carc)?.description ?? `Adjustment reason ${carc}, not in our code table: look it up`;
  const remarks = rarcs.flatMap((code) => {
    const entry = descriptions.rarc.lookup(code);
    return entry ? [`${code}: ${entry.description}`] : [];
  });
  return remarks.length > 0 ? `${carcText} — ${remarks.join('; ')}` : carcText;
}

/** A denial adjustment as a work item's reason. */
function reasonOf(adjustment: PostedAdjustment, line: number | undefined, descriptions: CodeDescriptions): WorkReason {
  const reason: WorkReason = {
    code: `${adjustment.group}-${adjustment.carc}`,
    source: 'adjustment',
    group: adjustment.group,
    carc: adjustment.carc,
    description: describeAdjustment(adjustment.carc, adjustment.rarcs, descriptions),
    category: adjustment.category,
    amountCents: adjustment.amountCents,
  };
  if (adjustment.rarcs.length > 0) reason.rarcs = [...adjustment.rarcs];
  if (line !== undefined) reason.line = line;
  return reason;
}

/**
 * The denial reasons of a posting by queue: each adjustment categorized as a denial with a positive
 * amount (a negative one gives money back), claim-level first, then line by line.
 */
export function denialReasonsByQueue(posting: Posting, descriptions: CodeDescriptions): Map<WorkQueue, WorkReason[]> {
  const byQueue = new Map<WorkQueue, WorkReason[]>();
  const add = (adjustment: PostedAdjustment, line: number | undefined): void => {
    if (!isDenial(adjustment) || adjustment.amountCents <= 0) return;
    const queue = adjustment.queue ?? 'billing';
    const reasons = byQueue.get(queue) ?? [];
    reasons.push(reasonOf(adjustment, line, descriptions));
    byQueue.set(queue, reasons);
  };
  for (const adjustment of posting.adjustments) add(adjustment, undefined);
  for (const line of posting.lines) for (const adjustment of line.adjustments) add(adjustment, line.line);
  return byQueue;
}

/**
 * The denial work items of a posting: one per queue with a denial, in the coding, billing, clinical
 * order; none for a reversal.
 *
 * @example
 * denialWorkItems(posting, { chargeCents: 2621, appealDeadline: '2026-12-28', createdAt, descriptions: codeSets });
 * // [{ kind: 'denial', queue: 'clinical', reasonCodes: ['CO-50'], amountAtRiskCents: 2621, … }]
 */
export function denialWorkItems(posting: Posting, context: DenialContext): WorkItem[] {
  if (posting.reversal) return [];
  const byQueue = denialReasonsByQueue(posting, context.descriptions);
  return DENIAL_QUEUES.flatMap((queue) => {
    const reasons = byQueue.get(queue);
    if (!reasons) return [];
    return [
      remittanceWorkItem({
        workItemId: denialWorkItemIdOf(posting.claimId, posting.remittanceId, posting.claimPaymentPosition, queue),
        tenant: posting.tenant,
        kind: 'denial',
        queue,
        createdAt: context.createdAt,
        claimId: posting.claimId,
        remittanceId: posting.remittanceId,
        claimPaymentPosition: posting.claimPaymentPosition,
        ...(posting.payer !== undefined ? { payer: posting.payer } : {}),
        reasons,
        chargeCents: context.chargeCents,
        amountAtRiskCents: reasons.reduce((sum, reason) => sum + (reason.amountCents ?? 0), 0),
        appealDeadline: context.appealDeadline,
        ...(context.timelyFilingDeadline !== undefined ? { timelyFilingDeadline: context.timelyFilingDeadline } : {}),
        note: 'denial',
      }),
    ];
  });
}
