/**
 * A finding: something about a claim or remittance that a person must know or act on — an imbalance
 * found by the X12 engine (SNIP 3), a payer rule's edit (SNIP 4, 5, 7), or a reader's problem with a
 * value (a date that is not a date). Findings point back into the file, never quote PHI in `message`.
 */
import { z } from 'zod';
import { CentsSchema, SourceRefSchema } from './common.schema.ts';

export const FindingSeveritySchema = z.enum(['reject', 'warn']);
export type FindingSeverity = z.infer<typeof FindingSeveritySchema>;

export const WorkQueueSchema = z.enum(['coding', 'billing', 'clinical', 'exceptions']);
export type WorkQueue = z.infer<typeof WorkQueueSchema>;

export const FindingSchema = z.object({
  /** Where it comes from: the engine's balancing, a reader, or a payer rule. */
  origin: z.enum(['balancing', 'reader', 'rule']),
  /** A stable code: `BALANCE_CLAIM_LINES`, `READ_INVALID_DATE`, or the rule kind for rules. */
  code: z.string(),
  ruleId: z.string().optional(),
  severity: FindingSeveritySchema,
  /** For a coder: what is wrong and what to look at; never an element value. */
  message: z.string(),
  /** The claim's patient control number (CLM01) or the claim payment's CLP01, when one applies. */
  claimRef: z.string().optional(),
  /** The service line number (LX01) when the finding is about one line. */
  line: z.int().positive().optional(),
  location: SourceRefSchema.optional(),
  /** Amounts involved, for imbalances: expected vs found, in cents. */
  amounts: z.object({ expected: CentsSchema, actual: CentsSchema }).optional(),
  /** The CARC this edit prevents (rules). */
  preventsCarc: z.string().optional(),
  queue: WorkQueueSchema.optional(),
});
export type Finding = z.infer<typeof FindingSchema>;
