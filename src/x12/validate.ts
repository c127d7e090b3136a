/**
 * Validation of X12 files, streaming: tokenizer → envelope (ISA/IEA, GS/GE, ST/SE nesting, counts,
 * control numbers, ISA field widths and values, GS08/ST03 agreement) → loop walker and element checks
 * against the implementation-guide map (SNIP 1–2). The result is a {@link ValidationReport}, from which
 * the TA1 and 999 are built.
 *
 * Memory stays flat: a segment is checked as it arrives and then dropped; only the report is kept (its
 * issues capped per transaction set).
 */
import { FileIssueCode, type Verdict, type X12Issue } from './issues.ts';
import { findGuide, guideMaps } from './maps/index.ts';
import type { GuideMap } from './maps/types.ts';
import type { FunctionalGroupReport, InterchangeReport, TransactionSetReport, ValidationReport } from './report.ts';
import { GE_CODE, GS_CODE, IEA_CODE, ISA_CODE, LAST_ENVELOPE_CODE, segmentCode, ST_CODE, TA1_CODE, type Segment } from './segment.ts';
import { chunksOf, Tokenizer, type TokenizerOptions, type TokenSink, type X12Source } from './tokenizer.ts';
import { ElementChecker } from './elements.ts';
import { interchangeNoteCodes } from './codes.ts';
import { LoopWalker, type WalkStep } from './walker.ts';

export interface ValidateOptions extends TokenizerOptions {
  /** Most issues kept per transaction set; the rest are counted in one summary issue. */
  maxIssuesPerSet?: number;
  /**
   * Called for every segment inside a transaction set once it is walked, with the loop it belongs to;
   * readers build the canonical model from this while the file streams.
   */
  onSegment?: (segment: Segment, step: WalkStep, set: TransactionSetReport) => void;
  /** Called when a transaction set's SE (or its end) has been seen. */
  onSetEnd?: (set: TransactionSetReport) => void;
}

/** The functional identifier code (GS01) each transaction set belongs under. */
export const FUNCTIONAL_IDS: Readonly<Record<string, string>> = { '837': 'HC', '835': 'HP', '999': 'FA', '277': 'HN', '997': 'FA', '834': 'BE', '270': 'HS', '271': 'HB', '276': 'HR', '278': 'HI', '820': 'RA', '275': 'PI' };

/** Body segments the report counts, by id number. */
const CLM_CODE = segmentCode('CLM');
const HL_CODE = segmentCode('HL');
const LX_CODE = segmentCode('LX');
const SVC_CODE = segmentCode('SVC');
const CLP_CODE = segmentCode('CLP');

/** ISA element widths, 1-based (ISA01 … ISA16). */
const ISA_WIDTHS = [0, 2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1];
/** The TA105 code for a problem in each ISA element. */
const ISA_CODES = ['', '010', '011', '012', '013', '005', '006', '007', '008', '014', '015', '026', '017', '018', '019', '020', '027'];
/** ISA05/ISA07: the interchange id qualifiers X12 5010 defines. */
export const ID_QUALIFIERS: ReadonlySet<string> = new Set(['01', '14', '20', '27', '28', '29', '30', '33', 'ZZ']);

/** TA104: accepted, accepted with errors, rejected. */
const TA1_ACKNOWLEDGMENT_CODES: ReadonlySet<string> = new Set(['A', 'E', 'R']);

/** ISA09 (and TA102): a calendar-shaped YYMMDD. */
export const YYMMDD = /^\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/;
/** ISA10 (and TA103): HHMM. */
export const HHMM = /^([01]\d|2[0-3])[0-5]\d$/;
const CCYYMMDD = /^\d{4}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/;
const GS_TIME = /^([01]\d|2[0-3])[0-5]\d([0-5]\d(\d{1,2})?)?$/;

/** Validate a whole source (bytes, string, stream or S3 body). */
export async function validateX12(source: X12Source, options: ValidateOptions = {}): Promise<ValidationReport> {
  const validator = new X12Validator(options);
  // The validator keeps no segment past its callback; a reader's onSegment hook might.
  const tokenizer = new Tokenizer({ ...options, reuseSegments: options.onSegment === undefined });
  if (typeof source === 'string' || source instanceof Uint8Array) {
    const bytes = typeof source === 'string' ? Buffer.from(source, 'utf8') : source;
    validator.bytes += bytes.length;
    tokenizer.write(bytes, validator);
  } else {
    for await (const chunk of chunksOf(source)) {
      validator.bytes += chunk.length;
      tokenizer.write(chunk, validator);
    }
  }
  tokenizer.end(validator);
  return validator.finish();
}

