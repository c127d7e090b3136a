/**
 * The scrubber: which rules apply to which claim and line (payer, effective dates, versions), and the
 * shape of its findings (rule id and kind, severity, message, claim, line, location, CARC, queue).
 */
import type { Claim } from '../../schemas/claim.schema.ts';
import { InMemoryClaimHistory, type ClaimHistory } from '../../src/rules/history.ts';
import { compileRuleSet, holdsClaim, scrub } from '../../src/rules/scrub.ts';
import { claim, findingsOf, rule, testCodeSets } from './rules-fixtures.ts';

const overLimit = (date: string, units = 5) => claim({ lines: [{ code: 'J1100', date, units }] });
const limitOf = (maxUnits: number, spec: Parameters<typeof rule>[2]) => rule('units-limit', { limits: [{ code: 'J1100', maxUnits }] }, spec);

describe('effective dates', () => {
  test('a rule that ends the day before the date of service does not apply; one that ends on it does', async () => {
    const ended = limitOf(2, { to: '2026-03-01' });
    expect(await findingsOf(overLimit('2026-03-02'), [ended])).toEqual([]);
    expect(await findingsOf(overLimit('2026-03-01'), [ended])).toHaveLength(1);
  });

  test('a rule that starts after the date of service does not apply', async () => {
    expect(await findingsOf(overLimit('2026-03-02'), [limitOf(2, { from: '2026-03-03' })])).toEqual([]);
    expect(await findingsOf(overLimit('2026-03-03'), [limitOf(2, { from: '2026-03-03' })])).toHaveLength(1);
  });

  test('each line is judged by the highest version in effect on its own date', async () => {
    const v1 = limitOf(2, { id: 'units', version: 1, from: '2025-01-01' });
    const v2 = limitOf(6, { id: 'units', version: 2, from: '2026-03-01' });
    const target = claim({ lines: [{ code: 'J1100', date: '2026-02-28', units: 5 }, { code: 'J1100', date: '2026-03-01', units: 5 }] });
    const findings = await findingsOf(target, [v2, v1]);
    expect(findings.map((f) => [f.line, f.ruleId])).toEqual([[1, 'units']]);
    expect(findings[0]!.message).toContain('limit of 2');
  });

  test('a version that ended leaves the lower version in effect after it', async () => {
    const v1 = limitOf(2, { id: 'units', version: 1, from: '2025-01-01' });
    const v2 = limitOf(6, { id: 'units', version: 2, from: '2026-01-01', to: '2026-02-28' });
    expect(await findingsOf(overLimit('2026-02-28'), [v1, v2])).toEqual([]);
    expect(await findingsOf(overLimit('2026-03-01'), [v1, v2])).toHaveLength(1);
  });
});

describe('payers', () => {
  test("a claim sees its payer's rules and the every-payer rules, not another payer's", async () => {
    const rules = [limitOf(2, { id: 'all', payer: '*' }), limitOf(3, { id: 'ppo', payer: 'TESTPPO01' }), limitOf(1, { id: 'hmo', payer: 'TESTHMO01' })];
    const findings = await findingsOf(overLimit('2026-03-02'), rules);
    expect(findings.map((f) => f.ruleId).sort()).toEqual(['all', 'ppo']);
    const hmo = claim({ payerId: 'TESTHMO01', lines: [{ code: 'J1100', date: '2026-03-02', units: 5 }] });
    expect((await findingsOf(hmo, rules)).map((f) => f.ruleId).sort()).toEqual(['all', 'hmo']);
  });
});

describe('findings', () => {
  test('carry rule id and kind, severity, claim, line, location, CARC and queue; rule settings override the kind', async () => {
    const [plain] = await findingsOf(overLimit('2026-03-02'), [limitOf(2, { id: 'plain' })]);
    expect(plain).toEqual({
      origin: 'rule',
      code: 'units-limit',
      ruleId: 'plain',
      severity: 'reject',
      message: 'Procedure J1100 is billed with more units on the line than the limit of 2',
      claimRef: 'PCN0001',
      line: 1,
      location: expect.objectContaining({ loop: '2400', segment: 'SV1', element: 4 }),
      preventsCarc: '151',
      queue: 'coding',
    });
    const [custom] = await findingsOf(overLimit('2026-03-02'), [limitOf(2, { id: 'custom', severity: 'warn', message: 'Too many units: check the dose', preventsCarc: '152', queue: 'clinical' })]);
    expect(custom).toMatchObject({ severity: 'warn', message: 'Too many units: check the dose', preventsCarc: '152', queue: 'clinical' });
  });

  test('a reject holds the claim, a warn does not', async () => {
    expect(holdsClaim(await findingsOf(overLimit('2026-03-02'), [limitOf(2, { severity: 'warn' })]))).toBe(false);
    expect(holdsClaim(await findingsOf(overLimit('2026-03-02'), [limitOf(2, { severity: 'reject' })]))).toBe(true);
  });

  test('claim-level findings come first, then by line', async () => {
    const rules = [limitOf(2, {}), rule('required-data', { fields: [{ path: 'references.priorAuthorization' }] })];
    const target = claim({ lines: [{ code: 'J1100', date: '2026-03-02', units: 1 }, { code: 'J1100', date: '2026-03-02', units: 5 }] });
    expect((await findingsOf(target, rules)).map((f) => [f.code, f.line])).toEqual([
      ['required-data', undefined],
      ['units-limit', 2],
    ]);
  });

  test('a rule whose evaluation fails is reported as a warning and the other rules still run', async () => {
    const failing: ClaimHistory = {
      servicesFor: () => Promise.reject(new Error('table unreachable')),
      claimsLike: () => Promise.reject(new Error('table unreachable')),
    };
    const rules = [rule('frequency-limit', { limits: [{ procedures: ['J1100'], max: 1, period: 'calendar-year' }] }), limitOf(2, {})];
    const findings = await scrub(overLimit('2026-03-02'), compileRuleSet(rules), testCodeSets, failing);
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'frequency-limit', severity: 'warn', queue: 'exceptions', message: expect.stringContaining('could not be evaluated') }),
        expect.objectContaining({ code: 'units-limit', severity: 'reject' }),
      ]),
    );
    expect(findings.some((f) => f.message.includes('table unreachable'))).toBe(false);
  });
});

describe('compiled rule sets', () => {
  test('compile once, scrub many claims; fee schedules and appeal windows are kept but are not edits', async () => {
    const ruleSet = compileRuleSet([limitOf(2, {}), rule('appeal-window', { days: 60 }), rule('fee-schedule', { entries: [{ code: 'J1100', allowed: 100 }] })]);
    expect(ruleSet.rules).toHaveLength(3);
    expect(ruleSet.byKind.get('fee-schedule')).toHaveLength(1);
    expect(ruleSet.byPayer.get('*')).toHaveLength(1);
    const claims: Claim[] = Array.from({ length: 20 }, (_, i) => claim({ patientControlNumber: `P${i}`, clmOrdinal: 10 + i, lines: [{ code: 'J1100', date: '2026-03-02', units: i % 4 }] }));
    const history = InMemoryClaimHistory.of(claims);
    let held = 0;
    for (const c of claims) if (holdsClaim(await scrub(c, ruleSet, testCodeSets, history))) held++;
    expect(held).toBe(5);
  });
});
