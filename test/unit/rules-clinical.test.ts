/**
 * The clinical-queue kinds: age and sex edits, frequency limits through the claim-history port.
 */
import { periodOf } from '../../src/rules/kinds/frequency-limit.ts';
import { ageInYears } from '../../src/rules/kinds/dates.ts';
import { InMemoryClaimHistory, patientKey } from '../../src/rules/history.ts';
import { claim, findingsOf, rule } from './rules-fixtures.ts';

describe('age-sex', () => {
  const edits = rule('age-sex', {
    edits: [
      { procedures: ['G0438', 'G0439'], minAge: 18 },
      { procedures: ['J0696'], maxAge: 64 },
      { diagnoses: ['O24*'], sex: 'F', minAge: 10, maxAge: 60 },
    ],
  });

  test('whole years on the date of service', () => {
    expect(ageInYears('2008-03-02', '2026-03-01')).toBe(17);
    expect(ageInYears('2008-03-02', '2026-03-02')).toBe(18);
    expect(ageInYears('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageInYears('2008-02-29', '2026-03-01')).toBe(18);
  });

  test('a procedure for adults: the day before the 18th birthday fails, the birthday passes', async () => {
    const visit = (date: string) => claim({ birthDate: '2008-03-02', lines: [{ code: 'G0439', date }] });
    expect(await findingsOf(visit('2026-03-02'), [edits])).toEqual([]);
    const young = await findingsOf(visit('2026-03-01'), [edits]);
    expect(young).toEqual([expect.objectContaining({ line: 1, code: 'age-sex', queue: 'clinical', preventsCarc: '6' })]);
    expect(young[0]!.message).toContain('aged 18 or older');
    // Neither the birth date nor the age is quoted.
    expect(young[0]!.message).not.toMatch(/2008|17/);
  });

  test('maximum age, and a diagnosis limited by sex and age', async () => {
    expect(await findingsOf(claim({ birthDate: '1950-01-01', lines: [{ code: 'J0696', date: '2026-03-02' }] }), [edits])).toEqual([expect.objectContaining({ preventsCarc: '6' })]);
    const male = await findingsOf(claim({ sex: 'M', diagnoses: ['O2441'] }), [edits]);
    expect(male).toEqual([expect.objectContaining({ preventsCarc: '10', location: expect.objectContaining({ segment: 'HI' }) })]);
    expect(male[0]!.message).toContain('female patients only');
    expect(await findingsOf(claim({ sex: 'F', diagnoses: ['O2441'] }), [edits])).toEqual([]);
  });

  test('unknown sex or no birth date: not judged', async () => {
    expect(await findingsOf(claim({ sex: 'U', diagnoses: ['O2441'] }), [edits])).toEqual([]);
    expect(await findingsOf(claim({ birthDate: undefined, lines: [{ code: 'G0439', date: '2026-03-02' }] }), [edits])).toEqual([]);
  });
});

describe('frequency-limit', () => {
  const yearly = rule('frequency-limit', { limits: [{ procedures: ['G0438', 'G0439'], max: 1, period: 'calendar-year' }] });
  const rolling = rule('frequency-limit', { limits: [{ procedures: ['J1100'], max: 10, period: { rollingDays: 30 }, countUnits: true }] }, { id: 'rolling' });

  test('periods', () => {
    expect(periodOf('2026-02-14', 'calendar-month')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(periodOf('2024-02-14', 'calendar-month')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(periodOf('2026-12-14', 'calendar-month')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(periodOf('2026-02-14', 'calendar-year')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(periodOf('2026-03-02', { rollingDays: 30 })).toEqual({ from: '2026-02-01', to: '2026-03-02' });
  });

  test('the second wellness visit of a year is over the limit, across claims, counted together', async () => {
    const first = claim({ patientControlNumber: 'V1', clmOrdinal: 20, lines: [{ code: 'G0438', date: '2026-02-01' }] });
    const second = claim({ patientControlNumber: 'V2', clmOrdinal: 40, lines: [{ code: 'G0439', date: '2026-11-01' }] });
    const nextYear = claim({ patientControlNumber: 'V3', clmOrdinal: 60, lines: [{ code: 'G0439', date: '2027-01-05' }] });
    const history = InMemoryClaimHistory.of([first, second, nextYear]);
    expect(await findingsOf(first, [yearly], { history })).toEqual([]);
    const over = await findingsOf(second, [yearly], { history });
    expect(over).toEqual([expect.objectContaining({ line: 1, code: 'frequency-limit', queue: 'clinical', preventsCarc: '119' })]);
    expect(over[0]!.message).toContain('counted with G0438');
    expect(await findingsOf(nextYear, [yearly], { history })).toEqual([]);
  });

  test('within one claim, the line that goes over is reported', async () => {
    const both = claim({ lines: [{ code: 'G0439', date: '2026-05-01' }, { code: 'G0438', date: '2026-03-01' }] });
    expect((await findingsOf(both, [yearly])).map((f) => f.line)).toEqual([1]);
  });

  test('units in a rolling window; another patient does not count; voided claims do not count', async () => {
    const earlier = claim({ patientControlNumber: 'R1', clmOrdinal: 20, lines: [{ code: 'J1100', date: '2026-02-10', units: 6 }] });
    const voided = claim({ patientControlNumber: 'R0', clmOrdinal: 10, frequency: '8', lines: [{ code: 'J1100', date: '2026-02-20', units: 9 }] });
    const otherPatient = claim({ patientControlNumber: 'R2', clmOrdinal: 30, memberId: 'OTHER', lines: [{ code: 'J1100', date: '2026-02-20', units: 9 }] });
    const now = claim({ patientControlNumber: 'R3', clmOrdinal: 40, lines: [{ code: 'J1100', date: '2026-03-02', units: 4 }] });
    const later = claim({ patientControlNumber: 'R4', clmOrdinal: 50, lines: [{ code: 'J1100', date: '2026-03-11', units: 1 }] });
    const history = InMemoryClaimHistory.of([voided, earlier, otherPatient, now, later]);
    expect(await findingsOf(now, [rolling], { history })).toEqual([]);
    // 6 (Feb 10) + 4 (Mar 2) + 1 = 11 units within 30 days ending Mar 11.
    expect(await findingsOf(later, [rolling], { history })).toEqual([expect.objectContaining({ code: 'frequency-limit' })]);
  });

  test('the patient key hashes payer, member id, name and birth date; it quotes none of them', () => {
    const a = claim();
    expect(patientKey(a)).toMatch(/^[0-9a-f]{32}$/);
    expect(patientKey(a)).toBe(patientKey(claim({ patientControlNumber: 'other' })));
    expect(patientKey(a)).not.toBe(patientKey(claim({ payerId: 'TESTHMO01' })));
    expect(patientKey(a)).not.toBe(patientKey(claim({ birthDate: '1970-06-16' })));
  });
});
