/**
 * Payer rule documents: the JSON a payer-rules maintainer writes, versions and loads (`claimpath rules
 * import`, `claimpath check --rules`). A document is a base — `{ id, payer, kind, version, effective,
 * severity, params, message?, preventsCarc?, queue? }` — discriminated on `kind`, with one `params`
 * schema per kind. The kinds' evaluation lives in `src/rules/kinds/`; their params schemas live here,
 * because `schemas/` is the contract the store, the CLI and the engine share.
 *
 * Codes in params are normalized on parse (upper case; ICD-10-CM without its dot) so that the engine
 * compares them as written in an 837. Params objects are strict: a misspelled key is an error, not a
 * silently ignored edit.
 */
import { z } from 'zod';
import { IsoDateSchema } from './common.schema.ts';
import { ClaimSchema, ClaimTypeSchema } from './claim.schema.ts';
import { FindingSeveritySchema, WorkQueueSchema } from './finding.schema.ts';

// ── Building blocks ───────────────────────────────────────────────────────────────────────────────

/** The payer id that holds the rules for every payer. */
export const EVERY_PAYER_ID = '*';

/** A procedure code (HCPCS Level II, CPT, CDT, or a fictional one): SV101-2 is AN 1–48. */
export const RuleProcedureCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{1,48}$/, 'a procedure code is 1 to 48 letters or digits');

/** A procedure modifier: two letters or digits. */
export const RuleModifierSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{2}$/, 'a modifier is two letters or digits');

/**
 * An ICD-10-CM code, or a code prefix ending in `*` (`E11*` = every code of category E11), written with
 * or without its dot; held without the dot, as HI carries it.
 */
export const RuleDiagnosisPatternSchema = z
  .string()
  .trim()
  .toUpperCase()
  .transform((code) => code.replace('.', ''))
  .pipe(z.string().regex(/^[A-Z][0-9A-Z]{2,6}$|^[A-Z][0-9A-Z]{0,5}\*$/, 'an ICD-10-CM code (3 to 7 characters) or a prefix ending in *'));

/** A procedure code or a prefix ending in `*` (`J*` = every J code). */
export const RuleProcedurePatternSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{1,48}\*?$/, 'a procedure code (letters and digits) or a prefix ending in *');

/** Sex as DMG03 carries it. */
export const RuleSexSchema = z.enum(['F', 'M']);

/** A date range, last day included; no `to` = open-ended. */
export const EffectiveRangeSchema = z
  .strictObject({ from: IsoDateSchema, to: IsoDateSchema.optional() })
  .refine((range) => range.to === undefined || range.from <= range.to, {
    message: 'the range ends before it starts (to is earlier than from)',
    path: ['to'],
  });
export type EffectiveRange = z.infer<typeof EffectiveRangeSchema>;

const positiveDays = z.int().positive().max(36_600);

// ── Params, one per kind ──────────────────────────────────────────────────────────────────────────

/** What code-set validity checks; every check when `checks` is absent. */
export const CodeSetCheckSchema = z.enum([
  /** ICD-10-CM billable in the fiscal year of the date of service (837I inpatient: the discharge date). */
  'diagnoses',
  /** HCPCS Level II codes active on the line's date; CPT and CDT codes for their format only. */
  'procedures',
  /** HCPCS modifiers active on the line's date. */
  'modifiers',
  /** Place of service (837P/837D claim and lines) in the CMS list. */
  'place-of-service',
  /** 837I revenue codes: four digits (NUBC values are licensed: format only). */
  'revenue-codes',
  /** 837I type of bill (CLM05-1 facility type + CLM05-3 frequency): NUBC, format only. */
  'type-of-bill',
]);
export type CodeSetCheck = z.infer<typeof CodeSetCheckSchema>;

export const CodeSetValidityParamsSchema = z.strictObject({
  checks: z.array(CodeSetCheckSchema).min(1).optional(),
});

/**
 * Where NPIs are read from on a claim (all of them when `roles` is absent): the billing provider
 * (2010AA), the claim's providers (2310A–F: referring, rendering, service facility, supervising …) and
 * the lines' providers (2420A–H). The 5010 pay-to address (2010AB) carries no NPI.
 */
export const NpiRoleSchema = z.enum(['billing', 'claimProviders', 'lineProviders']);

export const NpiCheckDigitParamsSchema = z.strictObject({
  roles: z.array(NpiRoleSchema).min(1).optional(),
});

