/**
 * Matching 835 claim payments to claims (CLP01 = CLM01, a 20-character prefix, a number repeated on
 * resubmission confirmed by charges, dates and patient, the latest open claim preferred, reversals by
 * CLP07) and service payments to claim lines (REF*6R, procedure with dropped modifiers, position).
 */
import { confirmationOf, matchClaimPayment, matchServiceLines, patientControlNumberMatch, sameMatch, type MatchCandidate } from '../../src/remits/match.ts';
import { claimsByPatientControlNumberPartition, INDEXED_PATIENT_CONTROL_NUMBER_LENGTH } from '../../src/store/tables.ts';
import { PAYER_PATIENT_CONTROL_NUMBER_LENGTH } from '../../src/remits/match.ts';
import { claimOf, paymentOf, postingOf } from './remits-fixtures.ts';

const LONG_PCN = 'CPX2026000000000000001ABC'; // 25 characters: a payer keeps the first 20
const TRUNCATED = LONG_PCN.slice(0, 20);

function candidate(claimId: string, receivedAt: string, claim: ReturnType<typeof claimOf>, postings: MatchCandidate['postings'] = []): MatchCandidate {
  return { claimId, receivedAt, claim, postings };
}

describe('patient control numbers', () => {
  it('matches the whole number, case and surrounding spaces ignored', () => {
    expect(patientControlNumberMatch('cpp001000000005 ', 'CPP001000000005')).toBe('exact');
  });

  it('matches a 20-character CLP01 that begins a longer CLM01 as a prefix', () => {
    expect(patientControlNumberMatch(TRUNCATED, LONG_PCN)).toBe('prefix');
  });

  it('are indexed by their first 20 characters, upper-cased, so a cut CLP01 finds every candidate', () => {
    expect(INDEXED_PATIENT_CONTROL_NUMBER_LENGTH).toBe(PAYER_PATIENT_CONTROL_NUMBER_LENGTH);
    expect(claimsByPatientControlNumberPartition('demo-billing', LONG_PCN.toLowerCase())).toBe(`TENANT#demo-billing#PCN#${TRUNCATED}`);
    expect(claimsByPatientControlNumberPartition('demo-billing', TRUNCATED)).toBe(claimsByPatientControlNumberPartition('demo-billing', LONG_PCN));
  });

  it('does not take shorter cuts, longer numbers or empty values for a match', () => {
    expect(patientControlNumberMatch(LONG_PCN.slice(0, 19), LONG_PCN)).toBeUndefined();
    expect(patientControlNumberMatch(LONG_PCN, TRUNCATED)).toBeUndefined();
    expect(patientControlNumberMatch('', 'CPP1')).toBeUndefined();
  });
});

describe('confirming a candidate', () => {
  const claim = claimOf({ pcn: 'PCN1', lines: [{ code: 'G0439', charge: 13002, date: '2026-02-19' }], patientLastName: 'TESTPATIENT', memberId: 'TEST000111' });

  it('agrees on charges, dates and patient (by member id or last name)', () => {
    const byId = paymentOf({ pcn: 'PCN1', lines: [{ code: 'G0439', charge: 13002, paid: 9200, adjustments: [['CO', '45', 3802]], date: '2026-02-19' }], patient: { memberId: 'test000111' } });
    expect(confirmationOf(byId, claim)).toEqual({ charges: 'agree', dates: 'agree', patient: 'agree', confirmed: true });
    const byName = paymentOf({ pcn: 'PCN1', totalCharge: 13002, paid: 0, patient: { lastName: 'TestPatient', memberId: 'NEWID0001' } });
    expect(confirmationOf(byName, claim)).toEqual({ charges: 'agree', dates: 'absent', patient: 'agree', confirmed: true });
  });

  it('refuses a candidate whose charges, dates or patient differ', () => {
    expect(confirmationOf(paymentOf({ pcn: 'PCN1', totalCharge: 13003, paid: 0 }), claim)).toMatchObject({ charges: 'differ', confirmed: false });
    const otherDay = paymentOf({ pcn: 'PCN1', lines: [{ code: 'G0439', charge: 13002, paid: 13002, date: '2026-02-20' }] });
    expect(confirmationOf(otherDay, claim)).toMatchObject({ dates: 'differ', confirmed: false });
    const otherPatient = paymentOf({ pcn: 'PCN1', totalCharge: 13002, paid: 0, patient: { lastName: 'DEMOPATIENT', memberId: 'TEST999999' } });
    expect(confirmationOf(otherPatient, claim)).toMatchObject({ patient: 'differ', confirmed: false });
  });

  it('compares a reversal by its negated charges', () => {
    expect(confirmationOf(paymentOf({ pcn: 'PCN1', status: '22', totalCharge: -13002, paid: -9200 }), claim).charges).toBe('agree');
  });
});

