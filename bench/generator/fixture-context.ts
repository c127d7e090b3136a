/**
 * What every part of one generated file shares: the random stream, the sequences that must stay
 * unique across the file (claims, lines), the envelope's date, and the parties (providers, payers)
 * drawn once per file so that claims of the same provider carry the same NPI and tax id.
 */
import { BILLING_PROVIDER_NAMES, CITIES, FACILITY_NAMES, FIRST_NAMES, LAST_NAMES, STREETS } from './code-values.ts';
import { randomNpi } from './npi.ts';
import { SeededRandom } from './random.ts';
import { dayNumber } from './x12-format.ts';

export interface Address {
  line: string;
  city: string;
  state: string;
  /** Five digits, or nine where the guide asks for ZIP+4. */
  zip: string;
}

export interface Person {
  last: string;
  first: string;
  middle: string;
  /** Member id (NM109 with qualifier MI). */
  memberId: string;
  birthDay: number;
  gender: 'F' | 'M';
  address: Address;
}

export interface Organization {
  name: string;
  npi: string;
  /** Employer identification number (REF*EI / REF*TJ), nine digits. */
  taxId: string;
  address: Address;
}

/** A fixture's parties and sequences. */
export class FixtureContext {
  readonly random: SeededRandom;
  /** Envelope and production date: fixed, so the bytes depend on the seed only. */
  readonly createdDay = dayNumber(2026, 7, 1);
  readonly createdMinutes = 9 * 60 + 30;
  /** Dates of service fall in the first half of 2026 (ICD-10-CM FY2026, HCPCS January 2026). */
  readonly firstServiceDay = dayNumber(2026, 1, 5);
  readonly lastServiceDay = dayNumber(2026, 6, 20);
  readonly professionalProviders: readonly Organization[];
  readonly institutionalProviders: readonly Organization[];
  private claimSequence = 0;

  constructor(
    readonly seed: number,
    /** Letter that keeps patient control numbers of different kinds apart (P, I, R). */
    private readonly kindLetter: string,
  ) {
    this.random = new SeededRandom(seed);
    this.professionalProviders = BILLING_PROVIDER_NAMES.map((name) => this.organization(name));
    this.institutionalProviders = FACILITY_NAMES.map((name) => this.organization(name));
  }

  /** The next patient control number (CLM01 / CLP01): unique in the file, 15 characters. */
  nextPatientControlNumber(): string {
    this.claimSequence++;
    const seedTag = String(this.seed % 1000).padStart(3, '0');
    return `CP${this.kindLetter}${seedTag}${String(this.claimSequence).padStart(9, '0')}`;
  }

  /** A day of service. */
  serviceDay(): number {
    return this.random.int(this.firstServiceDay, this.lastServiceDay);
  }

  address(zipPlusFour = false): Address {
    const r = this.random;
    const city = r.pick(CITIES);
    return {
      line: `${r.int(1, 9999)} ${r.pick(STREETS)}`,
      city: city.city,
      state: city.state,
      zip: zipPlusFour ? city.zip + r.digits(4) : city.zip,
    };
  }

  person(adult: boolean): Person {
    const r = this.random;
    const birthDay = adult ? r.int(dayNumber(1940, 1, 1), dayNumber(2000, 12, 31)) : r.int(dayNumber(2008, 1, 1), dayNumber(2024, 12, 31));
    return {
      last: r.pick(LAST_NAMES),
      first: r.pick(FIRST_NAMES),
      middle: r.chance(0.3) ? String.fromCharCode(65 + r.int(0, 25)) : '',
      memberId: 'TEST' + r.digits(9),
      birthDay,
      gender: r.chance(0.5) ? 'F' : 'M',
      address: this.address(),
    };
  }

  private organization(name: string): Organization {
    return { name, npi: randomNpi(this.random, 'organization'), taxId: '99' + this.random.digits(7), address: this.address(true) };
  }
}
