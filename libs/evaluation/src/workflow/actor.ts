export const ROLES = ['DEPARTMENT', 'SUPERVISOR', 'AUDITOR', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/** Who acts, with the scope their token grants (docs/access.md). */
export interface Actor {
  id: string;
  role: Role;
  /** department code, for DEPARTMENT */
  department?: string;
  /** district code, for SUPERVISOR and AUDITOR; optional for ADMIN */
  district?: string;
}

/** docs/access.md: what an actor may see. Anything outside it must look exactly like "not found". */
export function canSee(actor: Actor, scope: { department: string; district: string }): boolean {
  switch (actor.role) {
    case 'DEPARTMENT':
      return actor.department !== undefined && actor.department === scope.department;
    case 'SUPERVISOR':
    case 'AUDITOR':
      return actor.district !== undefined && actor.district === scope.district;
    case 'ADMIN':
      return actor.district === undefined || actor.district === scope.district;
  }
}
