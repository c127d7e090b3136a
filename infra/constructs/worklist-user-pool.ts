import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** The roles the worklist API enforces (DESIGN.md "Security and privacy"), one Cognito group each. */
export const worklistRoles = ['coder', 'biller', 'supervisor', 'admin'] as const;
export type WorklistRole = (typeof worklistRoles)[number];

/** Settings of the worklist's user pool. */
export interface WorklistUserPoolProps {
  readonly userPoolName: string;
}

/**
 * The people who work the queues: a Cognito user pool whose ID tokens carry `sub`, `custom:tenant`
 * (the billing office, set by an administrator and never by the user) and `cognito:groups` (the roles).
 * Sign-up is by invitation only, MFA (TOTP) is required and passwords are strong: the users see PHI.
 * The pool is retained with the stack's other stateful resources, so redeploying never loses users.
 */
export class WorklistUserPool extends Construct {
  readonly userPool: cognito.UserPool;
  /** The public client of the worklist page and the CLI (no secret: it runs where users are). */
  readonly client: cognito.UserPoolClient;
  readonly groups: ReadonlyMap<WorklistRole, cognito.UserPoolGroup>;

  constructor(scope: Construct, id: string, props: WorklistUserPoolProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: props.userPoolName,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      customAttributes: {
        // Immutable: a user cannot move themselves to another billing office's claims.
        tenant: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
      },
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG3',
      reason:
        'Threat protection (advanced security) needs the Plus feature plan, billed per active user; the pool already requires MFA and ' +
        'invitation-only sign-up. Deployments that want it switch featurePlan to PLUS.',
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'The Plus feature plan is billed per active user; the pool requires MFA and invitation-only sign-up. Deployments that want ' +
        'threat protection switch featurePlan to PLUS.',
    });
    this.client = this.userPool.addClient('WorklistClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      // The worklist reads custom:tenant from the token: only administrators set it (AdminCreateUser).
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }),
    });
    const groups = new Map<WorklistRole, cognito.UserPoolGroup>();
    for (const role of worklistRoles) {
      groups.set(role, this.userPool.addGroup(`Group-${role}`, { groupName: role, description: `ClaimPath ${role}` }));
    }
    this.groups = groups;
  }
}
