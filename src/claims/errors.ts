/**
 * Errors of the claims area. Bad input files never throw (they become findings); these are for
 * programming and configuration mistakes, such as writer options that cannot make a valid envelope.
 */

/** The 837 writer cannot write with the options given (an ISA id too long, a control number out of range). */
export class Write837OptionsError extends Error {
  override readonly name = 'Write837OptionsError';

  constructor(
    message: string,
    /** The option at fault, e.g. `sender.id`. */
    readonly option: string,
  ) {
    super(message);
  }
}
