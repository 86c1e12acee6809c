/**
 * npm run token -- --role SUPERVISOR --district wangcheng [--sub alice] [--department code] [--expires 12h]
 *
 * Prints a bearer token for local use, signed with AUTH_JWT_SECRET (or the development secret).
 */
import { ROLES, type Actor, type Role } from '@app/evaluation';
import { signToken } from '../auth/tokens';
import { loadConfig } from '../config/app-config';

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
  const config = loadConfig();
  console.log(signToken(actor, config.jwtSecret, (option('expires') ?? '12h') as never));
}

main();
