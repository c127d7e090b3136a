/**
 * Acknowledgment writers: the TA1 (interchange) and the 999 (005010X231A1, implementation
 * acknowledgment) built straight from a {@link ValidationReport}, whose issues already carry the
 * standard codes (TA105, AK905, IK502, IK304, IK403) and positions.
 *
 * Each acknowledgment is a complete interchange of its own (ISA … IEA) with our delimiters
 * (`*` element, `:` component, `^` repetition, `~` segment), addressed back to the original sender:
 * by default our ISA sender is the original ISA receiver and the other way round.
 *
 * Choices the guides leave to us, and why:
 * - A 999 is written per functional group, except for groups that are themselves acknowledgments
 *   (GS01 `FA`): X12 forbids acknowledging an acknowledgment.
 * - A rejected interchange gets a TA1 and no 999: the TA1 already says nothing in it was accepted.
 * - IK404 (the bad value) is written without our delimiters and cut to its 99-character maximum,
 *   so that the 999 always parses; the value may be PHI and goes to the submitter only.
 * - Whatever the original holds, an acknowledgment is valid X12: values echoed from it lose our
 *   delimiters and control characters, and one that still does not fit its element is replaced by
 *   the nearest true value there is — an unusable ISA qualifier by ZZ, a blank ISA id by UNKNOWN, an
 *   unusable ISA15 by P, an ST01 by the transaction set its group stands for, a control number by
 *   its digits padded (or by zeros), the original's ISA date and time (TA102/TA103) by the
 *   acknowledgment's own. The codes that say what was wrong are written as they are.
 */
import type { X12Issue } from './issues.ts';
import type { FunctionalGroupReport, InterchangeReport, TransactionSetReport, ValidationReport } from './report.ts';
import { FUNCTIONAL_IDS, HHMM, ID_QUALIFIERS, YYMMDD } from './validate.ts';

/** The delimiters our acknowledgments are written with. */
export const ackDelimiters = { element: '*', component: ':', repetition: '^', segment: '~' } as const;

/** The 999 implementation guide we write. */
export const ACK_999_VERSION = '005010X231A1';

/** What a control number is asked for: the ISA13/IEA02 or the GS06/GE02 of an acknowledgment. */
export type ControlNumberKind = 'interchange' | 'group';

/** An ISA party: qualifier (ISA05/ISA07) and id (ISA06/ISA08). */
export interface InterchangeParty {
  qualifier: string;
  id: string;
}

export interface AcknowledgmentOptions {
  /**
   * Our control numbers, one call per acknowledgment interchange (ISA13) and group (GS06). Must
   * return a positive integer below 10^9, unique for the trading partner; the caller keeps the
   * counter (a store, or a plain closure in tests and the CLI).
   */
  nextControlNumber: (kind: ControlNumberKind) => number;
  /** Our ISA05/ISA06. Default: the original interchange's receiver (ISA07/ISA08). */
  sender?: InterchangeParty;
  /** Their ISA07/ISA08. Default: the original interchange's sender (ISA05/ISA06). */
  receiver?: InterchangeParty;
  /** Our GS02. Default: the original group's receiver (GS03). */
  applicationSender?: string;
  /** Their GS03. Default: the original group's sender (GS02). */
  applicationReceiver?: string;
  /** ISA15 of the acknowledgments. Default: the original interchange's ISA15 (`P` when unknown). */
  usage?: string;
  /** When the acknowledgment is made (ISA09/ISA10, GS04/GS05), written in UTC. Default: now. */
  now?: Date;
  /** Write a line feed after each segment terminator (easier to read; every parser accepts it). */
  lineBreak?: boolean;
}

/** One acknowledgment file. */
export interface AcknowledgmentFile {
  /** `<n>.ta1` or `<n>.999`, n counting the acknowledgments of one report from 1. */
  name: string;
  kind: 'TA1' | '999';
  content: string;
}

/** The most codes IK5 (IK502–IK506) and AK9 (AK905–AK909) can carry. */
const MAX_CODES = 5;
/** IK301's maximum length (element 721, segment id). */
const MAX_SEGMENT_ID = 3;
/** CTX01-2's maximum length (element 9998, context reference). */
const MAX_CONTEXT_REFERENCE = 35;
/** IK404's maximum length (element 724). */
const MAX_BAD_VALUE = 99;
/** Loop ids the walker gives the transaction set itself, which is no loop in the 999's sense. */
const ROOT_LOOP_IDS = new Set(['', 'ST', 'HEADER']);

