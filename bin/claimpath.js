#!/usr/bin/env node
// The `claimpath` executable: lets Node load the TypeScript sources through tsx, then runs the CLI.
// Plain JavaScript so that it runs without a build step (`npx claimpath check FILE` in the repo).
import { register } from 'tsx/esm/api';

// The AWS SDK prints a multi-line notice about Node 20 on its first client; the CLI's output is for people.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
const { runAsProgram } = await import('../src/cli/main.ts');
await runAsProgram();