/** A claim field path: `references.priorAuthorization`, `lines[].dates.service`, `patient.birthDate`. */
const fieldPathPattern = /^[A-Za-z][A-Za-z0-9]*(\[\])?(\.[A-Za-z][A-Za-z0-9]*(\[\])?)*$/;

export const RequiredFieldSchema = z.strictObject({
  path: z
    .string()
    .regex(fieldPathPattern, 'a path like references.priorAuthorization or lines[].dates.service')
    .refine(isClaimFieldPath, { message: 'not a field of the claim model (see schemas/claim.schema.ts)' }),
  /** What the coder is told is missing ("the prior authorization number"); the path when absent. */
  label: z.string().min(1).optional(),
});
export type RequiredField = z.infer<typeof RequiredFieldSchema>;

export const RequiredDataParamsSchema = z.strictObject({
  fields: z.array(RequiredFieldSchema).min(1),
  /** Only for these claim types (P, I, D); every type when absent. */
  claimTypes: z.array(ClaimTypeSchema).min(1).optional(),
});

/**
 * NCCI modifier indicator: 0 no modifier bypasses the edit, 1 an NCCI-associated modifier bypasses it,
 * 9 the edit does not apply (deleted pair kept for history).
 */
export const ModifierIndicatorSchema = z.literal([0, 1, 9]);

export const ProcedurePairSchema = z.strictObject({
  column1: RuleProcedureCodeSchema,
  column2: RuleProcedureCodeSchema,
  modifierIndicator: ModifierIndicatorSchema,
  /** The pair's own effective and deletion dates (NCCI tables carry both). */
  effective: EffectiveRangeSchema.optional(),
});
export type ProcedurePair = z.infer<typeof ProcedurePairSchema>;

/** NCCI-associated modifiers that bypass an edit whose modifier indicator is 1. */
export const NCCI_ASSOCIATED_MODIFIERS: readonly string[] = [
  '59', 'XE', 'XP', 'XS', 'XU', 'E1', 'E2', 'E3', 'E4', 'FA', 'F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9',
  'TA', 'T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9', 'LT', 'RT', 'LC', 'LD', 'LM', 'RC', 'RI',
  '24', '25', '27', '57', '58', '78', '79', '91',
];

export const ProcedurePairParamsSchema = z.strictObject({
  pairs: z.array(ProcedurePairSchema).min(1),
  /** The modifiers that bypass an indicator-1 edit; {@link NCCI_ASSOCIATED_MODIFIERS} when absent. */
  bypassModifiers: z.array(RuleModifierSchema).optional(),
});

/** MUE adjudication: per line (MAI 1) or per date of service summed over the claim's lines (MAI 2/3). */
export const UnitsLimitSchema = z.strictObject({
  code: RuleProcedureCodeSchema,
  maxUnits: z.number().positive(),
  per: z.enum(['line', 'date-of-service']).optional(),
});
export type UnitsLimit = z.infer<typeof UnitsLimitSchema>;

export const UnitsLimitParamsSchema = z.strictObject({
  limits: z.array(UnitsLimitSchema).min(1),
  /** The default of limits that do not say (`line`). */
  per: z.enum(['line', 'date-of-service']).optional(),
});

export const AgeSexEditSchema = z
  .strictObject({
    /** Procedure codes (or prefixes) the edit is about. */
    procedures: z.array(RuleProcedurePatternSchema).min(1).optional(),
    /** Diagnosis codes (or prefixes) the edit is about. */
    diagnoses: z.array(RuleDiagnosisPatternSchema).min(1).optional(),
    /** Youngest age allowed, in whole years on the date of service, inclusive. */
    minAge: z.int().nonnegative().optional(),
    /** Oldest age allowed, in whole years on the date of service, inclusive. */
    maxAge: z.int().nonnegative().optional(),
    sex: RuleSexSchema.optional(),
  })
  .refine((edit) => edit.procedures !== undefined || edit.diagnoses !== undefined, {
    message: 'name the procedures or the diagnoses the edit applies to',
  })
  .refine((edit) => edit.minAge !== undefined || edit.maxAge !== undefined || edit.sex !== undefined, {
    message: 'give minAge, maxAge or sex',
  })
  .refine((edit) => edit.minAge === undefined || edit.maxAge === undefined || edit.minAge <= edit.maxAge, {
    message: 'minAge is above maxAge',
    path: ['maxAge'],
  });
