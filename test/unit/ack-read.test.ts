/**
 * The acknowledgment readers: 999s (accepted, rejected with IK3/IK4/CTX), TA1s, and 277CAs (claim,
 * provider and receiver levels, line statuses), from hand-written texts and from the public corpus.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AcknowledgmentSchema, type ClaimAcknowledgment277, type Implementation999 } from '../../schemas/acknowledgment.schema.ts';
import { claimsOf, read277CA } from '../../src/x12/read-277ca.ts';
import { read999 } from '../../src/x12/read-999.ts';
import { toCents, toIsoDate } from '../../src/x12/read-kit.ts';
import { interchange } from '../support/x12.ts';

const corpusDirectory = fileURLToPath(new URL('../../../shared/corpus/x12', import.meta.url));
const corpusPresent = existsSync(corpusDirectory);
const corpusFile = (name: string): Buffer => readFileSync(`${corpusDirectory}/${name}`);
const describeCorpus = corpusPresent ? describe : describe.skip;

function only999(acks: Awaited<ReturnType<typeof read999>>['acknowledgments']): Implementation999 {
  const found = acks.filter((a): a is Implementation999 => a.kind === '999');
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('values', () => {
  it('turns X12 decimals into exact cents', () => {
    expect([toCents('0.29'), toCents('-9.00'), toCents('.5'), toCents('12.'), toCents('1088'), toCents('1.005'), toCents('-0')]).toEqual([29, -900, 50, 1200, 108800, 101, 0]);
    // The forms the element checks refuse (IK403 6) do not read as amounts either: no exponent, no plus.
    expect([toCents(''), toCents('.'), toCents('1O'), toCents('1,000'), toCents('--1'), toCents('1.5E2'), toCents('+5')]).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it('accepts calendar dates only', () => {
    expect([toIsoDate('20240229'), toIsoDate('260115'), toIsoDate('20230229'), toIsoDate('20261345'), toIsoDate('2026111')]).toEqual(['2024-02-29', '2026-01-15', undefined, undefined, undefined]);
  });
});

describe('read999', () => {
  it('reads a rejected 999 with segment and element errors and their contexts, and a TA1', async () => {
    const text = interchange(
      [
        {
          id: '999',
          version: '005010X231A1',
          body: [
            'AK1*HC*17*005010X222A1',
            'AK2*837*0001*005010X222A1',
            'IK3*NM1*25*2010BA*8',
            'CTX*CLM01:PCN0001',
            'IK4*9*67*5*X',
            'IK3*DTP*31*2400*I6',
            'CTX*SITUATIONAL TRIGGER*SV1*29*2400*1:7',
            'IK5*R*5',
            'AK2*837*0002*005010X222A1',
            'IK5*A',
            'AK9*P*2*2*1',
          ],
        },
      ],
      { functionalId: 'FA', control: '000000777' },
    ).replace(/^(ISA[^~]*~)/, '$1TA1*000000123*261120*1200*E*024~');
    const { acknowledgments, findings, report } = await read999(text);
    expect(findings).toEqual([]);
    expect(acknowledgments[0]).toEqual({
      kind: 'TA1',
      carrierInterchangeControl: '000000777',
      interchangeControl: '000000123',
      interchangeDate: '2026-11-20',
      interchangeTime: '1200',
      acknowledgmentCode: 'E',
      noteCode: '024',
    });
    const ack = only999(acknowledgments);
    expect(ack.functionalGroup).toEqual({ functionalId: 'HC', control: '17', version: '005010X222A1' });
    expect(ack.transactionSets).toEqual([
      {
        transactionSet: '837',
        control: '0001',
        version: '005010X222A1',
        segmentErrors: [
          {
            segmentId: 'NM1',
            position: 25,
            loopId: '2010BA',
            code: '8',
            contexts: [{ name: 'CLM01', reference: 'PCN0001' }],
            elementErrors: [{ position: { element: 9 }, elementRef: '67', code: '5', badValue: 'X', contexts: [] }],
          },
          {
            segmentId: 'DTP',
            position: 31,
            loopId: '2400',
            code: 'I6',
            contexts: [{ name: 'SITUATIONAL TRIGGER', segmentId: 'SV1', segmentPosition: 29, loopId: '2400', position: { element: 1, component: 7 } }],
            elementErrors: [],
          },
        ],
        acknowledgmentCode: 'R',
        errorCodes: ['5'],
      },
      { transactionSet: '837', control: '0002', version: '005010X222A1', segmentErrors: [], acknowledgmentCode: 'A', errorCodes: [] },
    ]);
    expect(ack.groupResponse).toEqual({ acknowledgmentCode: 'P', included: 2, received: 2, accepted: 1, errorCodes: [] });
    for (const a of acknowledgments) expect(AcknowledgmentSchema.safeParse(a).success).toBe(true);
    // The 999 itself is valid X12 (the TA1 between ISA and GS is reported by the envelope check, not here).
    expect(report.interchanges[0]!.groups[0]!.sets[0]!.issues).toEqual([]);
  });
});

describeCorpus('read999 on the corpus', () => {
  it('reads an accepted 999 for an 834 (repetition separator !)', async () => {
    const ack = only999((await read999(corpusFile('999-accepted-834-repetition-sep-bang.x12'))).acknowledgments);
    expect(ack.envelope).toMatchObject({ interchangeControl: '000000238', groupControl: '146', version: '005010X231' });
    expect(ack.functionalGroup).toEqual({ functionalId: 'BE', control: '146', version: '005010X220A1' });
    expect(ack.transactionSets).toEqual([{ transactionSet: '834', control: '146001', version: '005010X220A1', segmentErrors: [], acknowledgmentCode: 'A', errorCodes: [] }]);
    expect(ack.groupResponse).toEqual({ acknowledgmentCode: 'A', included: 1, received: 1, accepted: 1, errorCodes: [] });
  });

  it('reads an accepted 999 whose envelope is defective (IEA02 differs from ISA13)', async () => {
    const { acknowledgments, report } = await read999(corpusFile('999-accepted-837i-iea-mismatch.x12'));
    expect(report.interchanges[0]!.issues.map((i) => i.code)).toContain('001');
    const ack = only999(acknowledgments);
    expect(ack.functionalGroup).toEqual({ functionalId: 'HC', control: '17456', version: '005010X223A2' });
    expect(ack.transactionSets[0]).toMatchObject({ control: '0001', acknowledgmentCode: 'A' });
  });

  it('reads a rejecting 999 with an IK3', async () => {
    const ack = only999((await read999(corpusFile('999-emedny-rejected-ik3.x12'))).acknowledgments);
    expect(ack.transactionSets).toEqual([
      {
        transactionSet: '837',
        control: '0028',
        segmentErrors: [{ segmentId: 'NM', position: 17, code: '1', contexts: [], elementErrors: [] }],
        acknowledgmentCode: 'R',
        errorCodes: ['5'],
      },
    ]);
    expect(ack.groupResponse).toEqual({ acknowledgmentCode: 'R', included: 1, received: 1, accepted: 0, errorCodes: [] });
  });
});

/** A 277CA with every level, a rejected line and a broken HL parent, written by hand. */
const TEXT_277CA = interchange(
  [
    {
      id: '277',
      version: '005010X214',
      body: [
        'BHT*0085*08*BATCH77*20261121*1200*TH',
        'HL*1**20*1',
        'NM1*PR*2*FICTIONAL HEALTH PLAN*****PI*99999',
        'TRN*1*SRC0001',
        'DTP*050*D8*20261120',
        'DTP*009*D8*20261121',
        'HL*2*1*21*1',
        'NM1*41*2*SAMPLE BILLING SERVICE*****46*TGJ23',
        'TRN*2*0123',
        'STC*A1:19:PR*20261121*WQ*275.5',
        'QTY*90*1',
        'QTY*AA*1',
        'AMT*YU*150',
        'AMT*YY*125.5',
        'HL*3*2*19*1',
        'NM1*85*2*SAMPLE CLINIC*****XX*1234567893',
        'TRN*1*PRV0001',
        'STC*A1:19:PR**WQ*275.5',
        'REF*TJ*123456789',
        'QTY*QA*1',
        'QTY*QC*1',
        'HL*4*3*PT',
        'NM1*QC*1*TESTPATIENT*ALPHA****MI*TST000111',
        'TRN*2*PCN0001',
        'STC*A2:20*20261121*WQ*150',
        'REF*1K*PAYERCLM0001',
        'REF*D9*CH0001',
        'DTP*472*D8*20261101',
        'HL*5*9*PT',
        'NM1*QC*1*TESTKID*GAMMA****MI*TST000222',
        'TRN*2*PCN0002',
        'STC*A7:145:82*20261121*U*125.5******A8:562**CHECK THE LINE',
        'REF*BLT*131',
        'DTP*472*RD8*20261101-20261103',
        'SVC*HC:J1100:RT*50.5*****1',
        'STC*A7:454*20261121*U',
        'REF*FJ*LINE0002',
        'DTP*472*D8*20261102',
      ],
    },
  ],
  { functionalId: 'HN' },
);

