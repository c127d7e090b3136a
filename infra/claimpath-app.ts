import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { readInfraConfig, type ClaimPathInfraConfig } from './config.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

/** The stacks of one ClaimPath deployment. */
export interface ClaimPathStacks {
  readonly config: ClaimPathInfraConfig;
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

/**
 * Adds a ClaimPath deployment to `app`: the stateful and stateless stacks, configured from the app's
 * context, with cdk-nag's HIPAA Security and AWS Solutions packs as synth-time validations (synth fails
 * while a finding is neither fixed nor acknowledged with a reason). The stacks are environment-agnostic
 * (no account or region), so `cdk synth` needs no credentials and no lookups.
 *
 * @example
 * const app = new App();
 * const { stateful, stateless } = addClaimPathStacks(app);
 */
export function addClaimPathStacks(app: App): ClaimPathStacks {
  const config = readInfraConfig(app.node);
  const stackName = (suffix: string): string => `${config.resourcePrefix}-${suffix}`;
  const tags = { project: 'claimpath', 'data-classification': 'phi' };
  const stateful = new StatefulStack(app, 'ClaimPathStateful', {
    stackName: stackName('stateful'),
    description: 'ClaimPath stateful resources: KMS key, buckets, DynamoDB tables, backups, user pool',
    terminationProtection: true,
    tags,
    config,
  });
  const stateless = new StatelessStack(app, 'ClaimPathStateless', {
    stackName: stackName('stateless'),
    description: 'ClaimPath functions, event queues, alarms and the worklist API',
    tags,
    config,
    stateful,
  });
  Validations.of(app).addPlugins(new HIPAASecurityChecks(app), new AwsSolutionsChecks(app));
  return { config, stateful, stateless };
}
