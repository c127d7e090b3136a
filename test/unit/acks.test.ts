/**
 * TA1 and 999 writers, from hand-built validation reports: exact segments, SE01 counts, and that
 * every file produced reads back through the tokenizer (and, once the 999 map exists, validates).
 */
import { ACK_999_VERSION, build999, buildAcknowledgments, buildTa1, needsTa1, type AcknowledgmentOptions } from '../../src/x12/acks.ts';
import type { X12Issue } from '../../src/x12/issues.ts';
import { findGuide } from '../../src/x12/maps/index.ts';
import type { FunctionalGroupReport, InterchangeReport, TransactionSetReport, ValidationReport } from '../../src/x12/report.ts';
import { tokenizeSync } from '../../src/x12/tokenizer.ts';
import { validateX12 } from '../../src/x12/validate.ts';

// ── Report builders ───────────────────────────────────────────────────────────────────────────

function set(overrides: Partial<TransactionSetReport> = {}): TransactionSetReport {
  return {
    transactionSet: '837',
    control: '0001',
    version: '005010X222A1',
    guide: '837P',
    verdict: 'accepted',
    offset: 171,
    counts: { segments: 40, claims: 1, serviceLines: 2, claimPayments: 0 },
    issues: [],
    ...overrides,
  };
}

function group(overrides: Partial<FunctionalGroupReport> = {}): FunctionalGroupReport {
  return {
    functionalId: 'HC',
    control: '17',
    version: '005010X222A1',
    sender: 'SUBMITAPP',
    receiver: 'PAYERAPP',
    verdict: 'accepted',
    offset: 107,
    declaredSets: 1,
    issues: [],
    sets: [set()],
    ...overrides,
  };
}

function interchange(overrides: Partial<InterchangeReport> = {}): InterchangeReport {
  return {
    control: '000000286',
    senderQualifier: 'ZZ',
    sender: 'SUBMITTER1',
    receiverQualifier: '30',
    receiver: 'PAYER99',
    version: '00501',
    usage: 'T',
    ta1Requested: false,
    verdict: 'accepted',
    offset: 0,
    date: '240102',
    time: '0930',
    issues: [],
    groups: [group()],
    ...overrides,
  };
}

function report(interchanges: InterchangeReport[]): ValidationReport {
  const verdict = interchanges.some((x) => x.verdict === 'rejected') ? 'rejected' : 'accepted';
  return { verdict, bytes: 1000, fileIssues: [], interchanges };
}

function issue(fields: Pick<X12Issue, 'level' | 'code'> & Partial<X12Issue>): X12Issue {
  return { severity: 'error', message: 'test issue', ...fields };
}

/** A fresh counter, as a caller would keep one. */
function options(overrides: Partial<AcknowledgmentOptions> = {}): AcknowledgmentOptions {
  let n = 0;
  return { nextControlNumber: () => ++n, now: new Date(Date.UTC(2024, 2, 5, 14, 7, 33)), ...overrides };
}

/** Our ISA back to the original sender (sender and receiver swapped), for control number `n`. */
function ourIsa(control: string, usage = 'T'): string {
  return `ISA*00*          *00*          *30*PAYER99        *ZZ*SUBMITTER1     *240305*1407*^*00501*${control}*0*${usage}*:`;
}

/** The segments of an X12 text as the tokenizer reads them, each joined with `*` (ISA as written). */
function readBack(content: string): string[] {
  const { segments, issues } = tokenizeSync(content);
  expect(issues).toEqual([]);
  return segments.map((s) => s.elements().join('*'));
}

function lines(content: string): string[] {
  return content.split('~').filter((s) => s !== '');
}

