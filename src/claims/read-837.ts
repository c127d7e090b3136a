/**
 * 837P/I/D → {@link Claim}, streaming. The X12 engine does the parsing and the guide checks
 * (tokenizer → envelope → loop walker → element checks); this reader listens to the walked segments
 * (`onSegment` with the loop each belongs to) and builds one claim at a time: the 2000A/2000B/2000C
 * context it sits under (kept per HL id of the current transaction set), its 2300 segments, 2310
 * providers, 2320/2330 other payers and its 2400 lines with 2410/2420/2430/2440. A claim is complete
 * when the next CLM, HL or SE (or the end of the set) arrives; it is then checked (diagnosis pointers,
 * SNIP 3 balancing) and handed out, and the reader keeps nothing of it.
 *
 * Bad input never throws: a value that is not what its element requires (an amount that is not a
 * number, a date that is not a date), a line pointing at a diagnosis that does not exist, an HL whose
 * parent is missing or not an earlier HL, becomes a {@link Finding} with its location, and the rest of
 * the file is still read. Findings never quote element values.
 *
 * @example
 * for await (const { claim, findings } of read837(createReadStream('batch.x12'))) store(claim, findings);
 */
import type { EnvelopeRef } from '../../schemas/common.schema.ts';
import type {
  Address,
  AdjustmentGroup,
  Attachment,
  BillingProvider,
  Claim,
  ClaimDate,
  ClaimProvider,
  ClaimType,
  ConditionIndicator,
  Contact,
  Form,
  InstitutionalCodes,
  LineAdjudication,
  OtherPayer,
  OtherPayerProvider,
  Patient,
  Payer,
  PayToAddress,
  PayToPlan,
  Person,
  Procedure,
  Provider,
  Reference,
  ServiceLine,
  Subscriber,
} from '../../schemas/claim.schema.ts';
import type { Finding } from '../../schemas/finding.schema.ts';
import type { TransactionSetReport, ValidationReport } from '../x12/report.ts';
import type { Segment } from '../x12/segment.ts';
import { chunksOf, Tokenizer, type TokenSink, type X12Source } from '../x12/tokenizer.ts';
import { X12Validator } from '../x12/validate.ts';
import type { WalkStep } from '../x12/walker.ts';
import { balance837 } from './balance-837.ts';
import {
  APPLIANCE_PLACEMENT_QUALIFIER,
  CLAIM_AMOUNT_QUALIFIERS,
  CLAIM_DATE_QUALIFIERS,
  CLAIM_REFERENCE_QUALIFIERS,
  DIAGNOSIS_QUALIFIERS,
  DISCHARGE_HOUR_QUALIFIER,
  ENTITY_CODE_ROLES,
  HI_QUALIFIERS,
  INVESTIGATIONAL_DEVICE_QUALIFIER,
  LINE_AMOUNT_QUALIFIERS,
  LINE_DATE_QUALIFIERS,
  LINE_QUANTITY_QUALIFIERS,
  LINE_REFERENCE_LISTS,
  LINE_REFERENCE_QUALIFIERS,
  POINTED_DIAGNOSIS_KINDS,
} from './codes-837.ts';
import { fieldPath, indexedPath, itemPrefix, SegmentFieldReader, SourceCollector, type ReadSink } from './segment-fields.ts';
import {
  CL1_FIELDS,
  CLM_INDICATORS,
  CN1_FIELDS,
  CR1_FIELDS,
  CR2_FIELDS,
  CR3_FIELDS,
  DN1_FIELDS,
  HCP_FIELDS,
  MIA_FIELDS,
  MIA_REMARK_ELEMENTS,
  MOA_FIELDS,
  MOA_REMARK_ELEMENTS,
  N3_ADDRESS,
  N4_ADDRESS,
  NM1_NAME,
  OI_FIELDS,
  PAT_FIELDS,
  SBR_FIELDS,
  SV5_FIELDS,
  type PatientDetails,
} from './segment-tables-837.ts';
import { parseDatePeriod, parseTime } from '../x12/values.ts';

export interface Read837Options {
  /** Text before the first ISA: `reject` (default) reports it, `skip` only warns (annotated samples). */
  leadingText?: 'reject' | 'skip';
  /** Most X12 issues kept per transaction set in the report. */
  maxIssuesPerSet?: number;
  /** Run SNIP 3 balancing on each claim (default true). */
  balance?: boolean;
}

/** A claim as it completes, with the findings about it (reader and balancing). */
export interface ClaimRead {
  claim: Claim;
  findings: Finding[];
}

/** What is known once the whole file is read. */
export interface Read837Result {
  /** The X12 validation report (envelope, IK3/IK4 issues): the 999 is built from it. */
  report: ValidationReport;
  /** Findings tied to no claim (an HL level nobody claimed, a bad HL with no claim under it). */
  findings: Finding[];
}

/** Largest slice of input handed to the tokenizer before the completed claims are yielded. */
const FEED_BYTES = 16 * 1024;

/** Collectors kept for reuse, and the largest kept (a garbage file's huge level must not stay in memory). */
const MAX_FREE_COLLECTORS = 8;
const MAX_RECYCLED_CAPACITY = 256;

/** Findings tied to no claim are capped: a garbage file must not grow memory without bound. */
const MAX_UNCLAIMED_FINDINGS = 1000;

/**
 * Read the claims of an 837 source (string, bytes, stream, S3 body), yielding each as soon as it is
 * complete. The generator's return value is the validation report and the findings tied to no claim.
 *
 * @example
 * const claims = read837(stream);
 * let next = await claims.next();
 * while (!next.done) { handle(next.value); next = await claims.next(); }
 * const { report } = next.value;
 */
export async function* read837(source: X12Source, options: Read837Options = {}): AsyncGenerator<ClaimRead, Read837Result, undefined> {
  const reader = new Claim837Reader(options.balance ?? true);
  const validator = new X12Validator({
    ...(options.maxIssuesPerSet !== undefined ? { maxIssuesPerSet: options.maxIssuesPerSet } : {}),
    onSegment: (segment, step, set) => reader.onSegment(segment, step, set),
    onSetEnd: () => reader.onSetEnd(),
  });
  // One Segment object for the whole file: neither this reader nor the validator keeps a segment past
  // its callback (the reader copies positions into SourceRefs), and a segment object per segment was a
  // large share of the garbage.
  const tokenizer = new Tokenizer({ reuseSegments: true, ...(options.leadingText ? { leadingText: options.leadingText } : {}) });
  // The envelope segments (ISA, GS) never reach onSegment: note their control numbers on the way in
  // (the tokenizer hands envelope segments over apart from the body's; see `TokenSink.envelopeSegment`).
  const sink: TokenSink = {
    segment: (segment) => validator.segment(segment),
    envelopeSegment: (segment) => {
      if (segment.id === 'ISA' || segment.id === 'GS') reader.onEnvelope(segment);
      validator.envelopeSegment(segment);
    },
    issue: (issue) => validator.issue(issue),
  };
  for await (const chunk of chunksOf(source)) {
    validator.bytes += chunk.length;
    // A source already in memory comes as one chunk: feed it in slices so claims still leave as they
    // complete, instead of queuing a whole file's claims.
    for (let start = 0; start < chunk.length; start += FEED_BYTES) {
      tokenizer.write(chunk.subarray(start, start + FEED_BYTES), sink);
      // A plain loop rather than `yield*` over a generator: delegating to a sync iterator from an async
      // generator wraps every claim in an extra promise and result object.
      for (let completed = reader.takeCompleted(); completed.length > 0; completed = reader.takeCompleted()) {
        for (let i = 0; i < completed.length; i++) yield completed[i]!;
      }
    }
  }
  tokenizer.end(sink);
  const report = validator.finish();
  reader.onSetEnd();
  for (let completed = reader.takeCompleted(); completed.length > 0; completed = reader.takeCompleted()) {
    for (let i = 0; i < completed.length; i++) yield completed[i]!;
  }
  return { report, findings: reader.unclaimedFindings };
}

/**
 * Read a whole (small) 837 into memory: every claim, every finding (the claims' and the unclaimed
 * ones, in file order of the claims), and the validation report. For tests and small files; use
 * {@link read837} for batches.
 */
export async function read837All(source: X12Source, options: Read837Options = {}): Promise<{ claims: Claim[]; findings: Finding[]; report: ValidationReport }> {
  const claims: Claim[] = [];
  const findings: Finding[] = [];
  const it = read837(source, options);
  let next = await it.next();
  while (!next.done) {
    claims.push(next.value.claim);
    findings.push(...next.value.findings);
    next = await it.next();
  }
  findings.push(...next.value.findings);
  return { claims, findings, report: next.value.report };
}

// ────────────────────────────────────────────────────────────────────────────────────────────────
// Contexts: what 2000A, 2000B and 2000C give every claim under them.

/**
 * Model pieces built from one HL level, with their sources (paths from the claim) and findings. A
 * subscriber's sources start with its billing provider's, a patient's with its subscriber's (copied when
 * the HL starts, its parent's segments all read by then): the sources of a claim's whole context are
 * then one level's collector, never joined per claim or per HL.
 */
interface HlContext<T> {
  value: T;
  sources: SourceCollector;
  findings: Finding[];
  /** Where the level's segments record (its `sources` and `findings`), made once per level. */
  sink: ReadSink;
  /** Whether a claim took this context (its findings then went with the claim). */
  used: boolean;
}

interface BillingLevel {
  billingProvider: BillingProvider;
  payToAddress?: PayToAddress;
  payToPlan?: PayToPlan;
}

interface SubscriberLevel {
  subscriber: Subscriber;
  payer: Payer;
  /** 2000B PAT (837P): details of the patient who is the subscriber. */
  patientDetails?: PatientDetails;
}

interface PatientLevel {
  patient: Patient;
}

/** The context claims under one HL share, assembled once (see `claimContext`). */
interface ClaimContext {
  value: BillingLevel & { subscriber: Subscriber; payer: Payer; patient: Patient };
  /** The sources of the context are this collector's first `sourcesLength` entries (as they were when its first claim took it). */
  sources: SourceCollector;
  sourcesLength: number;
  findings: Finding[];
  /** The patient is the subscriber (2000B): its address, ids and contact are the subscriber's own objects. */
  patientIsSubscriber: boolean;
}

/**
 * How long the context of a completed claim lives on, as the segment that completed it says: another
 * CLM under the same HL takes the same context (`lives`); an HL 23 (or an HL of no level) leaves the
 * subscriber for later patients but no claim comes under the claim's own HL again (`patientEnds`); an
 * HL 20 or 22, an SE or the end of the set close the subscriber level too (`ends`).
 */
type ContextFate = 'lives' | 'patientEnds' | 'ends';

interface HlNode {
  id: string;
  claimContext?: ClaimContext | undefined;
  level: '20' | '22' | '23';
  billing?: HlContext<BillingLevel> | undefined;
  subscriber?: HlContext<SubscriberLevel> | undefined;
  patient?: HlContext<PatientLevel> | undefined;
  /** 22: its billing provider level; 23: its subscriber level. */
  parent?: HlNode;
  /**
   * A later HL of the same level (or above) has started: the hierarchy of an 837 nests each level's
   * children right after it, so nothing may come under this one any more and its context is dropped.
   */
  closed?: boolean;
}

/** The contexts a claim context is assembled from are taken (`used`): their findings, in order. */
function takeFindings(...contexts: (HlContext<unknown> | undefined)[]): Finding[] {
  const findings: Finding[] = [];
  for (const context of contexts) {
    if (!context) continue;
    context.used = true;
    for (const finding of context.findings) findings.push(finding);
  }
  return findings;
}

