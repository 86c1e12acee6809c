import { readScopeOf, type Actor } from '@app/domain';

/**
 * The caller's read scope as a SQL condition on a read model's columns, from the same `readScopeOf`
 * that `canSee` uses. Named parameters are added to `params`. A table without a department column (a
 * district-wide read model) is invisible to a department's clerk, as `canSee` with department '' says.
 */
export function scopeCondition(
  actor: Actor,
  columns: { district: string; department?: string },
  params: Record<string, unknown>,
): string {
  const scope = readScopeOf(actor);
  switch (scope.kind) {
    case 'everything':
      return '1 = 1';
    case 'district':
      params.scopeDistrict = scope.district;
      return `${columns.district} = @scopeDistrict`;
    case 'department':
      if (!columns.department) return '0 = 1';
      params.scopeDepartment = scope.department;
      return `${columns.department} = @scopeDepartment`;
    case 'nothing':
      return '0 = 1';
  }
}