/** SE01 must equal the number of segments from ST to SE inclusive. */
function expectSeCountsRight(content: string): void {
  const segments = tokenizeSync(content).segments;
  const st = segments.findIndex((s) => s.id === 'ST');
  const se = segments.findIndex((s) => s.id === 'SE');
  expect(st).toBeGreaterThanOrEqual(0);
  expect(Number(segments[se]!.element(1))).toBe(se - st + 1);
  expect(segments[se]!.element(2)).toBe(segments[st]!.element(2));
}

// ── 999 ───────────────────────────────────────────────────────────────────────────────────────

describe('build999', () => {
  it('acknowledges an accepted group: AK1, AK2, IK5 A, AK9 A, right SE01', () => {
    // Prepare
    const x = interchange();
    // Act
    const content = build999(x, x.groups[0]!, options());
    // Assess
    expect(lines(content)).toEqual([
      ourIsa('000000001'),
      'GS*FA*PAYERAPP*SUBMITAPP*20240305*1407*2*X*005010X231A1',
      'ST*999*0001*005010X231A1',
      'AK1*HC*17*005010X222A1',
      'AK2*837*0001*005010X222A1',
      'IK5*A',
      'AK9*A*1*1*1',
      'SE*6*0001',
      'GE*1*2',
      'IEA*1*000000001',
    ]);
    expect(readBack(content)).toEqual(lines(content));
    expectSeCountsRight(content);
  });

  it('notes element errors of an accepted-with-errors set under an IK3 with code 8', () => {
    const s = set({
      verdict: 'accepted with errors',
      issues: [
        issue({ level: 'element', code: 'I12', severity: 'warning', segmentId: 'N4', ordinal: 12, loopId: '2010AA', element: 3, elementRef: '116', badValue: '1234' }),
        issue({ level: 'element', code: '7', severity: 'warning', segmentId: 'CLM', ordinal: 20, loopId: '2300', element: 5, component: 3, elementRef: '1325', badValue: '9' }),
      ],
    });
    const x = interchange({ groups: [group({ verdict: 'accepted with errors', sets: [s] })] });

    const content = build999(x, x.groups[0]!, options());

    expect(lines(content).slice(3, -2)).toEqual([
      'AK1*HC*17*005010X222A1',
      'AK2*837*0001*005010X222A1',
      'IK3*N4*12*2010AA*8',
      'IK4*3*116*I12*1234',
      'IK3*CLM*20*2300*8',
      'IK4*5:3*1325*7*9',
      // IK502 is required when IK501 is not A; no set-level code, so "segments in error".
      'IK5*E*5',
      'AK9*E*1*1*1',
      'SE*10*0001',
    ]);
    expectSeCountsRight(content);
  });

  it('rejects one set of two: IK3 with the segment code, its IK4s, IK5 R with the set codes, AK9 P', () => {
    const rejected = set({
      control: '0002',
      verdict: 'rejected',
      issues: [
        issue({ level: 'segment', code: '7', segmentId: 'N4', ordinal: 12, loopId: '2010AA' }),
        issue({ level: 'element', code: '1', segmentId: 'N4', ordinal: 12, loopId: '2010AA', element: 2, elementRef: '156' }),
        issue({ level: 'segment', code: '3', segmentId: 'NM1', ordinal: 9, loopId: '1000A' }),
        issue({ level: 'set', code: '4', segmentId: 'SE', ordinal: 40, element: 1 }),
      ],
    });
    const x = interchange({ groups: [group({ declaredSets: 2, verdict: 'partially accepted', sets: [set(), rejected] })] });

    const content = build999(x, x.groups[0]!, options());

    expect(lines(content).slice(3, -2)).toEqual([
      'AK1*HC*17*005010X222A1',
      'AK2*837*0001*005010X222A1',
      'IK5*A',
      'AK2*837*0002*005010X222A1',
      // In segment-position order, not issue order.
      'IK3*NM1*9*1000A*3',
      'IK3*N4*12*2010AA*7',
      'IK4*2*156*1',
      'IK5*R*4',
      'AK9*P*2*2*1',
      'SE*11*0001',
    ]);
    expectSeCountsRight(content);
  });

  it('rejects a group with its AK905 codes and keeps the set results', () => {
    const x = interchange({
      groups: [
        group({
          verdict: 'rejected',
          declaredSets: 1,
          issues: [issue({ level: 'group', code: '5' }), issue({ level: 'group', code: '4' }), issue({ level: 'group', code: '5' })],
          sets: [set(), set({ control: '0002', verdict: 'rejected', issues: [issue({ level: 'set', code: '3' }), issue({ level: 'set', code: '4' })] })],
        }),
      ],
    });

    const content = build999(x, x.groups[0]!, options());

    expect(lines(content).slice(4, -2)).toEqual(['AK2*837*0001*005010X222A1', 'IK5*A', 'AK2*837*0002*005010X222A1', 'IK5*R*3*4', 'AK9*R*1*2*1*5*4', 'SE*8*0001']);
    expectSeCountsRight(content);
  });

  it('answers for a set whose ST could not be read with what is known, in a valid AK2', async () => {
    const damaged = set({ transactionSet: '', control: '', version: '', guide: undefined, verdict: 'rejected', issues: [issue({ level: 'set', code: '6' }), issue({ level: 'set', code: '7' })] });
    const x = interchange({ groups: [group({ verdict: 'rejected', sets: [damaged] })] });

    const content = build999(x, x.groups[0]!, options());

    // AK201 the transaction set its group (HC) stands for, AK202 zeros: IK5 says both were unusable.
    expect(lines(content)).toContain('AK2*837*0000');
    expect((await validateX12(content)).verdict).toBe('accepted');
    expect(lines(content)).toContain('IK5*R*6*7');
    expect(lines(content)).toContain('AK9*R*1*1*0');
    expect(readBack(content)).toEqual(lines(content));
  });

  it('falls back on the ISA ids for GS02/GS03, and on the set for AK1, when the original GS was unreadable', async () => {
    const orphan = group({ functionalId: '', control: '', version: '', sender: '', receiver: '', verdict: 'rejected', declaredSets: undefined, sets: [set({ verdict: 'rejected', issues: [issue({ level: 'set', code: '18' })] })] });
    const x = interchange({ groups: [orphan] });

    const content = build999(x, orphan, options());

    expect(lines(content)[1]).toBe('GS*FA*PAYER99*SUBMITTER1*20240305*1407*2*X*005010X231A1');
    // AK101 the functional id of the set inside (837: HC), AK102 zero, AK103 the set's version.
    expect(lines(content)).toContain('AK1*HC*0*005010X222A1');
    expect((await validateX12(content)).verdict).toBe('accepted');
    expect(lines(content)).toContain('IK5*R*18');
    expect(lines(content)).toContain('AK9*R*1*1*0');
    expect(readBack(content)).toEqual(lines(content));
  });

  it('writes IK401 with component and repetition, IK404 without delimiters and within 99 characters', () => {
    const s = set({
      verdict: 'rejected',
      issues: [
        issue({ level: 'element', code: '7', segmentId: 'HI', ordinal: 30, loopId: '2300', element: 1, component: 2, repetition: 3, elementRef: '1271', badValue: 'A*B:C^D~E' }),
        issue({ level: 'element', code: '12', segmentId: 'HI', ordinal: 30, loopId: '2300', element: 2, repetition: 13, elementRef: '1271' }),
        issue({ level: 'element', code: '5', segmentId: 'NTE', ordinal: 31, loopId: '2300', element: 2, elementRef: '352', badValue: 'x'.repeat(150) }),
      ],
    });
    const x = interchange({ groups: [group({ verdict: 'rejected', sets: [s] })] });

    const content = build999(x, x.groups[0]!, options());

    const body = lines(content);
    expect(body).toContain('IK4*1:2:3*1271*7*ABCDE');
    expect(body).toContain('IK4*2::13*1271*12');
    expect(body).toContain(`IK4*2*352*5*${'x'.repeat(99)}`);
    expect(body.filter((l) => l.startsWith('IK3*'))).toEqual(['IK3*HI*30*2300*8', 'IK3*NTE*31*2300*8']);
    expect(readBack(content)).toEqual(body);
  });

  it('leaves IK303 empty for the header (no loop) and uses the given parties and line breaks', () => {
    const s = set({ verdict: 'rejected', issues: [issue({ level: 'segment', code: '2', segmentId: 'ZZZ', ordinal: 3, loopId: 'HEADER' })] });
    const x = interchange({ groups: [group({ verdict: 'rejected', sets: [s] })] });

    const content = build999(x, x.groups[0]!, options({ sender: { qualifier: 'ZZ', id: 'CLAIMPATH' }, receiver: { qualifier: '01', id: '123456789' }, applicationSender: 'CP', applicationReceiver: 'THEM', usage: 'P', lineBreak: true }));

    expect(content.split('\n').filter((l) => l !== '')).toEqual([
      'ISA*00*          *00*          *ZZ*CLAIMPATH      *01*123456789      *240305*1407*^*00501*000000001*0*P*:~',
      'GS*FA*CP*THEM*20240305*1407*2*X*005010X231A1~',
      'ST*999*0001*005010X231A1~',
      'AK1*HC*17*005010X222A1~',
      'AK2*837*0001*005010X222A1~',
      'IK3*ZZZ*3**2~',
      'IK5*R*5~',
      'AK9*R*1*1*0~',
      'SE*7*0001~',
      'GE*1*2~',
      'IEA*1*000000001~',
    ]);
    expectSeCountsRight(content);
  });
});