const ta104Of: Record<InterchangeReport['verdict'], string> = {
  accepted: 'A',
  'accepted with errors': 'E',
  rejected: 'R',
};
const ik501Of: Record<TransactionSetReport['verdict'], string> = {
  accepted: 'A',
  'accepted with errors': 'E',
  rejected: 'R',
};
const ak901Of: Record<FunctionalGroupReport['verdict'], string> = {
  accepted: 'A',
  'accepted with errors': 'E',
  'partially accepted': 'P',
  rejected: 'R',
};

/** A segment as a list of elements; joined with our delimiters when the file is written. */
type SegmentElements = readonly string[];

/**
 * Whether an interchange needs a TA1: it has interchange-level issues, or its sender asked for one
 * (ISA14 = 1).
 */
export function needsTa1(interchange: InterchangeReport): boolean {
  return interchange.ta1Requested || interchange.issues.length > 0;
}

/**
 * The TA1 for an interchange, in its own ISA/IEA (a TA1 has no functional group):
 * `TA1*ISA13*ISA09*ISA10*A|E|R*TA105`, TA105 being the code of the interchange's first error
 * (its first issue when it has only warnings), `000` when it has none.
 *
 * @example
 * buildTa1(report.interchanges[0], { nextControlNumber: () => 1, now: new Date() })
 * // 'ISA*00*…~TA1*000000286*040107*1437*R*001~IEA*0*000000001~'
 */
export function buildTa1(interchange: InterchangeReport, options: AcknowledgmentOptions): string {
  const controlNumber = formatInterchangeControl(options.nextControlNumber('interchange'));
  const now = options.now ?? new Date();
  const noted = interchange.issues.find((i) => i.severity === 'error') ?? interchange.issues[0];
  const segments: SegmentElements[] = [
    isaSegment(interchange, controlNumber, options, now),
    [
      'TA1',
      digits(interchange.control, 9, 9),
      YYMMDD.test(interchange.date) ? interchange.date : formatDate6(now),
      HHMM.test(interchange.time) ? interchange.time : formatTime4(now),
      ta104Of[interchange.verdict],
      noted ? clean(noted.code) : '000',
    ],
    // IEA01 counts functional groups: a TA1-only interchange holds none.
    ['IEA', '0', controlNumber],
  ];
  return writeSegments(segments, options.lineBreak);
}

/**
 * The 999 (005010X231A1) for one functional group of an interchange, in its own ISA/GS/ST … IEA:
 * AK1, then per transaction set AK2, its IK3 (segment) / IK4 (element) errors and IK5, then AK9.
 *
 * Element issues are written as IK4 under the IK3 of their segment; a segment with element issues
 * and no segment issue gets an IK3 with code 8 ("segment has data element errors").
 */
export function build999(interchange: InterchangeReport, group: FunctionalGroupReport, options: AcknowledgmentOptions): string {
  const interchangeControl = formatInterchangeControl(options.nextControlNumber('interchange'));
  const groupControl = String(options.nextControlNumber('group'));
  const now = options.now ?? new Date();
  const setControl = '0001';

  const body: SegmentElements[] = [
    ['ST', '999', setControl, ACK_999_VERSION],
    ['AK1', functionalIdOf(group), digits(group.control, 1, 9), versionOf(group)],
  ];
  for (const set of group.sets) body.push(...transactionSetResponse(set, group));
  body.push(ak9Segment(group));
  // SE01 counts ST through SE inclusive.
  body.push(['SE', String(body.length + 1), setControl]);

  const { sender, receiver } = partiesOf(interchange, options);
  const segments: SegmentElements[] = [
    isaSegment(interchange, interchangeControl, options, now),
    [
      'GS',
      'FA',
      // GS02/GS03 are required (2–15 characters): where the original GS was unreadable, fall back on the ISA ids.
      applicationCode(options.applicationSender ?? group.receiver, sender.id),
      applicationCode(options.applicationReceiver ?? group.sender, receiver.id),
      formatDate8(now),
      formatTime4(now),
      groupControl,
      'X',
      ACK_999_VERSION,
    ],
    ...body,
    ['GE', '1', groupControl],
    ['IEA', '1', interchangeControl],
  ];
  return writeSegments(segments, options.lineBreak);
}

