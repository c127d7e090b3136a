/**
 * NPI check digit: every NPI on the claim (NM108 = XX) is ten digits with a valid Luhn check digit
 * over the 80840 prefix — billing provider (2010AA), the claim's providers (2310A–F: referring,
 * rendering, service facility, supervising …) and the lines' providers (2420A–H). A typo in an NPI is
 * the commonest cause of a front-end rejection and cheap to catch here.
 */
import { NpiCheckDigitParamsSchema } from '../../../schemas/payer-rule.schema.ts';
import type { ProviderRole } from '../../../schemas/claim.schema.ts';
import { isValidNpi } from '../npi.ts';
import type { RuleKindModule } from './rule-kind.ts';

type NpiRole = 'billing' | 'claimProviders' | 'lineProviders';

interface CompiledNpiCheck {
  roles: ReadonlySet<NpiRole>;
}

/** How a provider role is named to a coder. */
const ROLE_NAMES: Record<ProviderRole, string> = {
  referring: 'referring provider',
  primaryCare: 'primary care provider',
  rendering: 'rendering provider',
  serviceFacility: 'service facility',
  supervising: 'supervising provider',
  ordering: 'ordering provider',
  purchasedService: 'purchased service provider',
  attending: 'attending provider',
  operating: 'operating provider',
  otherOperating: 'other operating provider',
  assistantSurgeon: 'assistant surgeon',
  ambulancePickUp: 'ambulance pick-up location',
  ambulanceDropOff: 'ambulance drop-off location',
  billing: 'billing provider',
};

export const npiCheckDigitKind: RuleKindModule<'npi-check-digit', CompiledNpiCheck> = {
  kind: 'npi-check-digit',
  paramsSchema: NpiCheckDigitParamsSchema,
  defaultQueue: () => 'billing',
  compile: (rule) => ({ roles: new Set(rule.params.roles ?? ['billing', 'claimProviders', 'lineProviders']) }),
  evaluate({ roles }, review, lines, report) {
    const { claim } = review;
    const invalid = 'NPI fails its check digit (Luhn with the 80840 prefix) or is not ten digits';
    if (roles.has('billing') && claim.billingProvider.npi !== undefined && !isValidNpi(claim.billingProvider.npi)) {
      report({ message: `The billing provider's ${invalid}`, location: review.claimSource('billingProvider.npi'), carc: '16' });
    }
    if (roles.has('claimProviders')) {
      claim.providers.forEach((provider, i) => {
        if (provider.npi !== undefined && !isValidNpi(provider.npi)) {
          report({ message: `The ${ROLE_NAMES[provider.role]}'s ${invalid}`, location: review.claimSource(`providers.${i}.npi`), carc: '16' });
        }
      });
    }
    if (roles.has('lineProviders')) {
      for (const line of lines) {
        line.line.providers?.forEach((provider, i) => {
          if (provider.npi !== undefined && !isValidNpi(provider.npi)) {
            report({ message: `The line's ${ROLE_NAMES[provider.role]}'s ${invalid}`, line, location: review.lineSource(line, `providers.${i}.npi`), carc: '16' });
          }
        });
      }
    }
  },
};
