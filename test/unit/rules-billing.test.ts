/**
 * The billing-queue kinds and the two look-up kinds: NPI check digit, required data, prior
 * authorization, timely filing, duplicate claims, fee schedule, appeal window.
 */
import { appealDeadline, expectedAllowed } from '../../src/rules/kinds/index.ts';
import { InMemoryClaimHistory } from '../../src/rules/history.ts';
import { isValidNpi, npiCheckDigit } from '../../src/rules/npi.ts';
import { claim, findingsOf, rule, BILLING_NPI } from './rules-fixtures.ts';

describe('npi-check-digit', () => {
  test('Luhn with the 80840 prefix', () => {
    // The CMS worked example: 123456789 → check digit 3.
    expect(npiCheckDigit('123456789')).toBe(3);
    expect(isValidNpi('1234567893')).toBe(true);
    expect(isValidNpi('1234567890')).toBe(false);
    expect(isValidNpi('123456789')).toBe(false);
    expect(isValidNpi('12345678935')).toBe(false);
    expect(isValidNpi('12345678a3')).toBe(false);
  });

  test('every NPI on the claim is checked: billing, claim providers, line providers', async () => {
    const npiRule = rule('npi-check-digit', undefined);
    expect(await findingsOf(claim(), [npiRule])).toEqual([]);

    const target = claim({ billingNpi: '1234567890', lines: [{ code: 'J1100', date: '2026-03-02', renderingNpi: '1999999999' }] });
    target.providers = [{ role: 'referring', entityType: '1', npi: '1111111111' }, { role: 'rendering', entityType: '1', npi: BILLING_NPI }];
    target.sources['providers.0.npi'] = { ordinal: 30, offset: 900, loop: '2310A', segment: 'NM1', element: 9 };
    const findings = await findingsOf(target, [npiRule]);
    expect(findings.map((f) => [f.line ?? 0, f.message.split(' NPI')[0]])).toEqual([
      [0, "The billing provider's"],
      [0, "The referring provider's"],
      [1, "The line's rendering provider's"],
    ]);
    expect(findings[1]!.location).toMatchObject({ loop: '2310A', segment: 'NM1', element: 9 });
    expect(findings.every((f) => f.queue === 'billing')).toBe(true);
    // The NPI itself is not quoted.
    expect(findings.some((f) => f.message.includes('1234567890'))).toBe(false);
  });

  test('roles can be limited per rule', async () => {
    const billingOnly = rule('npi-check-digit', { roles: ['lineProviders'] });
    expect(await findingsOf(claim({ billingNpi: '1234567890' }), [billingOnly])).toEqual([]);
  });
});

describe('required-data', () => {
  const required = rule('required-data', {
    fields: [{ path: 'references.priorAuthorization', label: 'the prior authorization number' }, { path: 'lines[].dates.service' }, { path: 'patient.birthDate' }],
  });

  test('present fields pass', async () => {
    expect(await findingsOf(claim({ priorAuthorization: 'AUTH1' }), [required])).toEqual([]);
  });

  test('a missing claim field is reported on the claim, a missing line field on each line lacking it', async () => {
    const target = claim({ birthDate: undefined, lines: [{ code: 'J1100', date: '2026-03-02' }, { code: 'J1100' }, { code: 'J0696' }] });
    const findings = await findingsOf(target, [required]);
    expect(findings.map((f) => [f.line ?? 0, f.message])).toEqual([
      [0, 'The claim lacks the prior authorization number, which this payer requires'],
      [0, 'The claim lacks patient.birthDate, which this payer requires'],
      [2, 'The line lacks lines[].dates.service, which this payer requires'],
      [3, 'The line lacks lines[].dates.service, which this payer requires'],
    ]);
    expect(findings[0]!.location).toMatchObject({ segment: 'CLM', loop: '2300' });
    expect(findings[2]!.location).toMatchObject({ segment: 'LX', loop: '2400' });
  });

  test('claimTypes limits the rule', async () => {
    const onlyInstitutional = rule('required-data', { fields: [{ path: 'references.priorAuthorization' }], claimTypes: ['I'] });
    expect(await findingsOf(claim(), [onlyInstitutional])).toEqual([]);
  });
});