/**
 * Close an HL level a later level has replaced: its context goes (it can take no more claims), its id
 * and level stay for HL02 checks. A large set of many subscribers then holds ids, not contexts.
 */
function close(node: HlNode | undefined): void {
  if (!node) return;
  node.closed = true;
  // Set to undefined rather than deleted: deleting turns the node into a slow dictionary object.
  node.billing = undefined;
  node.subscriber = undefined;
  node.claimContext = undefined;
}

/**
 * An HL id written as a whole number without leading zeros and at most five digits (`1`, `2`, … as
 * every sender numbers them) → that number, else -1. Such ids are kept in a list by number: one id
 * string is one number and back, so they are told apart exactly as by the text, without hashing it.
 */
function hlNumberOf(id: string): number {
  const length = id.length;
  if (length === 0 || length > 5 || (length > 1 && id.charCodeAt(0) === 0x30)) return -1;
  let n = 0;
  for (let i = 0; i < length; i++) {
    const c = id.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Person fields copied from the subscriber to a patient who is the subscriber. */
const PERSON_KEYS: readonly (keyof Person)[] = [
  'entityType',
  'lastOrOrganizationName',
  'firstName',
  'middleName',
  'suffix',
  'memberIdQualifier',
  'memberId',
  'address',
  'birthDate',
  'sex',
  'secondaryIds',
  'contact',
];

// ────────────────────────────────────────────────────────────────────────────────────────────────
// The claim and line under construction.

/** The line being read and the loop state under it (2420 provider, 2430 adjudication, 2440 form). */
interface LineBuild {
  line: ServiceLine;
  provider?: ClaimProvider;
  adjudication?: LineAdjudication;
  form?: Form;
}

interface ClaimBuild {
  claim: Claim;
  /** The reader's claim sink: its `sources` become `claim.sources` when the claim is complete. */
  sink: ReadSink;
  /** Paths whose value was present but could not be read (balancing skips them); made on first use. */
  unreadable: Set<string> | undefined;
  /**
   * The context whose subscriber, payer and patient the claim holds uncopied until it is settled (see
   * `settleContext`); undefined once it is.
   */
  pendingContext: ClaimContext | undefined;
  provider?: ClaimProvider;
  otherPayer?: OtherPayer;
  otherPayerProvider?: OtherPayerProvider;
  line?: LineBuild;
}

/** Note a path whose value was present but unreadable. */
function markUnreadable(build: ClaimBuild, path: string): void {
  (build.unreadable ??= new Set()).add(path);
}

/** Balancing options when nothing was unreadable (the common case): one object for every claim. */
const NOTHING_UNREADABLE = { unreadable: new Set<string>() as ReadonlySet<string> };

/**
 * A claim's and a line's `sources` until the claim is complete (replaced then; never handed out). One
 * shared placeholder keeps the object literals' shape without an empty record per claim and line.
 */
const PENDING_SOURCES: Claim['sources'] = Object.freeze({});

/** A row of a qualifier table as the reader looks it up: its field and the field's path. */
interface QualifiedField<K extends string> {
  key: K;
  path: string;
}

/**
 * A qualifier table of codes-837.ts as a look-up by qualifier (its first row for a qualifier wins, as a
 * search of the table would), each row with its path under `prefix` made once.
 */
function byQualifier<K extends string>(rows: readonly { qualifier: string; key: K }[], prefix: string): ReadonlyMap<string, QualifiedField<K>> {
  const map = new Map<string, QualifiedField<K>>();
  for (const row of rows) if (!map.has(row.qualifier)) map.set(row.qualifier, { key: row.key, path: fieldPath(prefix, row.key) });
  return map;
}

const CLAIM_DATES = byQualifier(CLAIM_DATE_QUALIFIERS, 'dates.');
const CLAIM_REFERENCES = byQualifier(CLAIM_REFERENCE_QUALIFIERS, 'references.');
const CLAIM_AMOUNTS = byQualifier(CLAIM_AMOUNT_QUALIFIERS, 'amounts.');
const LINE_DATES = byQualifier(LINE_DATE_QUALIFIERS, 'dates.');
const LINE_REFERENCES = byQualifier(LINE_REFERENCE_QUALIFIERS, 'references.');
const LINE_REFERENCE_LIST_KEYS = byQualifier(LINE_REFERENCE_LISTS, 'references.');
const LINE_AMOUNTS = byQualifier(LINE_AMOUNT_QUALIFIERS, 'amounts.');
const LINE_QUANTITIES = byQualifier(LINE_QUANTITY_QUALIFIERS, '');

/** The paths of diagnosis i's fields (`diagnoses.i.code`, …), made once per index. */
interface DiagnosisPaths {
  code: string;
  presentOnAdmission: string;
}
const diagnosisPathsByIndex: DiagnosisPaths[] = [];
function diagnosisPaths(index: number): DiagnosisPaths {
  let paths = diagnosisPathsByIndex[index];
  if (paths === undefined) {
    const prefix = itemPrefix('diagnoses.', index);
    paths = { code: fieldPath(prefix, 'code'), presentOnAdmission: fieldPath(prefix, 'presentOnAdmission') };
    // Bounded as the reading kit's own path caches are (a garbage file may list thousands).
    if (index < 100) diagnosisPathsByIndex[index] = paths;
  }
  return paths;
}

// What the reader does with a loop's segments (see `loopKindOf`). Claim-level kinds from LOOP_CLAIM on.
const LOOP_NONE = 0;
const LOOP_HEADER = 1;
const LOOP_BILLING = 2;
const LOOP_SUBSCRIBER = 3;
const LOOP_PATIENT = 4;
const LOOP_CLAIM = 5;
const LOOP_CLAIM_PROVIDER = 6;
const LOOP_OTHER_PAYER = 7;
const LOOP_OTHER_PAYER_NAME = 8;
const LOOP_LINE = 9;
const LOOP_DRUG = 10;
const LOOP_LINE_PROVIDER = 11;
const LOOP_LINE_ADJUDICATION = 12;
const LOOP_FORM = 13;

function classifyLoop(loop: string): number {
  switch (loop) {
    case 'ST':
      return LOOP_HEADER;
    case '2000A':
    case '2010AA':
    case '2010AB':
    case '2010AC':
      return LOOP_BILLING;
    case '2000B':
    case '2010BA':
    case '2010BB':
      return LOOP_SUBSCRIBER;
    case '2000C':
    case '2010CA':
      return LOOP_PATIENT;
    case '2300':
      return LOOP_CLAIM;
    case '2320':
      return LOOP_OTHER_PAYER;
    case '2400':
      return LOOP_LINE;
    case '2410':
      return LOOP_DRUG;
    case '2430':
      return LOOP_LINE_ADJUDICATION;
    case '2440':
      return LOOP_FORM;
  }
  if (loop.startsWith('2310')) return LOOP_CLAIM_PROVIDER;
  if (loop.startsWith('2330')) return LOOP_OTHER_PAYER_NAME;
  if (loop.startsWith('2420')) return LOOP_LINE_PROVIDER;
  return LOOP_NONE;
}

/**
 * The kind of a loop id, classified once per id: a segment's dispatch is then one look-up, where a chain
 * of string comparisons and `startsWith` calls ran for every segment. (Loop ids come from the guide maps;
 * the cache is bounded all the same.)
 */
const loopKinds = new Map<string, number>();
function loopKindOf(loop: string): number {
  let kind = loopKinds.get(loop);
  if (kind === undefined) {
    kind = classifyLoop(loop);
    if (loopKinds.size < 1000) loopKinds.set(loop, kind);
  }
  return kind;
}

/** The 837 reader's state machine, fed by the validator's `onSegment`. */
class Claim837Reader {
  readonly unclaimedFindings: Finding[] = [];
  private completed: ClaimRead[] = [];

  // Envelope.
  private interchangeControl = '';
  private sender = '';
  private receiver = '';
  private groupControl = '';

  // Transaction set.
  private type: ClaimType | undefined;
  private envelope: EnvelopeRef | undefined;
  private claimOrEncounter: string | undefined;
  /** The set's HL levels by id: a whole-number id (nearly all) by its number, any other in `hlsById`. */
  private hlsByNumber: (HlNode | undefined)[] = [];
  private hlsById = new Map<string, HlNode>();
  private current: HlNode | undefined;
  private lastBilling: HlNode | undefined;
  private lastSubscriber: HlNode | undefined;
  /** Contexts of this set that carry findings (reported as unclaimed if no claim takes them). */
  private contextsWithFindings: HlContext<unknown>[] = [];
  private build: ClaimBuild | undefined;
  private fieldReader: SegmentFieldReader | undefined;
  /**
   * The sources of the claim being read, and of its lines one after another (line i's are entries
   * `lineStarts[i]` up to the next line's start). Reused claim after claim: their lists keep their room,
   * where a collector per claim and per line grew new lists for each and threw them away.
   */
  private readonly claimSources = new SourceCollector();
  private readonly lineSources = new SourceCollector();
  private readonly lineStarts: number[] = [];
  /** The sinks of the claim and of its current line (pointed at each claim's findings in turn). */
  private readonly claimSink: ReadSink = { sources: this.claimSources, findings: [], claimRef: undefined, line: undefined };
  private readonly lineSink: ReadSink = { sources: this.lineSources, findings: [], claimRef: undefined, line: undefined };
  /** Entries of the last context of each level beyond its parent's (a size hint for the next). */
  private readonly contextSizes: Record<HlNode['level'], number> = { '20': 0, '22': 0, '23': 0 };
  /** Collectors of closed levels, for the next levels' contexts (few: about one level closes per HL). */
  private readonly freeCollectors: SourceCollector[] = [];
  /** A claim under no HL level starts from no sources. */
  private readonly noSources = new SourceCollector();
  /** The problem with the current HL's parent id (HL02), if any, until its context is made. */
  private parentProblem: { code: string; message: string } | undefined;
  /** HL segments record nothing; a findings list is set when one is reported. */
  private readonly hlSink: ReadSink = { sources: new SourceCollector(), findings: [] };

  constructor(private readonly balance: boolean) {}

  /** The claims completed so far (taken: the reader keeps none of them). */
  takeCompleted(): ClaimRead[] {
    const batch = this.completed;
    if (batch.length > 0) this.completed = [];
    return batch;
  }

  onEnvelope(segment: Segment): void {
    if (segment.id === 'ISA') {
      const els = segment.elements();
      this.interchangeControl = (els[13] ?? '').trim();
      this.sender = (els[6] ?? '').trim();
      this.receiver = (els[8] ?? '').trim();
      this.groupControl = '';
    } else {
      this.groupControl = segment.element(6);
    }
  }

  onSetEnd(): void {
    this.finishClaim('ends');
    for (const context of this.contextsWithFindings) {
      if (!context.used) this.unclaimed(context.findings);
    }
    this.contextsWithFindings = [];
    this.hlsByNumber = [];
    this.hlsById = new Map();
    this.current = undefined;
    this.lastBilling = undefined;
    this.lastSubscriber = undefined;
    this.type = undefined;
  }

  onSegment(segment: Segment, step: WalkStep, set: TransactionSetReport): void {
    const id = segment.id;
    if (id === 'ST') return this.startSet(set);
    if (this.type === undefined) return;
    if (id === 'SE') return this.finishClaim('ends');
    if (id === 'HL') return this.hl(segment, step.loopId);
    if (id === 'CLM') return this.startClaim(segment, step.loopId);
    const loop = step.loopId;
    const kind = loopKindOf(loop);
    switch (kind) {
      case LOOP_HEADER:
        if (id === 'BHT') this.claimOrEncounter = segment.element(6) || undefined;
        return;
      case LOOP_BILLING:
        return this.billingLevel(segment, loop);
      case LOOP_SUBSCRIBER:
        return this.subscriberLevel(segment, loop);
      case LOOP_PATIENT:
        return this.patientLevel(segment, loop);
    }
    if (kind < LOOP_CLAIM) return;
    const build = this.build;
    if (!build) return;
    switch (kind) {
      case LOOP_CLAIM:
        return this.claimSegment(build, this.fields(segment, loop, build.sink));
      case LOOP_CLAIM_PROVIDER:
        return this.claimProvider(build, this.fields(segment, loop, build.sink));
      case LOOP_OTHER_PAYER:
        return this.otherPayerSegment(build, this.fields(segment, loop, build.sink));
      case LOOP_OTHER_PAYER_NAME:
        return this.otherPayerName(build, this.fields(segment, loop, build.sink));
    }
    if (kind === LOOP_LINE && id === 'LX') return this.startLine(build, segment, loop);
    const line = build.line;
    if (!line) return;
    const r = this.fields(segment, loop, this.lineSink);
    switch (kind) {
      case LOOP_LINE:
        return this.lineSegment(build, line, r);
      case LOOP_DRUG:
        return this.drugSegment(line, r);
      case LOOP_LINE_PROVIDER:
        return this.lineProvider(line, r);
      case LOOP_LINE_ADJUDICATION:
        return this.lineAdjudication(build, line, r);
      case LOOP_FORM:
        return this.formSegment(line, r);
    }
  }

  // ── Set, hierarchy and contexts ─────────────────────────────────────────────────────────────

  private startSet(set: TransactionSetReport): void {
    this.finishClaim('ends');
    this.type = set.guide === '837P' ? 'P' : set.guide === '837I' ? 'I' : set.guide === '837D' ? 'D' : undefined;
    this.claimOrEncounter = undefined;
    this.envelope = {
      interchangeControl: this.interchangeControl,
      groupControl: this.groupControl,
      setControl: set.control,
      version: set.version,
      ...(this.sender ? { sender: this.sender } : {}),
      ...(this.receiver ? { receiver: this.receiver } : {}),
    };
  }

  /** The reader for this segment (one object, pointed at each segment in turn). */
  private fields(segment: Segment, loop: string, sink: ReadSink): SegmentFieldReader {
    const r = this.fieldReader;
    if (r) return r.reset(segment, loop, sink);
    return (this.fieldReader = new SegmentFieldReader(segment, loop, sink));
  }

  private unclaimed(findings: readonly Finding[]): void {
    for (const f of findings) {
      if (this.unclaimedFindings.length < MAX_UNCLAIMED_FINDINGS) this.unclaimedFindings.push(f);
    }
  }

  /** A level's context; its sources start with `parent`'s (see {@link HlContext}). */
  private newContext<T>(value: T, level: HlNode['level'], parent: SourceCollector | undefined): HlContext<T> {
    // A collector of a closed level if there is one (see `recycle`), else one made as long as the last
    // context of this level needed, so that they rarely grow.
    const sources = this.freeCollectors.pop()?.restart(parent) ?? SourceCollector.extending(parent, this.contextSizes[level]);
    const findings: Finding[] = [];
    return { value, sources, findings, sink: { sources, findings }, used: false };
  }

  /** A context that just got its first findings is remembered, so they are reported even if no claim takes it. */
  private rememberFindings(context: HlContext<unknown>, before: number): void {
    if (before === 0 && context.findings.length > 0) this.contextsWithFindings.push(context);
  }

  /** A finding for a context: remembered so it is reported even if no claim takes the context. */
  private contextProblem(context: HlContext<unknown>, r: SegmentFieldReader, code: string, message: string, element: number): void {
    const before = context.findings.length;
    new SegmentFieldReader(r.segment, r.loopId, context.sink).problem(code, 'reject', message, element);
    this.rememberFindings(context, before);
  }

  /**
   * HL: a new billing provider (20), subscriber (22) or patient (23) level. Its parent (HL02) must be an
   * earlier HL of the level above; where it is missing or wrong, the most recent HL of that level is
   * used and the problem is a finding of the new level (so of every claim under it).
   */
  private hl(segment: Segment, loop: string): void {
    // HL01–03 are read, not recorded: the sink only takes the finding of a level that is not one.
    const levelSink = this.hlSink;
    const r = this.fields(segment, loop, levelSink);
    const id = r.value(1);
    const level = r.value(3);
    this.finishClaim(level === '20' || level === '22' ? 'ends' : 'patientEnds');
    this.releaseCurrent();
    if (level !== '20' && level !== '22' && level !== '23') {
      levelSink.findings = [];
      r.problem('READ_HL_LEVEL', 'reject', `HL03 in loop ${r.loopId} is not a level of the 837 (20, 22 or 23); the segments under it are not read.`, 3);
      this.unclaimed(levelSink.findings);
      this.current = undefined;
      return;
    }
    // Every field present from the start: one object shape for every node, whatever its level.
    const node: HlNode = { id, level, claimContext: undefined, billing: undefined, subscriber: undefined, patient: undefined, parent: undefined, closed: false };
    let context: HlContext<unknown>;
    if (level === '20') {
      node.billing = this.newContext<BillingLevel>({ billingProvider: {} }, level, undefined);
      context = node.billing;
      this.close(this.lastSubscriber);
      this.close(this.lastBilling);
      this.lastBilling = node;
      this.lastSubscriber = undefined;
    } else if (level === '22') {
      node.parent = this.parentOf(r, node, '20', this.lastBilling);
      node.subscriber = this.newContext<SubscriberLevel>({ subscriber: {}, payer: {} }, level, node.parent?.billing?.sources);
      context = node.subscriber;
      this.close(this.lastSubscriber);
      this.lastSubscriber = node;
    } else {
      node.parent = this.parentOf(r, node, '22', this.lastSubscriber);
      node.patient = this.newContext<PatientLevel>({ patient: { sameAsSubscriber: false } }, level, node.parent?.subscriber?.sources);
      context = node.patient;
    }
    if (this.parentProblem) {
      this.contextProblem(context, r, this.parentProblem.code, this.parentProblem.message, 2);
      this.parentProblem = undefined;
    }
    if (id === '' || this.hlNode(id) !== undefined) {
      this.contextProblem(context, r, 'READ_HL_ID', `HL01 in loop ${r.loopId} is missing or repeats an earlier HL id.`, 1);
    }
    if (id !== '') {
      const n = hlNumberOf(id);
      if (n >= 0) this.hlsByNumber[n] = node;
      else this.hlsById.set(id, node);
    }
    this.current = node;
  }

  /** The HL of this set with this id. */
  private hlNode(id: string): HlNode | undefined {
    const n = hlNumberOf(id);
    return n >= 0 ? this.hlsByNumber[n] : this.hlsById.get(id);
  }

  /**
   * The current HL level is left: no claim can come under it any more (a CLM belongs to the current
   * HL), so its assembled claim context, and a patient level's own context (23 is never a parent), are
   * dropped. Only the id and level stay for HL02 checks; a set of thousands of subscribers then keeps
   * little until its SE. (Its findings, if any, stay in `contextsWithFindings`.)
   */
  private releaseCurrent(): void {
    const node = this.current;
    if (!node) return;
    // Set to undefined rather than deleted: deleting turns the node into a slow dictionary object.
    node.claimContext = undefined;
    if (node.level === '23') {
      this.recycle(node.patient);
      node.patient = undefined;
    }
  }

  /** Close an HL level a later level has replaced (see {@link close}), recycling its context's collector. */
  private close(node: HlNode | undefined): void {
    if (!node) return;
    this.recycle(node.billing);
    this.recycle(node.subscriber);
    close(node);
  }

  /**
   * The collector of a context no claim can take any more (its level is closed, the claim under it is
   * complete, and other levels copied its entries) serves the next level's context: one pair of lists
   * for the file instead of a pair per HL. A very large one is left to the collector.
   */
  private recycle(context: HlContext<unknown> | undefined): void {
    if (context !== undefined && context.sources.capacity <= MAX_RECYCLED_CAPACITY && this.freeCollectors.length < MAX_FREE_COLLECTORS) {
      this.freeCollectors.push(context.sources);
    }
  }

  /**
   * HL02's node, or `fallback` with the problem left in `parentProblem` (reported by the caller into the
   * level's context, once that is made).
   */
  private parentOf(r: SegmentFieldReader, node: HlNode, parentLevel: '20' | '22', fallback: HlNode | undefined): HlNode | undefined {
    const parentId = r.value(2);
    const levelName = parentLevel === '20' ? 'billing provider' : 'subscriber';
    if (parentId === '') {
      this.parentProblem = { code: 'READ_HL_PARENT_MISSING', message: `HL02 (parent id) is missing in loop ${r.loopId}; the claims under it are read under the last ${levelName} level.` };
      return fallback;
    }
    const parent = this.hlNode(parentId);
    if (!parent || parent === node) {
      this.parentProblem = { code: 'READ_HL_PARENT_UNKNOWN', message: `HL02 (parent id) in loop ${r.loopId} names no earlier HL; the claims under it are read under the last ${levelName} level.` };
      return fallback;
    }
    if (parent.level !== parentLevel) {
      this.parentProblem = { code: 'READ_HL_PARENT_LEVEL', message: `HL02 (parent id) in loop ${r.loopId} names an HL that is not a ${levelName} level.` };
      return fallback;
    }
    if (parent.closed) {
      this.parentProblem = { code: 'READ_HL_PARENT_ORDER', message: `HL02 (parent id) in loop ${r.loopId} names a ${levelName} level that later levels have closed (an HL must follow its parent's other children); the claims under it are read under the last ${levelName} level.` };
      return fallback;
    }
    return parent;
  }

  private billingLevel(segment: Segment, loop: string): void {
    const node = this.current;
    const context = node?.level === '20' ? node.billing : undefined;
    if (!context) return;
    const r = this.fields(segment, loop, context.sink);
    const before = context.findings.length;
    const level = context.value;
    const id = segment.id;
    if (loop === '2000A') {
      if (id === 'PRV') assignDefined(level.billingProvider, 'taxonomy', r.text('billingProvider.taxonomy', 3));
      else if (id === 'CUR') assignDefined(level.billingProvider, 'currency', r.text('billingProvider.currency', 2));
    } else if (loop === '2010AA') {
      readProviderSegment(r, level.billingProvider, 'billingProvider.');
    } else if (loop === '2010AB') {
      const payTo = (level.payToAddress ??= {});
      if (id === 'NM1') assignDefined(payTo, 'entityType', r.text('payToAddress.entityType', 2));
      else readAddressSegment(r, payTo, 'payToAddress.');
    } else if (loop === '2010AC') {
      readPayToPlan(r, (level.payToPlan ??= {}));
    }
    this.rememberFindings(context, before);
  }

  private subscriberLevel(segment: Segment, loop: string): void {
    const node = this.current;
    const context = node?.level === '22' ? node.subscriber : undefined;
    if (!context) return;
    // A 2000B segment after a CLM changes the context a claim holds uncopied: it takes its copies first.
    if (this.build) this.settleContext(this.build, 'lives');
    const r = this.fields(segment, loop, context.sink);
    const before = context.findings.length;
    const level = context.value;
    const id = segment.id;
    if (loop === '2000B') {
      if (id === 'SBR') r.readTableInto(level.subscriber, SBR_FIELDS, 'subscriber.');
      else if (id === 'PAT') level.patientDetails = r.readTable(PAT_FIELDS, 'patient.');
    } else if (loop === '2010BA') {
      readPersonSegment(r, level.subscriber, 'subscriber.');
    } else if (loop === '2010BB') {
      readPayerSegment(r, level.payer, 'payer.');
    }
    this.rememberFindings(context, before);
  }

  private patientLevel(segment: Segment, loop: string): void {
    const node = this.current;
    const context = node?.level === '23' ? node.patient : undefined;
    if (!context) return;
    if (this.build) this.settleContext(this.build, 'lives');
    const r = this.fields(segment, loop, context.sink);
    const before = context.findings.length;
    const patient = context.value.patient;
    if (loop === '2000C') {
      if (segment.id === 'PAT') r.readTableInto(patient, PAT_FIELDS, 'patient.');
    } else {
      readPersonSegment(r, patient, 'patient.');
    }
    this.rememberFindings(context, before);
  }

  // ── Claim ───────────────────────────────────────────────────────────────────────────────────

  /** CLM: a new claim under the current HL (2000B when the patient is the subscriber, else 2000C). */
  private startClaim(segment: Segment, loop: string): void {
    this.finishClaim('lives');
    const type = this.type!;
    const node = this.current;
    const patientNode = node?.level === '23' ? node : undefined;
    const subscriberNode = node?.level === '22' ? node : patientNode?.parent;
    const billingNode = subscriberNode?.parent ?? (node?.level === '20' ? node : undefined);

    const template = this.claimContext(node, billingNode, subscriberNode, patientNode);
    // Each claim gets its own copy of the context: claims of one subscriber must not share mutable objects.
    // The billing level's is copied now; the subscriber, payer and patient once the claim is complete,
    // and only where a later claim may still take them (`settleContext`): most subscribers have one claim.
    const context = template.value;
    // The context's sources are shared by its claims (never changed once its first claim took them).
    this.claimSources.reset(template.sources, template.sourcesLength);
    this.lineSources.reset();
    const findings: Finding[] = template.findings.slice();

    const claim: Claim = {
      type,
      patientControlNumber: '',
      totalCharge: 0,
      billingProvider: copyProvider(context.billingProvider),
      subscriber: context.subscriber,
      payer: context.payer,
      patient: context.patient,
      dates: {},
      references: {},
      amounts: {},
      diagnoses: [],
      providers: [],
      otherPayers: [],
      lines: [],
      sources: PENDING_SOURCES,
      envelope: this.envelope!,
    };
    if (this.claimOrEncounter !== undefined) claim.claimOrEncounter = this.claimOrEncounter;
    if (context.payToAddress) claim.payToAddress = copyPayTo(context.payToAddress);
    if (context.payToPlan) claim.payToPlan = copyPayTo(context.payToPlan);

    const sink = this.claimSink;
    sink.findings = findings;
    sink.claimRef = undefined;
    const r = this.fields(segment, loop, sink);
    const pcn = r.value(1);
    if (pcn !== '') {
      sink.claimRef = pcn;
      claim.patientControlNumber = pcn;
      r.record('patientControlNumber', 1);
    }
    const build: ClaimBuild = { claim, sink, unreadable: undefined, pendingContext: template };
    if (!subscriberNode) {
      r.problem('READ_CLAIM_OUTSIDE_HIERARCHY', 'reject', `The claim in loop ${loop} is under no subscriber level (HL 22); its billing provider, subscriber and payer are unknown.`);
    }
    claim.totalCharge = this.requiredMoney(build, r, 'totalCharge', 'totalCharge', 2);
    const location = r.components(5);
    const code = location[0] ?? '';
    if (code !== '') {
      if (type === 'I') claim.facilityType = code;
      else claim.placeOfService = code;
      r.record(type === 'I' ? 'facilityType' : 'placeOfService', 5, 1);
    }
    assignDefined(claim, 'facilityCodeQualifier', r.text('facilityCodeQualifier', 5, 2));
    assignDefined(claim, 'frequency', r.text('frequency', 5, 3));
    r.readTableInto(claim, CLM_INDICATORS, '');
    const causes = r.components(11);
    if (causes.length > 0) {
      const codes = causes.slice(0, 3).filter((c) => c !== '');
      claim.relatedCauses = { codes };
      r.record('relatedCauses', 11);
      assignDefined(claim.relatedCauses, 'state', r.text('relatedCauses.state', 11, 4));
      assignDefined(claim.relatedCauses, 'country', r.text('relatedCauses.country', 11, 5));
    }
    this.build = build;
  }

  /**
   * What every claim under `node` shares — billing provider and pay-to (2000A), subscriber and payer
   * (2000B), patient (2000C, or the subscriber) — with its sources and findings, built once per node
   * (its segments all come before its first CLM) and copied into each claim.
   */
  private claimContext(node: HlNode | undefined, billingNode: HlNode | undefined, subscriberNode: HlNode | undefined, patientNode: HlNode | undefined): ClaimContext {
    if (node?.claimContext) return node.claimContext;
    const billingContext = billingNode?.billing;
    const subscriberContext = subscriberNode?.subscriber;
    const patientContext = patientNode?.patient;
    // The deepest level's sources hold the levels above it (see HlContext).
    const sources = (patientContext ?? subscriberContext ?? billingContext)?.sources ?? this.noSources;
    this.noteContextSize(billingContext, undefined, '20');
    this.noteContextSize(subscriberContext, subscriberNode?.parent?.billing, '22');
    this.noteContextSize(patientContext, patientNode?.parent?.subscriber, '23');
    const findings = takeFindings(billingContext, subscriberContext, patientContext);
    const billing = billingContext?.value;
    const subscriberLevel = subscriberContext?.value;
    const patientLevel = patientContext?.value;
    const subscriber = subscriberLevel?.subscriber ?? {};
    const value: ClaimContext['value'] = {
      billingProvider: billing?.billingProvider ?? {},
      subscriber,
      payer: subscriberLevel?.payer ?? {},
      patient: patientLevel?.patient ?? patientFromSubscriber(subscriber, subscriberLevel?.patientDetails),
    };
    if (billing?.payToAddress) value.payToAddress = billing.payToAddress;
    if (billing?.payToPlan) value.payToPlan = billing.payToPlan;
    const context: ClaimContext = { value, sources, sourcesLength: sources.length, findings, patientIsSubscriber: patientLevel === undefined };
    if (node) node.claimContext = context;
    return context;
  }

  /** Remember how many entries a level's context added to its parent's (the next one's size hint). */
  private noteContextSize(context: HlContext<unknown> | undefined, parent: HlContext<unknown> | undefined, level: HlNode['level']): void {
    if (context) this.contextSizes[level] = context.sources.length - (parent?.sources.length ?? 0);
  }

  /**
   * A required amount: 0 when missing or unreadable, and then `claimPath` (its path from the claim) is
   * left out of balancing.
   */
  private requiredMoney(build: ClaimBuild, r: SegmentFieldReader, path: string, claimPath: string | number, element: number): number {
    const v = r.money(path, element);
    if (v === undefined) {
      // A number is a line's index: its path is only built when needed.
      markUnreadable(build, typeof claimPath === 'number' ? fieldPath(itemPrefix('lines.', claimPath), path) : claimPath);
      if (r.value(element) === '') r.problem('READ_MISSING_AMOUNT', 'reject', `${r.where(element)} (a required amount) is missing.`, element);
      return 0;
    }
    return v;
  }

  private claimSegment(build: ClaimBuild, r: SegmentFieldReader): void {
    const claim = build.claim;
    switch (r.segment.id) {
      case 'DTP':
        return this.claimDate(claim, r);
      case 'CL1':
        r.readTableInto((claim.institutional ??= {}), CL1_FIELDS, 'institutional.');
        return;
      case 'PWK':
        (claim.attachments ??= []).push(readAttachment(r, itemPrefix('attachments.', claim.attachments?.length ?? 0)));
        return;
      case 'CN1':
        claim.contract = { type: '', ...r.readTable(CN1_FIELDS, 'contract.') };
        return;
      case 'AMT': {
        const entry = CLAIM_AMOUNTS.get(r.value(1));
        if (!entry) return this.unknownQualifier(r, 1);
        assignDefined(claim.amounts, entry.key, r.money(entry.path, 2));
        return;
      }
      case 'REF':
        return this.claimReference(claim, r);
      case 'K3':
        pushDefined((claim.fileInformation ??= []), r.text(indexedPath('fileInformation.', claim.fileInformation?.length ?? 0), 1));
        return;
      case 'NTE':
        (claim.notes ??= []).push(readNote(r, itemPrefix('notes.', claim.notes?.length ?? 0)));
        return;
      case 'CR1':
        claim.ambulanceTransport = r.readTable(CR1_FIELDS, 'ambulanceTransport.');
        return;
      case 'CR2':
        claim.spinalManipulation = r.readTable(CR2_FIELDS, 'spinalManipulation.');
        return;
      case 'CRC':
        (claim.conditionIndicators ??= []).push(readConditions(r, itemPrefix('conditionIndicators.', claim.conditionIndicators?.length ?? 0)));
        return;
      case 'HI':
        return this.healthCareCodes(claim, r);
      case 'HCP':
        claim.pricing = { methodology: '', ...r.readTable(HCP_FIELDS, 'pricing.') };
        return;
      case 'DN1':
        (claim.dental ??= {}).orthodontic = r.readTable(DN1_FIELDS, 'dental.orthodontic.');
        return;
      case 'DN2': {
        const dental = (claim.dental ??= {});
        const list = (dental.toothStatus ??= []);
        const prefix = itemPrefix('dental.toothStatus.', list.length);
        const status: { tooth: string; status: string; codeListQualifier?: string } = { tooth: r.text(fieldPath(prefix, 'tooth'), 1) ?? '', status: r.text(fieldPath(prefix, 'status'), 2) ?? '' };
        assignDefined(status, 'codeListQualifier', r.text(fieldPath(prefix, 'codeListQualifier'), 6));
        list.push(status);
        return;
      }
    }
  }

  private unknownQualifier(r: SegmentFieldReader, element: number, component?: number): void {
    r.problem('READ_UNKNOWN_QUALIFIER', 'warn', `${r.where(element, component)} holds a qualifier this reader does not map; the value was not read.`, element, component);
  }

  private claimDate(claim: Claim, r: SegmentFieldReader): void {
    const qualifier = r.value(1);
    const format = r.value(2);
    if (qualifier === DISCHARGE_HOUR_QUALIFIER && format === 'TM') {
      const time = parseTime(r.value(3));
      if (!time.ok) return r.problem('READ_INVALID_TIME', 'reject', `${r.where(3)} is not a valid HHMM time.`, 3);
      claim.dates.dischargeHour = time.value;
      r.record('dates.dischargeHour', 3);
      return;
    }
    if (qualifier === APPLIANCE_PLACEMENT_QUALIFIER && claim.type === 'D') {
      const list = (claim.dates.appliancePlacements ??= []);
      const period = readDatePeriod(r, indexedPath('dates.appliancePlacements.', list.length));
      if (period) list.push(period);
      return;
    }
    const entry = CLAIM_DATES.get(qualifier);
    if (!entry) return this.unknownQualifier(r, 1);
    const period = readDatePeriod(r, entry.path);
    if (period) claim.dates[entry.key] = period;
  }

  private claimReference(claim: Claim, r: SegmentFieldReader): void {
    const qualifier = r.value(1);
    const refs = claim.references;
    if (qualifier === INVESTIGATIONAL_DEVICE_QUALIFIER) {
      const list = (refs.investigationalDeviceExemptions ??= []);
      pushDefined(list, r.text(indexedPath('references.investigationalDeviceExemptions.', list.length), 2));
      return;
    }
    const entry = CLAIM_REFERENCES.get(qualifier);
    if (entry) {
      assignDefined(refs, entry.key, r.text(entry.path, 2));
      return;
    }
    const list = (refs.other ??= []);
    list.push(readReference(r, itemPrefix('references.other.', list.length)));
  }

  /** HI: each composite goes where its qualifier says (diagnoses, procedures, occurrence, value, condition codes). */
  private healthCareCodes(claim: Claim, r: SegmentFieldReader): void {
    for (let k = 1; k <= 12; k++) {
      const parts = r.components(k);
      if (parts.length === 0) continue;
      const qualifier = parts[0] ?? '';
      const code = parts[1] ?? '';
      if (code === '') {
        r.problem('READ_EMPTY_CODE', 'warn', `${r.where(k)} has no code after its qualifier; it was not read.`, k, 2);
        continue;
      }
      const kind = DIAGNOSIS_QUALIFIERS.get(qualifier);
      if (kind) {
        const paths = diagnosisPaths(claim.diagnoses.length);
        r.record(paths.code, k, 2);
        const diagnosis: Claim['diagnoses'][number] = { kind, qualifier, code };
        assignDefined(diagnosis, 'presentOnAdmission', r.text(paths.presentOnAdmission, k, 9));
        claim.diagnoses.push(diagnosis);
        continue;
      }
      if (HI_QUALIFIERS.anesthesia.has(qualifier)) {
        const list = (claim.anesthesiaProcedures ??= []);
        r.record(fieldPath(itemPrefix('anesthesiaProcedures.', list.length), 'code'), k, 2);
        list.push({ qualifier, code });
      } else if (HI_QUALIFIERS.condition.has(qualifier)) {
        const list = (claim.conditionCodes ??= []);
        r.record(indexedPath('conditionCodes.', list.length), k, 2);
        list.push(code);
      } else if (HI_QUALIFIERS.drg.has(qualifier)) {
        (claim.institutional ??= {}).drg = code;
        r.record('institutional.drg', k, 2);
      } else if (HI_QUALIFIERS.principalProcedure.has(qualifier)) {
        const procedure = { qualifier, code, ...this.codeDate(r, k, 'institutional.principalProcedure.') };
        r.record('institutional.principalProcedure.code', k, 2);
        (claim.institutional ??= {}).principalProcedure = procedure;
      } else if (HI_QUALIFIERS.otherProcedure.has(qualifier)) {
        const list = ((claim.institutional ??= {}).otherProcedures ??= []);
        const prefix = itemPrefix('institutional.otherProcedures.', list.length);
        r.record(fieldPath(prefix, 'code'), k, 2);
        list.push({ qualifier, code, ...this.codeDate(r, k, prefix) });
      } else if (HI_QUALIFIERS.occurrence.has(qualifier)) {
        const list = ((claim.institutional ??= {}).occurrences ??= []);
        const prefix = itemPrefix('institutional.occurrences.', list.length);
        r.record(fieldPath(prefix, 'code'), k, 2);
        list.push({ qualifier, code, ...this.codeDate(r, k, prefix) });
      } else if (HI_QUALIFIERS.occurrenceSpan.has(qualifier)) {
        const institutional: InstitutionalCodes = (claim.institutional ??= {});
        const list = (institutional.occurrenceSpans ??= []);
        const prefix = itemPrefix('institutional.occurrenceSpans.', list.length);
        const period = parseDatePeriod(parts[2] || 'RD8', parts[3] ?? '');
        if (!period.ok) {
          r.problem('READ_INVALID_DATE', 'reject', `${r.where(k, 4)} is not a valid date range.`, k, 4);
          continue;
        }
        r.record(fieldPath(prefix, 'code'), k, 2);
        r.record(fieldPath(prefix, 'from'), k, 4);
        list.push({ code, from: period.value.from, to: period.value.to });
      } else if (HI_QUALIFIERS.value.has(qualifier)) {
        const list = ((claim.institutional ??= {}).values ??= []);
        const prefix = itemPrefix('institutional.values.', list.length);
        const amount = r.money(fieldPath(prefix, 'amount'), k, 5);
        if (amount === undefined) {
          if ((parts[4] ?? '') === '') r.problem('READ_MISSING_AMOUNT', 'reject', `${r.where(k, 5)} (the value code's amount) is missing.`, k, 5);
          continue;
        }
        r.record(fieldPath(prefix, 'code'), k, 2);
        list.push({ code, amount });
      } else if (HI_QUALIFIERS.treatment.has(qualifier)) {
        const list = ((claim.institutional ??= {}).treatmentCodes ??= []);
        r.record(indexedPath('institutional.treatmentCodes.', list.length), k, 2);
        list.push(code);
      } else {
        this.unknownQualifier(r, k, 1);
      }
    }
  }

  /** HI0x-3/-4: a D8 date with a code, as `{ date }` (empty when absent or invalid). */
  private codeDate(r: SegmentFieldReader, k: number, prefix: string): { date?: string } {
    if (r.part(k, 4) === '') return {};
    const date = r.date(fieldPath(prefix, 'date'), k, 4);
    return date === undefined ? {} : { date };
  }

  private claimProvider(build: ClaimBuild, r: SegmentFieldReader): void {
    const claim = build.claim;
    if (r.segment.id === 'NM1') {
      const role = ENTITY_CODE_ROLES.get(r.value(1));
      if (!role) {
        build.provider = undefined;
        return this.unknownQualifier(r, 1);
      }
      build.provider = { role };
      claim.providers.push(build.provider);
    }
    const provider = build.provider;
    if (provider) readProviderSegment(r, provider, itemPrefix('providers.', claim.providers.length - 1));
  }

  private otherPayerSegment(build: ClaimBuild, r: SegmentFieldReader): void {
    const claim = build.claim;
    if (r.segment.id === 'SBR') {
      build.otherPayer = { ...r.readTable(SBR_FIELDS, itemPrefix('otherPayers.', claim.otherPayers.length)), subscriber: {}, payer: {} };
      build.otherPayerProvider = undefined;
      claim.otherPayers.push(build.otherPayer);
      return;
    }
    const payer = build.otherPayer;
    if (!payer) return;
    const prefix = itemPrefix('otherPayers.', claim.otherPayers.length - 1);
    switch (r.segment.id) {
      case 'CAS': {
        const list = (payer.adjustments ??= []);
        const group = this.readAdjustments(build, r, itemPrefix(fieldPath(prefix, 'adjustments.'), list.length));
        if (group) list.push(group);
        return;
      }
      case 'AMT': {
        const key = ({ D: 'paidAmount', A8: 'nonCoveredAmount', EAF: 'remainingPatientLiability' } as const)[r.value(1) as 'D' | 'A8' | 'EAF'];
        if (!key) return this.unknownQualifier(r, 1);
        const v = r.money(fieldPath(prefix, key), 2);
        if (v === undefined) markUnreadable(build, fieldPath(prefix, key));
        else payer[key] = v;
        return;
      }
      case 'OI':
        r.readTableInto(payer, OI_FIELDS, prefix);
        return;
      case 'MIA': {
        const mia = r.readTable(MIA_FIELDS, fieldPath(prefix, 'inpatientAdjudication.'));
        const remarks = readList(r, MIA_REMARK_ELEMENTS, fieldPath(prefix, 'inpatientAdjudication.remarkCodes.'));
        payer.inpatientAdjudication = remarks.length > 0 ? { ...mia, remarkCodes: remarks } : mia;
        return;
      }
      case 'MOA': {
        const moa = r.readTable(MOA_FIELDS, fieldPath(prefix, 'outpatientAdjudication.'));
        const remarks = readList(r, MOA_REMARK_ELEMENTS, fieldPath(prefix, 'outpatientAdjudication.remarkCodes.'));
        payer.outpatientAdjudication = remarks.length > 0 ? { ...moa, remarkCodes: remarks } : moa;
        return;
      }
    }
  }

  private otherPayerName(build: ClaimBuild, r: SegmentFieldReader): void {
    const payer = build.otherPayer;
    if (!payer) return;
    const loop = r.loopId;
    const prefix = itemPrefix('otherPayers.', build.claim.otherPayers.length - 1);
    if (loop === '2330A') {
      readPersonSegment(r, payer.subscriber, fieldPath(prefix, 'subscriber.'));
      return;
    }
    if (loop === '2330B') {
      const name = payer.payer;
      const p = fieldPath(prefix, 'payer.');
      switch (r.segment.id) {
        case 'NM1':
          assignDefined(name, 'name', r.text(fieldPath(p, 'name'), 3));
          assignDefined(name, 'idQualifier', r.text(fieldPath(p, 'idQualifier'), 8));
          assignDefined(name, 'id', r.text(fieldPath(p, 'id'), 9));
          return;
        case 'N3':
        case 'N4':
          readAddressSegment(r, name, p);
          return;
        case 'DTP': {
          if (r.value(1) !== '573') return this.unknownQualifier(r, 1);
          assignDefined(name, 'adjudicationDate', r.date(fieldPath(p, 'adjudicationDate'), 3));
          return;
        }
        case 'REF': {
          const key = ({ G1: 'priorAuthorization', '9F': 'referralNumber', T4: 'claimAdjustmentIndicator', F8: 'claimControlNumber' } as const)[r.value(1) as 'G1' | '9F' | 'T4' | 'F8'];
          if (key) assignDefined(name, key, r.text(fieldPath(p, key), 2));
          else {
            const list = (name.secondaryIds ??= []);
            list.push(readReference(r, itemPrefix(fieldPath(p, 'secondaryIds.'), list.length)));
          }
          return;
        }
      }
      return;
    }
    // 2330C–I: a provider's id at this payer.
    const providers = (payer.providers ??= []);
    if (r.segment.id === 'NM1') {
      const role = ENTITY_CODE_ROLES.get(r.value(1));
      if (!role) {
        build.otherPayerProvider = undefined;
        return this.unknownQualifier(r, 1);
      }
      build.otherPayerProvider = { role };
      assignDefined(build.otherPayerProvider, 'entityType', r.text(fieldPath(itemPrefix(fieldPath(prefix, 'providers.'), providers.length), 'entityType'), 2));
      providers.push(build.otherPayerProvider);
      return;
    }
    const provider = build.otherPayerProvider;
    if (provider && r.segment.id === 'REF') {
      const list = (provider.secondaryIds ??= []);
      list.push(readReference(r, itemPrefix(fieldPath(itemPrefix(fieldPath(prefix, 'providers.'), providers.length - 1), 'secondaryIds.'), list.length)));
    }
  }

  /** CAS: group and up to six reason/amount/quantity triplets. */
  private readAdjustments(build: ClaimBuild, r: SegmentFieldReader, prefix: string, claimPrefix = prefix): AdjustmentGroup | undefined {
    const group: AdjustmentGroup = { group: r.text(fieldPath(prefix, 'group'), 1) ?? '', adjustments: [] };
    for (let k = 2; k <= 17; k += 3) {
      const reason = r.value(k);
      const amountText = r.value(k + 1);
      if (reason === '' && amountText === '') continue;
      const p = itemPrefix(fieldPath(prefix, 'adjustments.'), group.adjustments.length);
      const amount = r.money(fieldPath(p, 'amount'), k + 1);
      if (amount === undefined) {
        // An adjustment without a readable amount cannot be balanced: say so and leave it out.
        markUnreadable(build, fieldPath(claimPrefix, 'adjustments'));
        if (amountText === '') r.problem('READ_MISSING_AMOUNT', 'reject', `${r.where(k + 1)} (the adjustment amount) is missing.`, k + 1);
        continue;
      }
      r.record(fieldPath(p, 'reason'), k);
      const adjustment: AdjustmentGroup['adjustments'][number] = { reason, amount };
      assignDefined(adjustment, 'quantity', r.decimal(fieldPath(p, 'quantity'), k + 2));
      group.adjustments.push(adjustment);
    }
    return group;
  }

  // ── Lines ───────────────────────────────────────────────────────────────────────────────────

  private startLine(build: ClaimBuild, segment: Segment, loop: string): void {
    const claim = build.claim;
    const line: ServiceLine = { lineNumber: 0, charge: 0, dates: {}, references: {}, amounts: {}, sources: PENDING_SOURCES };
    const sink = this.lineSink;
    sink.findings = build.sink.findings;
    sink.claimRef = build.sink.claimRef;
    sink.line = undefined;
    this.lineStarts[claim.lines.length] = this.lineSources.length;
    const r = this.fields(segment, loop, sink);
    const number = r.decimal('lineNumber', 1);
    if (number !== undefined && Number.isInteger(number) && number > 0) {
      line.lineNumber = number;
      sink.line = number;
    } else {
      // Lines are numbered by position when LX01 is unusable, so findings can still name one.
      line.lineNumber = claim.lines.length + 1;
      if (number !== undefined) r.problem('READ_INVALID_NUMBER', 'reject', `${r.where(1)} is not a positive whole number.`, 1);
    }
    claim.lines.push(line);
    // One line state per claim, reset for each line (only the current line's loops are ever read).
    const state = build.line;
    if (state === undefined) build.line = { line, provider: undefined, adjudication: undefined, form: undefined };
    else {
      state.line = line;
      state.provider = undefined;
      state.adjudication = undefined;
      state.form = undefined;
    }
  }

  private lineSegment(build: ClaimBuild, lineBuild: LineBuild, r: SegmentFieldReader): void {
    const line = lineBuild.line;
    const lineIndex = build.claim.lines.length - 1;
    switch (r.segment.id) {
      case 'SV1':
        assignDefined(line, 'procedure', readProcedure(r, 1, LINE_PROCEDURE_PATHS));
        line.charge = this.requiredMoney(build, r, 'charge', lineIndex, 2);
        assignDefined(line, 'unitBasis', r.text('unitBasis', 3));
        assignDefined(line, 'units', r.decimal('units', 4));
        assignDefined(line, 'placeOfService', r.text('placeOfService', 5));
        assignDefined(line, 'diagnosisPointers', readPointers(r, 7));
        assignDefined(line, 'emergencyIndicator', r.text('emergencyIndicator', 9));
        assignDefined(line, 'epsdtIndicator', r.text('epsdtIndicator', 11));
        assignDefined(line, 'familyPlanningIndicator', r.text('familyPlanningIndicator', 12));
        assignDefined(line, 'copayStatus', r.text('copayStatus', 15));
        return;
      case 'SV2':
        assignDefined(line, 'revenueCode', r.text('revenueCode', 1));
        assignDefined(line, 'procedure', readProcedure(r, 2, LINE_PROCEDURE_PATHS));
        line.charge = this.requiredMoney(build, r, 'charge', lineIndex, 3);
        assignDefined(line, 'unitBasis', r.text('unitBasis', 4));
        assignDefined(line, 'units', r.decimal('units', 5));
        assignDefined(line, 'nonCoveredCharge', r.money('nonCoveredCharge', 7));
        return;
      case 'SV3': {
        assignDefined(line, 'procedure', readProcedure(r, 1, LINE_PROCEDURE_PATHS));
        line.charge = this.requiredMoney(build, r, 'charge', lineIndex, 2);
        assignDefined(line, 'placeOfService', r.text('placeOfService', 3));
        const cavity = r.components(4).filter((c) => c !== '');
        if (cavity.length > 0) {
          line.oralCavity = cavity;
          r.record('oralCavity', 4);
        }
        assignDefined(line, 'prosthesisCrownInlay', r.text('prosthesisCrownInlay', 5));
        assignDefined(line, 'units', r.decimal('units', 6));
        assignDefined(line, 'diagnosisPointers', readPointers(r, 11));
        return;
      }
      case 'SV5':
        line.durableMedicalEquipment = r.readTable(SV5_FIELDS, 'durableMedicalEquipment.');
        return;
      case 'TOO': {
        const teeth = (line.teeth ??= []);
        const prefix = itemPrefix('teeth.', teeth.length);
        const tooth: { qualifier: string; code: string; surfaces?: string[] } = { qualifier: r.text(fieldPath(prefix, 'qualifier'), 1) ?? '', code: r.text(fieldPath(prefix, 'code'), 2) ?? '' };
        const surfaces = r.components(3).filter((c) => c !== '');
        if (surfaces.length > 0) {
          tooth.surfaces = surfaces;
          r.record(fieldPath(prefix, 'surfaces'), 3);
        }
        teeth.push(tooth);
        return;
      }
      case 'PWK':
        (line.attachments ??= []).push(readAttachment(r, itemPrefix('attachments.', line.attachments?.length ?? 0)));
        return;
      case 'CR1':
        line.ambulanceTransport = r.readTable(CR1_FIELDS, 'ambulanceTransport.');
        return;
      case 'CR3':
        line.dmeCertification = r.readTable(CR3_FIELDS, 'dmeCertification.');
        return;
      case 'CRC':
        (line.conditionIndicators ??= []).push(readConditions(r, itemPrefix('conditionIndicators.', line.conditionIndicators?.length ?? 0)));
        return;
      case 'DTP': {
        const entry = LINE_DATES.get(r.value(1));
        if (!entry) return this.unknownQualifier(r, 1);
        const period = readDatePeriod(r, entry.path);
        if (period) line.dates[entry.key] = period;
        return;
      }
      case 'QTY': {
        const entry = LINE_QUANTITIES.get(r.value(1));
        if (!entry) return this.unknownQualifier(r, 1);
        assignDefined(line, entry.key, r.decimal(entry.path, 2));
        return;
      }
      case 'MEA': {
        const list = (line.measurements ??= []);
        const prefix = itemPrefix('measurements.', list.length);
        const measurement: { reference: string; qualifier: string; value?: number } = { reference: r.text(fieldPath(prefix, 'reference'), 1) ?? '', qualifier: r.text(fieldPath(prefix, 'qualifier'), 2) ?? '' };
        assignDefined(measurement, 'value', r.decimal(fieldPath(prefix, 'value'), 3));
        list.push(measurement);
        return;
      }
      case 'CN1':
        line.contract = { type: '', ...r.readTable(CN1_FIELDS, 'contract.') };
        return;
      case 'REF':
        return this.lineReference(line, r);
      case 'AMT': {
        const entry = LINE_AMOUNTS.get(r.value(1));
        if (!entry) return this.unknownQualifier(r, 1);
        assignDefined(line.amounts, entry.key, r.money(entry.path, 2));
        return;
      }
      case 'K3':
        pushDefined((line.fileInformation ??= []), r.text(indexedPath('fileInformation.', line.fileInformation?.length ?? 0), 1));
        return;
      case 'NTE':
        (line.notes ??= []).push(readNote(r, itemPrefix('notes.', line.notes?.length ?? 0)));
        return;
      case 'PS1': {
        const service: { providerId: string; charge?: number } = { providerId: r.text('purchasedService.providerId', 1) ?? '' };
        assignDefined(service, 'charge', r.money('purchasedService.charge', 2));
        line.purchasedService = service;
        return;
      }
      case 'HCP':
        line.pricing = { methodology: '', ...r.readTable(HCP_FIELDS, 'pricing.') };
        return;
    }
  }

  private lineReference(line: ServiceLine, r: SegmentFieldReader): void {
    const qualifier = r.value(1);
    const refs = line.references;
    const single = LINE_REFERENCES.get(qualifier);
    if (single) {
      assignDefined(refs, single.key, r.text(single.path, 2));
      return;
    }
    const listEntry = LINE_REFERENCE_LIST_KEYS.get(qualifier);
    const key = listEntry?.key ?? 'other';
    const list = (refs[key] ??= []);
    list.push(readReference(r, itemPrefix(fieldPath(fieldPath('references.', key), '.'), list.length)));
  }

  private drugSegment(lineBuild: LineBuild, r: SegmentFieldReader): void {
    const line = lineBuild.line;
    switch (r.segment.id) {
      case 'LIN':
        line.drug = { qualifier: r.text('drug.qualifier', 2) ?? '', code: r.text('drug.code', 3) ?? '' };
        return;
      case 'CTP':
        if (!line.drug) return;
        assignDefined(line.drug, 'quantity', r.decimal('drug.quantity', 4));
        assignDefined(line.drug, 'unit', r.text('drug.unit', 5, 1));
        return;
      case 'REF':
        if (line.drug) line.drug.prescriptionNumber = readReference(r, 'drug.prescriptionNumber.');
        return;
    }
  }

  private lineProvider(lineBuild: LineBuild, r: SegmentFieldReader): void {
    const line = lineBuild.line;
    const providers = (line.providers ??= []);
    if (r.segment.id === 'NM1') {
      const role = ENTITY_CODE_ROLES.get(r.value(1));
      if (!role) {
        lineBuild.provider = undefined;
        return this.unknownQualifier(r, 1);
      }
      lineBuild.provider = { role };
      providers.push(lineBuild.provider);
    }
    const provider = lineBuild.provider;
    if (provider) readProviderSegment(r, provider, itemPrefix('providers.', providers.length - 1));
  }

  private lineAdjudication(build: ClaimBuild, lineBuild: LineBuild, r: SegmentFieldReader): void {
    const line = lineBuild.line;
    const list = (line.adjudications ??= []);
    if (r.segment.id === 'SVD') {
      const prefix = itemPrefix('adjudications.', list.length);
      const paid = r.money(fieldPath(prefix, 'paidAmount'), 2);
      if (paid === undefined) {
        markUnreadable(build, fieldPath(fieldPath(itemPrefix('lines.', build.claim.lines.length - 1), prefix), 'paidAmount'));
        if (r.value(2) === '') r.problem('READ_MISSING_AMOUNT', 'reject', `${r.where(2)} (the line paid amount) is missing.`, 2);
      }
      const adjudication: LineAdjudication = { otherPayerId: r.text(fieldPath(prefix, 'otherPayerId'), 1) ?? '', paidAmount: paid ?? 0 };
      assignDefined(adjudication, 'procedure', readProcedure(r, 3, procedurePaths(fieldPath(prefix, 'procedure.'))));
      assignDefined(adjudication, 'revenueCode', r.text(fieldPath(prefix, 'revenueCode'), 4));
      assignDefined(adjudication, 'paidUnits', r.decimal(fieldPath(prefix, 'paidUnits'), 5));
      assignDefined(adjudication, 'bundledLineNumber', r.decimal(fieldPath(prefix, 'bundledLineNumber'), 6));
      lineBuild.adjudication = adjudication;
      list.push(adjudication);
      return;
    }
    const adjudication = lineBuild.adjudication;
    if (!adjudication) return;
    const prefix = itemPrefix('adjudications.', list.length - 1);
    switch (r.segment.id) {
      case 'CAS': {
        const groups = (adjudication.adjustments ??= []);
        const groupPrefix = itemPrefix(fieldPath(prefix, 'adjustments.'), groups.length);
        const group = this.readAdjustments(build, r, groupPrefix, fieldPath(itemPrefix('lines.', build.claim.lines.length - 1), groupPrefix));
        if (group) groups.push(group);
        return;
      }
      case 'DTP':
        if (r.value(1) !== '573') return this.unknownQualifier(r, 1);
        assignDefined(adjudication, 'adjudicationDate', r.date(fieldPath(prefix, 'adjudicationDate'), 3));
        return;
      case 'AMT':
        if (r.value(1) !== 'EAF') return this.unknownQualifier(r, 1);
        assignDefined(adjudication, 'remainingPatientLiability', r.money(fieldPath(prefix, 'remainingPatientLiability'), 2));
        return;
    }
  }

  private formSegment(lineBuild: LineBuild, r: SegmentFieldReader): void {
    const line = lineBuild.line;
    const forms = (line.forms ??= []);
    if (r.segment.id === 'LQ') {
      const prefix = itemPrefix('forms.', forms.length);
      lineBuild.form = { qualifier: r.text(fieldPath(prefix, 'qualifier'), 1) ?? '', formId: r.text(fieldPath(prefix, 'formId'), 2) ?? '', answers: [] };
      forms.push(lineBuild.form);
      return;
    }
    const form = lineBuild.form;
    if (!form || r.segment.id !== 'FRM') return;
    const prefix = itemPrefix(fieldPath(itemPrefix('forms.', forms.length - 1), 'answers.'), form.answers.length);
    const answer: Form['answers'][number] = { question: r.text(fieldPath(prefix, 'question'), 1) ?? '' };
    assignDefined(answer, 'yesNo', r.text(fieldPath(prefix, 'yesNo'), 2));
    assignDefined(answer, 'text', r.text(fieldPath(prefix, 'text'), 3));
    assignDefined(answer, 'date', r.date(fieldPath(prefix, 'date'), 4));
    assignDefined(answer, 'percent', r.decimal(fieldPath(prefix, 'percent'), 5));
    form.answers.push(answer);
  }

  // ── Completion ──────────────────────────────────────────────────────────────────────────────

  /**
   * The claim holds its context's subscriber, payer and patient objects as they are: it copies those a
   * later claim may still take (by `fate`), and keeps the others, no claim can take them any more. A
   * patient who is the subscriber points at the subscriber's address, ids and contact: it gets its own.
   */
  private settleContext(build: ClaimBuild, fate: ContextFate): void {
    const template = build.pendingContext;
    if (!template) return;
    build.pendingContext = undefined;
    const claim = build.claim;
    const value = template.value;
    if (fate !== 'ends') {
      claim.subscriber = copyPerson(value.subscriber);
      claim.payer = copyPayer(value.payer);
    }
    if (fate === 'lives') claim.patient = copyPerson(value.patient);
    else if (template.patientIsSubscriber) copyPersonParts(claim.patient);
  }

  /** The claim is complete (`fate`: what the segment that completed it says of its context): check its pointers, balance it, hand it out. */
  private finishClaim(fate: ContextFate): void {
    const build = this.build;
    if (!build) return;
    this.build = undefined;
    this.settleContext(build, fate);
    const { claim, sink } = build;
    claim.sources = this.claimSources.toRecord();
    const lines = claim.lines;
    const lineSources = this.lineSources;
    const lineStarts = this.lineStarts;
    for (let i = 0; i < lines.length; i++) {
      lines[i]!.sources = lineSources.rangeToRecord(lineStarts[i]!, i + 1 < lines.length ? lineStarts[i + 1]! : lineSources.length);
    }
    if (claim.type === 'I' && claim.facilityType !== undefined && claim.frequency !== undefined) {
      claim.typeOfBill = claim.facilityType + claim.frequency;
    }
    checkDiagnosisPointers(claim, sink.findings);
    if (this.balance) sink.findings.push(...balance837(claim, build.unreadable ? { unreadable: build.unreadable } : NOTHING_UNREADABLE));
    const claimRef = claim.patientControlNumber;
    const findings = claimRef === '' || sink.findings.length === 0 ? sink.findings : sink.findings.map((f) => (f.claimRef === undefined ? { ...f, claimRef } : f));
    this.completed.push({ claim, findings });
  }
}

// ────────────────────────────────────────────────────────────────────────────────────────────────
// Segment readers shared by several loops.

/**
 * The patient of a claim under 2000B: the subscriber, with the 2000B PAT details. The copied fields'
 * sources stay under `subscriber.` (not repeated under `patient.`).
 */
function patientFromSubscriber(subscriber: Subscriber, details: PatientDetails | undefined): Patient {
  const patient: Patient = { sameAsSubscriber: true, relationship: '18' };
  for (const key of PERSON_KEYS) {
    const v = subscriber[key];
    if (v !== undefined) (patient as Record<string, unknown>)[key] = v;
  }
  if (details) {
    const { relationship: _notUsedIn2000B, ...rest } = details;
    Object.assign(patient, rest);
  }
  return patient;
}

// ── Copies of a claim's context ──────────────────────────────────────────────────────────────
// Each claim gets its own copy of the 2000A/B/C context (claims of one subscriber must not share mutable
// objects). The copies are written per type rather than by one generic deep copy: a generic copy meets
// every shape at one spread and one for-in, which the engine can only run on its slow generic paths,
// and it was the reader's largest single cost per claim. Every object-valued field is copied; the
// `…_OBJECT_KEYS` checks below fail to compile if a schema gains one these copies do not know.

/** The keys of T whose values are objects or arrays (copied one level deeper). */
type ObjectKeys<T> = { [K in keyof T]-?: NonNullable<T[K]> extends object ? K : never }[keyof T];
/** `true` only when `Known` lists every object-valued key of T. */
type CoversObjectKeys<T, Known> = [Exclude<ObjectKeys<T>, Known>] extends [never] ? true : false;

const PROVIDER_OBJECT_KEYS: CoversObjectKeys<BillingProvider, 'identifier' | 'address' | 'taxId' | 'secondaryIds' | 'contacts'> = true;
const PERSON_OBJECT_KEYS: CoversObjectKeys<Subscriber & Patient, 'address' | 'secondaryIds' | 'contact'> = true;
const PAYER_OBJECT_KEYS: CoversObjectKeys<Payer, 'address' | 'secondaryIds' | 'billingProviderSecondaryIds'> = true;
const PAY_TO_OBJECT_KEYS: CoversObjectKeys<PayToAddress & PayToPlan, 'address' | 'secondaryId'> = true;
const FLAT_OBJECT_KEYS: CoversObjectKeys<Address & Reference & NonNullable<Provider['identifier']>, never> = true;
const CONTACT_OBJECT_KEYS: CoversObjectKeys<Contact, 'numbers'> = true;
void [PROVIDER_OBJECT_KEYS, PERSON_OBJECT_KEYS, PAYER_OBJECT_KEYS, PAY_TO_OBJECT_KEYS, FLAT_OBJECT_KEYS, CONTACT_OBJECT_KEYS];

function copyReference(reference: Reference): Reference {
  return { ...reference };
}

function copyReferences(list: readonly Reference[]): Reference[] {
  const out: Reference[] = new Array<Reference>(list.length);
  for (let i = 0; i < list.length; i++) out[i] = copyReference(list[i]!);
  return out;
}

function copyContact(contact: Contact): Contact {
  const out = { ...contact };
  const numbers = contact.numbers;
  out.numbers = new Array<Contact['numbers'][number]>(numbers.length);
  for (let i = 0; i < numbers.length; i++) out.numbers[i] = { ...numbers[i]! };
  return out;
}

function copyProvider(provider: BillingProvider): BillingProvider {
  const out = { ...provider };
  if (provider.identifier) out.identifier = { ...provider.identifier };
  if (provider.address) out.address = { ...provider.address };
  if (provider.taxId) out.taxId = { ...provider.taxId };
  if (provider.secondaryIds) out.secondaryIds = copyReferences(provider.secondaryIds);
  if (provider.contacts) out.contacts = provider.contacts.map(copyContact);
  return out;
}

function copyPerson<T extends Person>(person: T): T {
  return copyPersonParts({ ...person });
}

/** `person` with its own copies of the objects it points at (in place). */
function copyPersonParts<T extends Person>(person: T): T {
  if (person.address) person.address = { ...person.address };
  if (person.secondaryIds) person.secondaryIds = copyReferences(person.secondaryIds);
  if (person.contact) person.contact = copyContact(person.contact);
  return person;
}

function copyPayer(payer: Payer): Payer {
  const out = { ...payer };
  if (payer.address) out.address = { ...payer.address };
  if (payer.secondaryIds) out.secondaryIds = copyReferences(payer.secondaryIds);
  if (payer.billingProviderSecondaryIds) out.billingProviderSecondaryIds = copyReferences(payer.billingProviderSecondaryIds);
  return out;
}

function copyPayTo<T extends PayToAddress | PayToPlan>(payTo: T): T {
  const out = { ...payTo };
  if (payTo.address) out.address = { ...payTo.address };
  if ('secondaryId' in payTo && payTo.secondaryId) (out as PayToPlan).secondaryId = copyReference(payTo.secondaryId);
  return out;
}

/** Set `target[key]` only when `value` is defined (so absent fields stay absent, not `undefined`). */
function assignDefined<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

function pushDefined<T>(list: T[], value: T | undefined): void {
  if (value !== undefined) list.push(value);
}

/** N3 or N4 into `target.address`. */
function readAddressSegment(r: SegmentFieldReader, target: { address?: Address }, prefix: string): void {
  const table = r.segment.id === 'N3' ? N3_ADDRESS : r.segment.id === 'N4' ? N4_ADDRESS : undefined;
  if (!table) return;
  // Filled in place: an address is only ever shared (a patient who is the subscriber, a claim's copy of
  // its context) once its loop is complete, after its last N3/N4.
  r.readTableInto<Address>((target.address ??= {}), table, fieldPath(prefix, 'address.'));
}

function readReference(r: SegmentFieldReader, prefix: string): Reference {
  const ref: Reference = { qualifier: r.text(fieldPath(prefix, 'qualifier'), 1) ?? '', value: r.text(fieldPath(prefix, 'value'), 2) ?? '' };
  assignDefined(ref, 'description', r.text(fieldPath(prefix, 'description'), 3));
  assignDefined(ref, 'otherPayerId', r.text(fieldPath(prefix, 'otherPayerId'), 4, 2));
  return ref;
}

function readContact(r: SegmentFieldReader, prefix: string): Contact {
  const contact: Contact = { numbers: [] };
  assignDefined(contact, 'name', r.text(fieldPath(prefix, 'name'), 2));
  for (let k = 3; k <= 7; k += 2) {
    const qualifier = r.value(k);
    const number = r.value(k + 1);
    if (qualifier === '' && number === '') continue;
    r.record(indexedPath(fieldPath(prefix, 'numbers.'), contact.numbers.length), k + 1);
    contact.numbers.push({ qualifier, number });
  }
  return contact;
}

/** NM1, PRV, N3, N4, REF, PER of a provider loop (2010AA, 2310x, 2420x). */
function readProviderSegment(r: SegmentFieldReader, provider: Provider, prefix: string): void {
  switch (r.segment.id) {
    case 'NM1': {
      r.readTableInto(provider, NM1_NAME, prefix);
      const qualifier = r.value(8);
      const value = r.value(9);
      if (qualifier === 'XX') assignDefined(provider, 'npi', r.text(fieldPath(prefix, 'npi'), 9));
      else if (value !== '') {
        provider.identifier = { qualifier, value };
        r.record(fieldPath(prefix, 'identifier'), 9);
      }
      return;
    }
    case 'PRV':
      assignDefined(provider, 'taxonomy', r.text(fieldPath(prefix, 'taxonomy'), 3));
      return;
    case 'N3':
    case 'N4':
      readAddressSegment(r, provider, prefix);
      return;
    case 'REF': {
      const qualifier = r.value(1);
      if (qualifier === 'EI' || qualifier === 'SY') {
        if (r.value(2) !== '') {
          provider.taxId = { qualifier, value: r.value(2) };
          r.record(fieldPath(prefix, 'taxId'), 2);
        }
        return;
      }
      const list = (provider.secondaryIds ??= []);
      list.push(readReference(r, itemPrefix(fieldPath(prefix, 'secondaryIds.'), list.length)));
      return;
    }
    case 'PER': {
      const list = (provider.contacts ??= []);
      list.push(readContact(r, itemPrefix(fieldPath(prefix, 'contacts.'), list.length)));
      return;
    }
  }
}

/** NM1, N3, N4, DMG, REF, PER of a person loop (2010BA, 2010CA, 2330A). */
function readPersonSegment(r: SegmentFieldReader, person: Person, prefix: string): void {
  switch (r.segment.id) {
    case 'NM1':
      r.readTableInto(person, NM1_NAME, prefix);
      assignDefined(person, 'memberIdQualifier', r.text(fieldPath(prefix, 'memberIdQualifier'), 8));
      assignDefined(person, 'memberId', r.text(fieldPath(prefix, 'memberId'), 9));
      return;
    case 'N3':
    case 'N4':
      readAddressSegment(r, person, prefix);
      return;
    case 'DMG':
      assignDefined(person, 'birthDate', r.date(fieldPath(prefix, 'birthDate'), 2));
      assignDefined(person, 'sex', r.text(fieldPath(prefix, 'sex'), 3));
      return;
    case 'REF': {
      const list = (person.secondaryIds ??= []);
      list.push(readReference(r, itemPrefix(fieldPath(prefix, 'secondaryIds.'), list.length)));
      return;
    }
    case 'PER':
      person.contact = readContact(r, fieldPath(prefix, 'contact.'));
      return;
  }
}

/** 2010BB payer. */
function readPayerSegment(r: SegmentFieldReader, payer: Payer, prefix: string): void {
  switch (r.segment.id) {
    case 'NM1':
      assignDefined(payer, 'name', r.text(fieldPath(prefix, 'name'), 3));
      assignDefined(payer, 'idQualifier', r.text(fieldPath(prefix, 'idQualifier'), 8));
      assignDefined(payer, 'id', r.text(fieldPath(prefix, 'id'), 9));
      return;
    case 'N3':
    case 'N4':
      readAddressSegment(r, payer, prefix);
      return;
    case 'REF': {
      const billing = r.value(1) === 'G2' || r.value(1) === 'LU';
      const key = billing ? 'billingProviderSecondaryIds' : 'secondaryIds';
      const list = (payer[key] ??= []);
      list.push(readReference(r, itemPrefix(fieldPath(fieldPath(prefix, key), '.'), list.length)));
      return;
    }
  }
}

/** 2010AC pay-to plan. */
function readPayToPlan(r: SegmentFieldReader, plan: PayToPlan): void {
  const prefix = 'payToPlan.';
  switch (r.segment.id) {
    case 'NM1':
      assignDefined(plan, 'name', r.text(fieldPath(prefix, 'name'), 3));
      assignDefined(plan, 'idQualifier', r.text(fieldPath(prefix, 'idQualifier'), 8));
      assignDefined(plan, 'id', r.text(fieldPath(prefix, 'id'), 9));
      return;
    case 'N3':
    case 'N4':
      readAddressSegment(r, plan, prefix);
      return;
    case 'REF':
      if (r.value(1) === 'EI') assignDefined(plan, 'taxId', r.text(fieldPath(prefix, 'taxId'), 2));
      else plan.secondaryId = readReference(r, fieldPath(prefix, 'secondaryId.'));
      return;
  }
}

function readAttachment(r: SegmentFieldReader, prefix: string): Attachment {
  const attachment: Attachment = { reportType: r.text(fieldPath(prefix, 'reportType'), 1) ?? '', transmission: r.text(fieldPath(prefix, 'transmission'), 2) ?? '' };
  assignDefined(attachment, 'controlNumberQualifier', r.text(fieldPath(prefix, 'controlNumberQualifier'), 5));
  assignDefined(attachment, 'controlNumber', r.text(fieldPath(prefix, 'controlNumber'), 6));
  return attachment;
}

function readNote(r: SegmentFieldReader, prefix: string): { code: string; text: string } {
  return { code: r.text(fieldPath(prefix, 'code'), 1) ?? '', text: r.text(fieldPath(prefix, 'text'), 2) ?? '' };
}

function readConditions(r: SegmentFieldReader, prefix: string): ConditionIndicator {
  const conditions: string[] = [];
  for (let k = 3; k <= 7; k++) {
    const v = r.value(k);
    if (v !== '') {
      r.record(indexedPath(fieldPath(prefix, 'conditions.'), conditions.length), k);
      conditions.push(v);
    }
  }
  return { category: r.text(fieldPath(prefix, 'category'), 1) ?? '', certification: r.text(fieldPath(prefix, 'certification'), 2) ?? '', conditions };
}

/** Non-empty elements at `positions`, in order (remark code lists of MIA and MOA). */
function readList(r: SegmentFieldReader, positions: readonly number[], prefix: string): string[] {
  const out: string[] = [];
  for (const k of positions) {
    const v = r.text(indexedPath(prefix, out.length), k);
    if (v !== undefined) out.push(v);
  }
  return out;
}

/** The field paths of a C003 procedure under one prefix. */
interface ProcedurePaths {
  qualifier: string;
  code: string;
  /** `modifiers.0` … `modifiers.3`. */
  modifiers: readonly string[];
  description: string;
}

const procedurePathsByPrefix = new Map<string, ProcedurePaths>();

/** A procedure's paths under `prefix` (a program-made path), made once per prefix: one look-up per procedure instead of eight. */
function procedurePaths(prefix: string): ProcedurePaths {
  let paths = procedurePathsByPrefix.get(prefix);
  if (paths === undefined) {
    const modifiers = fieldPath(prefix, 'modifiers.');
    paths = {
      qualifier: fieldPath(prefix, 'qualifier'),
      code: fieldPath(prefix, 'code'),
      modifiers: [0, 1, 2, 3].map((i) => indexedPath(modifiers, i)),
      description: fieldPath(prefix, 'description'),
    };
    procedurePathsByPrefix.set(prefix, paths);
  }
  return paths;
}

/** A service line's procedure (SV101, SV202, SV301). */
const LINE_PROCEDURE_PATHS = procedurePaths('procedure.');

/** C003 procedure composite at `element`. */
function readProcedure(r: SegmentFieldReader, element: number, paths: ProcedurePaths): Procedure | undefined {
  const parts = r.components(element);
  if (parts.length === 0) return undefined;
  const procedure: Procedure = { qualifier: parts[0] ?? '', code: parts[1] ?? '' };
  r.record(paths.qualifier, element, 1);
  if (procedure.code !== '') r.record(paths.code, element, 2);
  let modifiers: string[] | undefined;
  for (let c = 3; c <= 6 && c <= parts.length; c++) {
    const m = parts[c - 1]!;
    if (m !== '') {
      r.record(paths.modifiers[modifiers?.length ?? 0]!, element, c);
      (modifiers ??= []).push(m);
    }
  }
  if (modifiers !== undefined) procedure.modifiers = modifiers;
  assignDefined(procedure, 'description', r.text(paths.description, element, 7));
  return procedure;
}

/** `diagnosisPointers.0` … `.11`, made once (a line has up to four pointers, a dental line up to twelve… or more, if written). */
const POINTER_PATHS: readonly string[] = Array.from({ length: 12 }, (_, i) => indexedPath('diagnosisPointers.', i));

/** C004 diagnosis pointers (SV107, SV311): whole numbers; anything else is a finding. */
function readPointers(r: SegmentFieldReader, element: number): number[] | undefined {
  const parts = r.components(element);
  if (parts.length === 0) return undefined;
  // Counted first: the list is made at its size (a list grown by push keeps room for sixteen more).
  let count = 0;
  for (let i = 0; i < parts.length; i++) if (isPointer(parts[i]!)) count++;
  const pointers: number[] | undefined = count > 0 ? new Array<number>(count) : undefined;
  let index = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p === '') continue;
    if (!isPointer(p)) {
      r.problem('READ_DIAGNOSIS_POINTER', 'reject', `${r.where(element, i + 1)} is not a diagnosis pointer (a number from 1 to 12).`, element, i + 1);
      continue;
    }
    r.record(index < POINTER_PATHS.length ? POINTER_PATHS[index]! : indexedPath('diagnosisPointers.', index), element, i + 1);
    pointers![index++] = Number(p);
  }
  return pointers;
}

