import type { EvaluationCommand } from './commands';
import {
  decideAddFundingLine,
  decideAddIndicator,
  decideChangeFundingLine,
  decideMoveIndicator,
  decideRemoveFundingLine,
  decideRemoveIndicator,
  decideUpdateFunding,
  decideUpdateIndicator,
  decideUpdateNarrative,
} from './decide-edits';
import {
  decideApprove,
  decideCreate,
  decideImport,
  decideReopen,
  decideReturn,
  decideSubmit,
  decideWithdraw,
} from './decide-lifecycle';
import type { Evaluation } from './evaluation';
import type { EvaluationEvent } from './events';
import { guardCreation, guardExisting } from './guards';

/**
 * Pure: the events a command produces from a state, or a thrown DomainError. Guards first (scope,
 * role, version, workflow state), then the command's own rules; nothing is emitted unless all pass.
 */
export function decide(command: EvaluationCommand, state: Evaluation): EvaluationEvent[] {
  const { metadata } = command;
  switch (command.type) {
    case 'CreateEvaluation': {
      const { department, district, year } = command.data;
      guardCreation(
        command.type,
        metadata,
        { department: department.code, district: district.code, year },
        state,
      );
      return decideCreate(command);
    }
    case 'ImportEvaluation': {
      const { department, district, content } = command.data;
      guardCreation(
        command.type,
        metadata,
        { department: department.code, district: district.code, year: content.year },
        state,
      );
      return decideImport(command);
    }
    case 'UpdateFunding':
      return decideUpdateFunding(command, guardExisting(command.type, metadata, state, 'EDIT'));
    case 'AddFundingLine':
      return decideAddFundingLine(command, guardExisting(command.type, metadata, state, 'EDIT'));
    case 'ChangeFundingLine':
      return decideChangeFundingLine(command, guardExisting(command.type, metadata, state, 'EDIT'));
    case 'RemoveFundingLine':
      return decideRemoveFundingLine(command, guardExisting(command.type, metadata, state, 'EDIT'));
    case 'UpdateNarrative':
      return decideUpdateNarrative(command, guardExisting(command.type, metadata, state, 'EDIT'));
    case 'AddIndicator':
      return decideAddIndicator(command, guardExisting(command.type, metadata, state, 'EDIT'));
    case 'UpdateIndicator':
      return decideUpdateIndicator(command, guardExisting(command.type, metadata, state, 'EDIT'));
    case 'RemoveIndicator':
      return decideRemoveIndicator(command, guardExisting(command.type, metadata, state, 'EDIT'));
    case 'MoveIndicator':
      return decideMoveIndicator(command, guardExisting(command.type, metadata, state, 'EDIT'));
    case 'SubmitEvaluation':
      return decideSubmit(command, guardExisting(command.type, metadata, state, 'SUBMIT'));
    case 'WithdrawEvaluation':
      return decideWithdraw(command, guardExisting(command.type, metadata, state, 'WITHDRAW'));
    case 'ReturnEvaluation':
      return decideReturn(command, guardExisting(command.type, metadata, state, 'RETURN'));
    case 'ApproveEvaluation':
      return decideApprove(command, guardExisting(command.type, metadata, state, 'APPROVE'));
    case 'ReopenEvaluation':
      return decideReopen(command, guardExisting(command.type, metadata, state, 'REOPEN'));
  }
}
