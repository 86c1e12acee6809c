import * as fs from 'node:fs';
import * as path from 'node:path';
import { readEvaluationDocument, type Actor, type EvaluationCommand } from '@app/domain';

export const DEPARTMENT = { code: 'wangcheng-shzlfwzx', name: '长沙市望城区社会治理服务中心' };
export const DISTRICT = { code: 'wangcheng', name: '长沙市望城区' };
export const EVALUATION_ID = 'wangcheng-shzlfwzx.2021';

export const clerk: Actor = { id: 'clerk-1', role: 'DEPARTMENT', department: DEPARTMENT.code };
export const supervisor: Actor = { id: 'sup-1', role: 'SUPERVISOR', district: DISTRICT.code };

export function exampleDocument(): Record<string, any> {
  return JSON.parse(
    fs.readFileSync(path.resolve(__dirname, '../../../../test/fixtures/wangcheng-2021.json'), 'utf8'),
  );
}

export const context = (n = 1) => ({ correlationId: `corr-${n}`, commandId: `cmd-${n}` });

export function importExample(
  now = new Date('2022-03-01T08:00:00Z'),
  document = exampleDocument(),
): EvaluationCommand {
  return {
    type: 'ImportEvaluation',
    data: {
      evaluationId: EVALUATION_ID,
      content: readEvaluationDocument(document),
      department: DEPARTMENT,
      district: DISTRICT,
    },
    metadata: { actor: clerk, now },
  };
}

export function updateActual(
  rowId: string,
  actual: string,
  expectedVersion: number,
  now = new Date('2022-03-02T08:00:00Z'),
): EvaluationCommand {
  return {
    type: 'UpdateIndicator',
    data: { rowId, changes: { actual } },
    metadata: { actor: clerk, now, expectedVersion },
  };
}
