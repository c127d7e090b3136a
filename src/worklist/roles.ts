/**
 * Who may work which queue (DESIGN.md, "Security and privacy"), as a table:
 * - coder: the coding and clinical queues (technical coding causes, medical necessity);
 * - biller: the billing and exceptions queues (administrative causes, unmatched and underpaid remits);
 * - supervisor: every queue, and reassignment;
 * - admin: no worklist access at all. Admins keep the rules, the code sets and the users; reading a
 *   claim is reading PHI, and the minimum-necessary standard (45 CFR 164.502(b)) gives that only to the
 *   people who work the claims. A person who needs both holds both roles.
 *
 * Items are changed by their owner; a supervisor may act on any item.
 */
import type { WorkQueue } from '../../schemas/finding.schema.ts';
import type { WorkItem } from '../../schemas/work-item.schema.ts';
import { RoleSchema, type Role } from '../../schemas/worklist-api.schema.ts';
import { WorklistForbiddenError } from './errors.ts';

/** The caller, from the verified token: user (`sub`), tenant (`custom:tenant`), roles (`cognito:groups`). */
export interface Actor {
  user: string;
  tenant: string;
  roles: readonly Role[];
}

/** Queues by role. */
const QUEUES_BY_ROLE: Readonly<Record<Role, readonly WorkQueue[]>> = {
  coder: ['coding', 'clinical'],
  biller: ['billing', 'exceptions'],
  supervisor: ['coding', 'billing', 'clinical', 'exceptions'],
  admin: [],
};

/** Every queue, in one fixed order (lists merge them by work order anyway). */
const ALL_QUEUES: readonly WorkQueue[] = QUEUES_BY_ROLE.supervisor;

/** The known roles among token groups (unknown groups are someone else's business and are ignored). */
export function rolesOf(groups: readonly string[]): Role[] {
  const roles = new Set<Role>();
  for (const group of groups) {
    const role = RoleSchema.safeParse(group.trim().toLowerCase());
    if (role.success) roles.add(role.data);
  }
  return [...roles];
}

/** The queues the actor's roles allow, in a fixed order. */
export function queuesOf(actor: Pick<Actor, 'roles'>): WorkQueue[] {
  const allowed = new Set(actor.roles.flatMap((role) => QUEUES_BY_ROLE[role]));
  return ALL_QUEUES.filter((queue) => allowed.has(queue));
}

export function isSupervisor(actor: Pick<Actor, 'roles'>): boolean {
  return actor.roles.includes('supervisor');
}

/** Throws unless the actor may use the worklist at all. */
export function requireWorklistAccess(actor: Pick<Actor, 'roles'>): void {
  if (queuesOf(actor).length === 0) throw new WorklistForbiddenError('role');
}

/** Throws unless the actor may work `queue`. */
export function requireQueue(actor: Pick<Actor, 'roles'>, queue: WorkQueue): void {
  requireWorklistAccess(actor);
  if (!queuesOf(actor).includes(queue)) throw new WorklistForbiddenError('queue');
}

/** Throws unless the actor owns the item or is a supervisor. */
export function requireOwnerOrSupervisor(actor: Pick<Actor, 'user' | 'roles'>, item: Pick<WorkItem, 'assignee'>): void {
  if (item.assignee !== actor.user && !isSupervisor(actor)) throw new WorklistForbiddenError('not-owner');
}

/** Throws unless the actor is a supervisor. */
export function requireSupervisor(actor: Pick<Actor, 'roles'>): void {
  if (!isSupervisor(actor)) throw new WorklistForbiddenError('supervisor-only');
}
