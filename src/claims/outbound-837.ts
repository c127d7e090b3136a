/**
 * Writing an 837 to a payer on a tenant's behalf — the clean batch of ingest and a coder's resubmission
 * alike: the payer's route from the tenant's trading-partner settings, the writer's options built from
 * them, and our outbound control numbers allocated once per (file, purpose), so that a retry writes the
 * same bytes and never advances the tenant's sequence twice.
 */
import type { Claim } from '../../schemas/claim.schema.ts';
import type { ControlNumbers, PayerRoute, TradingPartnerSettings } from './ports.ts';
import { write837, type Write837Options } from './write-837.ts';

/** The route to a payer: its own, else the tenant's default; undefined when the claims cannot go out. */
export function payerRouteOf(settings: TradingPartnerSettings | undefined, payer: string | undefined): PayerRoute | undefined {
  if (!settings || payer === undefined || payer === '') return undefined;
  return settings.payers[payer] ?? settings.defaultPayer;
}

/** Where the numbers of one outbound 837 are recorded: the tenant, the file they belong to, and why. */
export interface OutboundAllocation {
  tenant: string;
  fileId: string;
  /** `837#<payer>` for a clean batch, `resubmit#<workItemId>#<revision>` for a resubmission. */
  purpose: string;
}

/**
 * The 837 of `claims` for one payer route: ISA/GS ids and ISA15 from the settings, 1000A/1000B from
 * the settings and the route, dates from `now`, lines ending in `\n` for people reading the outbox.
 */
export async function writeOutbound837(
  claims: readonly Claim[],
  settings: TradingPartnerSettings,
  route: PayerRoute,
  allocation: OutboundAllocation,
  controlNumbers: ControlNumbers,
  now: Date,
): Promise<string> {
  const options = (next: Write837Options['controlNumbers']): Write837Options => ({
    sender: settings.sender,
    receiver: route.receiver,
    ...(settings.applicationSender ? { applicationSender: settings.applicationSender } : {}),
    ...(route.applicationReceiver ? { applicationReceiver: route.applicationReceiver } : {}),
    submitter: settings.submitter,
    receiverName: route.receiverName,
    usage: settings.usage,
    controlNumbers: next,
    now,
    lineEnd: '\n',
  });
  // A dry run counts the numbers the writer asks for; the allocation is then recorded once.
  let calls = 0;
  write837(claims, options(() => ++calls));
  let next = await controlNumbers.allocate(allocation.tenant, allocation.fileId, allocation.purpose, calls);
  return write837(claims, options(() => next++));
}
