/**
 * Code-set builds and versions as text for people (`scripts/build-codesets.ts`, `claimpath
 * codesets import|info`). Counts, releases and coverage only.
 */
import type { CodeSetChanges, HcpcsChange, Icd10CmYearChange } from './changes.ts';
import type { CodeSetVersion, Coverage } from './types.ts';

/** The changes of a rebuild, followed by the build's notes and the files it did not recognise. */
export function formatCodeSetChanges(changes: CodeSetChanges, notes: readonly string[], ignoredFiles: readonly string[] = []): string {
  const lines: string[] = [];
  lines.push(`ICD-10-CM: coverage ${coverageChange(changes.icd10cm.coverageBefore, changes.icd10cm.coverageAfter)}`);
  for (const year of changes.icd10cm.years) lines.push('  ' + formatYear(year));
  lines.push(formatHcpcs('HCPCS codes', changes.hcpcs));
  lines.push(formatHcpcs('HCPCS modifiers', changes.hcpcsModifiers));
  if (notes.length > 0) {
    lines.push('Notes:');
    for (const note of notes) lines.push(`  - ${note}`);
  }
  if (ignoredFiles.length > 0) lines.push(`Not recognised as official code-set files (ignored): ${ignoredFiles.join(', ')}`);
  return lines.join('\n') + '\n';
}

function formatYear(year: Icd10CmYearChange): string {
  const origin = year.official ? 'official' : 'DERIVED';
  const counts = `${year.billable} billable, ${year.header} header`;
  if (year.change === 'removed') return `FY${year.fiscalYear} removed (${year.codesRemoved} codes)`;
  const against =
    year.comparedWith === undefined || year.change === 'kept'
      ? ''
      : `; vs ${year.comparedWith === year.fiscalYear ? 'before' : `FY${year.comparedWith}`}: ` +
        `+${year.codesAdded} added, -${year.codesRemoved} deleted, ${year.becameHeader} billable→header, ${year.becameBillable} header→billable`;
  return `FY${year.fiscalYear} ${year.change} (${origin}): ${counts}${against}`;
}

function formatHcpcs(label: string, change: HcpcsChange): string {
  const release = change.releaseBefore && change.releaseBefore !== change.releaseAfter ? `${change.releaseBefore} → ${change.releaseAfter}` : change.releaseAfter;
  return (
    `${label}: release ${release}, ${change.codes} codes; coverage ${coverageChange(change.coverageBefore, change.coverageAfter)}; ` +
    `+${change.codesAdded} added, -${change.codesRemoved} removed, ${change.newlyTerminated} newly terminated, ${change.datesChanged} dates changed`
  );
}

function coverageChange(before: Coverage | undefined, after: Coverage): string {
  const text = (coverage: Coverage) => `${coverage.from}..${coverage.to}`;
  if (!before || text(before) === text(after)) return text(after);
  return `${text(before)} → ${text(after)}`;
}

/** One line per code set: name, release, coverage, source, then its notes indented. */
export function formatCodeSetVersions(versions: readonly CodeSetVersion[]): string {
  const lines: string[] = [];
  for (const version of versions) {
    const coverage = version.coverage ? `, covers ${version.coverage.from}..${version.coverage.to}` : '';
    lines.push(`${version.name}: ${version.release}${coverage} (${version.source})`);
    for (const note of version.notes ?? []) lines.push(`  - ${note}`);
  }
  return lines.join('\n') + '\n';
}
