/**
 * Errors of the code-set area. None of them quotes a claim's value: a code set is public data, and
 * the only value a message may name is a file name or a line number of an official release.
 */

/** The project's compact data files are missing, corrupt, or do not match their manifest. */
export class CodeSetDataError extends Error {
  override readonly name = 'CodeSetDataError';

  constructor(
    message: string,
    /** The data file concerned. */
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An official release file (CMS/CDC) cannot be read as the format its name announces. */
export class CodeSetSourceError extends Error {
  override readonly name = 'CodeSetSourceError';

  constructor(
    message: string,
    /** The source file concerned. */
    readonly file: string,
    /** The 1-based line at fault, when one is. */
    readonly line?: number,
  ) {
    super(line === undefined ? `${file}: ${message}` : `${file} line ${line}: ${message}`);
  }
}

/** A look-up was given a date that is not an ISO `YYYY-MM-DD` calendar date (a caller's bug). */
export class CodeSetDateError extends Error {
  override readonly name = 'CodeSetDateError';

  constructor(message: string) {
    super(message);
  }
}