interface OpenSet {
  report: TransactionSetReport;
  /** Issues dropped over the cap. */
  dropped: number;
  errors: number;
}

/** The envelope state machine; a {@link TokenSink} fed by the tokenizer. */
export class X12Validator implements TokenSink {
  bytes = 0;
  private readonly fileIssues: X12Issue[] = [];
  private readonly interchanges: InterchangeReport[] = [];
  private interchange: InterchangeReport | undefined;
  private group: FunctionalGroupReport | undefined;
  private set: OpenSet | undefined;
  /*
   * What the per-segment path needs of the open set, held on the validator itself: its hidden class
   * settles at the first ST, while objects made per set (the open set, its report) change theirs
   * when a later set writes a field for the first time, and code reading them would be thrown away.
   */
  /** The open set's walker (undefined: no guide for it). */
  private walker: LoopWalker | undefined = undefined;
  private lastOrdinal = 0;
  /** The open set's counts (copied into its report's `counts` when it closes). */
  private segmentCount = 0;
  private claimCount = 0;
  private serviceLineCount = 0;
  private claimPaymentCount = 0;
  /** The id number of the segment counted as a service line besides SVC: LX in an 837. */
  private serviceLineCode = -1;
  /**
   * Where the current claim's CLM01 is (for the 999's CTX; cleared at the next HL). Decoded only when
   * an issue needs it: a valid file never does. The tokenizer's chunks are never written to after they
   * are handed over, so the bytes stay valid while the claim is current.
   */
  private claimBytes: Uint8Array | undefined = undefined;
  private claimFrom = 0;
  private claimTo = 0;
  private groupControls = new Set<string>();
  private setControls = new Set<string>();
  private readonly maxIssues: number;
  /** Reports an issue into the open set; one function for the checker and every walker. */
  private readonly reportToSet = (issue: X12Issue): void => this.setIssue(issue);
  private readonly elements: ElementChecker;
  /**
   * One walker per guide, reused set after set: the hot path keeps seeing the same objects (a walker
   * per set would leave optimized code tied to the first set's objects, thrown away when they die).
   */
  private readonly walkers = new Map<GuideMap, LoopWalker>();

  constructor(private readonly options: ValidateOptions = {}) {
    this.maxIssues = options.maxIssuesPerSet ?? 1000;
    // Segments go on to a reader only through `onSegment`: without one, no element boundaries are kept.
    this.elements = new ElementChecker(this.reportToSet, options.onSegment !== undefined);
  }

  issue(issue: X12Issue): void {
    if (issue.level === 'file') {
      this.fileIssues.push(issue);
    } else if (issue.level === 'interchange') {
      if (this.interchange) this.interchange.issues.push(issue);
      else this.fileIssues.push(issue);
    } else {
      this.setIssue(issue);
    }
  }

  segment(segment: Segment): void {
    if (segment.code > LAST_ENVELOPE_CODE) this.body(segment);
    else this.envelopeSegment(segment);
  }

  /** ISA, IEA, GS, GE, TA1, ST and SE (the tokenizer hands them here apart from the body segments). */
  envelopeSegment(segment: Segment): void {
    switch (segment.code) {
      case ISA_CODE:
        return this.isa(segment);
      case IEA_CODE:
        return this.iea(segment);
      case GS_CODE:
        return this.gs(segment);
      case GE_CODE:
        return this.ge(segment);
      case TA1_CODE:
        return this.ta1(segment);
      case ST_CODE:
        return this.st(segment);
      default:
        return this.se(segment);
    }
  }

  /** End of input: close whatever is open and compute the verdicts. */
  finish(): ValidationReport {
    if (this.set) this.closeSet(undefined);
    if (this.group) this.closeGroup(undefined);
    if (this.interchange) this.closeInterchange(undefined);
    let verdict: Verdict = 'accepted';
    const worse = (v: Verdict): void => {
      if (rank(v) > rank(verdict)) verdict = v;
    };
    if (this.interchanges.length === 0 || this.fileIssues.some((i) => i.severity === 'error')) verdict = 'rejected';
    for (const x of this.interchanges) {
      worse(x.verdict);
      for (const g of x.groups) worse(g.verdict);
    }
    return { verdict, bytes: this.bytes, fileIssues: this.fileIssues, interchanges: this.interchanges };
  }

