/**
 * Building blocks shared by the canonical model's schemas: money in integer cents, ISO dates, and the
 * pointer from a model field back to where it came from in an X12 file.
 */
import { z } from 'zod';

/** Money in integer cents (X12 amounts are decimals of dollars; `-12.5` → `-1250`). */
export const CentsSchema = z.int().describe('amount in integer cents');
export type Cents = z.infer<typeof CentsSchema>;

/** A calendar date, ISO `YYYY-MM-DD`. */
export const IsoDateSchema = z.iso.date();
export type IsoDate = z.infer<typeof IsoDateSchema>;

/** A date or a date range (`RD8`): `to` equals `from` for a single date. */
export const DateRangeSchema = z.object({ from: IsoDateSchema, to: IsoDateSchema });
export type DateRange = z.infer<typeof DateRangeSchema>;

/**
 * Where a value came from: the segment's ordinal in its transaction set (ST = 1), its byte offset in
 * the file, its loop, its id, and the element (and component) position when it is one value.
 */
export const SourceRefSchema = z.object({
  ordinal: z.int().nonnegative(),
  offset: z.int().nonnegative(),
  loop: z.string(),
  segment: z.string(),
  element: z.int().positive().optional(),
  component: z.int().positive().optional(),
});
export type SourceRef = z.infer<typeof SourceRefSchema>;

/** Source pointers of an object's fields, by field name (`{ totalCharge: {…CLM02…} }`). */
export const FieldSourcesSchema = z.record(z.string(), SourceRefSchema);
export type FieldSources = z.infer<typeof FieldSourcesSchema>;

/** The envelope a model object was read from (control numbers identify it; none of it is PHI). */
export const EnvelopeRefSchema = z.object({
  interchangeControl: z.string(),
  groupControl: z.string(),
  setControl: z.string(),
  version: z.string(),
  sender: z.string().optional(),
  receiver: z.string().optional(),
});
export type EnvelopeRef = z.infer<typeof EnvelopeRefSchema>;

/** NM102–NM107: a person's or an organization's name, as every NM1 carries it. */
export const NameShape = {
  /** NM102: 1 person, 2 non-person entity. */
  entityType: z.string().optional(),
  /** NM103: last name, or the organization's name. */
  lastOrOrganizationName: z.string().optional(),
  firstName: z.string().optional(),
  middleName: z.string().optional(),
  suffix: z.string().optional(),
};

/** A party named by an NM1 with its entity code (NM101) and identifier (NM108/NM109). */
export const Nm1PartySchema = z.object({
  entity: z.string(),
  ...NameShape,
  idQualifier: z.string().optional(),
  id: z.string().optional(),
});
export type Nm1Party = z.infer<typeof Nm1PartySchema>;
