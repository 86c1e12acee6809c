import { actors, exampleDocument } from '@app/domain/testing/fixtures';
import type { TestApp } from '../../api/src/testing/test-app';

/** The example district with its two departments and the demo clerk's 2021 form, imported. */
export async function seedExampleForm(api: TestApp): Promise<void> {
  const steps: Array<[string, Record<string, unknown>, (typeof actors)[keyof typeof actors]]> = [
    [
      'mutation($i: RegisterDistrictInput!) { registerDistrict(input: $i) { code } }',
      { i: { code: 'wangcheng', name: '长沙市望城区' } },
      actors.admin,
    ],
    [
      'mutation($i: RegisterDepartmentInput!) { registerDepartment(input: $i) { code } }',
      { i: { code: 'wangcheng-shzlfwzx', name: '长沙市望城区社会治理服务中心', districtCode: 'wangcheng' } },
      actors.admin,
    ],
    [
      'mutation($i: RegisterDepartmentInput!) { registerDepartment(input: $i) { code } }',
      { i: { code: 'wangcheng-other', name: '其他部门', districtCode: 'wangcheng' } },
      actors.admin,
    ],
    ['mutation($d: JSON!) { importEvaluation(document: $d) { id } }', { d: exampleDocument() }, actors.clerk],
  ];
  for (const [query, variables, actor] of steps) {
    const answer = await api.gql(query, variables, actor);
    if (answer.body.errors) throw new Error(JSON.stringify(answer.body.errors));
  }
}