  // ── Interchange ──────────────────────────────────────────────────────────────────────────────

  private isa(segment: Segment): void {
    if (this.interchange) {
      // A new ISA before the IEA of the open interchange.
      this.closeInterchange(undefined);
    }
    const els = segment.elements();
    const x: InterchangeReport = {
      control: (els[13] ?? '').trim(),
      senderQualifier: (els[5] ?? '').trim(),
      sender: (els[6] ?? '').trim(),
      receiverQualifier: (els[7] ?? '').trim(),
      receiver: (els[8] ?? '').trim(),
      version: els[12] ?? '',
      usage: els[15] ?? '',
      ta1Requested: els[14] === '1',
      verdict: 'accepted',
      offset: segment.offset,
      date: els[9] ?? '',
      time: els[10] ?? '',
      issues: [],
      groups: [],
    };
    this.interchange = x;
    this.groupControls = new Set();
    const problem = (element: number, message: string, code = ISA_CODES[element]!): void => {
      x.issues.push({ level: 'interchange', code, severity: 'error', message, offset: segment.offset, segmentId: 'ISA', element, badValue: els[element] ?? '' });
    };
    if (els.length !== 17) {
      x.issues.push({ level: 'interchange', code: '022', severity: 'error', message: `ISA has ${els.length - 1} elements; 16 are required.`, offset: segment.offset, segmentId: 'ISA' });
    }
    for (let k = 1; k <= 16 && k < els.length; k++) {
      if (els[k]!.length !== ISA_WIDTHS[k]) problem(k, `ISA${pad(k)} must be exactly ${ISA_WIDTHS[k]} characters wide.`);
    }
    const d = segment.delimiters;
    if (isAlnumCode(d.element)) problem(16, 'The element separator (ISA byte 4) must not be a letter or digit.', '026');
    if (isAlnumCode(d.component) || d.component === d.element || d.component === d.segment) problem(16, 'ISA16 (component separator) must be a special character distinct from the other delimiters.', '027');
    if (isAlnumCode(d.segment) || d.segment === d.element) problem(16, 'The segment terminator must be a special character distinct from the element separator.', '004');
    if (els[1] !== undefined && !['00', '03'].includes(els[1])) problem(1, 'ISA01 (authorization information qualifier) must be 00 or 03.');
    if (els[3] !== undefined && !['00', '01'].includes(els[3])) problem(3, 'ISA03 (security information qualifier) must be 00 or 01.');
    if (els[5] !== undefined && !ID_QUALIFIERS.has(els[5])) problem(5, 'ISA05 (interchange sender id qualifier) is not a valid qualifier.');
    if (els[6] !== undefined && els[6].trim() === '') problem(6, 'ISA06 (interchange sender id) is blank.');
    if (els[7] !== undefined && !ID_QUALIFIERS.has(els[7])) problem(7, 'ISA07 (interchange receiver id qualifier) is not a valid qualifier.');
    if (els[8] !== undefined && els[8].trim() === '') problem(8, 'ISA08 (interchange receiver id) is blank.');
    if (els[9] !== undefined && !YYMMDD.test(els[9])) problem(9, 'ISA09 (interchange date) is not a valid YYMMDD date.');
    if (els[10] !== undefined && !HHMM.test(els[10])) problem(10, 'ISA10 (interchange time) is not a valid HHMM time.');
    if (els[12] !== undefined) {
      if (!/^\d{5}$/.test(els[12])) problem(12, 'ISA12 (interchange control version number) must be 5 digits.');
      else if (els[12] !== '00501') problem(12, `ISA12 version ${els[12]} is not supported; 00501 is.`, '003');
    }
    if (els[13] !== undefined && !/^\d{9}$/.test(els[13])) problem(13, 'ISA13 (interchange control number) must be 9 digits.');
    if (els[14] !== undefined && !['0', '1'].includes(els[14])) problem(14, 'ISA14 (acknowledgment requested) must be 0 or 1.');
    if (els[15] !== undefined && !['P', 'T', 'I'].includes(els[15])) problem(15, 'ISA15 (usage indicator) must be P, T or I.');
  }

