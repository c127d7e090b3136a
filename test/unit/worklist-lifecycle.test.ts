/**
 * The work item lifecycle and the role rules, as pure functions: each transition's status, owner,
 * history entry and revision, and each refusal (409 conflicts, 403 ownership and roles).
 */
import type { WorkItem } from '../../schemas/work-item.schema.ts';
import { WorkItemConflictError, WorklistForbiddenError } from '../../src/worklist/errors.ts';
import { assignItem, markWaiting, recordCorrection, releaseItem, resolveItem, resumeItem, takeItem } from '../../src/worklist/lifecycle.ts';
import { queuesOf, requireQueue, requireWorklistAccess, rolesOf, type Actor } from '../../src/worklist/roles.ts';

const T0 = '2026-07-01T09:30:00.000Z';
const T1 = '2026-07-02T10:00:00.000Z';
const T2 = '2026-07-02T11:00:00.000Z';

const coderAnn: Actor = { user: 'coder-ann', tenant: 'clinic-a', roles: ['coder'] };
const coderBen: Actor = { user: 'coder-ben', tenant: 'clinic-a', roles: ['coder'] };
const supervisor: Actor = { user: 'super-sue', tenant: 'clinic-a', roles: ['supervisor'] };

function openItem(overrides: Partial<WorkItem> = {}): WorkItem {
  return {
    workItemId: 'clinic-a-file-0000001-hold',
    tenant: 'clinic-a',
    kind: 'hold',
    queue: 'coding',
    status: 'open',
    createdAt: T0,
    updatedAt: T0,
    claimId: 'clinic-a-file-0000001',
    payer: 'TESTPPO01',
    reasonCodes: ['units-limit'],
    reasons: [{ code: 'units-limit', source: 'finding', description: 'Too many units', line: 3 }],
    chargeCents: 6440,
    amountAtRiskCents: 6440,
    history: [{ at: T0, by: 'system', action: 'created', to: 'open' }],
    revision: 0,
    ...overrides,
  };
}

function conflictCode(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof WorkItemConflictError) return error.code;
    if (error instanceof WorklistForbiddenError) return `forbidden:${error.reason}`;
    throw error;
  }
  return 'no error';
}