export type AgeSexEdit = z.infer<typeof AgeSexEditSchema>;

export const AgeSexParamsSchema = z.strictObject({ edits: z.array(AgeSexEditSchema).min(1) });

export const DiagnosisRequirementSchema = z.strictObject({
  procedures: z.array(RuleProcedurePatternSchema).min(1),
  /** At least one of these must be among the diagnoses the line points at. */
  diagnoses: z.array(RuleDiagnosisPatternSchema).min(1),
});
export type DiagnosisRequirement = z.infer<typeof DiagnosisRequirementSchema>;

export const DiagnosisRequirementParamsSchema = z.strictObject({
  requirements: z.array(DiagnosisRequirementSchema).min(1),
  /**
   * An LCD-style medical-necessity edit (the default), worked by the clinical queue; `false` for a
   * coding edit (a procedure billed with the wrong diagnosis pointers), worked by the coding queue.
   */
  medicalNecessity: z.boolean().optional(),
});

export const PriorAuthorizationParamsSchema = z.strictObject({
  /** Procedure codes (or prefixes) that need REF*G1 on the claim (2300) or the line (2400). */
  procedures: z.array(RuleProcedurePatternSchema).min(1),
});

export const TimelyFilingParamsSchema = z.strictObject({
  /** Days from the line's (last) date of service to the payer's receipt. */
  days: positiveDays,
  /** Replacement and void claims (frequency 7, 8), when the payer allows them a different limit. */
  correctedClaimDays: positiveDays.optional(),
});

/** A counting period for frequency limits. */
export const FrequencyPeriodSchema = z.union([
  z.enum(['date-of-service', 'calendar-month', 'calendar-year']),
  z.strictObject({ rollingDays: positiveDays }),
]);
export type FrequencyPeriod = z.infer<typeof FrequencyPeriodSchema>;

export const FrequencyLimitSchema = z.strictObject({
  /** Procedure codes counted together (exact codes: the history is asked code by code). */
  procedures: z.array(RuleProcedureCodeSchema).min(1),
  /** Services allowed per patient in the period, this claim's included. */
  max: z.int().positive(),
  period: FrequencyPeriodSchema,
  /** Count units instead of lines (one line of 2 units = 2 services). */
  countUnits: z.boolean().optional(),
});
export type FrequencyLimit = z.infer<typeof FrequencyLimitSchema>;

export const FrequencyLimitParamsSchema = z.strictObject({ limits: z.array(FrequencyLimitSchema).min(1) });

export const DuplicateClaimParamsSchema = z.strictObject({
  /** Also flag single lines billed again on another claim (same patient, code, modifiers, date). */
  lines: z.boolean().optional(),
  /** Require equal charges for a whole-claim duplicate (default true). */
  sameCharges: z.boolean().optional(),
});

export const FeeScheduleEntrySchema = z.strictObject({
  code: RuleProcedureCodeSchema,
  /** The entry applies to a line with these modifiers (order does not matter); the base rate when absent. */
  modifiers: z.array(RuleModifierSchema).max(4).optional(),
  /** Expected allowed amount per unit, in cents. */
  allowed: z.int().nonnegative(),
});
export type FeeScheduleEntry = z.infer<typeof FeeScheduleEntrySchema>;

export const FeeScheduleParamsSchema = z.strictObject({ entries: z.array(FeeScheduleEntrySchema).min(1) });

export const AppealWindowParamsSchema = z.strictObject({
  /** Days from the remittance date to the last day an appeal is accepted. */
  days: positiveDays,
});

// ── The rule document ─────────────────────────────────────────────────────────────────────────────

const ruleBaseShape = {
  /** Unique within its payer; a new text of the rule is a new `version` of the same id. */
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'letters, digits, and . _ : - (at most 128 characters)'),
  /** The 837's 2010BB NM109 payer id, or `*` for every payer. */
  payer: z
    .string()
    .regex(/^(\*|[A-Za-z0-9][A-Za-z0-9 ._-]{1,79})$/, 'a payer id (2 to 80 letters, digits, space . _ -) or *'),
  version: z.int().positive(),
  effective: EffectiveRangeSchema,
  severity: FindingSeveritySchema,
  /** What the coder is told (no element values); the kind's own message when absent. */
  message: z.string().min(1).max(500).optional(),
  /** The CARC a payer would deny with, had the edit not caught it (e.g. `197`). */
  preventsCarc: z
    .string()
    .regex(/^[A-Z]?[0-9]{1,3}$/, 'a CARC such as 16, 197 or B7')
    .optional(),
  /** Work queue of the findings; the kind's default when absent. */
  queue: WorkQueueSchema.optional(),
};