describe('matching a claim payment to its claim', () => {
  const payment = paymentOf({ pcn: 'CPP001000000005', lines: [{ code: 'G0439', charge: 13002, paid: 9200, adjustments: [['CO', '45', 3802]], date: '2026-02-19', lineControlNumber: 'L1' }] });
  const claim = claimOf({ pcn: 'CPP001000000005', lines: [{ code: 'G0439', charge: 13002, date: '2026-02-19', lineControlNumber: 'L1' }] });

  it('finds no claim among no candidates, or among candidates of another number', () => {
    expect(matchClaimPayment(payment, [])).toEqual({ kind: 'unmatched', reason: 'no-claim', candidates: 0 });
    const other = claimOf({ pcn: 'CPP001000000006', lines: [{ code: 'G0439', charge: 13002 }] });
    expect(matchClaimPayment(payment, [candidate('c-other', '2026-07-01T00:00:00.000Z', other)])).toEqual({ kind: 'unmatched', reason: 'no-claim', candidates: 0 });
  });

  it('matches the one confirmed claim, with its lines', () => {
    expect(matchClaimPayment(payment, [candidate('c1', '2026-07-01T00:00:00.000Z', claim)])).toEqual({
      kind: 'matched',
      claimId: 'c1',
      matchedBy: 'patient-control-number',
      lines: [{ line: 1, matchedBy: 'control-number' }],
    });
  });

  it('matches a CLP01 cut to 20 characters to the claim with the long CLM01', () => {
    const long = claimOf({ pcn: LONG_PCN, lines: [{ code: 'G0008', charge: 2621 }] });
    const cut = paymentOf({ pcn: TRUNCATED, lines: [{ code: 'G0008', charge: 2621, paid: 2000, adjustments: [['CO', '45', 621]] }] });
    expect(matchClaimPayment(cut, [candidate('c-long', '2026-07-01T00:00:00.000Z', long)])).toMatchObject({ kind: 'matched', claimId: 'c-long', matchedBy: 'patient-control-number-prefix' });
  });

  it('prefers an exact CLM01 to a prefix of a longer one', () => {
    const exact = claimOf({ pcn: TRUNCATED, lines: [{ code: 'G0008', charge: 2621 }] });
    const long = claimOf({ pcn: LONG_PCN, lines: [{ code: 'G0008', charge: 2621 }] });
    const cut = paymentOf({ pcn: TRUNCATED, totalCharge: 2621, paid: 2621 });
    const match = matchClaimPayment(cut, [candidate('c-long', '2026-08-01T00:00:00.000Z', long), candidate('c-exact', '2026-07-01T00:00:00.000Z', exact)]);
    expect(match).toMatchObject({ kind: 'matched', claimId: 'c-exact', matchedBy: 'patient-control-number' });
  });

  it('on a number repeated by a resubmission, takes the claim whose charges agree, even the older one', () => {
    const original = claimOf({ pcn: 'CPP001000000005', lines: [{ code: 'G0439', charge: 13002, date: '2026-02-19' }] });
    const corrected = claimOf({ pcn: 'CPP001000000005', lines: [{ code: 'G0439', charge: 15000, date: '2026-02-19' }] });
    const candidates = [candidate('c-original', '2026-07-01T00:00:00.000Z', original), candidate('c-corrected', '2026-08-01T00:00:00.000Z', corrected)];
    const paysCorrected = paymentOf({ pcn: 'CPP001000000005', totalCharge: 15000, paid: 12000, adjustments: [['CO', '45', 3000]] });
    expect(matchClaimPayment(paysCorrected, candidates)).toMatchObject({ claimId: 'c-corrected' });
    const paysOriginal = paymentOf({ pcn: 'CPP001000000005', totalCharge: 13002, paid: 12000, adjustments: [['CO', '45', 1002]] });
    expect(matchClaimPayment(paysOriginal, candidates)).toMatchObject({ claimId: 'c-original' });
  });

  it('of two claims that both agree, prefers the open one, then the latest received', () => {
    const first = claimOf({ pcn: 'CPP001000000005', lines: [{ code: 'G0439', charge: 13002, date: '2026-02-19' }] });
    const second = claimOf({ pcn: 'CPP001000000005', lines: [{ code: 'G0439', charge: 13002, date: '2026-02-19' }] });
    const denied = postingOf({ postingId: 'p-old', claimId: 'c-first', totals: { chargeCents: 13002, deniedCents: 13002 } });
    // The newer one is open, the older one was denied: the newer one.
    expect(matchClaimPayment(payment, [candidate('c-first', '2026-07-01T00:00:00.000Z', first), candidate('c-second', '2026-08-01T00:00:00.000Z', second)])).toMatchObject({ claimId: 'c-second' });
    // The newer one already paid, the older one open: the older one.
    const paid = postingOf({ postingId: 'p-new', claimId: 'c-second', totals: { chargeCents: 13002, paidCents: 9200 } });
    expect(matchClaimPayment(payment, [candidate('c-first', '2026-07-01T00:00:00.000Z', first), candidate('c-second', '2026-08-01T00:00:00.000Z', second, [paid])])).toMatchObject({ claimId: 'c-first' });
    // Both closed: the latest.
    expect(
      matchClaimPayment(payment, [candidate('c-first', '2026-07-01T00:00:00.000Z', first, [denied]), candidate('c-second', '2026-08-01T00:00:00.000Z', second, [paid])]),
    ).toMatchObject({ claimId: 'c-second' });
  });

  it('leaves a payment unmatched when no claim with its number agrees', () => {
    const other = claimOf({ pcn: 'CPP001000000005', lines: [{ code: 'G0439', charge: 99999 }] });
    expect(matchClaimPayment(payment, [candidate('c1', '2026-07-01T00:00:00.000Z', other)])).toEqual({ kind: 'unmatched', reason: 'not-confirmed', candidates: 1 });
  });
});

