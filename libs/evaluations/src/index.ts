export * from './evaluation-stream';
export * from './read-evaluation';
export * from './handle-command';
export * from './audit/evaluation-audit';
export * from './projections/evaluation-summaries.projection';
export * from './projections/audit-history.projection';
export * from './registry';
export * from './projections/registry.projection';
