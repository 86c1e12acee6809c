/** Every word the console shows about the API's states and codes, in one place (the UI is in Chinese). */

export const ROLE: Record<string, string> = {
  DEPARTMENT: '部门填报员',
  SUPERVISOR: '区级审核人',
  AUDITOR: '审计人员',
  ADMIN: '系统管理员',
};

export const STATE: Record<string, string> = {
  NONE: '未填报',
  DRAFT: '草稿',
  SUBMITTED: '已提交待审核',
  RETURNED: '已退回修改',
  APPROVED: '已审核通过',
};

export const GRADE: Record<string, string> = {
  EXCELLENT: '优',
  GOOD: '良',
  FAIR: '中',
  POOR: '差',
};

/** Validation errors (they block submission) and warnings (they never do), as docs/validation.md. */
export const ISSUE: Record<string, string> = {
  WEIGHTS_NOT_100: '各项指标分值（权重）合计必须为 100 分，请调整分值。',
  SCORE_MISSING: '该指标尚未自评打分，提交前必须填写得分。',
  SCORE_OUT_OF_RANGE: '得分超出范围：得分必须在 0 与该指标分值之间。',
  SHORTFALL_REASON_MISSING: '该指标未得满分，请填写偏差原因。',
  ACTUAL_MISSING: '该指标尚未填写实际完成值。',
  FUNDING_BUDGET_MISSING: '资金执行情况中缺少预算数（全年预算数必须大于 0）。',
  INVALID_AMOUNT: '金额格式不正确：请填写不为负数的数字，最多两位小数。',
  SCORE_DIFFERS_FROM_SUGGESTION: '自评得分与系统根据目标值和实际值计算的建议得分不一致，请核实或说明理由。',
  OVER_ACHIEVEMENT: '实际完成值明显超过目标值，请核实目标设定是否合理。',
  OVER_EXECUTION: '执行数超过预算数，请核实资金数据。',
  EXECUTION_BELOW_90: '预算执行率低于 90%，资金执行得分将相应扣减。',
  NONSTANDARD_WEIGHT_SPLIT: '一级指标的分值分配与通行标准不同，请确认。',
  ACTUAL_LOOKS_LIKE_TARGET: '实际完成值与目标值的写法完全相同，可能误填了目标值。',
  UNIT_MISMATCH: '实际值与目标值的计量单位不一致，系统无法计算建议得分。',
  QUALITATIVE_SCORE_OUTSIDE_BAND: '定性指标的得分不在所选评价等级对应的分数段内。',
  DECLARED_TOTAL_MISMATCH: '导入文件中申报的总分与系统计算的总分不一致。',
  DECLARED_FUNDING_SCORE_MISMATCH: '导入文件中申报的资金执行得分与系统计算值不一致。',
  DECLARED_RATE_MISMATCH: '导入文件中申报的预算执行率与系统计算值不一致。',
};

/** How the suggested score was reached (Suggestion.path). */
export const SUGGESTION: Record<string, string> = {
  PLACEHOLDER: '空行，不计分',
  RANGE_MET: '在目标区间内，得满分',
  RANGE_BELOW: '低于目标区间，按比例扣分',
  RANGE_ABOVE: '高于目标区间，按比例扣分',
  AT_LEAST_MET: '达到“不低于”目标，得满分',
  AT_LEAST_BELOW: '未达到“不低于”目标，按完成比例计分',
  AT_MOST_MET: '符合“不高于”目标，得满分',
  AT_MOST_ABOVE: '超过“不高于”目标，按比例扣分',
  EQUAL_MET: '与目标值相等，得满分',
  EQUAL_OFF: '与目标值不等，按偏差计分',
  DEADLINE_MET: '按期完成，得满分',
  DEADLINE_MISSED: '未按期完成',
  DEADLINE_UNDETERMINED: '无法判断是否按期完成，请人工评分',
  ACTUAL_NOT_NUMERIC: '实际值不是数字，请人工评分',
  UNIT_MISMATCH: '单位不一致，请人工评分',
  QUALITATIVE: '定性指标，按评价等级打分',
};

/** Refusals of the API by code. */
export const REFUSAL: Record<string, string> = {
  VERSION_CONFLICT: '表单已被他人修改。已载入最新内容，您的修改已保留，请核对后重新保存。',
  VALIDATION_FAILED: '表单尚有必须修正的问题，暂不能提交。',
  INVALID_TRANSITION: '表单当前状态不允许此操作。',
  FORBIDDEN: '您没有执行此操作的权限。',
  UNAUTHENTICATED: '登录已失效，请重新登录。',
  NOT_FOUND: '未找到该表单，或您无权查看。',
  BAD_USER_INPUT: '输入不符合要求。',
  INVALID_DECIMAL: '请输入数字（最多两位小数）。',
  INVALID_VALUE: '输入的值无效。',
  REQUIRED: '此项为必填项。',
  TEXT_TOO_LONG: '文字过长。',
  TOO_MANY_ROWS: '行数超过上限。',
  ALREADY_EXISTS: '已存在。',
  UNKNOWN_FIELD: '文件中含有无法识别的字段。',
  NETWORK: '无法连接服务器，请检查网络后重试。',
};

export const explainRefusal = (code: string, message: string) =>
  REFUSAL[code]
    ? `${REFUSAL[code]}${message && !REFUSAL[code].includes(message) ? `（${message}）` : ''}`
    : message;

export const HISTORY_TYPE: Record<string, string> = {
  EvaluationCreated: '创建表单',
  EvaluationImported: '导入表单',
  FundingWeightChanged: '修改资金执行分值',
  FundingLineAdded: '新增资金来源',
  FundingLineChanged: '修改资金来源',
  FundingLineRemoved: '删除资金来源',
  FunctionsChanged: '修改部门职能',
  GoalsChanged: '修改绩效目标',
  IndependentAccountingUnitsChanged: '修改独立核算单位数',
  IndicatorAdded: '新增指标',
  IndicatorChanged: '修改指标',
  IndicatorRemoved: '删除指标',
  IndicatorMoved: '调整指标顺序',
  EvaluationSubmitted: '提交审核',
  EvaluationWithdrawn: '撤回提交',
  EvaluationReturned: '退回修改',
  EvaluationApproved: '审核通过',
  EvaluationReopened: '重新打开',
};

/** "2022-03-01T08:00:00Z" as Beijing time, the way forms are dated. */
export const when = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—';
