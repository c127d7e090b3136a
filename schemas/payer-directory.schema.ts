/**
 * The payer directory: the payers this deployment knows, each under the payer id its rules are keyed
 * by (the id billing offices send in the 837's 2010BB NM109), with the other ids the same payer uses
 * in its 835 remittances, so an 835 can be tied to the same rules:
 * - REF*2U in loop 1000A (payer identification number),
 * - TRN03 (originating company identifier: `1` followed by the payer's EIN, usually also BPR10),
 * - N104 of N1*PR (with N103 `XV`, the CMS plan id, or another qualifier).
 *
 * Data lives in `events/payers/directory.json`; a value may name only one payer within each kind.
 */
import { z } from 'zod';

/** An identifier as sent in X12: not blank, no surrounding spaces (they are trimmed when matched). */
const IdentifierSchema = z.string().trim().min(1);

export const PayerDirectoryEntrySchema = z.strictObject({
  /** The rules' payer id: the 837's 2010BB NM109 (`*` is reserved for rules of every payer). */
  payerId: IdentifierSchema.refine((id) => id !== '*', { message: '"*" is the every-payer rule set, not a payer' }),
  /** A name for people (lists, reports). */
  name: z.string().trim().min(1),
  /**
   * Values other than `payerId` under which the payer appears in an 835. The payer id itself is
   * always accepted as a REF*2U or N104 value and need not be repeated.
   */
  aliases: z
    .strictObject({
      /** REF*2U (1000A) values. */
      payerIdentification: z.array(IdentifierSchema).default([]),
      /** TRN03 values. */
      originatingCompany: z.array(IdentifierSchema).default([]),
      /** N1*PR N104 values. */
      n1Identifier: z.array(IdentifierSchema).default([]),
    })
    .default({ payerIdentification: [], originatingCompany: [], n1Identifier: [] }),
});
export type PayerDirectoryEntry = z.infer<typeof PayerDirectoryEntrySchema>;

/** The three kinds of 835 identifiers a payer is found by, in the order they are tried. */
export const PayerAliasKinds = ['payerIdentification', 'originatingCompany', 'n1Identifier'] as const;
export type PayerAliasKind = (typeof PayerAliasKinds)[number];

/** Matching ignores case and surrounding spaces: payers are not consistent about either. */
export function normalizePayerIdentifier(value: string): string {
  return value.trim().toUpperCase();
}

export const PayerDirectorySchema = z
  .strictObject({
    /** Optional note for maintainers (where the ids come from). */
    description: z.string().optional(),
    payers: z.array(PayerDirectoryEntrySchema),
  })
  .superRefine((directory, context) => {
    // Each payer id once; each alias value names one payer within its kind (else resolution is a guess).
    const payerIds = new Map<string, number>();
    const owners: Record<PayerAliasKind, Map<string, string>> = {
      payerIdentification: new Map(),
      originatingCompany: new Map(),
      n1Identifier: new Map(),
    };
    directory.payers.forEach((entry, index) => {
      const payerId = normalizePayerIdentifier(entry.payerId);
      if (payerIds.has(payerId)) {
        context.addIssue({ code: 'custom', path: ['payers', index, 'payerId'], message: `payer id repeats entry ${payerIds.get(payerId)}` });
      } else {
        payerIds.set(payerId, index);
      }
      for (const kind of PayerAliasKinds) {
        // The payer id stands for itself as a REF*2U and N104 value (not as a TRN03, which is an EIN).
        const values = kind === 'originatingCompany' ? entry.aliases[kind] : [entry.payerId, ...entry.aliases[kind]];
        for (const value of new Set(values.map(normalizePayerIdentifier))) {
          const owner = owners[kind].get(value);
          if (owner !== undefined && owner !== payerId) {
            context.addIssue({ code: 'custom', path: ['payers', index, 'aliases', kind], message: `a value also names payer ${owner}` });
          } else {
            owners[kind].set(value, payerId);
          }
        }
      }
    });
  });
export type PayerDirectoryDocument = z.infer<typeof PayerDirectorySchema>;