/**
 * Every acknowledgment a validation report calls for, in file order: per interchange a TA1 when
 * {@link needsTa1} says so, then (unless the interchange is rejected) a 999 per functional group
 * that is not itself an acknowledgment.
 */
export function buildAcknowledgments(report: ValidationReport, options: AcknowledgmentOptions): AcknowledgmentFile[] {
  const files: AcknowledgmentFile[] = [];
  const add = (kind: AcknowledgmentFile['kind'], content: string): void => {
    files.push({ name: `${files.length + 1}.${kind.toLowerCase()}`, kind, content });
  };
  for (const interchange of report.interchanges) {
    if (needsTa1(interchange)) add('TA1', buildTa1(interchange, options));
    if (interchange.verdict === 'rejected') continue;
    for (const group of interchange.groups) {
      if (group.functionalId === 'FA') continue;
      add('999', build999(interchange, group, options));
    }
  }
  return files;
}

/** AK2 … IK5 for one transaction set (999 loop 2000). */
function transactionSetResponse(set: TransactionSetReport, group: FunctionalGroupReport): SegmentElements[] {
  const out: SegmentElements[] = [];
  // AK2 carries what is known even when ST was damaged: the 999 must still account for the set.
  const ak2 = ['AK2', transactionSetIdOf(set, group), controlOf(set.control)];
  const version = clean(set.version).slice(0, 35);
  if (version !== '') ak2.push(version);
  out.push(ak2);

  for (const segment of segmentsInError(set)) {
    const ik302 = String(segment.ordinal ?? fallbackOrdinal(set));
    const loopId = ROOT_LOOP_IDS.has(segment.loopId ?? '') ? '' : clean(segment.loopId ?? '');
    const segmentCodes = segment.segmentIssues.length > 0 ? segment.segmentIssues.map((i) => i.code) : ['8'];
    // IK301 is 2–3 characters; an unrecognized longer id ('CAS_CO') is cut, one with fewer letters
    // or digits than two (none at all, or a lone byte) is filled with '?': IK302 still pins it.
    const ik301 = segment.segmentId.replace(/[^A-Za-z0-9]/g, '').slice(0, MAX_SEGMENT_ID).padEnd(2, '?');
    for (const code of unique(segmentCodes)) out.push(['IK3', ik301, ik302, loopId, clean(code)]);
    // CTX (business unit): the claim the segment belongs to, so the submitter can find it.
    const context = [...segment.segmentIssues, ...segment.elementIssues].find((i) => i.context !== undefined)?.context;
    const reference = context ? clean(context.reference).slice(0, MAX_CONTEXT_REFERENCE) : '';
    if (context && reference !== '') out.push(['CTX', [clean(context.name), reference].join(ackDelimiters.component)]);
    for (const issue of segment.elementIssues) out.push(ik4Segment(issue));
  }

  const ik5 = ['IK5', ik501Of[set.verdict]];
  if (set.verdict !== 'accepted') ik5.push(...setErrorCodes(set).map(clean));
  out.push(ik5);
  return out;
}

/** The IK5 codes of a set: its set-level codes; `5` (or `I5`) when it has only segment errors. */
function setErrorCodes(set: TransactionSetReport): string[] {
  const codes = unique(set.issues.filter((i) => i.level === 'set').map((i) => i.code));
  if (codes.length === 0) {
    const lower = set.issues.filter((i) => i.level === 'segment' || i.level === 'element');
    if (lower.length > 0) {
      // IK502 is required whenever IK501 is not A: name the kind of segment errors found.
      codes.push(lower.every((i) => i.code.startsWith('I')) ? 'I5' : '5');
    }
  }
  return codes.slice(0, MAX_CODES);
}

/** IK4: position[:component[:repetition]], element reference, code, bad value. */
function ik4Segment(issue: X12Issue): SegmentElements {
  const position = [String(issue.element ?? 0)];
  if (issue.component !== undefined || issue.repetition !== undefined) position.push(issue.component === undefined ? '' : String(issue.component));
  if (issue.repetition !== undefined) position.push(String(issue.repetition));
  // IK402 is a data element reference number (N0 1/4): a composite's id (C004) is none, and is left out.
  const reference = issue.elementRef ?? '';
  const segment = ['IK4', position.join(ackDelimiters.component), /^\d{1,4}$/.test(reference) ? reference : '', clean(issue.code)];
  const badValue = clean(issue.badValue ?? '').slice(0, MAX_BAD_VALUE);
  if (badValue !== '') segment.push(badValue);
  return segment;
}

