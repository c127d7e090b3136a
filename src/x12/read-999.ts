/**
 * Reading acknowledgments a payer or clearinghouse sent us: the 999 (005010X231A1) and the TA1, into
 * the canonical {@link Acknowledgment}.
 *
 * @example
 * const { acknowledgments, findings, report } = await read999(bytes);
 * for (const ack of acknowledgments) if (ack.kind === '999') console.log(ack.groupResponse.acknowledgmentCode);
 */
import type { Acknowledgment, ElementError, ErrorContext, Implementation999, SegmentError, Ta1Acknowledgment, TransactionSetResponse } from '../../schemas/acknowledgment.schema.ts';
import type { EnvelopeRef } from '../../schemas/common.schema.ts';
import type { Finding } from '../../schemas/finding.schema.ts';
import type { TransactionSetReport, ValidationReport } from './report.ts';
import type { Segment } from './segment.ts';
import type { TokenizerOptions, X12Source } from './tokenizer.ts';
import type { WalkStep } from './walker.ts';
import { feedAll, noteSource, optionalElement, toIsoDate, unreadableSetFinding, ValueReader, type TransactionSetReader } from './read-kit.ts';
/** What {@link read999} returns. */
export interface Read999Result {
  /** TA1s and 999s in file order. */
  acknowledgments: Acknowledgment[];
  findings: Finding[];
  report: ValidationReport;
}

/** Builds 999s (and TA1s) from walked segments. */
class Ack999Reader implements TransactionSetReader {
  readonly acknowledgments: Acknowledgment[] = [];
  readonly findings: Finding[] = [];
  private readonly values = new ValueReader((f) => this.findings.push(f));
  private interchangeControl = '';
  private ack: Implementation999 | undefined;
  private setResponse: TransactionSetResponse | undefined;
  private segmentError: SegmentError | undefined;
  private elementError: ElementError | undefined;

  envelopeSegment(segment: Segment): void {
    if (segment.id === 'ISA') this.interchangeControl = segment.element(13).trim();
    if (segment.id !== 'TA1') return;
    const ta1: Ta1Acknowledgment = {
      kind: 'TA1',
      carrierInterchangeControl: this.interchangeControl,
      interchangeControl: segment.element(1),
      interchangeTime: segment.element(3),
      acknowledgmentCode: segment.element(4),
      noteCode: segment.element(5),
    };
    const date = toIsoDate(segment.element(2));
    if (date) ta1.interchangeDate = date;
    this.acknowledgments.push(ta1);
  }

