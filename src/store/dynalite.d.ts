/**
 * Types for `dynalite` (a DynamoDB-compatible server in Node, used by the integration tests and the
 * local runtime), which ships none. Only what this project calls is declared.
 */
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** LevelDB folder; in memory when absent. */
    path?: string;
    /** How long a new table stays CREATING (default 500 ms). */
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    /** Largest item accepted, in KB (default 400, as DynamoDB). */
    maxItemSizeKb?: number;
    ssl?: boolean;
    verbose?: boolean;
    debug?: boolean;
  }

  /** An HTTP server speaking the DynamoDB API; `listen` it, `close` it (the store closes with it). */
  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}
