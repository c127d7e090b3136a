/**
 * The worklist use cases: list, read (audited), take, release, assign, correct (with a re-scrub), wait
 * for a provider, resume, and resolve (resubmitting the claim when asked).
 *
 * Every change follows one pattern, without transactions: read the item, decide the change with the
 * pure lifecycle functions, write it conditionally on the revision read, then do what follows from it
 * (the resubmitted 837) and append the audit event. A lost condition means someone changed the item in
 * between: the change is decided again on the fresh item (a second `take` then finds the item taken and
 * answers `already-taken`). What follows a write is repeatable: a retried `take` or `resolve` of the
 * same caller finds its change made and converges — it writes the same 837 under the same key and the
 * same audit event id again — instead of failing or doing it twice.
 *
 * Tenancy: the actor's tenant (from the verified token) scopes every read; an item of another tenant is
 * not found. Roles: see roles.ts.
 */
import type { WorkItem, WorkItemResolution, ResolutionAction } from '../../schemas/work-item.schema.ts';
import type {
  ClaimDetail,
  CorrectionDraft,
  CorrectionRequest,
  CorrectionResponse,
  ResolveAction,
  ResolveRequest,
  WorkItemDetailResponse,
  WorkItemListQuery,
  WorkItemListResponse,
} from '../../schemas/worklist-api.schema.ts';
import type { ObjectStore } from '../claims/ports.ts';
import { holdsClaim } from '../rules/scrub.ts';
import { changeAuditEvent, readAuditEvent, type AuditDetail } from './audit.ts';
import { describeCorrection, mergeCorrection, rescrub, type ClaimCorrection, type RescrubPorts } from './corrections.ts';
import { WorkItemConflictError, WorkItemNotFoundError, WorkItemRevisionConflictError } from './errors.ts';
import { assignItem, markWaiting, recordCorrection, releaseItem, requireWorkable, resolveItem, resumeItem, takeItem, type Transition } from './lifecycle.ts';
import { listWorkItems } from './list.ts';
import type { AuditLog, ClaimDetails, StoredClaimDetail, WorkItemRecord, WorkItemStore } from './ports.ts';
import {
  claimToResubmit,
  requireResubmittable,
  resubmissionFrequency,
  resubmissionProblems,
  writeResubmission837,
  type ResubmissionFrequency,
  type ResubmissionWritePorts,
} from './resubmission.ts';
import { requireQueue, requireSupervisor, requireWorklistAccess, type Actor } from './roles.ts';

/** The ports of the use cases. */
export interface WorklistPorts extends RescrubPorts, ResubmissionWritePorts {
  workItems: WorkItemStore;
  claims: ClaimDetails;
  audit: AuditLog;
  /** Where resubmitted 837s are written. */
  objects: ObjectStore;
}

export interface WorklistOptions {
  /** The bucket of the payer outboxes (`{tenant}/outbox/<payer>/…`). */
  outboundBucket: string;
  /** The clock (tests inject one); default now. */
  now?: () => Date;
  /** Times a change is decided again after losing its condition (default 3). */
  maxAttempts?: number;
}

/** The resolution action recorded for each requested action. */
const RESOLUTION_OF: Readonly<Record<ResolveAction, ResolutionAction>> = {
  resubmit: 'resubmitted',
  appeal: 'appealed',
  'write-off': 'written-off',
  'no-action': 'no-action',
};

/** What a use case decided to write, and what follows once it is written. */
interface PlannedChange {
  transition: Transition;
  /** The draft to keep with the item; absent keeps the current one. */
  correction?: CorrectionDraft;
  detail?: AuditDetail;
  afterWrite?: () => Promise<void>;
}

/** A change found already made by this caller (a retry): repair what may not have followed it. */
interface AlreadyDone {
  alreadyDone: true;
  repair?: () => Promise<void>;
}

/**
 * @example
 * const worklist = new Worklist(ports, { outboundBucket: config.OUTBOUND_BUCKET });
 * const item = await worklist.take(actor, workItemId);
 */
export class Worklist {
  private readonly now: () => Date;
  private readonly maxAttempts: number;

  constructor(
    private readonly ports: WorklistPorts,
    private readonly options: WorklistOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.maxAttempts = options.maxAttempts ?? 3;
  }

  /** A page of the actor's work, in work order. */
  list(actor: Actor, query: WorkItemListQuery): Promise<WorkItemListResponse> {
    return listWorkItems(this.ports.workItems, actor, query, this.now());
  }

  /** The item with its claim, postings and history. Audited (`claim.read`) before anything is returned. */
  async detail(actor: Actor, workItemId: string): Promise<WorkItemDetailResponse> {
    const record = await this.read(actor, workItemId);
    const { item } = record;
    const stored = item.claimId !== undefined ? await this.ports.claims.get(actor.tenant, item.claimId) : undefined;
    await this.ports.audit.append(readAuditEvent(actor, item, this.now().toISOString()));
    return {
      item,
      ...(stored ? { claim: claimDetailOf(stored) } : {}),
      history: item.history,
      ...(record.correction ? { correction: record.correction } : {}),
    };
  }

