/**
 * Every benchmark contender, in the order the tables list them. Each is loaded only in the child that
 * runs it, so that no contender's peak memory includes another's libraries.
 */
import type { Contender } from './contender.ts';

export interface ContenderEntry {
  id: string;
  label: string;
  /** Written by this project (checked for linearity between sizes). */
  ours: boolean;
  load(): Promise<Contender>;
}

export const CONTENDERS: readonly ContenderEntry[] = [
  { id: 'floor', label: 'indexOf floor', ours: false, load: async () => (await import('./floor.ts')).floorContender },
  { id: 'tokenizer', label: 'ClaimPath tokenizer', ours: true, load: async () => (await import('./tokenizer.ts')).tokenizerContender },
  { id: 'validate', label: 'ClaimPath validateX12', ours: true, load: async () => (await import('./validate.ts')).validateContender },
  { id: 'read-model', label: 'ClaimPath full parse into model', ours: true, load: async () => (await import('./read-model.ts')).readModelContender },
  { id: 'x12-parser', label: 'x12-parser (stream)', ours: false, load: async () => (await import('./x12-parser.ts')).x12ParserContender },
  { id: 'node-x12-stream', label: 'node-x12 (stream)', ours: false, load: async () => (await import('./node-x12.ts')).nodeX12StreamContender },
  {
    id: 'node-x12-parse',
    label: 'node-x12 parse() (whole string)',
    ours: false,
    load: async () => (await import('./node-x12.ts')).nodeX12ParseContender,
  },
];

export function findContender(id: string): ContenderEntry | undefined {
  return CONTENDERS.find((contender) => contender.id === id);
}
