/**
 * The payer directory: an 835's payer resolved to the rules' payer id by REF*2U, else TRN03, else
 * N1*PR's N104; the directory document validated (duplicate ids and ambiguous aliases refused); the
 * shipped directory valid and resolving the fixture and sample 835s as they are read.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  PayerDirectory,
  PayerDirectoryInvalidError,
  readPayerDirectoryFile,
  type RemittancePayerHeader,
} from '../../src/rules/payer-directory.ts';
import { read835All } from '../../src/remits/read-835.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const directory = PayerDirectory.fromDocument({
  payers: [
    {
      payerId: 'ACME01',
      name: 'Acme Health (fictional)',
      aliases: { payerIdentification: ['87726'], originatingCompany: ['1999000001'], n1Identifier: ['ACMEPLAN'] },
    },
    { payerId: 'ZENITH02', name: 'Zenith Mutual (fictional)', aliases: { originatingCompany: ['1999000002'] } },
    { payerId: 'NOALIAS03', name: 'Plain Payer (fictional)' },
  ],
});

/** An 835 header as the reader builds it: N1*PR (name, N103/N104), its REFs, and the TRN. */
function header(parts: { ref2u?: string[]; trn03?: string; n104?: string; otherRefs?: [string, string][] }): RemittancePayerHeader {
  return {
    payer: {
      name: 'A PAYER',
      ...(parts.n104 === undefined ? {} : { idQualifier: 'XV', id: parts.n104 }),
      references: [
        ...(parts.otherRefs ?? []).map(([qualifier, value]) => ({ qualifier, value })),
        ...(parts.ref2u ?? []).map((value) => ({ qualifier: '2U', value })),
      ],
      contacts: [],
      sources: {},
    },
    ...(parts.trn03 === undefined ? {} : { trace: { traceType: '1', traceNumber: 'EFT1', originatingCompanyId: parts.trn03 } }),
  };
}

describe('PayerDirectory.resolveRemittancePayer', () => {
  test('REF*2U comes first, even when TRN03 names another payer', () => {
    const resolved = directory.resolveRemittancePayer(header({ ref2u: ['87726'], trn03: '1999000002', n104: 'ZENITH02' }));

    expect(resolved).toMatchObject({ payerId: 'ACME01', matchedBy: 'REF*2U' });
  });

  test('the payer id itself is accepted as a REF*2U or N104 value', () => {
    expect(directory.resolveRemittancePayer(header({ ref2u: ['NOALIAS03'] }))).toMatchObject({ payerId: 'NOALIAS03', matchedBy: 'REF*2U' });
    expect(directory.resolveRemittancePayer(header({ n104: 'ZENITH02' }))).toMatchObject({ payerId: 'ZENITH02', matchedBy: 'N1*PR N104' });
  });

  test('an unknown REF*2U falls through to TRN03, and an unknown TRN03 to N104', () => {
    expect(directory.resolveRemittancePayer(header({ ref2u: ['UNKNOWN'], trn03: '1999000002', n104: 'ACMEPLAN' }))).toMatchObject({
      payerId: 'ZENITH02',
      matchedBy: 'TRN03',
    });
    expect(directory.resolveRemittancePayer(header({ trn03: '1000000000', n104: 'ACMEPLAN' }))).toMatchObject({ payerId: 'ACME01', matchedBy: 'N1*PR N104' });
  });

  test('only REF*2U references count as payer identification; other qualifiers are ignored', () => {
    expect(directory.resolveRemittancePayer(header({ otherRefs: [['EO', '87726'], ['HI', 'ACME01']], trn03: '1999000002' }))).toMatchObject({
      payerId: 'ZENITH02',
      matchedBy: 'TRN03',
    });
  });

  test('identifiers match whatever their case and surrounding spaces', () => {
    expect(directory.resolveRemittancePayer(header({ n104: ' acmeplan ' }))?.payerId).toBe('ACME01');
  });

  test('a TRN03 equal to a payer id does not match that payer: TRN03 holds an EIN, not a payer id', () => {
    expect(directory.resolveRemittancePayer(header({ trn03: 'ACME01' }))).toBeUndefined();
  });

  test('nothing known: undefined', () => {
    expect(directory.resolveRemittancePayer(header({ ref2u: ['X1'], trn03: '1000000000', n104: 'Y2' }))).toBeUndefined();
    expect(directory.resolveRemittancePayer(header({}))).toBeUndefined();
  });

  test('entryOf finds a payer by its rules id', () => {
    expect(directory.entryOf('zenith02')?.name).toBe('Zenith Mutual (fictional)');
    expect(directory.entryOf('NOBODY')).toBeUndefined();
  });
});

