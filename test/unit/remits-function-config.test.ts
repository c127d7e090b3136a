/**
 * The ingest-remittance function's configuration: read through a schema at cold start, naming every
 * variable at fault (never a value), the payer directory's key optional.
 */
import { loadIngestRemittanceConfig } from '../../functions/ingest-remittance/config.ts';
import { IngestConfigError } from '../../functions/shared/ingest-config.ts';
import { createdObjectsOf, decodeS3EventKey } from '../../functions/shared/s3-ingest-handler.ts';
import { parseInboundRemittanceKey, remittanceArchiveKey } from '../../src/remits/ingest-remittance.ts';

const ENVIRONMENT = {
  DATA_TABLE: 'claimpath-data',
  RULES_TABLE: 'claimpath-rules',
  IDEMPOTENCY_TABLE: 'claimpath-idempotency',
  INBOUND_BUCKET: 'claimpath-inbound',
  OUTBOUND_BUCKET: 'claimpath-outbound',
  ARCHIVE_BUCKET: 'claimpath-archive',
  POWERTOOLS_SERVICE_NAME: 'ingest-remittance',
  AWS_REGION: 'us-east-1',
};

describe('ingest-remittance configuration', () => {
  it('reads the same variables as ingest-claims, the payer directory key optional', () => {
    expect(loadIngestRemittanceConfig(ENVIRONMENT)).toEqual(ENVIRONMENT);
    expect(loadIngestRemittanceConfig({ ...ENVIRONMENT, PAYER_DIRECTORY_KEY: '_config/payer-directory.json', S3_ENDPOINT: 'http://127.0.0.1:4568' })).toMatchObject({
      PAYER_DIRECTORY_KEY: '_config/payer-directory.json',
      S3_ENDPOINT: 'http://127.0.0.1:4568',
    });
  });

  it('names every missing or malformed variable, and no value', () => {
    const { DATA_TABLE: _missing, ...withoutTable } = ENVIRONMENT;
    let error: unknown;
    try {
      loadIngestRemittanceConfig({ ...withoutTable, DYNAMODB_ENDPOINT: 'not a url secret-value' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(IngestConfigError);
    expect((error as IngestConfigError).variables).toEqual(['DATA_TABLE', 'DYNAMODB_ENDPOINT']);
    expect((error as IngestConfigError).message).toBe('ingest-remittance configuration is invalid: DATA_TABLE, DYNAMODB_ENDPOINT');
  });
});

describe('S3 notifications (shared by the ingest functions)', () => {
  it('yields the created objects with decoded keys, and nothing else', () => {
    const objects = createdObjectsOf({
      Records: [
        { eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'claimpath-inbound' }, object: { key: 'demo-billing/835/ppo+remit%231.x12', eTag: 'abc', sequencer: '01' } } },
        { eventName: 'ObjectRemoved:Delete', s3: { bucket: { name: 'claimpath-inbound' }, object: { key: 'demo-billing/835/old.x12' } } },
      ],
    });
    expect(objects).toEqual([{ bucket: 'claimpath-inbound', key: 'demo-billing/835/ppo remit#1.x12', etag: 'abc', sequencer: '01' }]);
    expect(createdObjectsOf({})).toEqual([]);
    expect(decodeS3EventKey('a%2Fb+c')).toBe('a/b c');
  });
});

describe('inbound 835 keys', () => {
  it('are {tenant}/835/{name}; anything else is not ours', () => {
    expect(parseInboundRemittanceKey('demo-billing/835/sub/ppo remit.x12')).toEqual({ tenant: 'demo-billing', name: 'sub/ppo remit.x12' });
    expect(parseInboundRemittanceKey('demo-billing/837/batch.x12')).toBeUndefined();
    expect(parseInboundRemittanceKey('_config/payer-directory.json')).toBeUndefined();
    expect(parseInboundRemittanceKey('bad tenant/835/x.x12')).toBeUndefined();
    expect(remittanceArchiveKey('demo-billing', 'demo-billing-abc', 'ppo.x12')).toBe('demo-billing/835/demo-billing-abc/ppo.x12');
  });
});
