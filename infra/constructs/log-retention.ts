import * as logs from 'aws-cdk-lib/aws-logs';

/**
 * The retention of `days`, checked: CloudWatch Logs accepts a fixed list of periods, and a value
 * outside it must fail at synth rather than at deploy.
 *
 * @throws RangeError when `days` is not one of the periods CloudWatch Logs accepts.
 */
export function retentionOf(days: number): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays).filter((value): value is logs.RetentionDays => typeof value === 'number');
  const match = allowed.find((value) => value === days);
  if (match === undefined) throw new RangeError(`log retention ${days} days is not one CloudWatch Logs accepts: ${allowed.join(', ')}`);
  return match;
}
