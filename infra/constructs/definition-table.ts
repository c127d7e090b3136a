import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { KeyAttribute, TableWithIndexesDefinition } from '../../src/store/tables.ts';

/** A table built from its definition in src/store/tables.ts. */
export interface DefinitionTableProps {
  readonly definition: TableWithIndexesDefinition;
  /** The deployed name (the definition's default name with the deployment's prefix). */
  readonly tableName: string;
  readonly encryptionKey: kms.IKey;
}

/**
 * One DynamoDB table exactly as src/store/tables.ts defines it (keys, GSIs, TTL attribute, billing),
 * so the deployed tables and the ones the local runtime and the tests create cannot drift apart.
 * Every table gets point-in-time recovery, the customer-managed key and deletion protection: they
 * hold claims (PHI) and the rules that decided them.
 */
export class DefinitionTable extends Construct {
  readonly table: dynamodb.Table;
  readonly definition: TableWithIndexesDefinition;

  constructor(scope: Construct, id: string, props: DefinitionTableProps) {
    super(scope, id);
    const { definition } = props;
    this.definition = definition;
    this.table = new dynamodb.Table(this, 'Table', {
      tableName: props.tableName,
      partitionKey: attributeOf(definition.partitionKey),
      sortKey: definition.sortKey ? attributeOf(definition.sortKey) : undefined,
      billingMode: billingModeOf(definition.billingMode),
      timeToLiveAttribute: definition.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of definition.globalSecondaryIndexes ?? []) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attributeOf(index.partitionKey),
        sortKey: index.sortKey ? attributeOf(index.sortKey) : undefined,
        projectionType: index.projection === 'ALL' ? dynamodb.ProjectionType.ALL : dynamodb.ProjectionType.KEYS_ONLY,
      });
    }
  }
}

const attributeTypes: Record<KeyAttribute['type'], dynamodb.AttributeType> = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
  B: dynamodb.AttributeType.BINARY,
};

function attributeOf(attribute: KeyAttribute): dynamodb.Attribute {
  return { name: attribute.name, type: attributeTypes[attribute.type] };
}

function billingModeOf(mode: TableWithIndexesDefinition['billingMode']): dynamodb.BillingMode {
  // The definitions allow on-demand only; a provisioned mode would need capacities and auto scaling here.
  if (mode === 'PAY_PER_REQUEST') return dynamodb.BillingMode.PAY_PER_REQUEST;
  throw new RangeError(`unsupported billing mode ${String(mode)}`);
}