  segment(segment: Segment, step: WalkStep, set: TransactionSetReport, envelope: EnvelopeRef): void {
    if (set.transactionSet !== '999') return;
    const loop = step.loopId;
    switch (segment.id) {
      case 'ST':
        this.ack = {
          kind: '999',
          envelope,
          functionalGroup: { functionalId: '', control: '' },
          transactionSets: [],
          groupResponse: { acknowledgmentCode: '', errorCodes: [] },
          sources: {},
        };
        return;
      case 'AK1': {
        const ack = this.ack;
        if (!ack) return;
        ack.functionalGroup = { functionalId: segment.element(1), control: segment.element(2) };
        const version = optionalElement(segment, 3);
        if (version) ack.functionalGroup.version = version;
        noteSource(ack.sources, 'functionalGroup.control', segment, loop, 2);
        return;
      }
      case 'AK2': {
        if (!this.ack) return;
        this.setResponse = { transactionSet: segment.element(1), control: segment.element(2), segmentErrors: [], acknowledgmentCode: '', errorCodes: [] };
        const version = optionalElement(segment, 3);
        if (version) this.setResponse.version = version;
        this.segmentError = undefined;
        this.elementError = undefined;
        this.ack.transactionSets.push(this.setResponse);
        return;
      }
      case 'IK3': {
        if (!this.setResponse) return;
        this.segmentError = { segmentId: segment.element(1), contexts: [], elementErrors: [] };
        const position = this.values.quantity(segment, loop, 2);
        if (position !== undefined) this.segmentError.position = Math.trunc(position);
        const loopId = optionalElement(segment, 3);
        if (loopId) this.segmentError.loopId = loopId;
        const code = optionalElement(segment, 4);
        if (code) this.segmentError.code = code;
        this.elementError = undefined;
        this.setResponse.segmentErrors.push(this.segmentError);
        return;
      }
      case 'IK4': {
        if (!this.segmentError) return;
        this.elementError = { position: positionOf(segment, 1), code: segment.element(3), contexts: [] };
        const elementRef = optionalElement(segment, 2);
        if (elementRef) this.elementError.elementRef = elementRef;
        const bad = optionalElement(segment, 4);
        if (bad !== undefined) this.elementError.badValue = bad;
        this.segmentError.elementErrors.push(this.elementError);
        return;
      }
      case 'CTX': {
        const context = contextOf(segment);
        // A CTX after IK4 is the element's context (2110); else the segment's (2100).
        if (loop === '2110' && this.elementError) this.elementError.contexts.push(context);
        else this.segmentError?.contexts.push(context);
        return;
      }
      case 'IK5': {
        if (!this.setResponse) return;
        this.setResponse.acknowledgmentCode = segment.element(1);
        this.setResponse.errorCodes = codesFrom(segment, 2, 6);
        this.segmentError = undefined;
        this.elementError = undefined;
        return;
      }
      case 'AK9': {
        const ack = this.ack;
        if (!ack) return;
        ack.groupResponse = { acknowledgmentCode: segment.element(1), errorCodes: codesFrom(segment, 5, 9) };
        const counts = [
          ['included', 2],
          ['received', 3],
          ['accepted', 4],
        ] as const;
        for (const [field, element] of counts) {
          const n = this.values.quantity(segment, loop, element);
          if (n !== undefined) ack.groupResponse[field] = Math.trunc(n);
        }
        noteSource(ack.sources, 'groupResponse.acknowledgmentCode', segment, loop, 1);
        return;
      }
    }
  }

  setEnd(set: TransactionSetReport): void {
    if (set.transactionSet !== '999') return;
    if (this.ack) this.acknowledgments.push(this.ack);
    else this.findings.push(unreadableSetFinding(set, 'acknowledgment'));
    this.ack = undefined;
    this.setResponse = undefined;
    this.segmentError = undefined;
    this.elementError = undefined;
  }
}

/** C030 (IK401, CTX05): element, component and repetition positions. */
function positionOf(segment: Segment, element: number): { element: number; component?: number; repetition?: number } {
  const parts = segment.components(element);
  const position: { element: number; component?: number; repetition?: number } = { element: Number(parts[0] ?? '0') || 0 };
  const component = Number(parts[1] ?? '');
  if (parts[1] && Number.isInteger(component)) position.component = component;
  const repetition = Number(parts[2] ?? '');
  if (parts[2] && Number.isInteger(repetition)) position.repetition = repetition;
  return position;
}

function contextOf(segment: Segment): ErrorContext {
  const context: ErrorContext = { name: segment.component(1, 1) };
  const reference = segment.component(1, 2);
  if (reference) context.reference = reference;
  const segmentId = optionalElement(segment, 2);
  if (segmentId) context.segmentId = segmentId;
  const position = Number(segment.element(3));
  if (segment.element(3) && Number.isInteger(position)) context.segmentPosition = position;
  const loopId = optionalElement(segment, 4);
  if (loopId) context.loopId = loopId;
  if (segment.element(5)) context.position = positionOf(segment, 5);
  return context;
}

function codesFrom(segment: Segment, first: number, last: number): string[] {
  const codes: string[] = [];
  for (let n = first; n <= last; n++) {
    const code = segment.element(n);
    if (code) codes.push(code);
  }
  return codes;
}

/**
 * Read the 999s and TA1s of a file (a payer's or clearinghouse's answer to our 837s).
 *
 * @example
 * const { acknowledgments } = await read999(readFileSync('ack.999'));
 * const rejected = acknowledgments.flatMap((a) => (a.kind === '999' ? a.transactionSets : [])).filter((s) => s.acknowledgmentCode === 'R');
 */
export async function read999(source: X12Source, options: TokenizerOptions = {}): Promise<Read999Result> {
  const reader = new Ack999Reader();
  const report = await feedAll(source, reader, options);
  return { acknowledgments: reader.acknowledgments, findings: reader.findings, report };
}
