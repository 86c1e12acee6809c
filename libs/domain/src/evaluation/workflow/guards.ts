import { administersEveryDistrict, canSee, type Actor, type Role } from './actor';
import type { CommandMetadata, EvaluationCommandType } from './commands';
import { EvaluationAlreadyExists, EvaluationNotFound, InvalidTransition } from './errors';
import { ActionForbidden, VersionConflict } from '../../errors';
import type { Evaluation, EvaluationStatus, ExistingEvaluationState } from './evaluation';

/** docs/access.md: which role may run which command (scope is checked separately). */
export const COMMAND_ROLES: Record<EvaluationCommandType, readonly Role[]> = {
  CreateEvaluation: ['DEPARTMENT'],
  ImportEvaluation: ['DEPARTMENT', 'ADMIN'],
  UpdateFunding: ['DEPARTMENT'],
  AddFundingLine: ['DEPARTMENT'],
  ChangeFundingLine: ['DEPARTMENT'],
  RemoveFundingLine: ['DEPARTMENT'],
  UpdateNarrative: ['DEPARTMENT'],
  AddIndicator: ['DEPARTMENT'],
  UpdateIndicator: ['DEPARTMENT'],
  RemoveIndicator: ['DEPARTMENT'],
  MoveIndicator: ['DEPARTMENT'],
  SubmitEvaluation: ['DEPARTMENT'],
  WithdrawEvaluation: ['DEPARTMENT'],
  ReturnEvaluation: ['SUPERVISOR'],
  ApproveEvaluation: ['SUPERVISOR'],
  ReopenEvaluation: ['SUPERVISOR'],
};

/** docs/workflow.md: the states each workflow step may start from, and its name in messages. */
export const TRANSITIONS = {
  EDIT: { from: ['DRAFT', 'RETURNED'], label: '修改' },
  SUBMIT: { from: ['DRAFT', 'RETURNED'], label: '提交' },
  WITHDRAW: { from: ['SUBMITTED'], label: '撤回' },
  RETURN: { from: ['SUBMITTED'], label: '退回' },
  APPROVE: { from: ['SUBMITTED'], label: '审核通过' },
  REOPEN: { from: ['APPROVED'], label: '重新打开' },
} as const satisfies Record<string, { from: readonly EvaluationStatus[]; label: string }>;
export type WorkflowStep = keyof typeof TRANSITIONS;

/** Creation: the actor must act for the department (or, for imports, be an admin of its district). */
export function guardCreation(
  type: 'CreateEvaluation' | 'ImportEvaluation',
  metadata: CommandMetadata,
  scope: { department: string; district: string; year: number },
  state: Evaluation,
): void {
  const { actor } = metadata;
  if (!COMMAND_ROLES[type].includes(actor.role) || !canSee(actor, scope)) throw new ActionForbidden(type);
  if (state.status !== 'NONE') throw new EvaluationAlreadyExists(scope.department, scope.year);
}

/** Every other command: visible, allowed, on the version the caller saw, from a state that allows it. */
export function guardExisting(
  type: EvaluationCommandType,
  metadata: CommandMetadata,
  state: Evaluation,
  step: WorkflowStep,
): ExistingEvaluationState {
  const { actor, expectedVersion } = metadata;
  // Out of scope must be indistinguishable from missing (docs/access.md): the same error, naming nothing.
  if (state.status === 'NONE') throw new EvaluationNotFound();
  const scope = { department: state.form.department.code, district: state.form.district.code };
  if (!canSee(actor, scope)) throw new EvaluationNotFound();
  if (!COMMAND_ROLES[type].includes(actor.role)) throw new ActionForbidden(type);
  if (expectedVersion === undefined || expectedVersion !== state.version) {
    throw new VersionConflict(expectedVersion ?? -1, state.version);
  }
  const transition = TRANSITIONS[step];
  if (!(transition.from as readonly EvaluationStatus[]).includes(state.status)) {
    throw new InvalidTransition(step, state.status, transition.label);
  }
  return state;
}

/**
 * Registry and cycle commands are an administrator's: one of a district acts only there, and only an
 * administrator of every district acts on no district in particular (registering a district).
 */
export function requireAdministrator(actor: Actor, action: string, districtCode?: string): void {
  const allowed =
    districtCode === undefined
      ? administersEveryDistrict(actor)
      : actor.role === 'ADMIN' && canSee(actor, { district: districtCode, department: '' });
  if (!allowed) throw new ActionForbidden(action);
}
