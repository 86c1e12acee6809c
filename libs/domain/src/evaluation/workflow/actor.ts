export const ROLES = ['DEPARTMENT', 'SUPERVISOR', 'AUDITOR', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/**
 * docs/access.md: which roles may read what, beside the commands' own table (COMMAND_ROLES); each
 * within its read scope. The API's role checks read this table, never lists of their own.
 */
export const READ_ROLES = {
  /** a form's history, past versions, diffs and integrity */
  audit: ['AUDITOR', 'SUPERVISOR', 'ADMIN'],
  /** a district's live dashboard */
  dashboards: ['AUDITOR', 'SUPERVISOR', 'ADMIN'],
  /** district reports: read, request, follow, download */
  districtReports: ['SUPERVISOR', 'AUDITOR', 'ADMIN'],
  /** a department's own reminders and overdue notices */
  notifications: ['DEPARTMENT'],
} as const satisfies Record<string, readonly Role[]>;

/** Who acts, with the scope their token grants (docs/access.md). */
export interface Actor {
  id: string;
  role: Role;
  /** department code, for DEPARTMENT */
  department?: string;
  /** district code, for SUPERVISOR and AUDITOR; optional for ADMIN */
  district?: string;
}

/**
 * What an actor may read (docs/access.md), as one value that both the in-memory check (`canSee`) and
 * the read models' SQL (`scopeCondition` in the API) are derived from, so the two cannot disagree.
 */
export type ReadScope =
  | { kind: 'everything' }
  | { kind: 'district'; district: string }
  | { kind: 'department'; department: string }
  | { kind: 'nothing' };

export function readScopeOf(actor: Actor): ReadScope {
  switch (actor.role) {
    case 'DEPARTMENT':
      return actor.department === undefined
        ? { kind: 'nothing' }
        : { kind: 'department', department: actor.department };
    case 'SUPERVISOR':
    case 'AUDITOR':
      return actor.district === undefined
        ? { kind: 'nothing' }
        : { kind: 'district', district: actor.district };
    case 'ADMIN':
      return actor.district === undefined
        ? { kind: 'everything' }
        : { kind: 'district', district: actor.district };
  }
}

/**
 * Whether an actor may see something of this department and district (a district-wide thing passes
 * department ''). Anything outside it must look exactly like "not found".
 */
export function canSee(actor: Actor, scope: { department: string; district: string }): boolean {
  const readScope = readScopeOf(actor);
  switch (readScope.kind) {
    case 'everything':
      return true;
    case 'district':
      return readScope.district === scope.district;
    case 'department':
      return readScope.department === scope.department;
    case 'nothing':
      return false;
  }
}

/** An administrator of every district (an ADMIN token without a district claim). */
export const administersEveryDistrict = (actor: Actor): boolean =>
  actor.role === 'ADMIN' && readScopeOf(actor).kind === 'everything';