describe('prior-authorization', () => {
  const priorAuth = rule('prior-authorization', { procedures: ['E0143', 'L*'] });

  test('listed codes need REF*G1 on the claim or the line', async () => {
    expect(await findingsOf(claim({ lines: [{ code: 'J1100', date: '2026-03-02' }] }), [priorAuth])).toEqual([]);
    expect(await findingsOf(claim({ priorAuthorization: 'AUTH9', lines: [{ code: 'E0143', date: '2026-03-02' }] }), [priorAuth])).toEqual([]);
    expect(await findingsOf(claim({ lines: [{ code: 'L3908', date: '2026-03-02', priorAuthorization: 'AUTH3' }] }), [priorAuth])).toEqual([]);
    const missing = await findingsOf(claim({ lines: [{ code: 'J1100', date: '2026-03-02' }, { code: 'L3908', date: '2026-03-02' }] }), [priorAuth]);
    expect(missing).toEqual([expect.objectContaining({ line: 2, code: 'prior-authorization', queue: 'billing', preventsCarc: '197' })]);
  });
});

describe('timely-filing', () => {
  const timely = rule('timely-filing', { days: 90, correctedClaimDays: 180 });

  test('received on the last day passes; a day later is late; no receipt date, no judgement', async () => {
    const target = claim({ lines: [{ code: 'J1100', date: '2026-01-01' }, { code: 'J1100', date: '2026-02-01' }] });
    expect(await findingsOf(target, [timely], { receivedOn: '2026-04-01' })).toEqual([]);
    const late = await findingsOf(target, [timely], { receivedOn: '2026-04-02' });
    expect(late).toEqual([expect.objectContaining({ line: 1, code: 'timely-filing', preventsCarc: '29', queue: 'billing' })]);
    expect(late[0]!.message).not.toMatch(/2026/);
    expect(await findingsOf(target, [timely])).toEqual([]);
  });

  test('replacement claims get the corrected-claim limit', async () => {
    const replacement = claim({ frequency: '7', lines: [{ code: 'J1100', date: '2026-01-01' }] });
    expect(await findingsOf(replacement, [timely], { receivedOn: '2026-06-01' })).toEqual([]);
  });

  test('837I is judged once, on the statement through date', async () => {
    const institutional = claim({ type: 'I', statement: { from: '2026-01-01', to: '2026-01-10' }, lines: [{ revenueCode: '0450', date: '2026-01-01' }, { revenueCode: '0250', date: '2026-01-02' }] });
    expect(await findingsOf(institutional, [timely], { receivedOn: '2026-04-10' })).toEqual([]);
    expect(await findingsOf(institutional, [timely], { receivedOn: '2026-04-11' })).toEqual([expect.objectContaining({ code: 'timely-filing' })]);
  });
});