/** The base alone (any kind, any params): lists a document's other problems when its kind is unknown. */
const RuleBaseSchema = z.strictObject({ ...ruleBaseShape, kind: z.unknown().optional(), params: z.unknown().optional() });

function ruleOf<Kind extends string, Params extends z.ZodType>(kind: Kind, params: Params) {
  return z.strictObject({ ...ruleBaseShape, kind: z.literal(kind), params });
}

// Kinds whose params are all optional accept a missing `params` as `{}`.
export const CodeSetValidityRuleSchema = ruleOf('code-set-validity', CodeSetValidityParamsSchema.prefault({}));
export const NpiCheckDigitRuleSchema = ruleOf('npi-check-digit', NpiCheckDigitParamsSchema.prefault({}));
export const RequiredDataRuleSchema = ruleOf('required-data', RequiredDataParamsSchema);
export const ProcedurePairRuleSchema = ruleOf('procedure-pair', ProcedurePairParamsSchema);
export const UnitsLimitRuleSchema = ruleOf('units-limit', UnitsLimitParamsSchema);
export const AgeSexRuleSchema = ruleOf('age-sex', AgeSexParamsSchema);
export const DiagnosisRequirementRuleSchema = ruleOf('diagnosis-requirement', DiagnosisRequirementParamsSchema);
export const PriorAuthorizationRuleSchema = ruleOf('prior-authorization', PriorAuthorizationParamsSchema);
export const TimelyFilingRuleSchema = ruleOf('timely-filing', TimelyFilingParamsSchema);
export const FrequencyLimitRuleSchema = ruleOf('frequency-limit', FrequencyLimitParamsSchema);
export const DuplicateClaimRuleSchema = ruleOf('duplicate-claim', DuplicateClaimParamsSchema.prefault({}));
export const FeeScheduleRuleSchema = ruleOf('fee-schedule', FeeScheduleParamsSchema);
export const AppealWindowRuleSchema = ruleOf('appeal-window', AppealWindowParamsSchema);

/** A payer rule document, discriminated on `kind`. */
export const PayerRuleSchema = z.discriminatedUnion('kind', [
  CodeSetValidityRuleSchema,
  NpiCheckDigitRuleSchema,
  RequiredDataRuleSchema,
  ProcedurePairRuleSchema,
  UnitsLimitRuleSchema,
  AgeSexRuleSchema,
  DiagnosisRequirementRuleSchema,
  PriorAuthorizationRuleSchema,
  TimelyFilingRuleSchema,
  FrequencyLimitRuleSchema,
  DuplicateClaimRuleSchema,
  FeeScheduleRuleSchema,
  AppealWindowRuleSchema,
]);
export type PayerRule = z.infer<typeof PayerRuleSchema>;

/** The kinds, in the order of the union. */
export const RULE_KINDS = PayerRuleSchema.options.map((option) => option.shape.kind.value);
export type RuleKind = PayerRule['kind'];

/** The rule document of one kind. */
export type PayerRuleOf<Kind extends RuleKind> = Extract<PayerRule, { kind: Kind }>;
/** The params of one kind. */
export type RuleParamsOf<Kind extends RuleKind> = PayerRuleOf<Kind>['params'];

// ── Parsing documents ─────────────────────────────────────────────────────────────────────────────

/** One problem with one document: where it is, which rule, which field, and what is wrong. */
export interface RuleDocumentError {
  /** `file.json[3]`: the source and the document's 0-based index in it. */
  document: string;
  /** The document's 0-based index in `docs`. */
  index: number;
  /** The rule's `id`, when the document has a readable one. */
  ruleId?: string;
  /** The field, `params.pairs[2].column1`; empty for the document as a whole. */
  path: string;
  /** For people. Rule documents hold no PHI, but the message quotes no value either. */
  message: string;
}

export type ParseRuleDocumentsResult = { rules: PayerRule[] } | { errors: RuleDocumentError[] };

