/**
 * The implementation-guide maps the engine knows, and how a transaction set finds its map: by ST01
 * and the implementation convention reference (ST03, else GS08), accepting the errata identifiers
 * (A1/A2/A3) and the unsuffixed forms seen in the wild.
 */
import { map277CA } from './277ca.ts';
import { map835 } from './835.ts';
import { map837D } from './837d.ts';
import { map837I } from './837i.ts';
import { map837P } from './837p.ts';
import { map999 } from './999.ts';
import type { GuideMap } from './types.ts';

export const guideMaps: readonly GuideMap[] = [map837P, map837I, map837D, map835, map999, map277CA];

/** The map for a transaction set, or undefined when the engine has none for that set and version. */
export function findGuide(transactionSet: string, version: string): GuideMap | undefined {
  for (const m of guideMaps) {
    if (m.transactionSet === transactionSet && m.acceptedVersions.includes(version)) return m;
  }
  return undefined;
}
