/**
 * npm run token -- --role SUPERVISOR --district wangcheng [--sub alice] [--department code] [--expires 12h]
 *
 * Prints a bearer token for local use, signed with AUTH_JWT_SECRET (or the development secret), with the
 * AUTH_ISSUER / AUTH_AUDIENCE the service checks; it lasts --expires, at most AUTH_MAX_TOKEN_TTL (the
 * default), so the service never refuses a token this printed for its lifetime.
 */
import { InvalidDuration, ROLES, parseDuration, type Actor, type Role } from '@app/domain';
import { signToken } from '../auth/tokens';
import { ConfigError, loadConfig } from '../config/app-config';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function main(): void {
  const role = option('role')?.toUpperCase();
  if (!role || !(ROLES as readonly string[]).includes(role)) {
    console.error(
      `usage: npm run token -- --role ${ROLES.join('|')} [--district code] [--department code] [--sub id] [--expires 12h]`,
    );
    process.exit(2);
  }
  const actor: Actor = { id: option('sub') ?? `local-${role.toLowerCase()}`, role: role as Role };
  const department = option('department');
  const district = option('district');
  if (department) actor.department = department;
  if (district) actor.district = district;
  if (role === 'DEPARTMENT' && !department) {
    console.error('a DEPARTMENT token needs --department');
    process.exit(2);
  }
  if ((role === 'SUPERVISOR' || role === 'AUDITOR') && !district) {
    console.error(`a ${role} token needs --district`);
    process.exit(2);
  }
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
  const maxTtlSeconds = config.tokens.maxTtlSeconds;
  let expiresInSeconds = maxTtlSeconds;
  const expires = option('expires');
  if (expires !== undefined) {
    try {
      expiresInSeconds = parseDuration(expires) / 1000;
    } catch (error) {
      if (!(error instanceof InvalidDuration)) throw error;
      console.error(`--expires: ${error.message}`);
      process.exit(2);
    }
    if (expiresInSeconds > maxTtlSeconds) {
      console.error(
        `--expires ${expires} is longer than AUTH_MAX_TOKEN_TTL (${maxTtlSeconds} s): the service would refuse it`,
      );
      process.exit(2);
    }
  }
  console.log(signToken(actor, config.tokens, expiresInSeconds));
}

main();
