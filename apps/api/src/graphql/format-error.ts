import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import {
  BadInput,
  EvaluationError,
  InvalidTransition,
  SubmissionInvalid,
  VersionConflict,
} from '@app/evaluation';

/** Codes that clients see as they are; anything else is an internal error with no details. */
const PASS_THROUGH = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'VERSION_CONFLICT',
  'VALIDATION_FAILED',
  'INVALID_TRANSITION',
  'ALREADY_EXISTS',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COMPLEX',
  'UNAVAILABLE',
]);

/** The domain's errors as DOMAIN.md §10 codes, with what a client needs to recover. */
export function domainErrorExtensions(error: EvaluationError): Record<string, unknown> {
  const extensions: Record<string, unknown> = { code: error.code };
  if (error instanceof VersionConflict) extensions.currentVersion = error.currentVersion;
  if (error instanceof SubmissionInvalid) extensions.errors = error.errors;
  if (error instanceof BadInput) extensions.problems = error.problems;
  if (error instanceof InvalidTransition) extensions.reason = error.reason;
  return extensions;
}

/** Whether a client may see an error as it is: the domain's errors and the codes above. */
function isExpected(original: unknown, code: unknown): boolean {
  return original instanceof EvaluationError || (typeof code === 'string' && PASS_THROUGH.has(code));
}

/** An error that says something went wrong on our side: answered without details, logged in full. */
export function isUnexpected(error: GraphQLError): boolean {
  return !isExpected(error.originalError ?? error, error.extensions?.code);
}

/**
 * Apollo's error formatter: no stack traces, SQL or internal messages reach a client. Unexpected errors
 * are answered as INTERNAL_SERVER_ERROR (and logged with the correlation id by the GraphQL module).
 */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
  if (original instanceof EvaluationError) {
    return { ...base, message: original.message, extensions: domainErrorExtensions(original) };
  }
  if (isExpected(original, formatted.extensions?.code)) {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...base, extensions };
  }
  return { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
