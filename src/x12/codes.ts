/**
 * Short meanings of the acknowledgment codes an {@link X12Issue} carries, for people reading a
 * report (`claimpath check`, the worklist). The codes themselves are the standard ones: TA105
 * (interchange, TA1), AK905 (functional group, 999 AK9), IK502 (transaction set, 999 IK5), IK304
 * (segment, 999 IK3), IK403 (element, 999 IK4), from the X12 5010 standard and the 005010X231A1
 * guide, plus the engine's own `file` codes (problems below the X12 grammar).
 *
 * Held as tables so that adding a code means adding a row (CONVENTIONS: data over branches).
 */
import { FileIssueCode, type IssueLevel, type X12Issue } from './issues.ts';

/** TA105 interchange note codes (TA1). */
export const interchangeNoteCodes: Readonly<Record<string, string>> = {
  '000': 'no error',
  '001': 'ISA13 and IEA02 control numbers do not match',
  '002': 'this standard as noted in the control standards identifier is not supported',
  '003': 'this version of the controls is not supported',
  '004': 'the segment terminator is invalid',
  '005': 'invalid interchange sender id qualifier',
  '006': 'invalid interchange sender id',
  '007': 'invalid interchange receiver id qualifier',
  '008': 'invalid interchange receiver id',
  '009': 'unknown interchange receiver id',
  '010': 'invalid authorization information qualifier',
  '011': 'invalid authorization information value',
  '012': 'invalid security information qualifier',
  '013': 'invalid security information value',
  '014': 'invalid interchange date',
  '015': 'invalid interchange time',
  '016': 'invalid interchange standards identifier',
  '017': 'invalid interchange version id',
  '018': 'invalid interchange control number',
  '019': 'invalid acknowledgment requested value',
  '020': 'invalid test indicator value',
  '021': 'invalid number of included groups',
  '022': 'invalid control structure',
  '023': 'improper (premature) end of file',
  '024': 'invalid interchange content (e.g. invalid GS segment)',
  '025': 'duplicate interchange control number',
  '026': 'invalid data element separator',
  '027': 'invalid component element separator',
  '028': 'invalid delivery date in deferred delivery request',
  '029': 'invalid delivery time in deferred delivery request',
  '030': 'invalid delivery time code in deferred delivery request',
  '031': 'invalid grade of service code',
};

/** AK905–AK909 functional group error codes (999 AK9). */
export const groupErrorCodes: Readonly<Record<string, string>> = {
  '1': 'functional group not supported',
  '2': 'functional group version not supported',
  '3': 'functional group trailer missing',
  '4': 'group control number in GS and GE do not match',
  '5': 'number of included transaction sets does not match the actual count',
  '6': 'group control number violates syntax',
  '10': 'authentication key name unknown',
  '11': 'encryption key name unknown',
  '12': 'requested service (authentication or encryption) not available',
  '13': 'unknown security recipient',
  '14': 'unknown security originator',
  '15': 'syntax error in decrypted text',
  '16': 'security not supported',
  '17': 'incorrect message length (encryption only)',
  '18': 'message authentication code failed',
  '19': 'functional group control number not unique within the interchange',
  '23': 'S3E security end segment missing for S3S security start segment',
  '24': 'S3S security start segment missing for S3E security end segment',
  '25': 'S4E security end segment missing for S4S security start segment',
  '26': 'S4S security start segment missing for S4E security end segment',
};

/** IK502–IK506 transaction set syntax error codes (999 IK5). */
export const transactionSetErrorCodes: Readonly<Record<string, string>> = {
  '1': 'transaction set not supported',
  '2': 'transaction set trailer missing',
  '3': 'transaction set control number in ST and SE do not match',
  '4': 'number of included segments does not match the actual count',
  '5': 'one or more segments in error',
  '6': 'missing or invalid transaction set identifier',
  '7': 'missing or invalid transaction set control number',
  '8': 'authentication key name unknown',
  '9': 'encryption key name unknown',
  '10': 'requested service (authentication or encryption) not available',
  '11': 'unknown security recipient',
  '12': 'incorrect message length (encryption only)',
  '13': 'message authentication code failed',
  '15': 'unknown security originator',
  '16': 'syntax error in decrypted text',
  '17': 'security not supported',
  '18': 'transaction set not in functional group',
  '19': 'invalid transaction set implementation convention reference',
  '23': 'transaction set control number not unique within the functional group',
  '24': 'S3E security end segment missing for S3S security start segment',
  '25': 'S3S security start segment missing for S3E security end segment',
  '26': 'S4E security end segment missing for S4S security start segment',
  '27': 'S4S security start segment missing for S4E security end segment',
  I5: 'implementation: one or more segments in error',
  I6: 'implementation convention not supported',
};