  /** Take an open item: in progress, owned by the actor. Of two concurrent takes exactly one wins. */
  async take(actor: Actor, workItemId: string): Promise<WorkItem> {
    const record = await this.change(actor, workItemId, (current, at) => {
      const transition = takeItem(current.item, actor, at);
      if (transition) return { transition };
      return { alreadyDone: true, repair: () => this.reaudit(actor, current.item, 'taken') };
    });
    return record.item;
  }

  /** Back to the queue: open, unassigned (the owner, or a supervisor). */
  async release(actor: Actor, workItemId: string): Promise<WorkItem> {
    return (await this.change(actor, workItemId, (current, at) => ({ transition: releaseItem(current.item, actor, at) }))).item;
  }

  /** Give the item to a user (supervisors only). */
  async assign(actor: Actor, workItemId: string, assignee: string): Promise<WorkItem> {
    requireSupervisor(actor);
    const record = await this.change(actor, workItemId, (current, at) => {
      const transition = assignItem(current.item, actor, assignee, at);
      return transition ? { transition, detail: { assignee } } : { alreadyDone: true };
    });
    return record.item;
  }

  /** A provider query is out. The note stays in the item's history (never in logs or audit). */
  async wait(actor: Actor, workItemId: string, note?: string): Promise<WorkItem> {
    const record = await this.change(actor, workItemId, (current, at) => ({ transition: markWaiting(current.item, actor, at, note), detail: { note: note !== undefined } }));
    return record.item;
  }

  async resume(actor: Actor, workItemId: string): Promise<WorkItem> {
    return (await this.change(actor, workItemId, (current, at) => ({ transition: resumeItem(current.item, actor, at) }))).item;
  }

  /**
   * Merge a correction into the item's draft, apply it to the claim as it would be resubmitted, and
   * re-scrub it. The draft (with the re-scrub's verdict) is saved on the item; audited.
   */
  async correct(actor: Actor, workItemId: string, request: CorrectionRequest): Promise<CorrectionResponse> {
    let preview: Omit<CorrectionResponse, 'item'> | undefined;
    const record = await this.change(actor, workItemId, async (current, at) => {
      requireWorkable(current.item, actor);
      const stored = await this.claimOf(actor, current.item);
      const merged = mergeCorrection(correctionOf(current.correction), request);
      // Preview the claim as it would go out (replacement when adjudicated), even without REF*F8 yet.
      const claim = claimToResubmit(stored.claim, merged, stored.adjudication, stored.adjudication ? '7' : '1');
      const findings = await rescrub(claim, this.ports, { receivedOn: at.slice(0, 10), claimId: stored.claimId });
      const holds = holdsClaim(findings);
      preview = { claim, findings, holds };
      const described = describeCorrection(merged);
      return {
        transition: recordCorrection(current.item, actor, at, described),
        correction: { ...merged, at, by: actor.user, holds, findingCodes: [...new Set(findings.map((finding) => finding.code))] },
        detail: { fields: described.slice(0, 200), holds, findings: findings.length },
      };
    });
    if (!preview) throw new Error('a correction was written without its preview');
    return { ...preview, item: record.item };
  }

  /**
   * Resolve the item. `resubmit` writes the claim's 837 to the payer's outbox (original, replacement or
   * void: see resubmission.ts) once the item is recorded resolved; a claim whose re-scrub still holds
   * is refused with the holding codes. Repeating the same resolution converges (the same 837 again).
   */
  async resolve(actor: Actor, workItemId: string, request: ResolveRequest): Promise<WorkItem> {
    const action = RESOLUTION_OF[request.action];
    const voidClaim = request.void === true;
    const record = await this.change(actor, workItemId, async (current, at): Promise<PlannedChange | AlreadyDone> => {
      const { item } = current;
      const done = item.resolution;
      if (item.status === 'resolved' && done && done.by === actor.user && done.action === action && (action !== 'resubmitted' || (done.frequency === '8') === voidClaim)) {
        return {
          alreadyDone: true,
          repair: async () => {
            if (action === 'resubmitted' && done.frequency !== undefined) {
              const { key, text } = await this.resubmission(actor, current, done.frequency, { at: done.at, revision: item.revision, check: false });
              await this.ports.objects.put({ bucket: this.options.outboundBucket, key }, text, 'application/edi-x12');
            }
            await this.reaudit(actor, item, 'resolved');
          },
        };
      }
      requireWorkable(item, actor);
      let resolution: WorkItemResolution = { action, at, by: actor.user, ...(request.reason !== undefined ? { reason: request.reason } : {}) };
      let outbound: { key: string; text: string } | undefined;
      if (request.action === 'resubmit') {
        const stored = await this.claimOf(actor, item);
        const frequency = resubmissionFrequency(stored.adjudication, voidClaim);
        outbound = await this.resubmission(actor, current, frequency, { at, revision: item.revision + 1, check: true }, stored);
        resolution = { ...resolution, outboundKey: outbound.key, frequency };
      }
      const written = outbound;
      return {
        transition: resolveItem(item, actor, resolution),
        detail: { resolution: action, ...(resolution.frequency !== undefined ? { frequency: resolution.frequency } : {}) },
        ...(written ? { afterWrite: () => this.ports.objects.put({ bucket: this.options.outboundBucket, key: written.key }, written.text, 'application/edi-x12') } : {}),
      };
    });
    return record.item;
  }