/**
 * Validate rule documents read from one source (a file). Every document is checked and every problem
 * is returned — all or nothing: with one error, no rule is returned. A payer, id and version repeated
 * in the same source is an error too (documents are immutable by that triple).
 *
 * @example
 * const result = parseRuleDocuments(ruleDocumentsInFile(JSON.parse(text)), 'acme.json');
 * if ('errors' in result) for (const error of result.errors) console.error(formatRuleDocumentError(error));
 */
export function parseRuleDocuments(docs: readonly unknown[], sourceName: string): ParseRuleDocumentsResult {
  const rules: PayerRule[] = [];
  const errors: RuleDocumentError[] = [];
  const seen = new Map<string, number>();
  docs.forEach((doc, index) => {
    const document = `${sourceName}[${index}]`;
    const ruleId = readableRuleId(doc);
    const parsed = PayerRuleSchema.safeParse(doc);
    if (!parsed.success) {
      const issues = [...parsed.error.issues];
      if (issues.some(isUnknownKind)) {
        // The union stops at the discriminator; the base fields can still be checked for the author.
        const base = RuleBaseSchema.safeParse(doc);
        if (!base.success) issues.push(...base.error.issues);
      }
      for (const issue of issues) {
        errors.push({ document, index, ruleId, path: formatPath(issue.path), message: describeIssue(issue, doc) });
      }
      return;
    }
    const rule = parsed.data;
    const key = `${rule.payer}\u0000${rule.id}\u0000${rule.version}`;
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({
        document,
        index,
        ruleId,
        path: 'version',
        message: `payer, id and version repeat document ${sourceName}[${first}]: publish a change as a new version`,
      });
      return;
    }
    seen.set(key, index);
    rules.push(rule);
  });
  return errors.length > 0 ? { errors } : { rules };
}

/**
 * The documents in a parsed rule file: a JSON array of documents, one document, or `{ "rules": [...] }`.
 */
export function ruleDocumentsInFile(content: unknown): unknown[] {
  if (Array.isArray(content)) return content;
  if (isRecord(content) && Array.isArray(content.rules) && !('kind' in content)) return content.rules;
  return [content];
}

/** `acme.json[2] (rule acme-tf) params.days: Too small: expected number to be >0`. */
export function formatRuleDocumentError(error: RuleDocumentError): string {
  const rule = error.ruleId ? ` (rule ${error.ruleId})` : '';
  const path = error.path ? ` ${error.path}` : '';
  return `${error.document}${rule}${path}: ${error.message}`;
}

function readableRuleId(doc: unknown): string | undefined {
  if (!isRecord(doc) || typeof doc.id !== 'string') return undefined;
  // An id that is not a short single line is not one a person can read back in an error.
  return doc.id.length > 0 && doc.id.length <= 128 && !/[\r\n]/.test(doc.id) ? doc.id : undefined;
}

function isUnknownKind(issue: z.core.$ZodIssue): boolean {
  return issue.code === 'invalid_union' && issue.path.length === 1 && issue.path[0] === 'kind';
}

function describeIssue(issue: z.core.$ZodIssue, doc: unknown): string {
  if (isUnknownKind(issue)) {
    const kind = isRecord(doc) ? doc.kind : undefined;
    return kind === undefined
      ? `kind is missing; expected one of: ${RULE_KINDS.join(', ')}`
      : `unknown kind; expected one of: ${RULE_KINDS.join(', ')}`;
  }
  if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
  return issue.message;
}

function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text ? `.${String(part)}` : String(part);
  }
  return text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ── Claim field paths ─────────────────────────────────────────────────────────────────────────────

/**
 * True when `path` names a field of {@link ClaimSchema}: each step an object key, `[]` after an array
 * field to reach into its elements. A typo in a required-data rule is caught when it is loaded, not
 * discovered when no claim ever fails it.
 */
export function isClaimFieldPath(path: string): boolean {
  let schema: z.ZodType | undefined = ClaimSchema;
  for (const step of path.split('.')) {
    const eachElement = step.endsWith('[]');
    const key = eachElement ? step.slice(0, -2) : step;
    const object = unwrapOptional(schema);
    if (!(object instanceof z.ZodObject)) return false;
    const shape = object.shape as Record<string, z.ZodType>;
    if (!Object.hasOwn(shape, key)) return false;
    schema = shape[key];
    if (eachElement) {
      const array = unwrapOptional(schema);
      if (!(array instanceof z.ZodArray)) return false;
      schema = array.element as z.ZodType;
    }
  }
  return true;
}

function unwrapOptional(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodDefault) current = current.unwrap() as z.ZodType;
  return current;
}
