/**
 * The evaluation domain: the self-evaluation form, its scoring and validation, and its life as an
 * event-sourced decider. Plain TypeScript; no framework, database or queue.
 */
export * from './decimal/decimal';
export * from './form/form';
export * from './scoring/funding-score';
export * from './scoring/form-score';
export * from './targets/normalize';
export * from './targets/units';
export * from './targets/target-parser';
export * from './targets/scoring-policy';
export * from './targets/suggested-score';
export * from './validation/issues';
export * from './validation/validate-form';
export * from './interchange/input-reader';
export * from './interchange/evaluation-document';
export * from './workflow/actor';
export * from './workflow/events';
export * from './workflow/commands';
export * from './workflow/errors';
export * from './workflow/evaluation';
export * from './workflow/guards';
export * from './workflow/decide';
export * from './audit/field-changes';
export * from './registry/registry';
export * from './cycles/durations';
export * from './cycles/reminder-schedule';
export * from './cycles/cycle';
export * from './reports/district-report';
