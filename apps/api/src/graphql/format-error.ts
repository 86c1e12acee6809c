import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { BadInput, DomainError, InvalidTransition, SubmissionInvalid, VersionConflict } from '@app/domain';

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
  'PERSISTED_QUERY_HASH_MISMATCH',
  'PERSISTED_QUERY_VERSION_NOT_SUPPORTED',
  'OPERATION_NOT_SUPPORTED',
  'QUERY_TOO_LARGE',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COMPLEX',
  'UNAVAILABLE',
  'TOO_MANY_SUBSCRIPTIONS',
]);

/** Apollo's refusals of a persisted query that carry no code of their own, by their fixed message. */
const APOLLO_REFUSALS: Record<string, string> = {
  'provided sha does not match query': 'PERSISTED_QUERY_HASH_MISMATCH',
  'Unsupported persisted query version': 'PERSISTED_QUERY_VERSION_NOT_SUPPORTED',
};

/** graphql-js's parser stopping at `parseOptions.maxTokens` ("more that" in graphql 16, sic). */
const TOO_MANY_TOKENS = /^Syntax Error: Document contains more tha[nt] (\d+) tokens/;

/** The first cause that is not a GraphQLError: an exception from inside a library or our code. */
function foreignCause(error: GraphQLError): Error | undefined {
  let cause: unknown = error.originalError;
  for (let hops = 0; cause instanceof GraphQLError && hops < 10; hops++) cause = cause.originalError;
  return cause instanceof Error && !(cause instanceof GraphQLError) ? cause : undefined;
}

/**
 * Requests the parser could not take, answered with what went wrong instead of the parser's words: a
 * stack overflow on deep nesting ("Maximum call stack size exceeded" is internal text) and the token cap.
 */
function parseRefusal(error: GraphQLError): { code: string; message: string } | undefined {
  if (error.extensions?.code !== 'GRAPHQL_PARSE_FAILED') return undefined;
  if (foreignCause(error)) {
    return { code: 'QUERY_TOO_DEEP', message: 'the document nests selections or values too deeply' };
  }
  const tokens = TOO_MANY_TOKENS.exec(error.message);
  if (tokens) return { code: 'QUERY_TOO_LARGE', message: `the document has more than ${tokens[1]} tokens` };
  return undefined;
}

/** The code a client sees for an error Apollo or graphql-js raised, where it differs from its own. */
function clientRefusal(error: unknown): { code: string; message?: string } | undefined {
  if (!(error instanceof GraphQLError)) return undefined;
  const parse = parseRefusal(error);
  if (parse) return parse;
  const apollo = error.extensions?.code === undefined ? APOLLO_REFUSALS[error.message] : undefined;
  return apollo ? { code: apollo } : undefined;
}

/** "Did you mean …?" names fields, types and values of the schema that the client did not ask for. */
const SUGGESTION = / ?Did you mean [^?]*\?/g;

/** The domain's errors as docs/access.md codes, with what a client needs to recover. */
export function domainErrorExtensions(error: DomainError): Record<string, unknown> {
  const extensions: Record<string, unknown> = { code: error.code };
  if (error instanceof VersionConflict) extensions.currentVersion = error.currentVersion;
  if (error instanceof SubmissionInvalid) extensions.errors = error.errors;
  if (error instanceof BadInput) extensions.problems = error.problems;
  if (error instanceof InvalidTransition) extensions.reason = error.reason;
  return extensions;
}

/** Whether a client may see an error as it is: the domain's errors and the codes above. */
function isExpected(original: unknown, code: unknown): boolean {
  return original instanceof DomainError || (typeof code === 'string' && PASS_THROUGH.has(code));
}

/**
 * The code the client is answered with, also where Apollo or graphql-js left none or one that
 * formatError replaces (the token cap, a parser stack overflow, persisted query refusals).
 */
export function clientCode(error: GraphQLError): unknown {
  // The domain's errors carry their code themselves until formatError puts it in extensions.
  if (error.originalError instanceof DomainError) return error.originalError.code;
  return clientRefusal(error)?.code ?? error.extensions?.code;
}

/** An error that says something went wrong on our side: answered without details, logged in full. */
export function isUnexpected(error: GraphQLError): boolean {
  return !isExpected(error.originalError ?? error, clientCode(error));
}

export interface ErrorFormatOptions {
  /** hide what a client did not ask to know about the schema ("Did you mean …" suggestions) */
  production: boolean;
}

/**
 * Apollo's error formatter: no stack traces, SQL or internal messages reach a client. Unexpected errors
 * are answered as INTERNAL_SERVER_ERROR (and logged with the correlation id by the GraphQL module).
 */
export function graphQLErrorFormatter(
  options: ErrorFormatOptions,
): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    const answer = formatGraphQLError(formatted, error);
    if (!options.production) return answer;
    return { ...answer, message: answer.message.replace(SUGGESTION, '') };
  };
}

/** The formatter outside production (suggestions kept: they help while writing queries). */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
  if (original instanceof DomainError) {
    return { ...base, message: original.message, extensions: domainErrorExtensions(original) };
  }
  const refusal = clientRefusal(error);
  if (refusal) {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return {
      ...base,
      message: refusal.message ?? base.message,
      extensions: { ...extensions, code: refusal.code },
    };
  }
  if (isExpected(original, formatted.extensions?.code)) {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...base, extensions };
  }
  return { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