/** IK304 segment syntax error codes (999 IK3). */
export const segmentErrorCodes: Readonly<Record<string, string>> = {
  '1': 'unrecognized segment id',
  '2': 'unexpected segment',
  '3': 'required segment missing',
  '4': 'loop occurs over maximum times',
  '5': 'segment exceeds maximum use',
  '6': 'segment not in defined transaction set',
  '7': 'segment not in proper sequence',
  '8': 'segment has data element errors',
  I4: 'implementation "not used" segment present',
  I6: 'implementation dependent segment missing',
  I7: 'implementation loop occurs under minimum times',
  I8: 'implementation segment below minimum use',
  I9: 'implementation dependent "not used" segment present',
};

/** IK403 element syntax error codes (999 IK4). */
export const elementErrorCodes: Readonly<Record<string, string>> = {
  '1': 'required data element missing',
  '2': 'conditional required data element missing',
  '3': 'too many data elements',
  '4': 'data element too short',
  '5': 'data element too long',
  '6': 'invalid character in data element',
  '7': 'invalid code value',
  '8': 'invalid date',
  '9': 'invalid time',
  '10': 'exclusion condition violated',
  '12': 'too many repetitions',
  '13': 'too many components',
  I6: 'code value not used in implementation',
  I9: 'implementation dependent data element missing',
  I10: 'implementation "not used" data element present',
  I11: 'implementation too few repetitions',
  I12: 'implementation pattern match failure',
  I13: 'implementation dependent "not used" data element present',
};

/** The engine's `file` codes: problems below the X12 grammar, with no acknowledgment code. */
export const fileIssueCodes: Readonly<Record<string, string>> = {
  [FileIssueCode.noIsa]: 'no ISA interchange header in the file',
  [FileIssueCode.textBeforeIsa]: 'text before the first ISA',
  [FileIssueCode.segmentTooLong]: 'segment too long (no terminator found)',
  [FileIssueCode.trailingData]: 'data after an interchange that is not an interchange',
  [FileIssueCode.truncated]: 'file ends inside a segment',
  [FileIssueCode.empty]: 'empty file',
  [FileIssueCode.repetitionSeparator]: 'ISA11 is not a usable repetition separator; read with none',
  [FileIssueCode.binaryData]: 'binary data in the file',
};

/** Which table holds the codes of each issue level. */
export const codeTables: Readonly<Record<IssueLevel, Readonly<Record<string, string>>>> = {
  file: fileIssueCodes,
  interchange: interchangeNoteCodes,
  group: groupErrorCodes,
  set: transactionSetErrorCodes,
  segment: segmentErrorCodes,
  element: elementErrorCodes,
};

/** The acknowledgment element each level's code is reported in, for people (`TA105`, `IK304`…). */
export const codeElementOfLevel: Readonly<Record<IssueLevel, string>> = {
  file: 'file',
  interchange: 'TA105',
  group: 'AK905',
  set: 'IK502',
  segment: 'IK304',
  element: 'IK403',
};

/**
 * The short meaning of a code at a level, or `undefined` when the table does not know it.
 * Codes are matched as written, then without leading zeros (some validators write `007` for IK403
 * `7`, and TA105 is always three digits).
 *
 * @example codeMeaning('segment', '7') // 'segment not in proper sequence'
 */
export function codeMeaning(level: IssueLevel, code: string): string | undefined {
  const table = codeTables[level];
  const exact = table[code];
  if (exact !== undefined) return exact;
  if (/^\d+$/.test(code)) {
    const trimmed = String(Number(code));
    return table[trimmed] ?? table[trimmed.padStart(3, '0')];
  }
  return undefined;
}

/** The meaning of an issue's code, or `'unknown code'` when no table lists it. */
export function issueCodeMeaning(issue: Pick<X12Issue, 'level' | 'code'>): string {
  return codeMeaning(issue.level, issue.code) ?? 'unknown code';
}