function ak9Segment(group: FunctionalGroupReport): SegmentElements {
  const received = group.sets.length;
  const accepted = group.sets.filter((s) => s.verdict !== 'rejected').length;
  // AK902 echoes GE01 when it is a count AK902 can hold (N0 1/6).
  const declared = group.declaredSets !== undefined && group.declaredSets <= 999_999 ? group.declaredSets : received;
  const ak9 = ['AK9', ak901Of[group.verdict], String(declared), String(received), String(accepted)];
  if (group.verdict !== 'accepted') {
    ak9.push(...unique(group.issues.map((i) => i.code)).slice(0, MAX_CODES).map(clean));
  }
  return ak9;
}

/** A segment of the original set with its segment and element issues. */
interface SegmentInError {
  segmentId: string;
  ordinal: number | undefined;
  loopId: string | undefined;
  segmentIssues: X12Issue[];
  elementIssues: X12Issue[];
}

/**
 * The set's segment and element issues gathered per segment (by ordinal and segment id, since a
 * "required segment missing" issue shares the ordinal of the segment where it was noticed), in
 * ordinal order; issues without an ordinal keep their file order at the end.
 */
function segmentsInError(set: TransactionSetReport): SegmentInError[] {
  const bySegment = new Map<string, SegmentInError>();
  for (const issue of set.issues) {
    if (issue.level !== 'segment' && issue.level !== 'element') continue;
    const key = issue.ordinal === undefined ? `offset:${issue.offset ?? bySegment.size}:${issue.segmentId ?? ''}` : `${issue.ordinal}:${issue.segmentId ?? ''}`;
    let entry = bySegment.get(key);
    if (!entry) {
      entry = { segmentId: issue.segmentId ?? '', ordinal: issue.ordinal, loopId: issue.loopId, segmentIssues: [], elementIssues: [] };
      bySegment.set(key, entry);
    }
    if (entry.loopId === undefined) entry.loopId = issue.loopId;
    (issue.level === 'segment' ? entry.segmentIssues : entry.elementIssues).push(issue);
  }
  return [...bySegment.values()].sort((a, b) => (a.ordinal ?? Infinity) - (b.ordinal ?? Infinity));
}

/** IK302 for an issue with no ordinal: the SE's position, where a missing segment is noticed last. */
function fallbackOrdinal(set: TransactionSetReport): number {
  return Math.max(1, set.counts.segments);
}

/** ISA of an acknowledgment interchange, addressed back to the original sender. */
function isaSegment(original: InterchangeReport, controlNumber: string, options: AcknowledgmentOptions, now: Date): SegmentElements {
  const { sender, receiver } = partiesOf(original, options);
  return [
    'ISA',
    '00',
    fixed('', 10),
    '00',
    fixed('', 10),
    fixed(qualifierOf(sender), 2),
    fixed(idOf(sender), 15),
    fixed(qualifierOf(receiver), 2),
    fixed(idOf(receiver), 15),
    formatDate6(now),
    formatTime4(now),
    ackDelimiters.repetition,
    '00501',
    controlNumber,
    // ISA14: we ask for no TA1 in return for an acknowledgment.
    '0',
    fixed(clean(options.usage ?? (USAGES.has(original.usage) ? original.usage : 'P')), 1),
    ackDelimiters.component,
  ];
}

/** Our ISA sender and receiver: as given, else the original's receiver and sender. */
function partiesOf(original: InterchangeReport, options: AcknowledgmentOptions): { sender: InterchangeParty; receiver: InterchangeParty } {
  return {
    sender: options.sender ?? { qualifier: original.receiverQualifier, id: original.receiver },
    receiver: options.receiver ?? { qualifier: original.senderQualifier, id: original.sender },
  };
}

function writeSegments(segments: readonly SegmentElements[], lineBreak = false): string {
  const terminator = ackDelimiters.segment + (lineBreak ? '\n' : '');
  return segments.map((s) => trimTrailingEmpty(s).join(ackDelimiters.element) + terminator).join('');
}

/** Drop trailing empty elements: X12 does not write them. */
function trimTrailingEmpty(segment: SegmentElements): SegmentElements {
  let end = segment.length;
  while (end > 1 && segment[end - 1] === '') end--;
  return segment.slice(0, end);
}