describe('matching a reversal', () => {
  const claim = claimOf({ pcn: 'CPI001000000001', lines: [{ code: 'G0463', charge: 23554 }] });
  const payment = postingOf({ postingId: 'p1', claimId: 'c1', payerClaimControlNumber: 'MCR0101', totals: { chargeCents: 23554, paidCents: 15500 } });
  const reversal = paymentOf({ pcn: 'CPI001000000001', status: '22', totalCharge: -23554, paid: -15500, payerClaimControlNumber: 'MCR0101' });

  it('finds the claim holding the payment with the same CLP07', () => {
    const otherClaim = claimOf({ pcn: 'CPI001000000001', lines: [{ code: 'G0463', charge: 23554 }] });
    const match = matchClaimPayment(reversal, [candidate('c1', '2026-07-01T00:00:00.000Z', claim, [payment]), candidate('c2', '2026-08-01T00:00:00.000Z', otherClaim)]);
    expect(match).toEqual({ kind: 'matched', claimId: 'c1', matchedBy: 'patient-control-number', lines: [], reversesPostingId: 'p1' });
  });

  it('does not reverse a payment twice, nor one it cannot name', () => {
    const reversed = postingOf({ postingId: 'p2', claimId: 'c1', reversal: true, payerClaimControlNumber: 'MCR0101', postedAt: '2026-11-20T10:00:00.000Z' });
    expect(matchClaimPayment(reversal, [candidate('c1', '2026-07-01T00:00:00.000Z', claim, [payment, reversed])])).toEqual({ kind: 'unmatched', reason: 'reversal-without-posting', candidates: 1 });
    const unnamed = paymentOf({ pcn: 'CPI001000000001', status: '22', totalCharge: -23554, paid: -15500 });
    expect(matchClaimPayment(unnamed, [candidate('c1', '2026-07-01T00:00:00.000Z', claim, [payment])])).toEqual({ kind: 'unmatched', reason: 'reversal-without-control-number', candidates: 1 });
  });

  it('after a reversal, sends the corrected payment to the reversed (open again) claim rather than a newer paid one', () => {
    const reversed = postingOf({ postingId: 'p2', claimId: 'c1', reversal: true, payerClaimControlNumber: 'MCR0101', postedAt: '2026-11-20T10:00:00.000Z', totals: { chargeCents: -23554, paidCents: -15500 } });
    const newer = claimOf({ pcn: 'CPI001000000001', lines: [{ code: 'G0463', charge: 23554 }] });
    const newerPaid = postingOf({ postingId: 'p9', claimId: 'c9', payerClaimControlNumber: 'MCR0999', totals: { chargeCents: 23554, paidCents: 100 } });
    const corrected = paymentOf({ pcn: 'CPI001000000001', totalCharge: 23554, paid: 17000, adjustments: [['CO', '45', 6554]], payerClaimControlNumber: 'MCR0201' });
    const match = matchClaimPayment(corrected, [candidate('c1', '2026-07-01T00:00:00.000Z', claim, [payment, reversed]), candidate('c9', '2026-08-01T00:00:00.000Z', newer, [newerPaid])]);
    expect(match).toMatchObject({ kind: 'matched', claimId: 'c1' });
  });
});

