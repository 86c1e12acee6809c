/**
 * The evaluation domain: the self-evaluation form, its scoring and validation, and its life as an
 * event-sourced decider. Plain TypeScript; no framework, database or queue.
 */
export * from './decimal/decimal';
export * from './errors';
export * from './evaluation/form/form';
export * from './evaluation/scoring/funding-score';
export * from './evaluation/scoring/form-score';
export * from './evaluation/targets/normalize';
export * from './evaluation/targets/units';
export * from './evaluation/targets/target-parser';
export * from './evaluation/targets/scoring-policy';
export * from './evaluation/targets/suggested-score';
export * from './evaluation/validation/issues';
export * from './evaluation/validation/validate-form';
export * from './evaluation/interchange/input-reader';
export * from './evaluation/interchange/evaluation-document';
export * from './evaluation/workflow/actor';
export * from './evaluation/workflow/events';
export * from './evaluation/workflow/commands';
export * from './evaluation/workflow/errors';
export * from './evaluation/workflow/evaluation';
export * from './evaluation/workflow/guards';
export * from './evaluation/workflow/decide';
export * from './evaluation/audit/field-changes';
export * from './registry/registry';
export * from './cycle/durations';
export * from './cycle/reminder-schedule';
export * from './cycle/cycle';
export * from './report/district-report';
