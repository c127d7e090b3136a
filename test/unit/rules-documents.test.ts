/**
 * Rule documents: the schema accepts each kind, normalizes codes, and names the document, the rule id
 * and the field of every error; the sample rule sets in events/rules all parse.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  formatRuleDocumentError,
  isClaimFieldPath,
  parseRuleDocuments,
  PayerRuleSchema,
  RULE_KINDS,
  ruleDocumentsInFile,
  type PayerRule,
  type RuleDocumentError,
} from '../../schemas/payer-rule.schema.ts';
import { ruleKinds } from '../../src/rules/kinds/index.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const rulesDirectory = join(repoRoot, 'events/rules');

const base = { payer: 'TESTPPO01', version: 1, effective: { from: '2026-01-01' }, severity: 'reject' };

function errorsOf(docs: unknown[], source = 'acme.json'): RuleDocumentError[] {
  const result = parseRuleDocuments(docs, source);
  if (!('errors' in result)) throw new Error('expected errors');
  return result.errors;
}

describe('parseRuleDocuments', () => {
  test('accepts valid documents and normalizes codes (upper case, ICD-10-CM without its dot)', () => {
    const result = parseRuleDocuments(
      [
        { ...base, id: 'pairs', kind: 'procedure-pair', params: { pairs: [{ column1: 'g0438', column2: ' G0439 ', modifierIndicator: 0 }] } },
        { ...base, id: 'lcd', kind: 'diagnosis-requirement', params: { requirements: [{ procedures: ['A4253'], diagnoses: ['e11.9', 'O24*'] }] } },
        { ...base, id: 'npi', kind: 'npi-check-digit' },
      ],
      'acme.json',
    );
    expect('rules' in result).toBe(true);
    const rules = (result as { rules: PayerRule[] }).rules;
    expect(rules.map((r) => r.id)).toEqual(['pairs', 'lcd', 'npi']);
    const pairs = rules[0]!;
    expect(pairs.kind === 'procedure-pair' && pairs.params.pairs[0]).toEqual({ column1: 'G0438', column2: 'G0439', modifierIndicator: 0 });
    const lcd = rules[1]!;
    expect(lcd.kind === 'diagnosis-requirement' && lcd.params.requirements[0]!.diagnoses).toEqual(['E119', 'O24*']);
    // A kind whose params are all optional may leave params out.
    expect(rules[2]!.params).toEqual({});
  });

  test('every error names the document, the rule id and the field', () => {
    const errors = errorsOf([
      { ...base, id: 'good', kind: 'timely-filing', params: { days: 90 } },
      { ...base, id: 'bad-days', kind: 'timely-filing', params: { days: -3 } },
      { ...base, id: 'bad-pair', kind: 'procedure-pair', params: { pairs: [{ column1: 'J1100', column2: 'J 1', modifierIndicator: 2 }] } },
      { ...base, id: 'bad-range', kind: 'appeal-window', effective: { from: '2026-05-01', to: '2026-04-30' }, params: { days: 60 } },
    ]);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ document: 'acme.json[1]', index: 1, ruleId: 'bad-days', path: 'params.days' }),
        expect.objectContaining({ document: 'acme.json[2]', ruleId: 'bad-pair', path: 'params.pairs[0].column2' }),
        expect.objectContaining({ document: 'acme.json[2]', ruleId: 'bad-pair', path: 'params.pairs[0].modifierIndicator' }),
        expect.objectContaining({ document: 'acme.json[3]', ruleId: 'bad-range', path: 'effective.to' }),
      ]),
    );
    // The valid document is not reported, and nothing is returned with the errors (all or nothing).
    expect(errors.some((e) => e.index === 0)).toBe(false);
    expect(formatRuleDocumentError(errors.find((e) => e.ruleId === 'bad-days')!)).toMatch(/^acme\.json\[1\] \(rule bad-days\) params\.days: /);
  });

  test('an unknown or missing kind lists the kinds, and the base fields are still checked', () => {
    const errors = errorsOf([{ ...base, id: 'x', kind: 'prior-auth', version: 0, params: {} }, { severity: 'reject' }]);
    const unknownKind = errors.find((e) => e.index === 0 && e.path === 'kind')!;
    expect(unknownKind.message).toContain('unknown kind');
    expect(unknownKind.message).toContain('prior-authorization');
    expect(errors).toContainEqual(expect.objectContaining({ index: 0, ruleId: 'x', path: 'version' }));
    expect(errors).toContainEqual(expect.objectContaining({ index: 1, path: 'kind', message: expect.stringContaining('kind is missing') }));
    expect(errors).toContainEqual(expect.objectContaining({ index: 1, path: 'id' }));
    expect(errors.find((e) => e.index === 1)!.ruleId).toBeUndefined();
  });

  test('misspelled fields are errors, not ignored', () => {
    const errors = errorsOf([{ ...base, id: 'typo', kind: 'units-limit', params: { limits: [{ code: 'J1100', maxUnit: 3 }] } }]);
    expect(errors).toContainEqual(expect.objectContaining({ path: 'params.limits[0]', message: expect.stringContaining('maxUnit') }));
    expect(errors).toContainEqual(expect.objectContaining({ path: 'params.limits[0].maxUnits' }));
  });

  test('required-data paths must name a field of the claim model', () => {
    const errors = errorsOf([
      { ...base, id: 'req', kind: 'required-data', params: { fields: [{ path: 'references.priorAuthorization' }, { path: 'references.priorAuth' }, { path: 'lines.dates.service' }] } },
    ]);
    expect(errors.map((e) => e.path)).toEqual(['params.fields[1].path', 'params.fields[2].path']);
    expect(isClaimFieldPath('lines[].dates.service')).toBe(true);
    expect(isClaimFieldPath('patient.birthDate')).toBe(true);
    expect(isClaimFieldPath('providers[].npi')).toBe(true);
    expect(isClaimFieldPath('lines[].procedure.code')).toBe(true);
    expect(isClaimFieldPath('payer[].id')).toBe(false);
  });

  test('a payer, id and version repeated in one source is an error', () => {
    const rule = { ...base, id: 'tf', kind: 'timely-filing', params: { days: 90 } };
    const errors = errorsOf([rule, { ...rule, params: { days: 120 } }, { ...rule, version: 2 }]);
    expect(errors).toEqual([expect.objectContaining({ document: 'acme.json[1]', ruleId: 'tf', path: 'version', message: expect.stringContaining('acme.json[0]') })]);
  });

  test('files hold one document, an array, or {rules: [...]}', () => {
    const one = { ...base, id: 'a', kind: 'npi-check-digit' };
    expect(ruleDocumentsInFile(one)).toEqual([one]);
    expect(ruleDocumentsInFile([one, one])).toHaveLength(2);
    expect(ruleDocumentsInFile({ description: 'x', rules: [one] })).toEqual([one]);
  });

  test('every kind of the schema has a module, and the module uses the schema\'s params', () => {
    expect(Object.keys(ruleKinds).sort()).toEqual([...RULE_KINDS].sort());
    expect(RULE_KINDS).toHaveLength(13);
    for (const kind of RULE_KINDS) expect(ruleKinds[kind].kind).toBe(kind);
  });
});

describe('sample rule sets (events/rules)', () => {
  const files = readdirSync(rulesDirectory).filter((f) => f.endsWith('.json')).sort();
  const parsed = files.map((file) => {
    const result = parseRuleDocuments(ruleDocumentsInFile(JSON.parse(readFileSync(join(rulesDirectory, file), 'utf8'))), file);
    return { file, result };
  });
  const rules = parsed.flatMap(({ result }) => ('rules' in result ? result.rules : []));

  test('all parse', () => {
    for (const { file, result } of parsed) expect({ file, errors: 'errors' in result ? result.errors.map(formatRuleDocumentError) : [] }).toEqual({ file, errors: [] });
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  test('cover three or more payers plus *, differing in the kinds the issue names', () => {
    const payers = new Set(rules.map((r) => r.payer));
    expect(payers.has('*')).toBe(true);
    expect([...payers].filter((p) => p !== '*').length).toBeGreaterThanOrEqual(3);
    const paramsOf = (kind: string): Map<string, string> => {
      const byPayer = new Map<string, string>();
      for (const r of rules) if (r.kind === kind && r.payer !== '*') byPayer.set(r.payer, JSON.stringify(r.params));
      return byPayer;
    };
    for (const kind of ['timely-filing', 'prior-authorization', 'fee-schedule', 'procedure-pair', 'units-limit', 'age-sex']) {
      const byPayer = paramsOf(kind);
      expect({ kind, payers: byPayer.size >= 3 }).toEqual({ kind, payers: true });
      expect(new Set(byPayer.values()).size).toBeGreaterThanOrEqual(2);
    }
  });

  test('use only HCPCS Level II or fictional procedure codes (no CPT or CDT)', () => {
    const codes = new Set<string>();
    const collect = (value: unknown, key?: string): void => {
      if (Array.isArray(value)) value.forEach((v) => collect(v, key));
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) collect(v, k);
      else if (typeof value === 'string' && key !== undefined && ['code', 'column1', 'column2', 'procedures'].includes(key)) codes.add(value);
    };
    for (const r of rules) collect(r.params);
    expect(codes.size).toBeGreaterThan(10);
    for (const code of codes) expect(code).toMatch(/^[A-CE-V][0-9]{0,4}\*?$/);
  });

  test('round-trip through the schema unchanged (what the store exports re-imports)', () => {
    for (const r of rules) expect(PayerRuleSchema.parse(JSON.parse(JSON.stringify(r)))).toEqual(r);
  });
});
