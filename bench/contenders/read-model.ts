/**
 * The full validated parse into the canonical model: `read837` (every Claim, with SNIP 3 balancing)
 * on an 837 file, `read835` (every ClaimPayment and Remittance, with balancing) on an 835 — streaming,
 * each claim handed on as it completes, as the ingest functions use them.
 */
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { read837 } from '../../src/claims/read-837.ts';
import { read835 } from '../../src/remits/read-835.ts';
import type { ValidationReport } from '../../src/x12/report.ts';
import { READ_CHUNK_BYTES, type Contender, type ContenderOutput } from './contender.ts';
import { segmentsOf } from './validate.ts';

/** The transaction set id of the file's first ST (the fixtures hold one kind each). */
function transactionSetOf(file: string): string {
  const fd = openSync(file, 'r');
  const head = Buffer.alloc(4096);
  const n = readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  const match = /[~\r\n]ST[^A-Za-z0-9](\d{3})/.exec(head.subarray(0, n).toString("latin1"));
  return match?.[1] ?? '';
}

export const readModelContender: Contender = {
  id: 'read-model',
  label: 'ClaimPath full parse into model',
  prepare: async () => undefined,
  async run(file: string): Promise<ContenderOutput> {
    const source = createReadStream(file, { highWaterMark: READ_CHUNK_BYTES });
    let items = 0;
    let findings = 0;
    let report: ValidationReport;
    if (transactionSetOf(file) === '835') {
      const reader = read835(source);
      for (;;) {
        const next = await reader.next();
        if (next.done) {
          report = next.value;
          break;
        }
        if (next.value.kind === 'claimPayment') items++;
        findings += next.value.findings.length;
      }
    } else {
      const reader = read837(source);
      for (;;) {
        const next = await reader.next();
        if (next.done) {
          report = next.value.report;
          findings += next.value.findings.length;
          break;
        }
        items++;
        findings += next.value.findings.length;
      }
    }
    const warnings: string[] = [];
    if (report.verdict !== 'accepted') warnings.push(`verdict "${report.verdict}" on a valid fixture`);
    if (items === 0) warnings.push('no claims read');
    if (findings > 0) warnings.push(`${findings} finding(s) on a valid fixture`);
    return { segments: segmentsOf(report), warning: warnings.length > 0 ? warnings.join('; ') : undefined };
  },
};
