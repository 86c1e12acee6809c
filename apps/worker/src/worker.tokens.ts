export const WORKER_CONFIG = Symbol('WORKER_CONFIG');
export const WORKER_STORE = Symbol('WORKER_STORE');
export const WORKER_READ_MODELS = Symbol('WORKER_READ_MODELS');
export { DELIVERIES_QUEUE, MILESTONES_QUEUE, REPORTS_QUEUE } from '@app/jobs';
