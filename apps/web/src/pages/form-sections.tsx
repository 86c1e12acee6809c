import type { Form, Issue } from '../forms';
import { Scroll } from '../scroll';
import { ISSUE, SUGGESTION } from '../text';
import type { Fields } from './form';

/** One editable cell: the draft or the saved value, the refusal beside it, marked while held. */
function Cell({
  path,
  label,
  fields,
  numeric = false,
  wide = false,
}: {
  path: string;
  label: string;
  fields: Fields;
  numeric?: boolean;
  wide?: boolean;
}) {
  const error = fields.errors.get(path);
  const value = fields.valueOf(path);
  if (!fields.editable) return <span className={numeric ? 'num' : undefined}>{value || '—'}</span>;
  return (
    <>
      <input
        aria-label={label}
        value={value}
        inputMode={numeric ? 'decimal' : undefined}
        className={`${numeric ? 'num' : ''} ${wide ? 'wide' : ''} ${fields.held.has(path) ? 'held' : ''}`}
        aria-invalid={error ? true : undefined}
        onChange={(e) => fields.edit(path, e.target.value)}
      />
      {error && <span className="field-error">{error}</span>}
    </>
  );
}

export function FundingBlock({ form, fields }: { form: Form; fields: Fields }) {
  const { funding, score } = form;
  return (
    <section aria-labelledby="funding-heading">
      <h2 id="funding-heading">
        一、预算资金执行情况（单位：{funding.unit}，分值 {funding.weight}）
      </h2>
      <Scroll label="预算资金执行情况表">
        <table>
          <thead>
            <tr>
              <th scope="col">资金来源</th>
              <th scope="col">年初预算数</th>
              <th scope="col">全年预算数（A）</th>
              <th scope="col">全年执行数（B）</th>
              <th scope="col">上级转移支付（C）</th>
              <th scope="col">执行率（B−C）/A</th>
            </tr>
          </thead>
          <tbody>
            {funding.lines.map((line) => {
              const at = (field: string) => `funding.lines[${line.id}].${field}`;
              return (
                <tr key={line.id}>
                  <th scope="row">{line.source}</th>
                  <td>
                    <Cell
                      path={at('initialBudget')}
                      label={`${line.source} 年初预算数`}
                      fields={fields}
                      numeric
                    />
                  </td>
                  <td>
                    <Cell path={at('budget')} label={`${line.source} 全年预算数`} fields={fields} numeric />
                  </td>
                  <td>
                    <Cell path={at('executed')} label={`${line.source} 全年执行数`} fields={fields} numeric />
                  </td>
                  <td>
                    <Cell
                      path={at('upperTransfer')}
                      label={`${line.source} 上级转移支付`}
                      fields={fields}
                      numeric
                    />
                  </td>
                  <td className="num">{line.executionRatePercent ? `${line.executionRatePercent}%` : '—'}</td>
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={5}>
                合计执行率 / 资金执行得分
              </th>
              <td className="num">
                {score.executionRatePercent ? `${score.executionRatePercent}%` : '—'} /{' '}
                {score.fundingScore ?? '—'}
              </td>
            </tr>
          </tfoot>
        </table>
      </Scroll>
      <IssueList title="资金检查" issues={form.validation} rowId={null} only="funding" />
    </section>
  );
}

/** The three-level indicator table, grouped by level 1 as printed, with the server's suggestion per row. */
export function IndicatorTable({ form, fields }: { form: Form; fields: Fields }) {
  const levels = [...new Set(form.indicators.map((row) => row.level1))];
  return (
    <section aria-labelledby="indicators-heading">
      <h2 id="indicators-heading">四、绩效指标完成情况</h2>
      {levels.map((level1) => (
        <Scroll key={level1} label={`${level1 || '未分类'}指标表`}>
          <table className="indicators">
            <caption>{level1 || '（未分类）'}</caption>
            <thead>
              <tr>
                <th scope="col">二级指标</th>
                <th scope="col">三级指标</th>
                <th scope="col">年度指标值</th>
                <th scope="col">实际完成值</th>
                <th scope="col">分值</th>
                <th scope="col">自评得分</th>
                <th scope="col">建议得分</th>
                <th scope="col">偏差原因</th>
                <th scope="col">改进措施</th>
              </tr>
            </thead>
            <tbody>
              {form.indicators
                .filter((row) => row.level1 === level1)
                .map((row) => {
                  const at = (field: string) => `indicators[${row.id}].${field}`;
                  const name = row.level3 || row.content || row.level2;
                  const issues = {
                    errors: form.validation.errors.filter((i) => i.rowId === row.id),
                    warnings: form.validation.warnings.filter((i) => i.rowId === row.id),
                  };
                  return (
                    <tr key={row.id} data-row={row.id}>
                      <td>{row.level2}</td>
                      <th scope="row">
                        {name}
                        {row.content && row.content !== name && <small>{row.content}</small>}
                      </th>
                      <td>{row.target}</td>
                      <td>
                        <Cell path={at('actual')} label={`${name} 实际完成值`} fields={fields} />
                      </td>
                      <td className="num">{row.weight}</td>
                      <td>
                        <Cell path={at('score')} label={`${name} 自评得分`} fields={fields} numeric />
                      </td>
                      <td className="suggestion" data-testid={`suggestion-${row.id}`}>
                        <strong>{row.suggestion.score ?? '—'}</strong>
                        <small>{SUGGESTION[row.suggestion.path] ?? row.suggestion.path}</small>
                        {row.suggestion.derivation && <small>{row.suggestion.derivation}</small>}
                      </td>
                      <td>
                        <Cell path={at('shortfallReason')} label={`${name} 偏差原因`} fields={fields} wide />
                      </td>
                      <td>
                        <Cell path={at('improvement')} label={`${name} 改进措施`} fields={fields} wide />
                        {(issues.errors.length > 0 || issues.warnings.length > 0) && (
                          <IssueList issues={issues} rowId={row.id} />
                        )}
                      </td>
                    </tr>
                  );
                })}
            </tbody>
          </table>
        </Scroll>
      ))}
    </section>
  );
}

/** Errors (they block submission) and warnings (they do not), each explained in words. */
export function IssueList({
  title,
  issues,
  rowId,
  only,
}: {
  title?: string;
  issues: { errors: Issue[]; warnings: Issue[] };
  rowId: string | null;
  only?: 'funding';
}) {
  const pick = (list: Issue[]) =>
    list.filter(
      (issue) =>
        (rowId === null ? issue.rowId === null : issue.rowId === rowId) &&
        (only !== 'funding' || issue.path.startsWith('funding')) &&
        (only === 'funding' || rowId !== null || !issue.path.startsWith('funding')),
    );
  const errors = pick(issues.errors);
  const warnings = pick(issues.warnings);
  if (errors.length === 0 && warnings.length === 0) return null;
  return (
    <div className="issues">
      {title && <h3>{title}</h3>}
      <ul>
        {errors.map((issue) => (
          <li key={`e-${issue.code}-${issue.path}`} className="error" data-code={issue.code}>
            <strong>错误</strong> {ISSUE[issue.code] ?? issue.message}
          </li>
        ))}
        {warnings.map((issue) => (
          <li key={`w-${issue.code}-${issue.path}`} className="warning" data-code={issue.code}>
            <strong>提示</strong> {ISSUE[issue.code] ?? issue.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