  private iea(segment: Segment): void {
    const x = this.interchange;
    if (!x) {
      this.fileIssues.push({ level: 'file', code: FileIssueCode.trailingData, severity: 'error', message: 'IEA without a matching ISA.', offset: segment.offset, segmentId: 'IEA' });
      return;
    }
    if (this.set) this.closeSet(undefined);
    if (this.group) this.closeGroup(undefined);
    this.closeInterchange(segment);
  }

  private closeInterchange(iea: Segment | undefined): void {
    const x = this.interchange!;
    this.interchange = undefined;
    if (this.set) this.closeSet(undefined);
    if (this.group) this.closeGroup(undefined);
    if (!iea) {
      x.issues.push({ level: 'interchange', code: '023', severity: 'error', message: `The interchange that starts at byte ${x.offset} has no IEA trailer.`, offset: x.offset, segmentId: 'IEA' });
    } else {
      const count = iea.element(1);
      const control = iea.element(2);
      if (!/^\d{1,5}$/.test(count) || Number(count) !== x.groups.length) {
        x.issues.push({ level: 'interchange', code: '021', severity: 'error', message: `IEA01 declares ${safeNumber(count)} functional group(s); the interchange holds ${x.groups.length}.`, offset: iea.offset, segmentId: 'IEA', element: 1 });
      }
      if (control !== x.control) {
        x.issues.push({ level: 'interchange', code: '001', severity: 'error', message: 'IEA02 does not match the interchange control number in ISA13.', offset: iea.offset, segmentId: 'IEA', element: 2 });
      }
    }
    x.verdict = x.issues.some((i) => i.severity === 'error') ? 'rejected' : x.issues.length > 0 ? 'accepted with errors' : 'accepted';
    this.interchanges.push(x);
  }

  /**
   * TA1 stands directly in an interchange, before its first group (an interchange acknowledgment). Its
   * five elements are checked as the ISA's are; a problem in one makes the interchange's content
   * invalid (TA105 024), named by element.
   */
  private ta1(segment: Segment): void {
    const x = this.interchange;
    if (!x || this.group || this.set) {
      this.body(segment);
      return;
    }
    const els = segment.elements();
    const problem = (element: number, message: string): void => {
      const issue: X12Issue = { level: 'interchange', code: '024', severity: 'error', message, offset: segment.offset, segmentId: 'TA1' };
      if (element > 0) {
        issue.element = element;
        issue.badValue = els[element] ?? '';
      }
      x.issues.push(issue);
    };
    if (x.groups.length > 0) problem(0, 'TA1 follows a functional group: interchange acknowledgments come before the first GS.');
    if (els.length > 6) problem(6, `TA1 has ${els.length - 1} elements; it defines 5.`);
    const value = (k: number): string => els[k] ?? '';
    if (!/^\d{9}$/.test(value(1))) problem(1, 'TA101 (interchange control number) must be 9 digits.');
    if (!YYMMDD.test(value(2))) problem(2, 'TA102 (interchange date) is not a valid YYMMDD date.');
    if (!HHMM.test(value(3))) problem(3, 'TA103 (interchange time) is not a valid HHMM time.');
    if (!TA1_ACKNOWLEDGMENT_CODES.has(value(4))) problem(4, 'TA104 (interchange acknowledgment code) must be A, E or R.');
    if (!Object.hasOwn(interchangeNoteCodes, value(5))) problem(5, 'TA105 (interchange note code) is not a note code X12 defines.');
  }

  // ── Functional group ─────────────────────────────────────────────────────────────────────────

