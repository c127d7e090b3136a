/**
 * A {@link ValidationReport} written for people: per interchange, group and transaction set the
 * verdict, what it is and its counts, then every issue with its code's meaning and where it is.
 *
 * No element value is ever written: issue messages hold none by contract, and `badValue` (which
 * may be PHI) is never read here. Envelope identifiers (sender/receiver ids, control numbers,
 * versions) are not PHI and are shown, since that is how people find an interchange.
 */
import { codeElementOfLevel, issueCodeMeaning } from '../x12/codes.ts';
import type { X12Issue } from '../x12/issues.ts';
import type { FunctionalGroupReport, InterchangeReport, TransactionSetReport, ValidationReport } from '../x12/report.ts';

const INDENT = '  ';

/** The report of one file as lines of text (no trailing newline on the last). */
export function formatReport(path: string, report: ValidationReport): string {
  const lines: string[] = [];
  lines.push(`${path}: ${report.verdict} (${plural(report.bytes, 'byte')}, ${plural(report.interchanges.length, 'interchange')})`);
  for (const issue of report.fileIssues) lines.push(INDENT + formatIssue(issue));
  for (const interchange of report.interchanges) formatInterchange(interchange, lines);
  return lines.join('\n');
}

function formatInterchange(interchange: InterchangeReport, lines: string[]): void {
  const parties = `${party(interchange.senderQualifier, interchange.sender)} -> ${party(interchange.receiverQualifier, interchange.receiver)}`;
  const usage = usageName[interchange.usage] ?? `usage ${interchange.usage || '?'}`;
  lines.push(`${INDENT}interchange control ${shown(interchange.control)} (${parties}, version ${shown(interchange.version)}, ${usage}, byte ${interchange.offset}): ${interchange.verdict}`);
  for (const issue of interchange.issues) lines.push(INDENT.repeat(2) + formatIssue(issue));
  for (const group of interchange.groups) formatGroup(group, lines);
}

function formatGroup(group: FunctionalGroupReport, lines: string[]): void {
  const accepted = group.sets.filter((s) => s.verdict !== 'rejected').length;
  const declared = group.declaredSets === undefined ? 'no GE' : `${group.declaredSets} declared`;
  lines.push(
    `${INDENT.repeat(2)}group ${shown(group.functionalId)} control ${shown(group.control)} (version ${shown(group.version)}, byte ${group.offset}; ` +
      `transaction sets: ${declared}, ${group.sets.length} received, ${accepted} accepted): ${group.verdict}`,
  );
  for (const issue of group.issues) lines.push(INDENT.repeat(3) + formatIssue(issue));
  for (const set of group.sets) formatSet(set, lines);
}

function formatSet(set: TransactionSetReport, lines: string[]): void {
  const what = `${shown(set.transactionSet)} control ${shown(set.control)}, guide ${set.guide ?? 'none'} version ${shown(set.version)}`;
  lines.push(`${INDENT.repeat(3)}transaction set ${what} (byte ${set.offset}; ${formatCounts(set)}): ${set.verdict}`);
  for (const issue of set.issues) lines.push(INDENT.repeat(4) + formatIssue(issue));
}

/** The counts that mean something for the transaction type, and the segment count always. */
function formatCounts(set: TransactionSetReport): string {
  const { claims, serviceLines, claimPayments, segments } = set.counts;
  const parts: string[] = [];
  if (set.transactionSet === '837') parts.push(plural(claims, 'claim'), plural(serviceLines, 'service line'));
  else if (set.transactionSet === '835') parts.push(plural(claimPayments, 'claim payment'), plural(serviceLines, 'service line'));
  else if (claims + serviceLines + claimPayments > 0) parts.push(plural(claims, 'claim'), plural(serviceLines, 'service line'), plural(claimPayments, 'claim payment'));
  parts.push(plural(segments, 'segment'));
  return parts.join(', ');
}

/**
 * One issue: severity, level, code (with the acknowledgment element it is reported in) and its
 * meaning, then where (loop, segment and ordinal, element
 * position, byte offset), then the message. `badValue` is deliberately not part of it.
 */
export function formatIssue(issue: X12Issue): string {
  const where: string[] = [];
  if (issue.loopId) where.push(`loop ${issue.loopId}`);
  if (issue.segmentId) where.push(issue.ordinal ? `segment ${issue.segmentId} #${issue.ordinal}` : `segment ${issue.segmentId}`);
  else if (issue.ordinal) where.push(`segment #${issue.ordinal}`);
  if (issue.element !== undefined) {
    let position = `element ${issue.element}`;
    if (issue.component !== undefined) position += `-${issue.component}`;
    if (issue.repetition !== undefined) position += ` (repetition ${issue.repetition})`;
    if (issue.elementRef) position += ` [${issue.elementRef}]`;
    where.push(position);
  }
  if (issue.offset !== undefined) where.push(`byte ${issue.offset}`);
  // The level, then the acknowledgment element its code goes in (file codes have none).
  const label = issue.level === 'file' ? 'file' : `${issue.level} ${codeElementOfLevel[issue.level]}`;
  const code = `${label} ${issue.code} (${issueCodeMeaning(issue)})`;
  return `${issue.severity.padEnd(7)} ${code}${where.length > 0 ? ` at ${where.join(', ')}` : ''}: ${issue.message}`;
}

const usageName: Readonly<Record<string, string>> = { P: 'production', T: 'test', I: 'information' };

function party(qualifier: string, id: string): string {
  return qualifier ? `${qualifier}:${shown(id)}` : shown(id);
}

/** An envelope value, or `?` when it is missing (a damaged header). */
function shown(value: string): string {
  return value === '' ? '?' : value;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
