/**
 * Duplicate claims: the same patient's earlier claim (from the claim-history port) with the same billing
 * provider, the same services (code, modifiers, date, units) and — unless the rule says otherwise — the
 * same total charge. Replacements and voids (frequency 7, 8) are corrections, never duplicates. With
 * `lines: true`, a single line already billed on another claim (same code, modifiers, date and
 * rendering provider) is reported too.
 */
import { DuplicateClaimParamsSchema } from '../../../schemas/payer-rule.schema.ts';
import type { HistoricService } from '../history.ts';
import type { LineReview } from './claim-review.ts';
import type { RuleKindModule } from './rule-kind.ts';

interface CompiledDuplicateClaim {
  lines: boolean;
  sameCharges: boolean;
}

type ServiceLike = Pick<HistoricService, 'code' | 'modifiers' | 'date' | 'units'>;

function lineSignature(service: Pick<HistoricService, 'code' | 'modifiers' | 'date'>, providerNpi: string | undefined): string {
  return [service.code, [...service.modifiers].sort().join(':'), service.date, providerNpi ?? ''].join('|');
}

function serviceSignature(service: ServiceLike): string {
  return [service.code, [...service.modifiers].sort().join(':'), service.date, service.units].join('|');
}

function sameServices(a: readonly ServiceLike[], b: readonly ServiceLike[]): boolean {
  if (a.length !== b.length) return false;
  const left = a.map(serviceSignature).sort();
  const right = b.map(serviceSignature).sort();
  return left.every((signature, i) => signature === right[i]);
}

export const duplicateClaimKind: RuleKindModule<'duplicate-claim', CompiledDuplicateClaim> = {
  kind: 'duplicate-claim',
  paramsSchema: DuplicateClaimParamsSchema,
  defaultQueue: () => 'billing',
  compile: (rule) => ({ lines: rule.params.lines === true, sameCharges: rule.params.sameCharges !== false }),
  async evaluate({ lines: checkLines, sameCharges }, review, lines, report) {
    const { claim } = review;
    if (claim.frequency === '7' || claim.frequency === '8') return;
    const services = review.lines.filter((l): l is LineReview & { code: string; date: string } => l.code !== undefined && l.date !== undefined);
    if (services.length === 0) return;
    const earlier = await review.history.claimsLike(claim, review.patientKey(), review.claimId);
    if (earlier.length === 0) return;

    const whole = earlier.some(
      (other) =>
        other.billingNpi === claim.billingProvider.npi &&
        (!sameCharges || other.totalCharge === claim.totalCharge) &&
        sameServices(services, other.services),
    );
    if (whole) {
      report({
        message: 'Possible duplicate: an earlier claim has the same patient, billing provider, services and dates of service (send a replacement, frequency 7, to correct a claim)',
        location: review.claimSource('patientControlNumber'),
        carc: '18',
      });
      return;
    }
    if (!checkLines) return;
    const billed = new Set<string>();
    for (const other of earlier) for (const service of other.services) billed.add(lineSignature(service, service.providerNpi));
    for (const line of lines) {
      if (line.code === undefined || line.date === undefined) continue;
      if (!billed.has(lineSignature({ code: line.code, modifiers: line.modifiers, date: line.date }, line.providerNpi))) continue;
      report({
        message: `Possible duplicate line: procedure ${line.code} with the same modifiers, date of service and rendering provider is on an earlier claim for the patient`,
        line,
        location: review.lineSource(line, 'procedure.code'),
        carc: '18',
      });
    }
  },
};