/** Our delimiters and every control character (C0 with the line ends, DEL, C1): never written in a value. */
const UNWRITABLE = /[*:^~\u0000-\u001f\u007f-\u009f]/g;

/** A value echoed from the original, made safe to write: no delimiters, no control characters, trimmed. */
function clean(value: string): string {
  return value.replace(UNWRITABLE, '').trim();
}

/** ISA15 values. */
const USAGES: ReadonlySet<string> = new Set(['P', 'T', 'I']);

/** An ISA id qualifier as written: the party's when X12 defines it, else ZZ (mutually defined). */
function qualifierOf(party: InterchangeParty): string {
  const qualifier = clean(party.qualifier);
  return ID_QUALIFIERS.has(qualifier) ? qualifier : 'ZZ';
}

/** An ISA id as written: the party's, or UNKNOWN when it is blank (ISA06/ISA08 are required). */
function idOf(party: InterchangeParty): string {
  return clean(party.id) || 'UNKNOWN';
}

/** GS02/GS03 (2–15 characters): the value when it fits, else the ISA id, else UNKNOWN. */
function applicationCode(value: string, isaId: string): string {
  for (const candidate of [clean(value), clean(isaId)]) if (candidate.length >= 2) return candidate.slice(0, 15);
  return 'UNKNOWN';
}

/** A control number echoed as `min`–`max` digits: its digits when it has no others (padded with zeros to `min`), else zeros. */
function digits(value: string, min: number, max: number): string {
  const v = value.trim();
  return /^\d+$/.test(v) && v.length <= max ? v.padStart(min, '0') : '0'.repeat(min);
}

/** AK202 (ST02, 4–9 characters): as received when it fits, else cut or padded with zeros. */
function controlOf(value: string): string {
  const v = clean(value);
  return v.length > 9 ? v.slice(0, 9) : v.padStart(4, '0');
}

/** AK101: the group's GS01 when it is one, else the functional id its transaction sets stand for. */
function functionalIdOf(group: FunctionalGroupReport): string {
  const id = clean(group.functionalId);
  if (/^[A-Z]{2}$/.test(id)) return id;
  for (const set of group.sets) {
    const implied = FUNCTIONAL_IDS[clean(set.transactionSet)];
    if (implied !== undefined) return implied;
  }
  return id.replace(/[^A-Za-z0-9]/g, '').slice(0, 2).padEnd(2, 'X').toUpperCase();
}

/** AK103 (1–12 characters): GS08, else the first version a transaction set of the group names, else the 999's own. */
function versionOf(group: FunctionalGroupReport): string {
  for (const version of [group.version, ...group.sets.map((set) => set.version)]) {
    const v = clean(version).slice(0, 12);
    if (v !== '') return v;
  }
  return ACK_999_VERSION;
}

/** AK201: the set's ST01 when it is one (three digits), else the transaction set its group's GS01 stands for. */
function transactionSetIdOf(set: TransactionSetReport, group: FunctionalGroupReport): string {
  const id = clean(set.transactionSet);
  if (/^\d{3}$/.test(id)) return id;
  const implied = Object.keys(FUNCTIONAL_IDS).find((transactionSet) => FUNCTIONAL_IDS[transactionSet] === clean(group.functionalId));
  return implied ?? id.replace(/\D/g, '').slice(0, 3).padEnd(3, '0');
}

/** Pad with spaces or cut to the fixed width of an ISA field. */
function fixed(value: string, width: number): string {
  return value.slice(0, width).padEnd(width, ' ');
}

function formatInterchangeControl(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 999_999_999) throw new RangeError('An interchange control number must be an integer from 1 to 999999999.');
  return String(n).padStart(9, '0');
}

function unique(codes: readonly string[]): string[] {
  return [...new Set(codes)];
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** ISA09: YYMMDD (UTC). */
function formatDate6(d: Date): string {
  return two(d.getUTCFullYear() % 100) + two(d.getUTCMonth() + 1) + two(d.getUTCDate());
}

/** GS04: CCYYMMDD (UTC). */
function formatDate8(d: Date): string {
  return String(d.getUTCFullYear()) + two(d.getUTCMonth() + 1) + two(d.getUTCDate());
}

/** ISA10 / GS05: HHMM (UTC). */
function formatTime4(d: Date): string {
  return two(d.getUTCHours()) + two(d.getUTCMinutes());
}
