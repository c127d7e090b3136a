/**
 * The one JSON line a benchmark child prints (bench/child.ts), as a schema: the parent parses it with
 * `safeParse` rather than trusting the shape.
 */
import { z } from 'zod';

export const ChildReportSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('ok'),
    /** Wall time of the contender's run, from its first read to done. */
    ms: z.number().nonnegative(),
    /** Peak resident set size of the child, KiB. */
    maxRssKiB: z.number().nonnegative(),
    segments: z.number().int().nonnegative(),
    idDigest: z.string().optional(),
    sampleDigest: z.string().optional(),
    warning: z.string().optional(),
  }),
  z.object({ status: z.literal('not available'), reason: z.string() }),
]);

export type ChildReport = z.infer<typeof ChildReportSchema>;
