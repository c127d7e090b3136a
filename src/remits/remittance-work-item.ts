/**
 * The common shell of the work items a remittance makes (denials, underpayments, unmatched payments):
 * created open by `system` at the file's receipt time, so that every run of the file builds the same
 * item and `WorkItems.createMany` (create-if-absent) leaves an item a person has worked since alone.
 */
import type { IsoDate } from '../../schemas/common.schema.ts';
import type { WorkQueue } from '../../schemas/finding.schema.ts';
import type { WorkItem, WorkItemKind, WorkReason } from '../../schemas/work-item.schema.ts';

/** What every item of a remittance is built from. */
export interface RemittanceWorkItemInput {
  workItemId: string;
  tenant: string;
  kind: Exclude<WorkItemKind, 'hold'>;
  queue: WorkQueue;
  /** The file's first receipt time (ISO). */
  createdAt: string;
  claimId?: string;
  remittanceId: string;
  claimPaymentPosition: number;
  /** The rules' payer id the remittance resolved to. */
  payer?: string;
  reasons: WorkReason[];
  chargeCents: number;
  amountAtRiskCents: number;
  appealDeadline?: IsoDate;
  timelyFilingDeadline?: IsoDate;
  /** A code for the history entry (what made the item): `denial`, `underpayment`, `unmatched-payment`. */
  note: string;
}

/** An open work item created by the system, with its reasons' codes for filtering. */
export function remittanceWorkItem(input: RemittanceWorkItemInput): WorkItem {
  const item: WorkItem = {
    workItemId: input.workItemId,
    tenant: input.tenant,
    kind: input.kind,
    queue: input.queue,
    status: 'open',
    createdAt: input.createdAt,
    updatedAt: input.createdAt,
    remittanceId: input.remittanceId,
    claimPaymentPosition: input.claimPaymentPosition,
    reasonCodes: [...new Set(input.reasons.map((reason) => reason.code))],
    reasons: input.reasons,
    chargeCents: input.chargeCents,
    amountAtRiskCents: input.amountAtRiskCents,
    history: [{ at: input.createdAt, by: 'system', action: 'created', to: 'open', note: input.note }],
    revision: 0,
  };
  if (input.claimId !== undefined) item.claimId = input.claimId;
  if (input.payer !== undefined) item.payer = input.payer;
  if (input.appealDeadline !== undefined) item.appealDeadline = input.appealDeadline;
  if (input.timelyFilingDeadline !== undefined) item.timelyFilingDeadline = input.timelyFilingDeadline;
  return item;
}