// ── TA1 ───────────────────────────────────────────────────────────────────────────────────────

describe('buildTa1', () => {
  it.each([
    ['022', 'invalid control structure'],
    ['023', 'premature end of file'],
    ['001', 'ISA13/IEA02 mismatch'],
  ])('rejects an interchange with TA105 %s (%s) in its own ISA/IEA without a GS', (code) => {
    const x = interchange({ verdict: 'rejected', issues: [issue({ level: 'interchange', code, segmentId: 'IEA' })] });

    const content = buildTa1(x, options());

    expect(lines(content)).toEqual([ourIsa('000000001'), `TA1*000000286*240102*0930*R*${code}`, 'IEA*0*000000001']);
    expect(readBack(content)).toEqual(lines(content));
  });

  it('reports the first error, not an earlier warning', () => {
    const x = interchange({
      verdict: 'accepted with errors',
      issues: [issue({ level: 'interchange', code: '014', severity: 'warning' }), issue({ level: 'interchange', code: '006' })],
    });
    expect(lines(buildTa1(x, options()))[1]).toBe('TA1*000000286*240102*0930*E*006');
  });

  it('accepts with 000 when the sender asked for a TA1 and nothing is wrong', () => {
    const x = interchange({ ta1Requested: true });
    expect(needsTa1(x)).toBe(true);
    expect(lines(buildTa1(x, options()))[1]).toBe('TA1*000000286*240102*0930*A*000');
  });
});