describe('duplicate-claim', () => {
  const duplicates = rule('duplicate-claim', undefined);
  const lineDuplicates = rule('duplicate-claim', { lines: true, sameCharges: false }, { id: 'lines' });
  const first = claim({ patientControlNumber: 'A1', clmOrdinal: 20, lines: [{ code: 'J1100', date: '2026-03-02', units: 2 }, { code: 'J0696', date: '2026-03-02' }] });

  test('the later of two identical claims is the duplicate', async () => {
    const second = claim({ patientControlNumber: 'A2', clmOrdinal: 60, lines: [{ code: 'J0696', date: '2026-03-02' }, { code: 'J1100', date: '2026-03-02', units: 2 }] });
    const history = InMemoryClaimHistory.of([first, second]);
    expect(await findingsOf(first, [duplicates], { history })).toEqual([]);
    expect(await findingsOf(second, [duplicates], { history })).toEqual([expect.objectContaining({ code: 'duplicate-claim', preventsCarc: '18', queue: 'billing' })]);
  });

  test('another patient, other services, a replacement, or different charges: not a duplicate', async () => {
    const otherPatient = claim({ patientControlNumber: 'B', clmOrdinal: 60, memberId: 'MEMBER0002', lines: [{ code: 'J1100', date: '2026-03-02', units: 2 }, { code: 'J0696', date: '2026-03-02' }] });
    const otherServices = claim({ patientControlNumber: 'C', clmOrdinal: 61, lines: [{ code: 'J1100', date: '2026-03-02', units: 3 }, { code: 'J0696', date: '2026-03-02' }] });
    const replacement = claim({ patientControlNumber: 'D', clmOrdinal: 62, frequency: '7', lines: [{ code: 'J1100', date: '2026-03-02', units: 2 }, { code: 'J0696', date: '2026-03-02' }] });
    const otherCharges = claim({ patientControlNumber: 'E', clmOrdinal: 63, lines: [{ code: 'J1100', date: '2026-03-02', units: 2, charge: 1 }, { code: 'J0696', date: '2026-03-02' }] });
    const history = InMemoryClaimHistory.of([first, otherPatient, otherServices, replacement, otherCharges]);
    for (const later of [otherPatient, otherServices, replacement, otherCharges]) {
      expect({ claim: later.patientControlNumber, findings: await findingsOf(later, [duplicates], { history }) }).toEqual({ claim: later.patientControlNumber, findings: [] });
    }
  });

  test('with lines: true, a line billed again on another claim is reported', async () => {
    const partial = claim({ patientControlNumber: 'F', clmOrdinal: 70, lines: [{ code: 'J0696', date: '2026-03-02' }, { code: 'G0444', date: '2026-03-02' }] });
    const history = InMemoryClaimHistory.of([first, partial]);
    expect(await findingsOf(partial, [lineDuplicates], { history })).toEqual([expect.objectContaining({ line: 1, code: 'duplicate-claim' })]);
  });
});

describe('fee-schedule and appeal-window (look-ups, not claim edits)', () => {
  const ppoFees = rule('fee-schedule', { entries: [{ code: 'E0143', allowed: 11900 }, { code: 'E0143', modifiers: ['RR'], allowed: 1190 }, { code: 'J1100', allowed: 120 }] }, { payer: 'TESTPPO01', id: 'fees', from: '2026-01-01' });
  const everyFees = rule('fee-schedule', { entries: [{ code: 'J1100', allowed: 100 }, { code: 'G0444', allowed: 1800 }] }, { id: 'fees-all' });

  test('expected allowed: the most specific entry, the payer\'s schedule before *\'s, only in effect', () => {
    const rules = [everyFees, ppoFees];
    expect(expectedAllowed(rules, 'E0143', ['RR', 'KX'], '2026-03-02')).toMatchObject({ perUnit: 1190, ruleId: 'fees', modifiers: ['RR'] });
    expect(expectedAllowed(rules, 'E0143', ['NU'], '2026-03-02')).toMatchObject({ perUnit: 11900, modifiers: [] });
    expect(expectedAllowed(rules, 'J1100', [], '2026-03-02', 4)).toMatchObject({ perUnit: 120, total: 480, ruleId: 'fees' });
    expect(expectedAllowed(rules, 'J1100', [], '2025-12-31')).toMatchObject({ perUnit: 100, ruleId: 'fees-all' });
    expect(expectedAllowed(rules, 'G0444', [], '2026-03-02')).toMatchObject({ perUnit: 1800 });
    expect(expectedAllowed(rules, 'A4253', [], '2026-03-02')).toBeUndefined();
  });

  test('appeal deadline: days from the remittance, the payer\'s window before *\'s', () => {
    const hmo = rule('appeal-window', { days: 60 }, { payer: 'TESTHMO01', id: 'hmo-appeal' });
    const every = rule('appeal-window', { days: 180 }, { id: 'all-appeal' });
    expect(appealDeadline([every, hmo], '2026-04-10')).toEqual({ deadline: '2026-06-09', days: 60, ruleId: 'hmo-appeal' });
    expect(appealDeadline([every], '2026-04-10')).toEqual({ deadline: '2026-10-07', days: 180, ruleId: 'all-appeal' });
    expect(appealDeadline([], '2026-04-10')).toBeUndefined();
  });

  test('the scrubber produces no findings from them', async () => {
    expect(await findingsOf(claim(), [ppoFees, rule('appeal-window', { days: 60 })])).toEqual([]);
  });
});