describe('the directory document', () => {
  test('a repeated payer id and an alias naming two payers are refused, with the fields at fault', () => {
    const attempt = () =>
      PayerDirectory.fromDocument(
        {
          payers: [
            { payerId: 'ACME01', name: 'Acme', aliases: { originatingCompany: ['1999000001'] } },
            { payerId: 'acme01', name: 'Acme again' },
            { payerId: 'ZENITH02', name: 'Zenith', aliases: { originatingCompany: ['1999000001'] } },
          ],
        },
        'test-directory.json',
      );

    let caught: unknown;
    try {
      attempt();
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(PayerDirectoryInvalidError);
    expect((caught as PayerDirectoryInvalidError).problems).toEqual([
      'payers.1.payerId: payer id repeats entry 0',
      'payers.2.aliases.originatingCompany: a value also names payer ACME01',
    ]);
  });

  test('the every-payer id, blank ids and unknown fields are refused', () => {
    expect(() => PayerDirectory.fromDocument({ payers: [{ payerId: '*', name: 'Everyone' }] })).toThrow(/payers\.0\.payerId/);
    expect(() => PayerDirectory.fromDocument({ payers: [{ payerId: 'A1', name: 'A', aliases: { payerIdentification: [' '] } }] })).toThrow(
      /payers\.0\.aliases\.payerIdentification\.0/,
    );
    expect(() => PayerDirectory.fromDocument({ payers: [{ payerId: 'A1', name: 'A', alias: [] }] })).toThrow(/payers\.0/);
  });

  test('a file that is not JSON is refused by name', async () => {
    await expect(readPayerDirectoryFile(fileURLToPath(new URL('./payer-directory.test.ts', import.meta.url)))).rejects.toThrow(
      /payer directory .*payer-directory\.test\.ts is not valid: \(document\): not JSON/,
    );
  });
});

describe('the shipped directory (events/payers/directory.json)', () => {
  test('is valid and resolves the fixture and sample 835s as the reader reads them', async () => {
    const shipped = await readPayerDirectoryFile(`${repoRoot}events/payers/directory.json`);
    const payersOf = async (file: string): Promise<string[]> => {
      const { remittances } = await read835All(readFileSync(`${repoRoot}${file}`));
      return remittances.map((remittance) => {
        const resolved = shipped.resolveRemittancePayer(remittance);
        return resolved ? `${resolved.payerId} by ${resolved.matchedBy}` : 'unresolved';
      });
    };

    // REF*2U 99999 (with N1*PR XV FHP0000001 and TRN03 1999999999 as well).
    expect(await payersOf('test/fixtures/835-full.x12')).toEqual(['99999 by REF*2U']);
    // No REF*2U and no N104: found by TRN03.
    expect(await payersOf('test/fixtures/835-bad-values.x12')).toEqual(['99999 by TRN03']);
    // The generated sample batch: every remittance found by its TRN03.
    const sample = await payersOf('events/x12/835-sample.x12');
    expect(sample.length).toBeGreaterThan(0);
    expect(new Set(sample)).toEqual(new Set(['TESTMCR01 by TRN03', 'TESTMCD01 by TRN03']));
  });
});