describe('read277CA', () => {
  let ack: ClaimAcknowledgment277;
  let findings: Awaited<ReturnType<typeof read277CA>>['findings'];
  beforeAll(async () => {
    const result = await read277CA(TEXT_277CA);
    expect(result.acknowledgments).toHaveLength(1);
    ack = result.acknowledgments[0]!;
    findings = result.findings;
  });

  it('reads the source, receiver and provider levels with their statuses and totals', () => {
    expect(ack).toMatchObject({ kind: '277CA', reference: 'BATCH77', createdDate: '2026-11-21', createdTime: '1200' });
    const source = ack.informationSources[0]!;
    expect(source).toMatchObject({ source: { entity: 'PR', idQualifier: 'PI', id: '99999' }, traceId: 'SRC0001', receiptDate: '2026-11-20', processDate: '2026-11-21' });
    const receiver = source.receivers[0]!;
    expect(receiver).toMatchObject({
      receiver: { entity: '41', id: 'TGJ23' },
      batchTraceId: '0123',
      statuses: [{ statuses: [{ category: 'A1', code: '19', entity: 'PR' }], effectiveDate: '2026-11-21', actionCode: 'WQ', charge: 27550 }],
      totals: { acceptedQuantity: 1, rejectedQuantity: 1, acceptedAmount: 15000, rejectedAmount: 12550 },
    });
    expect(receiver.providers[0]).toMatchObject({
      provider: { entity: '85', lastOrOrganizationName: 'SAMPLE CLINIC', idQualifier: 'XX', id: '1234567893' },
      traceId: 'PRV0001',
      statuses: [{ statuses: [{ category: 'A1', code: '19', entity: 'PR' }], actionCode: 'WQ', charge: 27550 }],
      references: [{ qualifier: 'TJ', value: '123456789' }],
      totals: { acceptedQuantity: 1, rejectedQuantity: 1 },
    });
  });

  it('reads each claim: patient, patient control number, statuses, REF 1K/D9/BLT, dates, line statuses', () => {
    const [accepted, rejected] = claimsOf(ack);
    expect(accepted).toMatchObject({
      patient: { entity: 'QC', lastOrOrganizationName: 'TESTPATIENT', firstName: 'ALPHA', idQualifier: 'MI', id: 'TST000111' },
      patientControlNumber: 'PCN0001',
      statuses: [{ statuses: [{ category: 'A2', code: '20' }], effectiveDate: '2026-11-21', actionCode: 'WQ', charge: 15000 }],
      payerClaimControlNumber: 'PAYERCLM0001',
      clearinghouseTraceNumber: 'CH0001',
      serviceDates: { from: '2026-11-01', to: '2026-11-01' },
      lines: [],
    });
    expect(rejected).toMatchObject({
      patientControlNumber: 'PCN0002',
      statuses: [
        {
          statuses: [
            { category: 'A7', code: '145', entity: '82' },
            { category: 'A8', code: '562' },
          ],
          actionCode: 'U',
          charge: 12550,
          message: 'CHECK THE LINE',
        },
      ],
      billType: '131',
      serviceDates: { from: '2026-11-01', to: '2026-11-03' },
      lines: [
        {
          procedure: { qualifier: 'HC', code: 'J1100', modifiers: ['RT'] },
          charge: 5050,
          originalUnits: 1,
          statuses: [{ statuses: [{ category: 'A7', code: '454' }], effectiveDate: '2026-11-21', actionCode: 'U' }],
          lineItemControlNumber: 'LINE0002',
          serviceDates: { from: '2026-11-02', to: '2026-11-02' },
        },
      ],
    });
    expect(rejected!.sources['patientControlNumber']).toMatchObject({ loop: '2200D', segment: 'TRN', element: 2 });
    expect(AcknowledgmentSchema.safeParse(ack).success).toBe(true);
  });

  it('reads a patient whose HL02 names no provider under the latest provider, with a finding', () => {
    expect(findings).toEqual([expect.objectContaining({ code: 'READ_HL_PARENT_MISSING', location: expect.objectContaining({ segment: 'HL', element: 2 }) })]);
    expect(claimsOf(ack)).toHaveLength(2);
  });
});