  private gs(segment: Segment): void {
    if (!this.interchange) {
      this.fileIssues.push({ level: 'file', code: FileIssueCode.trailingData, severity: 'error', message: `GS at byte ${segment.offset} is outside an interchange.`, offset: segment.offset, segmentId: 'GS' });
      return;
    }
    if (this.set) this.closeSet(undefined);
    if (this.group) this.closeGroup(undefined);
    const els = segment.elements();
    const g: FunctionalGroupReport = {
      functionalId: els[1] ?? '',
      control: els[6] ?? '',
      version: els[8] ?? '',
      sender: els[2] ?? '',
      receiver: els[3] ?? '',
      verdict: 'accepted',
      offset: segment.offset,
      issues: [],
      sets: [],
    };
    this.group = g;
    this.setControls = new Set();
    const groupIssue = (code: string, message: string): void => {
      g.issues.push({ level: 'group', code, severity: 'error', message, offset: segment.offset, segmentId: 'GS' });
    };
    const invalidGs = (element: number, message: string): void => {
      this.interchange!.issues.push({ level: 'interchange', code: '024', severity: 'error', message, offset: segment.offset, segmentId: 'GS', element, badValue: els[element] ?? '' });
    };
    if (els.length - 1 < 8) groupIssue('1', `GS has ${els.length - 1} elements; 8 are required.`);
    if (!Object.values(FUNCTIONAL_IDS).includes(g.functionalId)) groupIssue('1', 'GS01 (functional identifier code) is not a supported functional group.');
    if (!/^\d{1,9}$/.test(g.control)) groupIssue('6', 'GS06 (group control number) must be 1 to 9 digits.');
    else if (this.groupControls.has(g.control)) groupIssue('19', 'GS06 (group control number) is not unique within the interchange.');
    this.groupControls.add(g.control);
    if (g.sender.length < 2 || g.sender.length > 15) invalidGs(2, 'GS02 (application sender code) must be 2 to 15 characters.');
    if (g.receiver.length < 2 || g.receiver.length > 15) invalidGs(3, 'GS03 (application receiver code) must be 2 to 15 characters.');
    if (!CCYYMMDD.test(els[4] ?? '')) invalidGs(4, 'GS04 (date) is not a valid CCYYMMDD date.');
    if (!GS_TIME.test(els[5] ?? '')) invalidGs(5, 'GS05 (time) is not a valid HHMM[SS[dd]] time.');
    if (els[7] !== 'X') invalidGs(7, 'GS07 (responsible agency code) must be X.');
  }

  private ge(segment: Segment): void {
    if (!this.group) {
      this.interchange?.issues.push({ level: 'interchange', code: '024', severity: 'error', message: `GE at byte ${segment.offset} has no matching GS.`, offset: segment.offset, segmentId: 'GE' });
      return;
    }
    if (this.set) this.closeSet(undefined);
    this.closeGroup(segment);
  }

  private closeGroup(ge: Segment | undefined): void {
    const g = this.group!;
    this.group = undefined;
    if (!ge) {
      g.issues.push({ level: 'group', code: '3', severity: 'error', message: `The functional group that starts at byte ${g.offset} has no GE trailer.`, offset: g.offset, segmentId: 'GE' });
    } else {
      const count = ge.element(1);
      g.declaredSets = /^\d+$/.test(count) ? Number(count) : undefined;
      if (g.declaredSets !== g.sets.length) {
        g.issues.push({ level: 'group', code: '5', severity: 'error', message: `GE01 declares ${safeNumber(count)} transaction set(s); the group holds ${g.sets.length}.`, offset: ge.offset, segmentId: 'GE', element: 1 });
      }
      if (ge.element(2) !== g.control) {
        g.issues.push({ level: 'group', code: '4', severity: 'error', message: 'GE02 does not match the group control number in GS06.', offset: ge.offset, segmentId: 'GE', element: 2 });
      }
    }
    const accepted = g.sets.filter((s) => s.verdict !== 'rejected').length;
    const withErrors = g.sets.some((s) => s.verdict === 'accepted with errors');
    if (g.issues.some((i) => i.severity === 'error') || (g.sets.length > 0 && accepted === 0)) g.verdict = 'rejected';
    else if (accepted < g.sets.length) g.verdict = 'partially accepted';
    else if (withErrors) g.verdict = 'accepted with errors';
    else g.verdict = 'accepted';
    this.interchange?.groups.push(g);
  }

  // ── Transaction set ─────────────────────────────────────────────────────────────────────────

