/**
 * Small X12 texts for unit tests, built with correct ISA widths and envelope counts so that each test
 * changes exactly the thing it is about.
 */
export interface EnvelopeOptions {
  element?: string;
  component?: string;
  repetition?: string;
  terminator?: string;
  /** Text after each terminator (e.g. '\n' or '\r\n'). */
  lineEnd?: string;
  version?: string;
  control?: string;
  ackRequested?: '0' | '1';
  functionalId?: string;
  gsVersion?: string;
}

/** An ISA segment (106 characters with its terminator) with fixed-width fields. */
export function isa(o: EnvelopeOptions = {}): string {
  const e = o.element ?? '*';
  const fields = [
    'ISA', '00', ' '.repeat(10), '00', ' '.repeat(10), 'ZZ', 'SENDERID'.padEnd(15), 'ZZ', 'RECEIVERID'.padEnd(15),
    '261121', '1200', o.repetition ?? '^', o.version ?? '00501', o.control ?? '000000001', o.ackRequested ?? '0', 'T', o.component ?? ':',
  ];
  return fields.join(e) + (o.terminator ?? '~');
}

/**
 * One interchange with one group holding the given transaction-set bodies (segments between ST and SE,
 * written with `*`, `:` and `~` and converted to the chosen delimiters).
 */
export function interchange(sets: { id: string; version: string; body: string[] }[], o: EnvelopeOptions = {}): string {
  const e = o.element ?? '*';
  const c = o.component ?? ':';
  const t = o.terminator ?? '~';
  const nl = o.lineEnd ?? '';
  const conv = (s: string): string => s.replace(/\*/g, '\u0001').replace(/:/g, c).replace(/\u0001/g, e);
  const seg = (s: string): string => conv(s) + t + nl;
  const fid = o.functionalId ?? (sets[0]?.id === '835' ? 'HP' : 'HC');
  let out = isa(o) + nl;
  out += seg(`GS*${fid}*SENDER*RECEIVER*20261121*1200*1*X*${o.gsVersion ?? sets[0]?.version ?? '005010X222A1'}`);
  sets.forEach((s, i) => {
    const control = String(i + 1).padStart(4, '0');
    out += seg(`ST*${s.id}*${control}*${s.version}`);
    for (const b of s.body) out += seg(b);
    out += seg(`SE*${s.body.length + 2}*${control}`);
  });
  out += seg(`GE*${sets.length}*1`);
  out += seg(`IEA*1*${o.control ?? '000000001'}`);
  return out;
}

/** A minimal valid 837P body: one billing provider, one subscriber who is the patient, one claim, two lines. */
export const BODY_837P = [
  'BHT*0019*00*0123*20261120*1200*CH',
  'NM1*41*2*SAMPLE BILLING SERVICE*****46*TGJ23',
  'PER*IC*CONTACT DESK*TE*5555550100',
  'NM1*40*2*SAMPLE PAYER CLEARING*****46*66783JJT',
  'HL*1**20*1',
  'NM1*85*2*SAMPLE CLINIC*****XX*1234567893',
  'N3*100 TEST AVENUE',
  'N4*ANYTOWN*PA*171110000',
  'REF*EI*123456789',
  'HL*2*1*22*0',
  'SBR*P*18*******CI',
  'NM1*IL*1*TESTPATIENT*ALPHA****MI*TST000111',
  'N3*1 SAMPLE ST',
  'N4*ANYTOWN*PA*171110000',
  'DMG*D8*19800101*F',
  'NM1*PR*2*SAMPLE HEALTH PLAN*****PI*99999',
  'CLM*PCN0001*150***11:B:1*Y*A*Y*Y',
  'HI*ABK:I10*ABF:E119',
  'LX*1',
  'SV1*HC:G0008*100*UN*1***1',
  'DTP*472*D8*20261101',
  'LX*2',
  'SV1*HC:J1100:RT*50*UN*1***1:2',
  'DTP*472*D8*20261101',
];

/**
 * A single-interchange file with ISA13 and IEA02 set to `control` (nine digits, zero-padded), whatever its
 * element separator: another file from the same sender. The ISA must be fixed-width at the start (ISA13 is
 * characters 90–98).
 */
export function withInterchangeControl(text: string, control: string | number): string {
  const digits = String(control).padStart(9, '0');
  const separator = text[3]!;
  let out = text.slice(0, 90) + digits + text.slice(99);
  const iea = out.lastIndexOf(`IEA${separator}`);
  const second = iea < 0 ? -1 : out.indexOf(separator, iea + 4);
  if (second >= 0) out = out.slice(0, second + 1) + digits + out.slice(second + 10);
  return out;
}
