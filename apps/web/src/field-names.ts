/**
 * A field's path (as the audit history and the page's drafts name it: "indicators[r2].actual") in words,
 * with the row or line it belongs to when the form is at hand.
 */
const FIELD: Record<string, string> = {
  functions: '部门职能',
  'goals.planned': '年初绩效目标',
  'goals.achieved': '目标完成情况',
  'funding.weight': '资金执行分值',
  'funding.unit': '金额单位',
  'funding.lines.order': '资金来源顺序',
  independentAccountingUnits: '独立核算单位数',
  source: '资金来源',
  initialBudget: '年初预算数',
  budget: '全年预算数',
  executed: '全年执行数',
  upperTransfer: '上级转移支付',
  level1: '一级指标',
  level2: '二级指标',
  level3: '三级指标',
  content: '指标内容',
  target: '年度指标值',
  actual: '实际完成值',
  weight: '分值',
  score: '自评得分',
  polarity: '指标方向',
  qualitativeLevel: '定性评价',
  shortfallReason: '偏差原因',
  improvement: '改进措施',
};

interface Named {
  funding: { lines: ReadonlyArray<{ id: string; source: string }> };
  indicators: ReadonlyArray<{ id: string; level3: string; content: string; level2: string }>;
}

export function fieldName(path: string, form?: Named): string {
  if (FIELD[path]) return FIELD[path];
  const m = /^(funding\.lines|indicators)\[([^\]]+)\](?:\.(\w+))?$/.exec(path);
  if (!m) return path;
  const [, list, id, field] = m;
  let owner: string;
  if (list === 'funding.lines') {
    const line = form?.funding.lines.find((l) => l.id === id);
    owner = `资金来源${line ? `「${line.source}」` : ` ${id}`}`;
  } else {
    const row = form?.indicators.find((r) => r.id === id);
    const name = row && (row.level3 || row.content || row.level2);
    owner = `第 ${id.replace(/^r/, '')} 行指标${name ? `「${name}」` : ''}`;
  }
  return field ? `${owner} · ${FIELD[field] ?? field}` : owner;
}
