import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Actor } from '@app/evaluation';
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
