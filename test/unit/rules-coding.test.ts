/**
 * The coding-queue kinds: code-set validity, procedure pairs, units limits, diagnosis requirements —
 * each with claims that pass and claims that fail.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CodeSets } from '../../src/rules/codesets/types.ts';
import { claim, findingsOf, rule, RENDERING_NPI, OTHER_RENDERING_NPI } from './rules-fixtures.ts';

describe('code-set-validity', () => {
  const codeSets = rule('code-set-validity', undefined);

  test('a claim with billable diagnoses, active HCPCS codes and modifiers, and a listed place of service passes', async () => {
    const target = claim({ diagnoses: ['E119', 'I10'], lines: [{ code: 'J1100', modifiers: ['KX'], date: '2026-03-02', pointers: [1, 2] }, { code: '99213', date: '2026-03-02', modifiers: ['25'] }] });
    expect(await findingsOf(target, [codeSets])).toEqual([]);
  });

  test('a header code, an unknown code, a terminated and a future HCPCS code, a bad modifier and place of service are rejected', async () => {
    const target = claim({
      diagnoses: ['E11', 'ZZZ99'],
      placeOfService: '68',
      lines: [
        { code: 'G9999', date: '2026-03-02', pointers: [1] },
        { code: 'G0555', date: '2026-03-02', pointers: [2], modifiers: ['ZZ'] },
        { code: 'X12', date: '2026-03-02', pointers: [1] },
      ],
    });
    const findings = await findingsOf(target, [codeSets]);
    const messages = findings.map((f) => [f.line ?? 0, f.message]);
    expect(messages).toEqual(
      expect.arrayContaining([
        [0, expect.stringContaining('Diagnosis E11 is a category')],
        [0, expect.stringContaining('Diagnosis ZZZ99 is not an ICD-10-CM code')],
        [0, expect.stringContaining('Place of service 68')],
        [1, expect.stringContaining('Procedure G9999 was terminated')],
        [2, expect.stringContaining('Procedure G0555 takes effect')],
        [2, expect.stringContaining('Modifier ZZ is not a HCPCS modifier')],
        [3, expect.stringContaining('Procedure X12 is neither')],
      ]),
    );
    expect(findings).toHaveLength(7);
    expect(findings.every((f) => f.severity === 'reject' && f.queue === 'coding' && f.code === 'code-set-validity')).toBe(true);
    const diagnosis = findings.find((f) => f.message.startsWith('Diagnosis E11'))!;
    expect(diagnosis.location).toMatchObject({ segment: 'HI', element: 1 });
    expect(diagnosis.preventsCarc).toBe('146');
    expect(findings.find((f) => f.message.startsWith('Modifier'))!.location).toMatchObject({ segment: 'SV1', element: 1, component: 3 });
  });

  test('CPT and CDT codes and CPT modifiers are checked for format only', async () => {
    const target = claim({ lines: [{ code: '0001U', date: '2026-03-02', pointers: [1], modifiers: ['59'] }, { code: 'D0120', date: '2026-03-02', pointers: [1] }] });
    expect(await findingsOf(target, [codeSets])).toEqual([]);
  });

  test('a date beyond a code set\'s coverage warns that the code set may be out of date, never rejects', async () => {
    // FY2028 is beyond the ICD-10-CM data, and the date beyond the HCPCS release's last quarter.
    const target = claim({ diagnoses: ['S23420A'], lines: [{ code: 'G0555', date: '2027-10-05', pointers: [1] }] });
    const findings = await findingsOf(target, [codeSets]);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.severity === 'warn' && /may be out of date/.test(f.message))).toBe(true);
    expect(new Set(findings.map((f) => f.message)).size).toBe(findings.length);
  });

  test('837I: revenue codes by format; inpatient diagnoses judged on the discharge date', async () => {
    const revenue = claim({ type: 'I', lines: [{ revenueCode: '450', date: '2026-03-02' }, { revenueCode: '0450', date: '2026-03-02' }] });
    const found = await findingsOf(revenue, [codeSets]);
    expect(found.map((f) => [f.line, f.message])).toEqual([[1, 'The revenue code is not four digits']]);
    const badTypeOfBill = claim({ type: 'I', facilityType: '9', lines: [{ revenueCode: '0450', date: '2026-03-02' }] });
    expect((await findingsOf(badTypeOfBill, [codeSets])).map((f) => f.message)).toEqual([expect.stringContaining('type of bill')]);

    // Admitted in FY2026, discharged in FY2027: S23420A no longer exists on the discharge date.
    const inpatient = claim({ type: 'I', facilityType: '11', diagnoses: ['S23420A'], statement: { from: '2026-09-25', to: '2026-10-03' }, lines: [{ revenueCode: '0120', date: '2026-09-25' }] });
    const inpatientFindings = await findingsOf(inpatient, [codeSets]);
    expect(inpatientFindings.map((f) => f.message)).toEqual([expect.stringMatching(/Diagnosis S23420A is not valid in FY2027 \(the discharge date\)/)]);
    const outpatient = claim({ type: 'I', facilityType: '13', diagnoses: ['S23420A'], statement: { from: '2026-09-25', to: '2026-09-30' }, lines: [{ revenueCode: '0450', date: '2026-09-25' }] });
    expect(await findingsOf(outpatient, [codeSets])).toEqual([]);
  });

  test('checks can be chosen per rule', async () => {
    const onlyDiagnoses = rule('code-set-validity', { checks: ['diagnoses'] });
    const target = claim({ diagnoses: ['E11'], lines: [{ code: 'G9999', date: '2026-03-02', pointers: [1] }] });
    expect((await findingsOf(target, [onlyDiagnoses])).map((f) => f.message)).toEqual([expect.stringContaining('Diagnosis E11')]);
  });

  // R1's real code sets: ICD-10-CM FY2024–FY2027 (FY2027 derived from the published changes).
  const realCodeSetsAvailable = existsSync(fileURLToPath(new URL('../../src/rules/codesets/data/manifest.json', import.meta.url)));
  (realCodeSetsAvailable ? test : test.skip)('real code sets: S23.420A is billable in FY2026 and deleted in FY2027, either side of October 1', async () => {
    const { loadCodeSets } = await import('../../src/rules/codesets/index.ts');
    const real: CodeSets = await loadCodeSets();
    const on = (date: string) => claim({ diagnoses: ['S23.420A'], lines: [{ code: 'J1100', date, pointers: [1] }] });
    expect(await findingsOf(on('2026-09-30'), [codeSets], { codeSets: real })).toEqual([]);
    const after = await findingsOf(on('2026-10-01'), [codeSets], { codeSets: real });
    expect(after).toEqual([expect.objectContaining({ severity: 'reject', code: 'code-set-validity', message: expect.stringContaining('not valid in FY2027') })]);
  });
});

describe('procedure-pair', () => {
  const pairs = rule('procedure-pair', {
    pairs: [
      { column1: 'G0438', column2: 'G0439', modifierIndicator: 0 },
      { column1: 'G0444', column2: 'G0442', modifierIndicator: 1 },
      { column1: 'J1100', column2: 'J0696', modifierIndicator: 9 },
      { column1: 'A4253', column2: 'E0143', modifierIndicator: 1, effective: { from: '2026-01-01', to: '2026-06-30' } },
    ],
  });

  test('column 2 billed with column 1 on the same date by the same provider is rejected on the column-2 line', async () => {
    const target = claim({ lines: [{ code: 'G0439', date: '2026-03-02' }, { code: 'G0438', date: '2026-03-02' }] });
    const findings = await findingsOf(target, [pairs]);
    expect(findings).toEqual([
      expect.objectContaining({ code: 'procedure-pair', line: 1, severity: 'reject', queue: 'coding', preventsCarc: '97', location: expect.objectContaining({ segment: 'SV1', element: 1, component: 2 }) }),
    ]);
    expect(findings[0]!.message).toContain('G0439 is not payable with G0438 (line 2)');
  });

  test('different dates, different rendering providers, or only one of the codes: no finding', async () => {
    expect(await findingsOf(claim({ lines: [{ code: 'G0439', date: '2026-03-02' }, { code: 'G0438', date: '2026-03-03' }] }), [pairs])).toEqual([]);
    expect(
      await findingsOf(claim({ lines: [{ code: 'G0439', date: '2026-03-02', renderingNpi: RENDERING_NPI }, { code: 'G0438', date: '2026-03-02', renderingNpi: OTHER_RENDERING_NPI }] }), [pairs]),
    ).toEqual([]);
    expect(await findingsOf(claim({ lines: [{ code: 'G0439', date: '2026-03-02' }, { code: 'G0444', date: '2026-03-02' }] }), [pairs])).toEqual([]);
  });

  test('modifier indicator 0: no modifier bypasses; 1: an NCCI-associated modifier does; 9: never applies', async () => {
    expect(await findingsOf(claim({ lines: [{ code: 'G0439', modifiers: ['59'], date: '2026-03-02' }, { code: 'G0438', date: '2026-03-02' }] }), [pairs])).toHaveLength(1);
    expect(await findingsOf(claim({ lines: [{ code: 'G0442', date: '2026-03-02' }, { code: 'G0444', date: '2026-03-02' }] }), [pairs])).toHaveLength(1);
    expect(await findingsOf(claim({ lines: [{ code: 'G0442', modifiers: ['XU'], date: '2026-03-02' }, { code: 'G0444', date: '2026-03-02' }] }), [pairs])).toEqual([]);
    expect(await findingsOf(claim({ lines: [{ code: 'G0442', modifiers: ['GP'], date: '2026-03-02' }, { code: 'G0444', date: '2026-03-02' }] }), [pairs])).toHaveLength(1);
    expect(await findingsOf(claim({ lines: [{ code: 'J0696', date: '2026-03-02' }, { code: 'J1100', date: '2026-03-02' }] }), [pairs])).toEqual([]);
  });

  test('anatomic modifiers bypass only when the sites differ', async () => {
    const sides = (a: string, b: string) => claim({ lines: [{ code: 'G0442', modifiers: [a], date: '2026-03-02' }, { code: 'G0444', modifiers: [b], date: '2026-03-02' }] });
    expect(await findingsOf(sides('LT', 'RT'), [pairs])).toEqual([]);
    expect(await findingsOf(sides('LT', 'LT'), [pairs])).toHaveLength(1);
  });

  test('the bypass modifiers are configurable per rule', async () => {
    const strict = rule('procedure-pair', { pairs: [{ column1: 'G0444', column2: 'G0442', modifierIndicator: 1 }], bypassModifiers: ['XS'] });
    const withXu = claim({ lines: [{ code: 'G0442', modifiers: ['XU'], date: '2026-03-02' }, { code: 'G0444', date: '2026-03-02' }] });
    expect(await findingsOf(withXu, [strict])).toHaveLength(1);
  });

  test('a pair applies only within its own effective dates', async () => {
    const on = (date: string) => claim({ lines: [{ code: 'E0143', date }, { code: 'A4253', date }] });
    expect(await findingsOf(on('2026-06-30'), [pairs])).toHaveLength(1);
    expect(await findingsOf(on('2026-07-01'), [pairs])).toEqual([]);
  });
});

describe('units-limit', () => {
  const limits = rule('units-limit', { limits: [{ code: 'J1100', maxUnits: 10 }, { code: 'J0696', maxUnits: 4, per: 'date-of-service' }] });

  test('per line: a line over the limit is rejected, a line at it passes', async () => {
    expect(await findingsOf(claim({ lines: [{ code: 'J1100', units: 10, date: '2026-03-02' }] }), [limits])).toEqual([]);
    const over = await findingsOf(claim({ lines: [{ code: 'J1100', units: 10, date: '2026-03-02' }, { code: 'J1100', units: 11, date: '2026-03-02' }] }), [limits]);
    expect(over).toEqual([expect.objectContaining({ line: 2, code: 'units-limit', preventsCarc: '151', location: expect.objectContaining({ segment: 'SV1', element: 4 }) })]);
  });

  test('per date of service: units of one code and date are summed over the lines; the crossing line is reported', async () => {
    const sameDay = claim({ lines: [{ code: 'J0696', units: 2, date: '2026-03-02' }, { code: 'J0696', units: 2, date: '2026-03-02' }, { code: 'J0696', units: 1, date: '2026-03-02' }, { code: 'J0696', units: 4, date: '2026-03-03' }] });
    expect((await findingsOf(sameDay, [limits])).map((f) => f.line)).toEqual([3]);
  });
});

describe('diagnosis-requirement', () => {
  const lcd = rule('diagnosis-requirement', { requirements: [{ procedures: ['A4253'], diagnoses: ['E08*', 'E11*', 'O24.4*'] }] });

  test('a procedure pointing at a supporting diagnosis passes; pointing elsewhere fails', async () => {
    const supported = claim({ diagnoses: ['M25561', 'E119'], lines: [{ code: 'A4253', date: '2026-03-02', pointers: [2, 1] }] });
    expect(await findingsOf(supported, [lcd])).toEqual([]);
    const prefix = claim({ diagnoses: ['O2441'], lines: [{ code: 'A4253', date: '2026-03-02', pointers: [1] }] });
    expect(await findingsOf(prefix, [lcd])).toEqual([]);
    const unsupported = claim({ diagnoses: ['M25561', 'E119'], lines: [{ code: 'A4253', date: '2026-03-02', pointers: [1] }, { code: 'J1100', date: '2026-03-02', pointers: [1] }] });
    expect(await findingsOf(unsupported, [lcd])).toEqual([
      expect.objectContaining({ line: 1, code: 'diagnosis-requirement', queue: 'clinical', preventsCarc: '50', location: expect.objectContaining({ segment: 'SV1', element: 7 }) }),
    ]);
  });

  test('a line without pointers is judged against every diagnosis; medicalNecessity false is a coding edit', async () => {
    const noPointers = claim({ diagnoses: ['M25561', 'E119'], lines: [{ code: 'A4253', date: '2026-03-02' }] });
    expect(await findingsOf(noPointers, [lcd])).toEqual([]);
    const coding = rule('diagnosis-requirement', { requirements: [{ procedures: ['A4253'], diagnoses: ['E11*'] }], medicalNecessity: false });
    const unsupported = claim({ diagnoses: ['M25561'], lines: [{ code: 'A4253', date: '2026-03-02', pointers: [1] }] });
    expect(await findingsOf(unsupported, [coding])).toEqual([expect.objectContaining({ queue: 'coding', preventsCarc: '11' })]);
  });
});
