#!/usr/bin/env node
// The `claimpath` executable: lets Node load the TypeScript sources through tsx, then runs the CLI.
// Plain JavaScript so that it runs without a build step (`npx claimpath check FILE` in the repo).
import { register } from 'tsx/esm/api';

register();
const { runAsProgram } = await import('../src/cli/main.ts');
await runAsProgram();
