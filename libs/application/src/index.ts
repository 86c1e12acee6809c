/**
 * The application layer: runs the domain's deciders on the event-store port (read → fold → decide →
 * append) and names the streams each aggregate lives in. No framework, no SQL of its own.
 */
export * from './command-handler';
export * from './evaluation/evaluation-stream';
export * from './evaluation/read-evaluation';
export * from './evaluation/handle-command';
export * from './audit/evaluation-audit';
export * from './registry/registry';
export * from './cycle/cycles';
export * from './report/reports';
