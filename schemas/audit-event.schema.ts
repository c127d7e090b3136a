/**
 * An audit event: who read a claim's detail or changed something, when, and which claim. Written for
 * every read of claim detail and every change through the worklist (DESIGN.md, "Security and privacy").
 * It records ids and codes, never claim values.
 */
import { z } from 'zod';

export const AuditActionSchema = z.enum([
  'claim.read',
  'work-item.take',
  'work-item.release',
  'work-item.reassign',
  'work-item.correct',
  'work-item.rescrub',
  'work-item.wait',
  'work-item.resume',
  'work-item.resolve',
]);
export type AuditAction = z.infer<typeof AuditActionSchema>;

export const AuditEventSchema = z.object({
  /** Unique per event (time-ordered): `<ISO time>#<random>`. */
  eventId: z.string().min(1),
  tenant: z.string().min(1),
  at: z.iso.datetime(),
  /** The user (token `sub`). */
  actor: z.string().min(1),
  /** The actor's roles when acting (token `cognito:groups`). */
  roles: z.array(z.string()),
  action: AuditActionSchema,
  claimId: z.string().optional(),
  workItemId: z.string().optional(),
  /** Codes only: the resolution action, the codes changed, the status moved to. */
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;
