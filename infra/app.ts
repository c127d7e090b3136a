/**
 * The CDK app (`npx cdk synth`, `npx cdk deploy --all`): see infra/README.md for what it creates and
 * the context values that configure it.
 */
import { App } from 'aws-cdk-lib';
import { addClaimPathStacks } from './claimpath-app.ts';

const app = new App();
addClaimPathStacks(app);
app.synth();