  // ── Internals ─────────────────────────────────────────────────────────────────────────────────────

  /** The item, if the actor may see it: another tenant's is not found; another queue's is forbidden. */
  private async read(actor: Actor, workItemId: string): Promise<WorkItemRecord> {
    requireWorklistAccess(actor);
    const record = await this.ports.workItems.get(actor.tenant, workItemId);
    if (!record || record.item.tenant !== actor.tenant) throw new WorkItemNotFoundError(workItemId);
    requireQueue(actor, record.item.queue);
    return record;
  }

  /** Decide, write conditionally, follow up and audit; decided again when someone changed the item. */
  private async change(actor: Actor, workItemId: string, decide: (record: WorkItemRecord, at: string) => PlannedChange | AlreadyDone | Promise<PlannedChange | AlreadyDone>): Promise<WorkItemRecord> {
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const current = await this.read(actor, workItemId);
      const planned = await decide(current, this.now().toISOString());
      if ('alreadyDone' in planned) {
        await planned.repair?.();
        return current;
      }
      const next: WorkItemRecord = { item: planned.transition.item, ...((planned.correction ?? current.correction) ? { correction: planned.correction ?? current.correction } : {}) };
      try {
        await this.ports.workItems.update(next, current.item.revision);
      } catch (error) {
        if (error instanceof WorkItemRevisionConflictError) continue;
        throw error;
      }
      await planned.afterWrite?.();
      await this.ports.audit.append(changeAuditEvent(actor, next.item, planned.transition.entry, planned.detail));
      return next;
    }
    throw new WorkItemConflictError('changed-concurrently');
  }

  /** The audit event of the item's last change again, when it was this actor's `action` (a retry). */
  private async reaudit(actor: Actor, item: WorkItem, action: 'taken' | 'resolved'): Promise<void> {
    const last = item.history.at(-1);
    if (last && last.action === action && last.by === actor.user) await this.ports.audit.append(changeAuditEvent(actor, item, last));
  }

  /** The item's claim; an item without one (an unmatched payment) cannot be corrected or resubmitted. */
  private async claimOf(actor: Actor, item: WorkItem): Promise<StoredClaimDetail> {
    const stored = item.claimId !== undefined ? await this.ports.claims.get(actor.tenant, item.claimId) : undefined;
    if (!stored) throw new WorkItemConflictError('no-claim');
    return stored;
  }

  /**
   * The 837 of a resubmission. With `check`, the claim must be able to go out: named when replaced or
   * voided, not held by its re-scrub (a void is not scrubbed: it cancels what the payer has), and the
   * written file must pass the X12 engine's validation.
   */
  private async resubmission(
    actor: Actor,
    record: WorkItemRecord,
    frequency: ResubmissionFrequency,
    options: { at: string; revision: number; check: boolean },
    known?: StoredClaimDetail,
  ): Promise<{ key: string; text: string }> {
    const stored = known ?? (await this.claimOf(actor, record.item));
    const claim = claimToResubmit(stored.claim, correctionOf(record.correction), stored.adjudication, frequency);
    if (options.check) {
      requireResubmittable(claim);
      if (frequency !== '8') {
        const findings = await rescrub(claim, this.ports, { receivedOn: options.at.slice(0, 10), claimId: stored.claimId });
        if (holdsClaim(findings)) throw new WorkItemConflictError('still-held', [...new Set(findings.filter((finding) => finding.severity === 'reject').map((finding) => finding.code))]);
      }
    }
    const written = await writeResubmission837(
      claim,
      { tenant: actor.tenant, fileId: stored.fileId, workItemId: record.item.workItemId, revision: options.revision, at: new Date(options.at) },
      this.ports,
    );
    if (options.check) {
      const problems = await resubmissionProblems(written.text);
      if (problems.length > 0) throw new WorkItemConflictError('resubmission-invalid', problems);
    }
    return written;
  }
}

/** The changes of a stored draft. */
function correctionOf(draft: CorrectionDraft | undefined): ClaimCorrection | undefined {
  if (!draft) return undefined;
  return { ...(draft.diagnoses ? { diagnoses: draft.diagnoses } : {}), ...(draft.lines ? { lines: draft.lines } : {}) };
}

/** The claim part of a detail response (without the storage's tenant and file ids). */
function claimDetailOf(stored: StoredClaimDetail): ClaimDetail {
  return {
    claimId: stored.claimId,
    status: stored.status,
    receivedAt: stored.receivedAt,
    claim: stored.claim,
    findings: stored.findings,
    ...(stored.adjudication ? { adjudication: stored.adjudication } : {}),
    postings: stored.postings,
  };
}