describe('matching service payments to claim lines', () => {
  it('matches by REF*6R whatever the order of the service payments', () => {
    const claim = claimOf({ pcn: 'P', lines: [{ code: 'G0439', charge: 100, lineControlNumber: 'L1' }, { code: 'G0402', charge: 200, lineControlNumber: 'L2' }] });
    const payment = paymentOf({ pcn: 'P', lines: [{ code: 'G0402', charge: 200, paid: 200, lineControlNumber: 'l2' }, { code: 'G0439', charge: 100, paid: 100, lineControlNumber: 'L1' }] });
    expect(matchServiceLines(payment, claim)).toEqual([
      { line: 2, matchedBy: 'control-number' },
      { line: 1, matchedBy: 'control-number' },
    ]);
  });

  it('matches by procedure when the payer dropped a billed modifier and REF*6R, the charge telling same codes apart', () => {
    const claim = claimOf({
      pcn: 'P',
      lines: [
        { code: 'A4253', modifiers: ['KX'], charge: 7652, date: '2026-02-15' },
        { code: 'A4253', modifiers: ['KX'], charge: 7844, date: '2026-02-14' },
        { code: 'L3908', modifiers: ['RT'], charge: 7657, date: '2026-02-15' },
      ],
    });
    const payment = paymentOf({
      pcn: 'P',
      lines: [
        { code: 'A4253', charge: 7844, paid: 5800, adjustments: [['CO', '45', 2044]] },
        { code: 'L3908', charge: 7657, paid: 0, adjustments: [['CO', '197', 7657]] },
        { code: 'A4253', charge: 7652, paid: 5800, adjustments: [['CO', '45', 1852]] },
      ],
    });
    expect(matchServiceLines(payment, claim)).toEqual([
      { line: 2, matchedBy: 'procedure' },
      { line: 3, matchedBy: 'procedure' },
      { line: 1, matchedBy: 'procedure' },
    ]);
  });

  it('prefers the line with the same modifiers, then the same date, among lines of one code', () => {
    const claim = claimOf({
      pcn: 'P',
      lines: [
        { code: 'J1100', charge: 500, date: '2026-06-19' },
        { code: 'J1100', modifiers: ['JW'], charge: 500, date: '2026-06-20' },
        { code: 'J1100', charge: 500, date: '2026-06-20' },
      ],
    });
    const payment = paymentOf({ pcn: 'P', lines: [{ code: 'J1100', charge: 500, paid: 500, date: '2026-06-20' }, { code: 'J1100', modifiers: ['JW'], charge: 500, paid: 0 }] });
    expect(matchServiceLines(payment, claim)).toEqual([
      { line: 3, matchedBy: 'procedure' },
      { line: 2, matchedBy: 'procedure' },
    ]);
  });

  it('uses the submitted procedure (SVC06) of a recoded line, and the revenue code of an NU line', () => {
    const claim = claimOf({ pcn: 'P', lines: [{ code: 'G0439', charge: 13002 }, { code: '', revenueCode: '0250', charge: 4430 }] });
    const payment = paymentOf({
      pcn: 'P',
      lines: [
        { code: 'G0438', originalCode: 'G0439', charge: 13002, paid: 9000, adjustments: [['CO', '45', 4002]] },
        { qualifier: 'NU', code: '0250', charge: 4430, paid: 3500, adjustments: [['CO', '45', 930]] },
      ],
    });
    expect(matchServiceLines(payment, claim)).toEqual([
      { line: 1, matchedBy: 'procedure' },
      { line: 2, matchedBy: 'procedure' },
    ]);
  });

  it('falls back to the position when the charge agrees, and leaves the rest unmatched', () => {
    const claim = claimOf({ pcn: 'P', lines: [{ code: 'G0008', charge: 2621 }, { code: 'G0009', charge: 2521 }] });
    // A modifier the provider never billed is not "dropped": no procedure match, the position (same charge) takes it.
    const payment = paymentOf({ pcn: 'P', lines: [{ code: 'G0008', modifiers: ['GY'], charge: 2621, paid: 0 }, { code: 'G0010', charge: 999, paid: 0 }] });
    expect(matchServiceLines(payment, claim)).toEqual([{ line: 1, matchedBy: 'position' }, { matchedBy: 'unmatched' }]);
  });

  it('tells two decisions apart field by field', () => {
    const a = { kind: 'matched' as const, claimId: 'c1', matchedBy: 'patient-control-number' as const, lines: [{ line: 1, matchedBy: 'procedure' as const }] };
    expect(sameMatch(a, { matchedBy: 'patient-control-number', lines: [{ matchedBy: 'procedure', line: 1 }], claimId: 'c1', kind: 'matched' })).toBe(true);
    expect(sameMatch(a, { ...a, lines: [{ line: 2, matchedBy: 'procedure' }] })).toBe(false);
    expect(sameMatch(a, { kind: 'unmatched', reason: 'no-claim', candidates: 0 })).toBe(false);
  });
});