  private st(segment: Segment): void {
    if (this.set) this.closeSet(undefined);
    const transactionSet = segment.element(1);
    const control = segment.element(2);
    const st03 = segment.element(3);
    const g = this.group;
    const version = st03 || g?.version || '';
    const report: TransactionSetReport = {
      transactionSet,
      control,
      version,
      verdict: 'accepted',
      offset: segment.offset,
      counts: { segments: 0, claims: 0, serviceLines: 0, claimPayments: 0 },
      issues: [],
    };
    const map: GuideMap | undefined = findGuide(transactionSet, version);
    if (map) report.guide = map.name;
    const open: OpenSet = { report, dropped: 0, errors: 0 };
    this.walker = map ? this.walkerFor(map) : undefined;
    this.lastOrdinal = segment.ordinal;
    this.segmentCount = 0;
    this.claimCount = 0;
    this.serviceLineCount = 0;
    this.claimPaymentCount = 0;
    this.serviceLineCode = transactionSet === '837' ? LX_CODE : SVC_CODE;
    this.claimBytes = undefined;
    this.set = open;
    const setIssue = (code: string, message: string, element?: number): void => {
      this.setIssue({ level: 'set', code, severity: 'error', message, offset: segment.offset, segmentId: 'ST', ordinal: segment.ordinal, ...(element ? { element } : {}) });
    };
    if (!g) setIssue('18', 'The transaction set is not inside a functional group (no GS).');
    if (!/^\d{3}$/.test(transactionSet)) setIssue('6', 'ST01 (transaction set identifier) is missing or invalid.', 1);
    else if (g && FUNCTIONAL_IDS[transactionSet] !== undefined && FUNCTIONAL_IDS[transactionSet] !== g.functionalId) {
      setIssue('6', `Transaction set ${transactionSet} does not belong in a functional group of type ${safeCode(g.functionalId)}.`, 1);
    }
    if (!/^[A-Za-z0-9]{4,9}$/.test(control)) setIssue('7', 'ST02 (transaction set control number) is missing or invalid.', 2);
    else if (this.setControls.has(control)) setIssue('23', 'ST02 (transaction set control number) is not unique within the functional group.', 2);
    this.setControls.add(control);
    if (st03 && g && g.version && st03 !== g.version) {
      setIssue('19', `ST03 (${safeCode(st03)}) does not agree with GS08 (${safeCode(g.version)}).`, 3);
    }
    if (!map) {
      const known = findAnyGuide(transactionSet);
      if (known) setIssue('I6', `Implementation convention ${safeCode(version)} is not supported for transaction set ${transactionSet}.`, 3);
      else if (/^\d{3}$/.test(transactionSet)) setIssue('1', `Transaction set ${transactionSet} is not supported.`, 1);
    }
    // ST is counted as `body` counts a segment, and opens the set in the walker by a call of its own.
    this.segmentCount++;
    const walker = this.walker;
    if (walker !== undefined) this.walked(segment, walker.begin(segment), open);
  }

  private se(segment: Segment): void {
    if (!this.set) {
      this.setIssueOutside(segment);
      return;
    }
    this.body(segment);
    this.closeSet(segment);
  }

  private closeSet(se: Segment | undefined): void {
    const open = this.set!;
    // The walker reports what is missing at the end (required loops and segments) to the open set:
    // finish it before the set is closed, or those issues would fall to the file's.
    this.walker?.finish(this.lastOrdinal);
    this.set = undefined;
    const r = open.report;
    const counts = r.counts;
    counts.segments = this.segmentCount;
    counts.claims = this.claimCount;
    counts.serviceLines = this.serviceLineCount;
    counts.claimPayments = this.claimPaymentCount;
    if (!se) {
      this.setIssueOn(open, { level: 'set', code: '2', severity: 'error', message: `The transaction set that starts at byte ${r.offset} has no SE trailer.`, offset: r.offset, segmentId: 'SE' });
    } else {
      const count = se.element(1);
      if (!/^\d+$/.test(count) || Number(count) !== r.counts.segments) {
        this.setIssueOn(open, { level: 'set', code: '4', severity: 'error', message: `SE01 declares ${safeNumber(count)} segment(s); the transaction set holds ${r.counts.segments}.`, offset: se.offset, segmentId: 'SE', ordinal: se.ordinal, element: 1 });
      }
      if (se.element(2) !== r.control) {
        this.setIssueOn(open, { level: 'set', code: '3', severity: 'error', message: 'SE02 does not match the transaction set control number in ST02.', offset: se.offset, segmentId: 'SE', ordinal: se.ordinal, element: 2 });
      }
    }
    if (open.dropped > 0) {
      r.issues.push({ level: 'set', code: 'I5', severity: 'error', message: `${open.dropped} further issue(s) in this transaction set are not listed.`, offset: r.offset });
    }
    const hasError = open.errors > 0;
    r.verdict = hasError ? 'rejected' : r.issues.length > 0 ? 'accepted with errors' : 'accepted';
    if (this.group) this.group.sets.push(r);
    else {
      // A set outside any group is still reported, in a group of its own making.
      this.orphanGroup().sets.push(r);
    }
    this.options.onSetEnd?.(r);
  }

