/**
 * Resubmitting a worked claim (DESIGN.md, flow 3): which frequency it goes out with, the claim as it is
 * sent, and the 837 written for it with the tenant's trading-partner settings.
 *
 * - A claim the payer never adjudicated (held by us, or rejected by a 999/277CA: no adjudication) goes
 *   out again as an original, CLM05-3 = 1, with the corrections.
 * - An adjudicated claim goes out as a replacement, CLM05-3 = 7, with the corrections and REF*F8 = the
 *   payer's claim control number of its latest posting (ClaimAdjudication.payerClaimControlNumber),
 *   or is voided, CLM05-3 = 8 with REF*F8, as it was sent (a void cancels; it corrects nothing).
 *
 * The 837 is a pure function of the claim, the settings, the time of the resolution and the control
 * numbers allocated to (claim file, `resubmit#<item>#<revision>`), so writing it again after a retry
 * gives the same bytes under the same key.
 */
import type { Claim } from '../../schemas/claim.schema.ts';
import type { ClaimAdjudication } from '../../schemas/posting.schema.ts';
import { outboundKeys } from '../claims/ingest-claims.ts';
import type { ControlNumbers, TradingPartners } from '../claims/ports.ts';
import { payerRouteOf, writeOutbound837 } from '../claims/outbound-837.ts';
import { validateX12 } from '../x12/validate.ts';
import { applyCorrection, type ClaimCorrection } from './corrections.ts';
import { WorkItemConflictError } from './errors.ts';

/** CLM05-3 of a resubmission: 1 original, 7 replacement of a prior claim, 8 void of a prior claim. */
export type ResubmissionFrequency = '1' | '7' | '8';

/** The frequency a resubmission takes: original unless the payer adjudicated the claim. */
export function resubmissionFrequency(adjudication: ClaimAdjudication | undefined, voidClaim: boolean): ResubmissionFrequency {
  if (adjudication === undefined) {
    // Nothing at the payer to cancel: a void of a claim never adjudicated is meaningless.
    if (voidClaim) throw new WorkItemConflictError('not-adjudicated');
    return '1';
  }
  return voidClaim ? '8' : '7';
}

/**
 * The claim as it goes out: corrected (unless voided), with its frequency, the type of bill's last
 * digit on 837I, and REF*F8 for a replacement or void (removed from an original). A replacement or void
 * without a payer claim control number is refused only by {@link requireResubmittable}, so that a
 * preview can still show the corrected claim.
 */
export function claimToResubmit(original: Claim, correction: ClaimCorrection | undefined, adjudication: ClaimAdjudication | undefined, frequency: ResubmissionFrequency): Claim {
  const claim = frequency === '8' || correction === undefined ? structuredClone(original) : applyCorrection(original, correction);
  claim.frequency = frequency;
  if (claim.type === 'I' && claim.facilityType !== undefined) claim.typeOfBill = claim.facilityType + frequency;
  const payerClaimControlNumber = adjudication?.payerClaimControlNumber;
  if (frequency !== '1' && payerClaimControlNumber !== undefined) claim.references.payerClaimControlNumber = payerClaimControlNumber;
  else delete claim.references.payerClaimControlNumber;
  return claim;
}

/** Throws unless the claim can go out: a replacement or void names the claim it replaces (REF*F8). */
export function requireResubmittable(claim: Claim): void {
  if (claim.frequency !== '1' && claim.references.payerClaimControlNumber === undefined) throw new WorkItemConflictError('no-payer-claim-control-number');
}

/** The outbound key of a resubmission: the payer's outbox, `resubmit-<workItemId>-<revision>.837`. */
export function resubmissionKey(tenant: string, payer: string, workItemId: string, revision: number): string {
  return outboundKeys.cleanClaims(tenant, payer, `resubmit-${workItemId}-${revision}`);
}

/** What writing a resubmission needs. */
export interface ResubmissionWritePorts {
  tradingPartners: TradingPartners;
  controlNumbers: ControlNumbers;
}

/** Who and when: the item being resolved and the revision it will have. */
export interface ResubmissionContext {
  tenant: string;
  /** The claim's file: control-number allocations are recorded under it. */
  fileId: string;
  workItemId: string;
  /** The item's revision once resolved (also in the outbound key). */
  revision: number;
  /** The resolution's time: the 837's ISA/GS/BHT dates. */
  at: Date;
}

/**
 * The 837 of one resubmitted claim, addressed with the tenant's trading-partner settings (the payer's
 * route, else the default route) and our outbound control numbers. Throws `no-trading-partner-route`
 * when the tenant has no route for the payer.
 */
export async function writeResubmission837(claim: Claim, context: ResubmissionContext, ports: ResubmissionWritePorts): Promise<{ key: string; text: string }> {
  const payer = claim.payer.id;
  const settings = await ports.tradingPartners.get(context.tenant);
  const route = payerRouteOf(settings, payer);
  if (!settings || !route || payer === undefined) throw new WorkItemConflictError('no-trading-partner-route');
  const allocation = { tenant: context.tenant, fileId: context.fileId, purpose: `resubmit#${context.workItemId}#${context.revision}` };
  const text = await writeOutbound837([claim], settings, route, allocation, ports.controlNumbers, context.at);
  return { key: resubmissionKey(context.tenant, payer, context.workItemId, context.revision), text };
}

/**
 * The problems the X12 engine finds in a written 837 (SNIP 1–2): the issue codes of everything not
 * accepted, empty when the file is accepted as it is.
 */
export async function resubmissionProblems(text: string): Promise<string[]> {
  const report = await validateX12(text);
  if (report.verdict === 'accepted') return [];
  const codes = [
    ...report.fileIssues,
    ...report.interchanges.flatMap((interchange) => [
      ...interchange.issues,
      ...interchange.groups.flatMap((group) => [...group.issues, ...group.sets.flatMap((set) => set.issues)]),
    ]),
  ].map((issue) => `${issue.level}:${issue.code}`);
  return [...new Set(codes)].slice(0, 50);
}
