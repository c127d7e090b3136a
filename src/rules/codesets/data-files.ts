/**
 * The data folder as a whole: `manifest.json` (what was built from which official files, with the
 * sha256 of every data file) and the gzipped compact files it names. Read by `loadCodeSets()` and by
 * the build (to merge an import into what is there); written only by the build.
 */
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip as gunzipCallback, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { IsoDateSchema } from '../../../schemas/common.schema.ts';
import {
  decodeHcpcs,
  decodeIcd10Cm,
  encodeHcpcs,
  encodeIcd10Cm,
  type HcpcsTable,
  type Icd10CmTable,
} from './compact-format.ts';
import { CodeSetDataError } from './errors.ts';

const gunzip = promisify(gunzipCallback);

export const MANIFEST_FILE = 'manifest.json';
export const ICD10CM_FILE = 'icd10cm.txt.gz';
export const HCPCS_FILE = 'hcpcs.txt.gz';
export const HCPCS_MODIFIERS_FILE = 'hcpcs-modifiers.txt.gz';
export const SOURCES_FILE = 'SOURCES.md';

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);

/** An official input file: its name and digests (of the file, and of its text when it was gzipped). */
export const SourceFileSchema = z.object({
  file: z.string(),
  sha256: Sha256Schema,
  /** sha256 of the uncompressed text, when the file was gzipped (comparable with the CMS download). */
  contentSha256: Sha256Schema.optional(),
});
export type SourceFile = z.infer<typeof SourceFileSchema>;

export const CoverageSchema = z.object({ from: IsoDateSchema, to: IsoDateSchema });

export const Icd10CmYearManifestSchema = z.object({
  fiscalYear: z.int(),
  /** False when the year was derived (a prior year's file plus a published change list), not an official file. */
  official: z.boolean(),
  source: SourceFileSchema,
  billable: z.int().nonnegative(),
  header: z.int().nonnegative(),
});
export type Icd10CmYearManifest = z.infer<typeof Icd10CmYearManifestSchema>;

const HcpcsManifestSchema = z.object({
  file: z.string(),
  sha256: Sha256Schema,
  /** `YYYY-MM`, first month of the release's quarter. */
  release: z.string().regex(/^\d{4}-(01|04|07|10)$/),
  coverage: CoverageSchema,
  codes: z.int().nonnegative(),
  /** Codes without a termination date before the release month. */
  activeAtRelease: z.int().nonnegative(),
  source: SourceFileSchema,
});
export type HcpcsManifest = z.infer<typeof HcpcsManifestSchema>;

export const CodeSetManifestSchema = z.object({
  format: z.literal(1),
  builtAt: z.iso.datetime(),
  builtBy: z.string(),
  icd10cm: z.object({
    file: z.string(),
    sha256: Sha256Schema,
    codes: z.int().nonnegative(),
    coverage: CoverageSchema,
    fiscalYears: z.array(Icd10CmYearManifestSchema).min(1),
  }),
  hcpcs: HcpcsManifestSchema,
  hcpcsModifiers: HcpcsManifestSchema,
});
export type CodeSetManifest = z.infer<typeof CodeSetManifestSchema>;

/** The decoded content of a data folder. */
export interface CodeSetData {
  manifest: CodeSetManifest;
  icd10cm: Icd10CmTable;
  hcpcs: HcpcsTable;
  hcpcsModifiers: HcpcsTable;
}