/** A C004 pointer as written and read: one or two digits, not 0. */
function isPointer(text: string): boolean {
  return isPointerText(text) && Number(text) >= 1;
}

/** One or two digits (a C004 pointer as written), checked by char code. */
function isPointerText(text: string): boolean {
  if (text.length < 1 || text.length > 2) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** DTP02/DTP03 as a date period (D8, RD8, DT); a bad value is a finding. */
function readDatePeriod(r: SegmentFieldReader, path: string): ClaimDate | undefined {
  const period = r.datePeriod(r.value(2), r.value(3));
  if (period === undefined) {
    r.problem('READ_INVALID_DATE', 'reject', `${r.where(3)} is not a valid date in the format DTP02 names.`, 3);
    return undefined;
  }
  r.record(path, 3);
  return period;
}

/** Every line pointer must name an existing principal or other diagnosis (SV107 / SV311 → HI). */
function checkDiagnosisPointers(claim: Claim, findings: Finding[]): void {
  let count = 0;
  for (const d of claim.diagnoses) if (POINTED_DIAGNOSIS_KINDS.has(d.kind)) count++;
  for (const line of claim.lines) {
    const pointers = line.diagnosisPointers;
    if (pointers === undefined) continue;
    for (let i = 0; i < pointers.length; i++) {
      const pointer = pointers[i]!;
      if (pointer <= count) continue;
      const finding: Finding = {
        origin: 'reader',
        code: 'READ_DIAGNOSIS_POINTER',
        severity: 'reject',
        message: `Diagnosis pointer ${i + 1} of line ${line.lineNumber} (SV107 / SV311) names a diagnosis the claim does not list (it lists ${count}).`,
        line: line.lineNumber,
      };
      const location = line.sources[indexedPath('diagnosisPointers.', i)];
      if (location) finding.location = location;
      findings.push(finding);
    }
  }
}
