/**
 * The read models: projections that fold the event log into SQLite tables the API and the worker query.
 * Each projection owns its tables; the runner that feeds them lives with the event store.
 */
export * from './evaluation-summaries.projection';
export type { DashboardRow } from './district-dashboard';
export * from './audit-history.projection';
export * from './registry.projection';
export * from './cycles.projection';
export * from './notifications.projection';
export * from './district-reports.projection';
export * from './evaluation-snapshots';
