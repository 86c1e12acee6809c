import { DEPARTMENT, DISTRICT, actors, exampleDocument } from '@app/domain/testing/fixtures';
import type { TestApp } from './test-app';

// The one fixtures module's example, department, district and actors, for the API's tests.
export { DEPARTMENT, DISTRICT, EVALUATION_ID, actors, exampleDocument } from '@app/domain/testing/fixtures';

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

/** Registers the example's district, its department and a second one (as the admin). */
export async function registerExample(api: TestApp): Promise<void> {
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
}

/** The example's registry, and the example form imported (as the clerk). */
export async function seedExample(api: TestApp): Promise<Record<string, any>> {
  await registerExample(api);
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