/** Read and validate `manifest.json` alone (cheap: for `codesets info`). */
export async function readManifest(directory: string): Promise<CodeSetManifest> {
  const path = join(directory, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CodeSetDataError(`cannot read ${MANIFEST_FILE} in the code-set data folder`, path, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CodeSetDataError(`${MANIFEST_FILE} is not JSON`, path, { cause: error });
  }
  const parsed = CodeSetManifestSchema.safeParse(json);
  if (!parsed.success) throw new CodeSetDataError(`${MANIFEST_FILE} is invalid: ${z.prettifyError(parsed.error)}`, path);
  return parsed.data;
}

/** A data folder's manifest and the unzipped text of its three data files. */
export interface CodeSetTexts {
  manifest: CodeSetManifest;
  icd10cm: string;
  hcpcs: string;
  hcpcsModifiers: string;
}

/**
 * Read a data folder's files: the manifest, then the three data files in parallel, each checked
 * against the sha256 the manifest recorded (a file half-copied into a bundle fails here, not with
 * odd look-ups later).
 */
export async function readCodeSetTexts(directory: string): Promise<CodeSetTexts> {
  const manifest = await readManifest(directory);
  const [icd10cm, hcpcs, hcpcsModifiers] = await Promise.all([
    readDataFile(directory, manifest.icd10cm.file, manifest.icd10cm.sha256),
    readDataFile(directory, manifest.hcpcs.file, manifest.hcpcs.sha256),
    readDataFile(directory, manifest.hcpcsModifiers.file, manifest.hcpcsModifiers.sha256),
  ]);
  return { manifest, icd10cm, hcpcs, hcpcsModifiers };
}

/** Read and decode a data folder whole (the build merges into it and compares with it). */
export async function readCodeSetData(directory: string): Promise<CodeSetData> {
  const { manifest, icd10cm: icd10cmText, hcpcs: hcpcsText, hcpcsModifiers: modifiersText } = await readCodeSetTexts(directory);
  const icd10cm = decodeIcd10Cm(icd10cmText, manifest.icd10cm.file);
  const years = manifest.icd10cm.fiscalYears.map((year) => year.fiscalYear);
  if (years.join() !== icd10cm.fiscalYears.join()) {
    throw new CodeSetDataError('the fiscal years of the data file differ from the manifest', manifest.icd10cm.file);
  }
  return {
    manifest,
    icd10cm,
    hcpcs: decodeHcpcs(hcpcsText, manifest.hcpcs.file),
    hcpcsModifiers: decodeHcpcs(modifiersText, manifest.hcpcsModifiers.file),
  };
}

async function readDataFile(directory: string, file: string, expectedSha256: string): Promise<string> {
  const path = join(directory, file);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new CodeSetDataError('cannot read a code-set data file', path, { cause: error });
  }
  if (sha256(bytes) !== expectedSha256) throw new CodeSetDataError('the data file does not match its manifest sha256', path);
  return (await gunzip(bytes)).toString('utf8');
}

/** The encoded, gzipped data files and their digests, ready to write. */
export interface EncodedCodeSetData {
  icd10cm: Buffer;
  hcpcs: Buffer;
  hcpcsModifiers: Buffer;
}

/** Encode and gzip the three tables (gzip's header carries no time, so equal data gives equal bytes). */
export function encodeCodeSetData(data: Omit<CodeSetData, 'manifest'>): EncodedCodeSetData {
  const gzip = (text: string): Buffer => gzipSync(Buffer.from(text, 'utf8'), { level: 9 });
  return {
    icd10cm: gzip(encodeIcd10Cm(data.icd10cm)),
    hcpcs: gzip(encodeHcpcs(data.hcpcs)),
    hcpcsModifiers: gzip(encodeHcpcs(data.hcpcsModifiers)),
  };
}

/**
 * Write a data folder: the data files first, then the manifest, each through a temporary file and a
 * rename, so that a reader never sees a manifest naming digests of files not yet written.
 */
export async function writeCodeSetData(
  directory: string,
  encoded: EncodedCodeSetData,
  manifest: CodeSetManifest,
  sourcesMarkdown: string,
): Promise<void> {
  await writeAtomically(join(directory, manifest.icd10cm.file), encoded.icd10cm);
  await writeAtomically(join(directory, manifest.hcpcs.file), encoded.hcpcs);
  await writeAtomically(join(directory, manifest.hcpcsModifiers.file), encoded.hcpcsModifiers);
  await writeAtomically(join(directory, SOURCES_FILE), Buffer.from(sourcesMarkdown, 'utf8'));
  await writeAtomically(join(directory, MANIFEST_FILE), Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8'));
}

async function writeAtomically(path: string, bytes: Buffer): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, bytes);
  await rename(temporary, path);
}

/** Hex sha256 of bytes or text. */
export function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}
