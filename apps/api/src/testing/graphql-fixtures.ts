import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Actor } from '@app/domain';
import type { TestApp } from './test-app';

export const DISTRICT = { code: 'wangcheng', name: '长沙市望城区' };
export const DEPARTMENT = { code: 'wangcheng-shzlfwzx', name: '长沙市望城区社会治理服务中心' };
export const EVALUATION_ID = 'wangcheng-shzlfwzx.2021';

export const actors = {
  admin: { id: 'admin-1', role: 'ADMIN' } as Actor,
  clerk: { id: 'clerk-1', role: 'DEPARTMENT', department: DEPARTMENT.code } as Actor,
  otherClerk: { id: 'clerk-2', role: 'DEPARTMENT', department: 'wangcheng-other' } as Actor,
  supervisor: { id: 'sup-1', role: 'SUPERVISOR', district: DISTRICT.code } as Actor,
  otherSupervisor: { id: 'sup-2', role: 'SUPERVISOR', district: 'yuelu' } as Actor,
  auditor: { id: 'aud-1', role: 'AUDITOR', district: DISTRICT.code } as Actor,
  otherAuditor: { id: 'aud-2', role: 'AUDITOR', district: 'yuelu' } as Actor,
};

export function exampleDocument(): Record<string, any> {
  return JSON.parse(
    fs.readFileSync(path.resolve(__dirname, '../../../../test/fixtures/wangcheng-2021.json'), 'utf8'),
  );
}

export const EVALUATION_FIELDS = `
  id version state year
  department { code name } district { code name }
  funding { unit weight lines { id source budget executed upperTransfer } }
  indicators { id level1 level2 content target actual weight score suggestion { score path } }
  score { executionRatePercent fundingScore indicatorTotal total grade adjustedTotal finalTotal }
  validation { errors { code message path } warnings { code path } }
  declared { executionRate fundingScore totalScore }
  review { returnComment approvalComment adjustmentReason }
`;

/** Registers the example's district and department (as the admin) and imports the example (as the clerk). */
export async function seedExample(api: TestApp): Promise<Record<string, any>> {
  await api
    .gql(
      'mutation($i: RegisterDistrictInput!) { registerDistrict(input: $i) { code } }',
      { i: DISTRICT },
      actors.admin,
    )
    .expect(200);
  await api
    .gql(
      'mutation($i: RegisterDepartmentInput!) { registerDepartment(input: $i) { code } }',
      { i: { ...DEPARTMENT, districtCode: DISTRICT.code } },
      actors.admin,
    )
    .expect(200);
  await api
    .gql(
      'mutation($i: RegisterDepartmentInput!) { registerDepartment(input: $i) { code } }',
      { i: { code: 'wangcheng-other', name: '其他部门', districtCode: DISTRICT.code } },
      actors.admin,
    )
    .expect(200);
  const imported = await api.gql(
    `mutation($d: JSON!) { importEvaluation(document: $d) { ${EVALUATION_FIELDS} } }`,
    { d: exampleDocument() },
    actors.clerk,
  );
  if (imported.body.errors) throw new Error(JSON.stringify(imported.body.errors));
  return imported.body.data.importEvaluation;
}

/** The machine code of a GraphQL response's first error. */
export const codeOf = (body: any): string | undefined => body.errors?.[0]?.extensions?.code;

/** Every mutation on an existing form, with `$ID` for the form asked for (all valid on a draft at v1). */
export const FORM_MUTATIONS: Record<string, string> = {
  updateFunding: `mutation { updateFunding(id: "$ID", expectedVersion: 1, input: { weight: "10" }) { version } }`,
  addFundingLine: `mutation { addFundingLine(id: "$ID", expectedVersion: 1, input: { source: "其他资金", budget: "1", executed: "1" }) { version } }`,
  changeFundingLine: `mutation { changeFundingLine(id: "$ID", expectedVersion: 1, lineId: "f1", input: { executed: "900" }) { version } }`,
  removeFundingLine: `mutation { removeFundingLine(id: "$ID", expectedVersion: 1, lineId: "f1") { version } }`,
  updateNarrative: `mutation { updateNarrative(id: "$ID", expectedVersion: 1, input: { functions: "x" }) { version } }`,
  addIndicator: `mutation { addIndicator(id: "$ID", expectedVersion: 1, input: { level1: "产出指标", level2: "质量指标", weight: "0" }) { version } }`,
  updateIndicator: `mutation { updateIndicator(id: "$ID", expectedVersion: 1, rowId: "r1", input: { actual: "7" }) { version } }`,
  removeIndicator: `mutation { removeIndicator(id: "$ID", expectedVersion: 1, rowId: "r8") { version } }`,
  moveIndicator: `mutation { moveIndicator(id: "$ID", expectedVersion: 1, rowId: "r1", toIndex: 2) { version } }`,
  submitEvaluation: `mutation { submitEvaluation(id: "$ID", expectedVersion: 1) { version } }`,
  withdrawEvaluation: `mutation { withdrawEvaluation(id: "$ID", expectedVersion: 1) { version } }`,
  returnEvaluation: `mutation { returnEvaluation(id: "$ID", expectedVersion: 1, comment: "x") { version } }`,
  approveEvaluation: `mutation { approveEvaluation(id: "$ID", expectedVersion: 1) { version } }`,
  reopenEvaluation: `mutation { reopenEvaluation(id: "$ID", expectedVersion: 1, reason: "x") { version } }`,
};

/** One of FORM_MUTATIONS, on the form with this id. */
export const formMutation = (name: string, id: string) => FORM_MUTATIONS[name].replace('$ID', id);
