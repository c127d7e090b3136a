/**
 * The 999 names the claim a segment error lies in (CTX with CLM01), so the submitter can find it; the
 * claim reference never reaches the CLI's JSON.
 */
import { buildAcknowledgments } from '../../src/x12/acks.ts';
import { tokenizeSync } from '../../src/x12/tokenizer.ts';
import { validateX12 } from '../../src/x12/validate.ts';
import { withoutBadValues } from '../../src/cli/check.ts';
import { BODY_837P, interchange } from '../support/x12.ts';

describe('999 CTX for claims', () => {
  test('an element error inside a claim gets CTX*CLM01 after its IK3; one outside a claim does not', async () => {
    const body = BODY_837P.map((s) => (s === 'SV1*HC:G0008*100*UN*1***1' ? 'SV1*HC:G0008*1O0*UN*1***1' : s)).map((s) => (s.startsWith('N4*ANYTOWN') ? 'N4*A*PA*171110000' : s));
    const report = await validateX12(interchange([{ id: '837', version: '005010X222A1', body }]));
    const issues = report.interchanges[0]!.groups[0]!.sets[0]!.issues;
    expect(issues.find((i) => i.segmentId === 'SV1')?.context).toEqual({ name: 'CLM01', reference: 'PCN0001' });
    expect(issues.find((i) => i.segmentId === 'N4')?.context).toBeUndefined();

    const [ack] = buildAcknowledgments(report, { nextControlNumber: () => 7, now: new Date('2026-11-21T12:00:00Z') }).filter((a) => a.kind === '999');
    const ids = tokenizeSync(ack!.content).segments.map((s) => s.raw());
    const sv1 = ids.findIndex((s) => s.startsWith('IK3*SV1*'));
    expect(ids[sv1 + 1]).toBe('CTX*CLM01:PCN0001');
    expect(ids[sv1 + 2]).toMatch(/^IK4\*2\*782\*6\*1O0$/);
    const n4 = ids.findIndex((s) => s.startsWith('IK3*N4*'));
    expect(ids[n4 + 1]).toMatch(/^IK4\*/);
    // Our own 999 passes our own 999 map.
    const check = await validateX12(ack!.content);
    expect(check.verdict).toBe('accepted');

    const json = JSON.stringify(withoutBadValues(report));
    expect(json).not.toContain('PCN0001');
    expect(json).not.toContain('1O0');
  });
});

describe('dates read by their format qualifier', () => {
  test('DTP03 and DMG02 must be the dates their D8/RD8 qualifier says (IK403 8)', async () => {
    const swap = (from: string, to: string) => BODY_837P.map((s) => (s === from ? to : s));
    const codes = async (body: string[]) =>
      (await validateX12(interchange([{ id: '837', version: '005010X222A1', body }]))).interchanges[0]!.groups[0]!.sets[0]!.issues.map((i) => `${i.segmentId}${i.element}:${i.code}`);
    expect(await codes(BODY_837P)).toEqual([]);
    // Both lines carry the date: both are reported.
    expect(await codes(swap('DTP*472*D8*20261101', 'DTP*472*D8*20261399'))).toEqual(['DTP3:8', 'DTP3:8']);
    expect(await codes(swap('DTP*472*D8*20261101', 'DTP*472*RD8*20261101-20261130'))).toEqual([]);
    expect(await codes(swap('DTP*472*D8*20261101', 'DTP*472*RD8*20261130-20261101'))).toEqual(['DTP3:8', 'DTP3:8']);
    expect(await codes(swap('DMG*D8*19800101*F', 'DMG*D8*19800231*F'))).toEqual(['DMG2:8']);
  });
});