  private walkerFor(map: GuideMap): LoopWalker {
    let walker = this.walkers.get(map);
    if (walker === undefined) {
      walker = new LoopWalker(map, this.reportToSet);
      this.walkers.set(map, walker);
    }
    return walker;
  }

  private orphanGroup(): FunctionalGroupReport {
    const x = this.interchange;
    const g: FunctionalGroupReport = { functionalId: '', control: '', version: '', sender: '', receiver: '', verdict: 'rejected', offset: 0, issues: [], sets: [] };
    x?.groups.push(g);
    return g;
  }

  /** A segment inside a transaction set (ST and SE included). */
  private body(segment: Segment): void {
    const open = this.set;
    if (open === undefined) {
      this.setIssueOutside(segment);
      return;
    }
    this.segmentCount++;
    this.lastOrdinal = segment.ordinal;
    const code = segment.code;
    if (code === CLM_CODE) {
      this.claimCount++;
      this.noteClaim(segment);
    } else if (code === HL_CODE) {
      this.claimBytes = undefined;
    } else if (code === this.serviceLineCode || code === SVC_CODE) {
      this.serviceLineCount++;
    } else if (code === CLP_CODE) {
      this.claimPaymentCount++;
    }
    const walker = this.walker;
    if (walker !== undefined) this.walked(segment, walker.push(segment), open);
  }

  /** A segment the walker has placed: its elements checked, then handed to the `onSegment` hook. */
  private walked(segment: Segment, step: WalkStep, open: OpenSet): void {
    if (step.compiled !== undefined) this.elements.check(segment, step.compiled, step.loopId, step.badQualifier);
    const onSegment = this.options.onSegment;
    if (onSegment !== undefined) onSegment(segment, step, open.report);
  }

  /** Remember where CLM01 is in `clm`'s bytes (none when it is empty). */
  private noteClaim(clm: Segment): void {
    const { buf, end } = clm;
    const sep = clm.delimiters.element;
    const from = clm.start + clm.id.length + 1;
    let to = from;
    while (to < end && buf[to] !== sep) to++;
    this.claimBytes = to > from ? buf : undefined;
    this.claimFrom = from;
    this.claimTo = to;
  }

  private setIssueOutside(segment: Segment): void {
    const where = this.interchange;
    const issue: X12Issue = {
      level: 'interchange',
      code: '024',
      severity: 'error',
      message: `Segment ${segment.id.length <= 3 ? segment.id : '(not an id)'} at byte ${segment.offset} is outside a transaction set.`,
      offset: segment.offset,
      segmentId: segment.id,
    };
    if (where) where.issues.push(issue);
    else this.fileIssues.push({ ...issue, level: 'file', code: FileIssueCode.trailingData });
  }

  private setIssue(issue: X12Issue): void {
    const open = this.set;
    if (!open) {
      // Segment/element issue with no open set cannot happen; keep it at file level rather than lose it.
      this.fileIssues.push(issue);
      return;
    }
    this.setIssueOn(open, issue);
  }

  private setIssueOn(open: OpenSet, issue: X12Issue): void {
    if (issue.severity === 'error') open.errors++;
    if (this.claimBytes !== undefined && (issue.level === 'segment' || issue.level === 'element')) {
      issue.context = { name: 'CLM01', reference: decodeText(this.claimBytes, this.claimFrom, this.claimTo) };
    }
    if (open.report.issues.length >= this.maxIssues) {
      open.dropped++;
      return;
    }
    open.report.issues.push(issue);
  }
}

/** Bytes as text, the way `Segment.element` decodes them (UTF-8; ASCII is the same in every reading). */
function decodeText(bytes: Uint8Array, from: number, to: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString('utf8');
}

/** Is there a map for this transaction set in any version? */
function findAnyGuide(transactionSet: string): boolean {
  return guideMaps.some((m) => m.transactionSet === transactionSet);
}

function rank(v: Verdict): number {
  return v === 'accepted' ? 0 : v === 'accepted with errors' ? 1 : v === 'partially accepted' ? 2 : 3;
}

function isAlnumCode(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** A count as declared, for a message: digits only, else a neutral word. */
function safeNumber(v: string): string {
  return /^\d{1,9}$/.test(v) ? v : 'an invalid number of';
}

/** A code for a message (versions, ids): letters and digits only. */
function safeCode(v: string): string {
  return /^[A-Za-z0-9]{1,12}$/.test(v) ? v : '(invalid)';
}
