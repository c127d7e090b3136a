/**
 * The code sets, loaded once per process: `await loadCodeSets()` reads the compact data files of
 * `data/` on its first call (a few milliseconds: test/unit/codesets.test.ts prints it) and hands every
 * later caller the same {@link CodeSets}. ICD-10-CM is decoded block by block as codes are looked up.
 * A Lambda container pays the load once, at its first claim.
 *
 * @example
 * const codeSets = await loadCodeSets();
 * codeSets.icd10cm.lookup('E11.9', '2026-10-01'); // { status: 'billable', fiscalYear: 2027, outOfRange: false }
 * codeSets.hcpcs.lookup('G0008', '2026-03-02');   // { status: 'active', outOfRange: false, added: '…' }
 * codeSets.categoryOf('16', ['N382'], 'CO');      // { category: 'billing', queue: 'billing', refinedBy: 'N382' }
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { routeAdjustment } from './adjustment-routing.ts';
import { CARC_REVISION, carcCodes } from './data/carc.ts';
import { PLACE_OF_SERVICE_REVISION, placeOfServiceCodes } from './data/place-of-service.ts';
import { RARC_REVISION, rarcCodes } from './data/rarc.ts';
import { Icd10CmBlockIndex, HcpcsLineIndex } from './compact-format.ts';
import { readCodeSetTexts, type CodeSetManifest } from './data-files.ts';
import { CodeSetDataError } from './errors.ts';
import { HcpcsLookupTable, Icd10CmLookupTable } from './dated-code-sets.ts';
import type { CodeList, CodeSets, CodeSetVersion, LoadCodeSetsOptions } from './types.ts';

export type * from './types.ts';
export { queueOf } from './adjustment-routing.ts';
export { CodeSetDataError, CodeSetDateError, CodeSetSourceError } from './errors.ts';
export { fiscalYearOf, normalizeIcd10CmCode } from './dated-code-sets.ts';
export {
  isCdtFormat,
  isCptFormat,
  isCptModifierFormat,
  isHcpcsLevel2Format,
  isIcd10CmFormat,
  isRevenueCodeFormat,
  isTypeOfBillFormat,
} from './formats.ts';

/** The project's data folder, beside this module. */
export const defaultCodeSetDataDirectory = fileURLToPath(new URL('./data/', import.meta.url));

/** One load per data folder per process; a failed load is forgotten so that a later call can retry. */
const loads = new Map<string, Promise<CodeSets>>();

/**
 * The code sets, read on the first call and shared by every later one (per data folder).
 *
 * @throws CodeSetDataError when the data files are missing, corrupt, or differ from their manifest.
 */
export function loadCodeSets(options: LoadCodeSetsOptions = {}): Promise<CodeSets> {
  const directory = resolve(options.dataDirectory ?? defaultCodeSetDataDirectory);
  let load = loads.get(directory);
  if (!load) {
    load = readCodeSets(directory);
    loads.set(directory, load);
    load.catch(() => loads.delete(directory));
  }
  return load;
}

async function readCodeSets(directory: string): Promise<CodeSets> {
  const texts = await readCodeSetTexts(directory);
  const { manifest } = texts;
  // Indexes over the text, decoded piecemeal on first use: loading stays a few milliseconds.
  const icd10cmIndex = new Icd10CmBlockIndex(texts.icd10cm, manifest.icd10cm.file);
  if (icd10cmIndex.fiscalYears.join() !== manifest.icd10cm.fiscalYears.map((year) => year.fiscalYear).join()) {
    throw new CodeSetDataError('the fiscal years of the data file differ from the manifest', manifest.icd10cm.file);
  }
  const hcpcsIndex = new HcpcsLineIndex(texts.hcpcs, manifest.hcpcs.file);
  const modifiersIndex = new HcpcsLineIndex(texts.hcpcsModifiers, manifest.hcpcsModifiers.file);
  const icd10cm = new Icd10CmLookupTable(icd10cmIndex, manifest.icd10cm.coverage, manifest.icd10cm.codes);
  const hcpcs = new HcpcsLookupTable(hcpcsIndex, manifest.hcpcs.coverage, hcpcsIndex.size);
  const hcpcsModifiers = new HcpcsLookupTable(modifiersIndex, manifest.hcpcsModifiers.coverage, modifiersIndex.size);
  const carc = codeList(carcCodes, (code) => code.trim().toUpperCase());
  const rarc = codeList(rarcCodes, (code) => code.trim().toUpperCase());
  return {
    icd10cm,
    hcpcs,
    hcpcsModifiers,
    placeOfService: codeList(placeOfServiceCodes, (code) => code.trim()),
    carc,
    rarc,
    categoryOf: (carcCode, rarcs, group) => routeAdjustment(carcCode, rarcs, group, carcCodes, rarcCodes),
    versions: codeSetVersions(manifest),
  };
}

function codeList<Entry>(table: ReadonlyMap<string, Entry>, normalize: (code: string) => string): CodeList<Entry> {
  return { lookup: (code) => table.get(normalize(code)), size: table.size };
}

/** Source and release of each code set, from the manifest and our own tables' revisions. */
export function codeSetVersions(manifest: CodeSetManifest): CodeSetVersion[] {
  const years = manifest.icd10cm.fiscalYears;
  const derived = years.filter((year) => !year.official).map((year) => `FY${year.fiscalYear} is DERIVED from the prior year and published changes, not an official CMS file`);
  const hcpcsVersion = (name: string, entry: CodeSetManifest['hcpcs']): CodeSetVersion => ({
    name,
    source: `CMS alpha-numeric HCPCS file (${entry.source.file})`,
    release: entry.release,
    coverage: entry.coverage,
  });
  return [
    {
      name: 'ICD-10-CM',
      source: `CMS/NCHS tabular order files (${years.map((year) => year.source.file).join(', ')})`,
      release: `FY${years[0]!.fiscalYear}..FY${years[years.length - 1]!.fiscalYear}`,
      coverage: manifest.icd10cm.coverage,
      ...(derived.length > 0 && { notes: derived }),
    },
    hcpcsVersion('HCPCS Level II', manifest.hcpcs),
    hcpcsVersion('HCPCS modifiers', manifest.hcpcsModifiers),
    { name: 'Place of service', source: 'ClaimPath table after the CMS POS code set', release: PLACE_OF_SERVICE_REVISION },
    { name: 'CARC', source: 'ClaimPath table (our wording) after the X12 CARC list', release: CARC_REVISION },
    { name: 'RARC', source: 'ClaimPath table (our wording) after the X12 RARC list', release: RARC_REVISION },
  ];
}