// ── Whatever the original holds, the acknowledgment is valid X12 ─────────────────────────────

describe('acknowledgments of damaged originals', () => {
  it('a TA1 for an ISA with unusable qualifiers, ids, usage, control number, date and time is itself valid', async () => {
    const x = interchange({
      senderQualifier: '3I',
      sender: '',
      receiverQualifier: '',
      receiver: 'PAY\u0000ER',
      usage: '0',
      control: '0206',
      date: 'MB8888',
      time: '25',
      verdict: 'rejected',
      issues: [issue({ level: 'interchange', code: '005' })],
    });

    const content = buildTa1(x, options());

    expect(lines(content)).toEqual([
      'ISA*00*          *00*          *ZZ*PAYER          *ZZ*UNKNOWN        *240305*1407*^*00501*000000001*0*P*:',
      // TA101 the original's digits padded to nine; its date and time unusable, the TA1's own.
      'TA1*000000206*240305*1407*R*005',
      'IEA*0*000000001',
    ]);
    const check = await validateX12(content);
    expect(check.verdict).toBe('accepted');
    expect(check.interchanges[0]!.issues).toEqual([]);
  });

  it('a TA1 echoes a control number that is no number as zeros', () => {
    const x = interchange({ control: 'ABC', verdict: 'rejected', issues: [issue({ level: 'interchange', code: '018' })] });
    expect(lines(buildTa1(x, options()))[1]).toBe('TA1*000000000*240102*0930*R*018');
  });

  it('a 999 writes no control character, fills an unreadable segment id, and names a damaged ST01 by its group', async () => {
    const damaged = set({
      transactionSet: '8354A',
      control: '12',
      verdict: 'rejected',
      issues: [
        issue({ level: 'set', code: '6', segmentId: 'ST', element: 1 }),
        issue({ level: 'element', code: '8', segmentId: 'DTP', ordinal: 7, loopId: '2400', element: 3, elementRef: '1251', badValue: '20\b\u0000A261120' }),
        issue({ level: 'segment', code: '1', segmentId: 'l\u0000\u008c', ordinal: 9, loopId: '2400' }),
        issue({ level: 'segment', code: '1', segmentId: '', ordinal: 10, loopId: '2400' }),
      ],
    });
    const g = group({ verdict: 'rejected', sets: [damaged], issues: [] });

    const content = build999(interchange({ groups: [g] }), g, options());
    const segments = lines(content);

    expect(segments).toContain('AK2*837*0012*005010X222A1');
    expect(segments).toContain('IK4*3*1251*8*20A261120');
    expect(segments).toContain('IK3*l?*9*2400*1');
    expect(segments).toContain('IK3*??*10*2400*1');
    expect(content).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    const check = await validateX12(content);
    expect(check.verdict).toBe('accepted');
  });

  it('IK402 names data elements only: an error in a composite (C004) leaves it out', async () => {
    const s = set({ verdict: 'rejected', issues: [issue({ level: 'element', code: '1', segmentId: 'SV1', ordinal: 31, loopId: '2400', element: 7, elementRef: 'C004' })] });
    const g = group({ verdict: 'rejected', sets: [s] });
    const content = build999(interchange({ groups: [g] }), g, options());
    expect(lines(content)).toContain('IK4*7**1');
    expect((await validateX12(content)).verdict).toBe('accepted');
  });

  it('a 999 for a group with an unusable GS01, GS06 and GE01 count is itself valid', async () => {
    const g = group({ functionalId: 'H', control: 'x1', declaredSets: 12_345_678, verdict: 'rejected', issues: [issue({ level: 'group', code: '1' })] });

    const segments = lines(build999(interchange({ groups: [g] }), g, options()));

    // AK101 from the transaction set inside (837: HC), AK102 zero, AK902 the sets received.
    expect(segments).toContain('AK1*HC*0*005010X222A1');
    expect(segments).toContain('AK9*R*1*1*1*1');
    expect((await validateX12(segments.join('~') + '~')).verdict).toBe('accepted');
  });
});

