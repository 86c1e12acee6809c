/**
 * Apollo Server as Nest's driver runs it: the one place this code imports `@apollo/server` from.
 *
 * `@nestjs/apollo` 14 is an ES module and loads `@apollo/server`'s ES module build; this code is
 * CommonJS, and what it requires of the package comes from its CommonJS build. TypeScript holds the two
 * builds' declarations apart (`HeaderMap` has a private field), so a plugin typed against the CommonJS
 * ones is not a plugin to the driver: types come from the ES module declarations, those of the server
 * that calls these plugins. The only value taken is a disabled plugin, a plain object that Apollo
 * recognises by its id whichever build made it; nothing else is required, so the CommonJS build of
 * Apollo Server (and of its graphql-tools) is never loaded beside the one that runs.
 */
import { ApolloServerPluginCacheControlDisabled as commonJsCacheControlDisabled } from '@apollo/server/plugin/disabled';

type EsmDisabled = typeof import('@apollo/server/plugin/disabled', {
  with: { 'resolution-mode': 'import' },
});

export type { ApolloServerPlugin, DocumentStore, GraphQLRequestContext } from '@apollo/server' with {
  'resolution-mode': 'import',
};

export const ApolloServerPluginCacheControlDisabled =
  commonJsCacheControlDisabled as EsmDisabled['ApolloServerPluginCacheControlDisabled'];