describe('work item lifecycle', () => {
  test('take: open → in-progress, owned, one history entry, revision + 1', () => {
    const taken = takeItem(openItem(), coderAnn, T1)!;
    expect(taken.item.status).toBe('in-progress');
    expect(taken.item.assignee).toBe('coder-ann');
    expect(taken.item.revision).toBe(1);
    expect(taken.item.updatedAt).toBe(T1);
    expect(taken.entry).toEqual({ at: T1, by: 'coder-ann', action: 'taken', from: 'open', to: 'in-progress' });
    expect(taken.item.history).toHaveLength(2);
    expect(taken.item.history[1]).toEqual(taken.entry);
  });

  test('take again by the owner changes nothing; by someone else is already-taken', () => {
    const taken = takeItem(openItem(), coderAnn, T1)!.item;
    expect(takeItem(taken, coderAnn, T2)).toBeUndefined();
    expect(conflictCode(() => takeItem(taken, coderBen, T2))).toBe('already-taken');
  });

  test('release: owner or supervisor only, back to open without an owner', () => {
    const taken = takeItem(openItem(), coderAnn, T1)!.item;
    expect(conflictCode(() => releaseItem(taken, coderBen, T2))).toBe('forbidden:not-owner');
    const released = releaseItem(taken, supervisor, T2);
    expect(released.item.status).toBe('open');
    expect('assignee' in released.item).toBe(false);
    expect(released.entry).toEqual({ at: T2, by: 'super-sue', action: 'released', from: 'in-progress', to: 'open' });
    expect(conflictCode(() => releaseItem(openItem(), coderAnn, T2))).toBe('not-assigned');
  });

  test('assign: an open item becomes in-progress for the assignee; a waiting item keeps waiting', () => {
    const assigned = assignItem(openItem(), supervisor, 'coder-ben', T1)!;
    expect(assigned.item).toMatchObject({ status: 'in-progress', assignee: 'coder-ben', revision: 1 });
    expect(assigned.entry.note).toBe('assignee coder-ben');
    expect(assignItem(assigned.item, supervisor, 'coder-ben', T2)).toBeUndefined();
    const waiting = markWaiting(assigned.item, coderBen, T2, 'op note query').item;
    const reassigned = assignItem(waiting, supervisor, 'coder-ann', T2)!;
    expect(reassigned.item).toMatchObject({ status: 'waiting-on-provider', assignee: 'coder-ann', revision: 3 });
  });

  test('wait and resume: only from the right status, by the owner', () => {
    const taken = takeItem(openItem(), coderAnn, T1)!.item;
    expect(conflictCode(() => markWaiting(openItem(), coderAnn, T1))).toBe('not-in-progress');
    expect(conflictCode(() => markWaiting(taken, coderBen, T1))).toBe('forbidden:not-owner');
    const waiting = markWaiting(taken, coderAnn, T2, 'documentation query');
    expect(waiting.item.status).toBe('waiting-on-provider');
    expect(waiting.item.assignee).toBe('coder-ann');
    expect(waiting.entry.note).toBe('documentation query');
    expect(conflictCode(() => resumeItem(taken, coderAnn, T2))).toBe('not-waiting');
    const resumed = resumeItem(waiting.item, coderAnn, T2);
    expect(resumed.item.status).toBe('in-progress');
    expect(resumed.item.revision).toBe(3);
  });

  test('corrections need the item in work by its owner', () => {
    expect(conflictCode(() => recordCorrection(openItem(), coderAnn, T1, 'line 3: units'))).toBe('not-in-progress');
    const taken = takeItem(openItem(), coderAnn, T1)!.item;
    const corrected = recordCorrection(taken, coderAnn, T2, 'line 3: units');
    expect(corrected.item.status).toBe('in-progress');
    expect(corrected.entry).toEqual({ at: T2, by: 'coder-ann', action: 'corrected', note: 'line 3: units' });
  });

  test('resolve: resolved with its resolution, without an owner; a resolved item refuses everything', () => {
    const taken = takeItem(openItem(), coderAnn, T1)!.item;
    const resolved = resolveItem(taken, coderAnn, { action: 'resubmitted', at: T2, by: 'coder-ann', frequency: '1', outboundKey: 'clinic-a/outbox/TESTPPO01/x.837' });
    expect(resolved.item.status).toBe('resolved');
    expect('assignee' in resolved.item).toBe(false);
    expect(resolved.item.resolution).toEqual({ action: 'resubmitted', at: T2, by: 'coder-ann', frequency: '1', outboundKey: 'clinic-a/outbox/TESTPPO01/x.837' });
    expect(resolved.entry.note).toBe('resubmitted (frequency 1)');
    for (const run of [
      () => takeItem(resolved.item, coderBen, T2),
      () => releaseItem(resolved.item, coderAnn, T2),
      () => assignItem(resolved.item, supervisor, 'coder-ben', T2),
      () => markWaiting(resolved.item, coderAnn, T2),
      () => resolveItem(resolved.item, coderAnn, { action: 'no-action', at: T2, by: 'coder-ann' }),
    ]) {
      expect(conflictCode(run)).toBe('already-resolved');
    }
  });
});

describe('roles', () => {
  test('groups become known roles; others are ignored', () => {
    expect(rolesOf(['Coder', 'supervisor', 'billing-office', 'coder'])).toEqual(['coder', 'supervisor']);
  });

  test('queues by role, admin has none', () => {
    expect(queuesOf({ roles: ['coder'] })).toEqual(['coding', 'clinical']);
    expect(queuesOf({ roles: ['biller'] })).toEqual(['billing', 'exceptions']);
    expect(queuesOf({ roles: ['coder', 'biller'] })).toEqual(['coding', 'billing', 'clinical', 'exceptions']);
    expect(queuesOf({ roles: ['supervisor'] })).toEqual(['coding', 'billing', 'clinical', 'exceptions']);
    expect(queuesOf({ roles: ['admin'] })).toEqual([]);
    expect(conflictCode(() => requireWorklistAccess({ roles: ['admin'] }))).toBe('forbidden:role');
    expect(conflictCode(() => requireQueue({ roles: ['coder'] }, 'billing'))).toBe('forbidden:queue');
    expect(conflictCode(() => requireQueue({ roles: ['biller'] }, 'billing'))).toBe('no error');
  });
});