describeCorpus('read277CA on the corpus', () => {
  it('reads the eMedNY accepted 277CA', async () => {
    const { acknowledgments, findings } = await read277CA(corpusFile('277ca-emedny-accepted.x12'));
    expect(findings).toEqual([]);
    const source = acknowledgments[0]!.informationSources[0]!;
    expect(source).toMatchObject({ source: { entity: 'PR', lastOrOrganizationName: 'NYSDOH', id: '141797357' }, traceId: '000014420', receiptDate: '2011-03-11' });
    expect(source.receivers[0]).toMatchObject({ batchTraceId: '000000674', totals: { acceptedQuantity: 1, acceptedAmount: 12500 } });
    expect(claimsOf(acknowledgments[0]!)).toEqual([
      expect.objectContaining({
        patientControlNumber: '5781',
        statuses: [{ statuses: [{ category: 'A2', code: '20' }], effectiveDate: '2011-03-11', actionCode: 'WQ', charge: 12500 }],
        payerClaimControlNumber: '1107000000014420',
        serviceDates: { from: '1001-01-01', to: '1001-01-01' },
      }),
    ]);
  });

  it('reads a provider-level rejection (a billing provider with no patients)', async () => {
    const { acknowledgments, report } = await read277CA(corpusFile('277ca-annotated-payer-response-provider-level-reject.txt'), { leadingText: 'skip' });
    expect(report.interchanges[0]!.groups[0]!.sets[0]!.verdict).toBe('accepted');
    const providers = acknowledgments[0]!.informationSources[0]!.receivers[0]!.providers;
    expect(providers).toHaveLength(2);
    expect(providers[0]!.claims.map((c) => [c.patientControlNumber, c.statuses[0]!.statuses[0]!.category])).toEqual([
      ['PATIENT22222', 'A2'],
      ['PATIENT33333', 'A3'],
      ['JONES44444', 'A3'],
      ['JOHNSON55555', 'A2'],
      ['MILLS66666', 'A2'],
    ]);
    expect(providers[1]).toMatchObject({
      provider: { firstName: 'I', id: '1567012343' },
      statuses: [{ statuses: [{ category: 'A3', code: '25', entity: '85' }], actionCode: 'U', charge: 15000 }],
      totals: { rejectedQuantity: 3, rejectedAmount: 15000 },
      claims: [],
    });
  });

  it('reads the 277CA with validator errors: every claim is still read', async () => {
    const { acknowledgments, report } = await read277CA(corpusFile('277ca-annotated-payer-response-validator-errors.txt'), { leadingText: 'skip' });
    expect(report.interchanges[0]!.groups[0]!.sets[0]!.verdict).toBe('rejected');
    const claims = claimsOf(acknowledgments[0]!);
    expect(claims.map((c) => c.patientControlNumber)).toEqual(['PATIENT22222', 'PATIENT33333', 'JONES44444', 'JOHNSON55555', 'MILLS66666']);
    expect(claims[2]!.statuses[0]!.statuses[0]).toEqual({ category: 'A3', code: '21', entity: '77' });
    expect(claims.filter((c) => c.payerClaimControlNumber).length).toBe(3);
  });
});
