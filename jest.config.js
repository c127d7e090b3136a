/**
 * Jest: TypeScript through @swc/jest as ESM; type-checking is `tsc --noEmit`, a step of its own. Import
 * attributes (`with { type: 'json' }`) are kept: Node requires them on JSON modules.
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript', importAttributes: true }, target: 'es2022', experimental: { keepImportAttributes: true, emitAssertForImportAttributes: false } } }],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 120000,
};
