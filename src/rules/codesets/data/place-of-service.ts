/**
 * Place-of-service codes (837P CLM05-1 and SV105), 01–99, after the CMS Place of Service code set.
 * Names are ours, kept short; `active: false` marks a number CMS has not assigned, which a claim
 * must not carry. CMS publishes this list as a web page, not a data file, so it is kept by hand:
 * when CMS adds a code, set its entry active and name it (and bump the revision below).
 */
import type { PlaceOfServiceEntry } from '../types.ts';

/** When this table was last checked against the CMS list. */
export const PLACE_OF_SERVICE_REVISION = '2026-01';

const assigned: Readonly<Record<string, string>> = {
  '01': 'Pharmacy',
  '02': 'Telehealth, patient not at home',
  '03': 'School',
  '04': 'Homeless shelter',
  '05': 'Indian Health Service, free-standing facility',
  '06': 'Indian Health Service, provider-based facility',
  '07': 'Tribal 638, free-standing facility',
  '08': 'Tribal 638, provider-based facility',
  '09': 'Prison or correctional facility',
  '10': 'Telehealth, patient at home',
  '11': 'Office',
  '12': 'Home',
  '13': 'Assisted living facility',
  '14': 'Group home',
  '15': 'Mobile unit',
  '16': 'Temporary lodging',
  '17': 'Walk-in retail health clinic',
  '18': 'Place of employment, worksite',
  '19': 'Outpatient hospital, off campus',
  '20': 'Urgent care facility',
  '21': 'Inpatient hospital',
  '22': 'Outpatient hospital, on campus',
  '23': 'Hospital emergency room',
  '24': 'Ambulatory surgical center',
  '25': 'Birthing center',
  '26': 'Military treatment facility',
  '27': 'Outreach site or street',
  '31': 'Skilled nursing facility',
  '32': 'Nursing facility',
  '33': 'Custodial care facility',
  '34': 'Hospice',
  '41': 'Ambulance, land',
  '42': 'Ambulance, air or water',
  '49': 'Independent clinic',
  '50': 'Federally qualified health center',
  '51': 'Inpatient psychiatric facility',
  '52': 'Psychiatric facility, partial hospitalization',
  '53': 'Community mental health center',
  '54': 'Intermediate care facility for individuals with intellectual disabilities',
  '55': 'Residential substance use treatment facility',
  '56': 'Psychiatric residential treatment center',
  '57': 'Non-residential substance use treatment facility',
  '58': 'Non-residential opioid treatment facility',
  '60': 'Mass immunization center',
  '61': 'Comprehensive inpatient rehabilitation facility',
  '62': 'Comprehensive outpatient rehabilitation facility',
  '65': 'End-stage renal disease treatment facility',
  '66': 'PACE center (all-inclusive care for the elderly)',
  '71': 'Public health clinic (state or local)',
  '72': 'Rural health clinic',
  '81': 'Independent laboratory',
  '99': 'Other place of service',
};

/** Every code 01–99: the assigned ones active with their name, the rest inactive ("unassigned"). */
export const placeOfServiceCodes: ReadonlyMap<string, PlaceOfServiceEntry> = new Map(
  Array.from({ length: 99 }, (_, index) => {
    const code = String(index + 1).padStart(2, '0');
    const name = assigned[code];
    return [code, name ? { name, active: true } : { name: 'Unassigned', active: false }] as const;
  }),
);