// ── The set of acknowledgments for a report ───────────────────────────────────────────────────

describe('buildAcknowledgments', () => {
  it('writes only a 999 per group for a clean interchange that asks for no TA1', () => {
    const r = report([interchange({ groups: [group(), group({ control: '18' })] })]);

    const files = buildAcknowledgments(r, options());

    expect(files.map((f) => [f.name, f.kind])).toEqual([
      ['1.999', '999'],
      ['2.999', '999'],
    ]);
    // One counter: ISA13 then GS06 for each acknowledgment.
    expect(lines(files[1]!.content)[0]).toBe(ourIsa('000000003'));
    expect(lines(files[1]!.content)).toContain('AK1*HC*18*005010X222A1');
  });

  it('writes a TA1 and no 999 for a rejected interchange', () => {
    const r = report([interchange({ verdict: 'rejected', issues: [issue({ level: 'interchange', code: '023' })] })]);

    const files = buildAcknowledgments(r, options());

    expect(files.map((f) => f.kind)).toEqual(['TA1']);
    expect(lines(files[0]!.content)[1]).toBe('TA1*000000286*240102*0930*R*023');
  });

  it('writes the requested TA1 then the 999s, and never acknowledges a 999 group', () => {
    const ackGroup = group({ functionalId: 'FA', version: ACK_999_VERSION, sets: [set({ transactionSet: '999', version: ACK_999_VERSION, guide: '999' })] });
    const r = report([interchange({ ta1Requested: true, groups: [group(), ackGroup] }), interchange({ control: '000000287', groups: [ackGroup] })]);

    const files = buildAcknowledgments(r, options());

    expect(files.map((f) => f.name)).toEqual(['1.ta1', '2.999']);
  });

  it('produces files that all tokenize back and 999s whose envelopes validate', async () => {
    const rejected = set({ control: '0002', verdict: 'rejected', issues: [issue({ level: 'segment', code: '7', segmentId: 'N4', ordinal: 12, loopId: '2010AA' }), issue({ level: 'set', code: '5' })] });
    const r = report([interchange({ ta1Requested: true, groups: [group({ declaredSets: 2, verdict: 'partially accepted', sets: [set(), rejected] })] })]);

    const files = buildAcknowledgments(r, options({ lineBreak: true }));

    expect(files.map((f) => f.kind)).toEqual(['TA1', '999']);
    for (const file of files) expect(tokenizeSync(file.content).issues).toEqual([]);
    const checked = await validateX12(files[1]!.content);
    expect(checked.fileIssues).toEqual([]);
    expect(checked.interchanges).toHaveLength(1);
    expect(checked.interchanges[0]!.issues).toEqual([]);
    expect(checked.interchanges[0]!.groups[0]!.issues).toEqual([]);
  });

  it('produces a TA1 interchange that validates (a TA1 sits in the interchange, outside any group)', async () => {
    const r = report([interchange({ verdict: 'rejected', issues: [issue({ level: 'interchange', code: '023' })] })]);

    const [ta1] = buildAcknowledgments(r, options());
    const checked = await validateX12(ta1!.content);

    expect(checked.fileIssues).toEqual([]);
    expect(checked.interchanges[0]!.issues).toEqual([]);
    expect(checked.verdict).toBe('accepted');
  });

  // The 999 guide map is being written; until it is registered this check cannot run.
  const has999Map = findGuide('999', ACK_999_VERSION) !== undefined;
  (has999Map ? it : it.skip)('produces a 999 that the 999 (005010X231A1) map accepts', async () => {
    const s = set({
      verdict: 'rejected',
      issues: [
        issue({ level: 'segment', code: '7', segmentId: 'N4', ordinal: 12, loopId: '2010AA' }),
        issue({ level: 'element', code: '1', segmentId: 'N4', ordinal: 12, loopId: '2010AA', element: 2, elementRef: '156' }),
        issue({ level: 'element', code: '7', segmentId: 'CLM', ordinal: 20, loopId: '2300', element: 5, component: 3, elementRef: '1325', badValue: '9' }),
      ],
    });
    const r = report([interchange({ groups: [group({ declaredSets: 2, verdict: 'partially accepted', sets: [set(), s] })] })]);

    const [ack] = buildAcknowledgments(r, options());
    const checked = await validateX12(ack!.content);

    expect(checked.interchanges[0]!.groups[0]!.sets[0]!.issues).toEqual([]);
    expect(checked.verdict).toBe('accepted');
  });
});
