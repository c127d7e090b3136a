/**
 * Resolves an 835's payer to the payer id the rules are keyed by (the 837's 2010BB NM109), so that a
 * remittance is read against the same fee schedule and appeal window as the claims it pays.
 *
 * An 835 (005010X221A1) names its payer in three places, tried in this order:
 * 1. REF*2U in loop 1000A — the payer identification number, meant for exactly this;
 * 2. TRN03 — the originating company identifier (`1` + the payer's EIN), always present;
 * 3. N104 of N1*PR (loop 1000A) — situational, and often a plan id rather than the payer id.
 * An identifier the directory does not know is passed over for the next one, since a payer may send
 * a REF*2U we have not been told about while its TRN03 is well known.
 */
import { readFile } from 'node:fs/promises';
import {
  normalizePayerIdentifier,
  PayerAliasKinds,
  PayerDirectorySchema,
  type PayerAliasKind,
  type PayerDirectoryEntry,
} from '../../schemas/payer-directory.schema.ts';
import type { RemittanceSummary } from '../../schemas/remittance.schema.ts';

/** What an 835's payer is resolved from: loop 1000A and the TRN (the reader's remittance header). */
export type RemittancePayerHeader = Pick<RemittanceSummary, 'payer' | 'trace'>;

/** Which 835 identifier a resolution came from, in the guide's words. */
export type PayerMatchSource = 'REF*2U' | 'TRN03' | 'N1*PR N104';

/** A resolved payer: its rules' payer id, the directory entry, and the identifier that found it. */
export interface PayerResolution {
  payerId: string;
  entry: PayerDirectoryEntry;
  matchedBy: PayerMatchSource;
}

/** The payer directory document is not valid; the message lists each field at fault. */
export class PayerDirectoryInvalidError extends Error {
  override readonly name = 'PayerDirectoryInvalidError';

  constructor(
    /** Where the document came from (a file path, or a label). */
    readonly source: string,
    /** Field paths and what is wrong with each (the directory holds ids, not PHI). */
    readonly problems: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`payer directory ${source} is not valid: ${problems.join('; ')}`, options);
  }
}

/** Reference id qualifier of loop 1000A's REF: payer identification number. */
const REF_PAYER_IDENTIFICATION = '2U';

const MATCH_SOURCE: Record<PayerAliasKind, PayerMatchSource> = {
  payerIdentification: 'REF*2U',
  originatingCompany: 'TRN03',
  n1Identifier: 'N1*PR N104',
};

/**
 * The known payers, indexed by each kind of 835 identifier.
 *
 * @example
 * const directory = await readPayerDirectoryFile('events/payers/directory.json');
 * const resolved = directory.resolveRemittancePayer(remittance); // { payerId: 'ACME01', matchedBy: 'TRN03', … }
 */
export class PayerDirectory {
  private readonly byPayerId = new Map<string, PayerDirectoryEntry>();
  private readonly byAlias: Record<PayerAliasKind, Map<string, PayerDirectoryEntry>> = {
    payerIdentification: new Map(),
    originatingCompany: new Map(),
    n1Identifier: new Map(),
  };

  /** Build from entries already validated by {@link PayerDirectorySchema} (use {@link PayerDirectory.fromDocument} otherwise). */
  constructor(readonly entries: readonly PayerDirectoryEntry[]) {
    for (const entry of entries) {
      this.byPayerId.set(normalizePayerIdentifier(entry.payerId), entry);
      for (const kind of PayerAliasKinds) {
        const values = kind === 'originatingCompany' ? entry.aliases[kind] : [entry.payerId, ...entry.aliases[kind]];
        for (const value of values) this.byAlias[kind].set(normalizePayerIdentifier(value), entry);
      }
    }
  }

  /**
   * Validate a parsed directory document and index it.
   * @throws {PayerDirectoryInvalidError} naming every field at fault.
   */
  static fromDocument(document: unknown, source = 'document'): PayerDirectory {
    const result = PayerDirectorySchema.safeParse(document);
    if (!result.success) {
      const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(document)'}: ${issue.message}`);
      throw new PayerDirectoryInvalidError(source, problems, { cause: result.error });
    }
    return new PayerDirectory(result.data.payers);
  }

  /** The entry of a rules' payer id (from an 837's 2010BB NM109), if known. */
  entryOf(payerId: string): PayerDirectoryEntry | undefined {
    return this.byPayerId.get(normalizePayerIdentifier(payerId));
  }

  /** The payer whose identifier of this kind is `value`, if any. */
  findBy(kind: PayerAliasKind, value: string): PayerDirectoryEntry | undefined {
    return this.byAlias[kind].get(normalizePayerIdentifier(value));
  }

  /**
   * The rules' payer id of an 835: by REF*2U, else TRN03, else N1*PR's N104; `undefined` when none of
   * them is known (the remittance is then posted without payer rules, and the caller says so).
   */
  resolveRemittancePayer(header: RemittancePayerHeader): PayerResolution | undefined {
    const candidates: [PayerAliasKind, string | undefined][] = [
      ...header.payer.references
        .filter((reference) => reference.qualifier === REF_PAYER_IDENTIFICATION)
        .map((reference): [PayerAliasKind, string] => ['payerIdentification', reference.value]),
      ['originatingCompany', header.trace?.originatingCompanyId],
      ['n1Identifier', header.payer.id],
    ];
    for (const [kind, value] of candidates) {
      if (value === undefined || value.trim() === '') continue;
      const entry = this.findBy(kind, value);
      if (entry) return { payerId: entry.payerId, entry, matchedBy: MATCH_SOURCE[kind] };
    }
    return undefined;
  }
}

/**
 * Read, validate and index a directory file (JSON).
 * @throws {PayerDirectoryInvalidError} when the file is not JSON or not a valid directory.
 */
export async function readPayerDirectoryFile(path: string): Promise<PayerDirectory> {
  const text = await readFile(path, 'utf8');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new PayerDirectoryInvalidError(path, ['(document): not JSON'], { cause: error });
  }
  return PayerDirectory.fromDocument(document, path);
}
