import { FORM_FIELDS, type Form, type Issue } from '../forms';
import { Scroll } from '../scroll';
import { ISSUE, SUGGESTION } from '../text';
import type { Fields } from './form';

/** One editable cell: the draft or the saved value, the refusal beside it, marked while held. */
export function Cell({
  path,
  label,
  fields,
  numeric = false,
  wide = false,
  options,
}: {
  path: string;
  label: string;
  fields: Fields;
  numeric?: boolean;
  wide?: boolean;
  /** a choice among these values (value → words) instead of free text */
  options?: Record<string, string>;
}) {
  const error = fields.errors.get(path);
  const value = fields.valueOf(path);
  const errorId = `error-${path.replace(/[^\w]/g, '-')}`;
  if (!fields.editable)
    return <span className={numeric ? 'num' : undefined}>{(options ? options[value] : value) || '—'}</span>;
  const common = {
    'aria-label': label,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? errorId : undefined,
    className: `${numeric ? 'num' : ''} ${wide ? 'wide' : ''} ${fields.held.has(path) ? 'held' : ''}`,
  };
  return (
    <>
      {options ? (
        <select {...common} value={value} onChange={(e) => fields.edit(path, e.target.value)}>
          {Object.entries(options).map(([option, words]) => (
            <option key={option} value={option}>
              {words}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          value={value}
          inputMode={numeric ? 'decimal' : undefined}
          onChange={(e) => fields.edit(path, e.target.value)}
        />
      )}
      {fields.held.has(path) && !error && <span className="field-note">待确认</span>}
      {error && (
        <span className="field-error" id={errorId}>
          {error}
        </span>
      )}
    </>
  );
}

const POLARITY = { '': '按默认', HIGHER_IS_BETTER: '越高越好', LOWER_IS_BETTER: '越低越好' };
const QUALITATIVE = { '': '—', ACHIEVED: '达成', PARTLY_ACHIEVED: '部分达成', NOT_ACHIEVED: '未达成' };
/** The level-1 groups of the standard form (其他 may be added by typing a level-1 name on a row). */
const LEVEL1 = ['产出指标', '效益指标', '满意度指标'];

/** A structural change (a row or line added or removed): sent at once, not typed. */
function Act({ fields, label, run }: { fields: Fields; label: string; run: () => Promise<void> }) {
  if (!fields.editable) return null;
  return (
    <button type="button" className="small" disabled={fields.busy} onClick={() => void run()}>
      {label}
    </button>
  );
}

export function FundingBlock({ form, fields }: { form: Form; fields: Fields }) {
  const { funding, score } = form;
  return (
    <section aria-labelledby="funding-heading">
      <h2 id="funding-heading">一、预算资金执行情况（单位：{funding.unit}）</h2>
      <label className="inline">
        分值 <Cell path="funding.weight" label="资金执行分值" fields={fields} numeric />
      </label>
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
              {fields.editable && <th scope="col">操作</th>}
            </tr>
          </thead>
          <tbody>
            {funding.lines.map((line) => {
              const at = (field: string) => `funding.lines[${line.id}].${field}`;
              return (
                <tr key={line.id}>
                  <th scope="row">
                    <Cell path={at('source')} label={`资金来源 ${line.source}`} fields={fields} wide />
                  </th>
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
                  {fields.editable && (
                    <td>
                      <Act
                        fields={fields}
                        label={`删除 ${line.source}`}
                        run={() =>
                          fields.act(
                            `mutation($id: ID!, $v: Int!, $line: ID!) { removeFundingLine(id: $id, expectedVersion: $v, lineId: $line) { ${FORM_FIELDS} } }`,
                            { line: line.id },
                          )
                        }
                      />
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={fields.editable ? 6 : 5}>
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
      <Act
        fields={fields}
        label="新增资金来源"
        run={() =>
          fields.act(
            `mutation($id: ID!, $v: Int!, $input: FundingLineInput!) { addFundingLine(id: $id, expectedVersion: $v, input: $input) { ${FORM_FIELDS} } }`,
            { input: { source: '其他资金', budget: '0', executed: '0' } },
          )
        }
      />
      <IssueList title="资金检查" issues={form.validation} rowId={null} only="funding" />
    </section>
  );
}

/** The three-level indicator table, grouped by level 1 as printed, with the server's suggestion per row. */
export function IndicatorTable({ form, fields }: { form: Form; fields: Fields }) {
  const levels = [
    ...new Set([...form.indicators.map((row) => row.level1), ...(fields.editable ? LEVEL1 : [])]),
  ];
  const addRow = (level1: string) =>
    fields.act(
      `mutation($id: ID!, $v: Int!, $input: IndicatorInput!) { addIndicator(id: $id, expectedVersion: $v, input: $input) { ${FORM_FIELDS} } }`,
      { input: { level1, level2: '', level3: '', weight: '0' } },
    );
  return (
    <section aria-labelledby="indicators-heading">
      <h2 id="indicators-heading">四、绩效指标完成情况</h2>
      {levels.map((level1) => {
        const rows = form.indicators.filter((row) => row.level1 === level1);
        if (rows.length === 0 && !fields.editable) return null;
        return (
          <div key={level1}>
            <Scroll label={`${level1 || '未分类'}指标表`}>
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
                  {rows.map((row) => {
                    const at = (field: string) => `indicators[${row.id}].${field}`;
                    const name = row.level3 || row.content || row.level2 || `第 ${row.id.slice(1)} 行`;
                    const issues = {
                      errors: form.validation.errors.filter((i) => i.rowId === row.id),
                      warnings: form.validation.warnings.filter((i) => i.rowId === row.id),
                    };
                    return (
                      <tr key={row.id} data-row={row.id}>
                        <td>
                          <Cell path={at('level2')} label={`${name} 二级指标`} fields={fields} />
                        </td>
                        <th scope="row">
                          <Cell path={at('level3')} label={`${name} 三级指标`} fields={fields} wide />
                          <Cell path={at('content')} label={`${name} 指标内容`} fields={fields} wide />
                        </th>
                        <td>
                          <Cell path={at('target')} label={`${name} 年度指标值`} fields={fields} />
                          <Cell
                            path={at('polarity')}
                            label={`${name} 指标方向`}
                            fields={fields}
                            options={POLARITY}
                          />
                        </td>
                        <td>
                          <Cell path={at('actual')} label={`${name} 实际完成值`} fields={fields} />
                          <Cell
                            path={at('qualitativeLevel')}
                            label={`${name} 定性评价`}
                            fields={fields}
                            options={QUALITATIVE}
                          />
                        </td>
                        <td>
                          <Cell path={at('weight')} label={`${name} 分值`} fields={fields} numeric />
                        </td>
                        <td>
                          <Cell path={at('score')} label={`${name} 自评得分`} fields={fields} numeric />
                        </td>
                        <td className="suggestion" data-testid={`suggestion-${row.id}`}>
                          <strong>{row.suggestion.score ?? '—'}</strong>
                          <small>{SUGGESTION[row.suggestion.path] ?? row.suggestion.path}</small>
                          {row.suggestion.derivation && <small>{row.suggestion.derivation}</small>}
                        </td>
                        <td>
                          <Cell
                            path={at('shortfallReason')}
                            label={`${name} 偏差原因`}
                            fields={fields}
                            wide
                          />
                        </td>
                        <td>
                          <Cell path={at('improvement')} label={`${name} 改进措施`} fields={fields} wide />
                          {(issues.errors.length > 0 || issues.warnings.length > 0) && (
                            <IssueList issues={issues} rowId={row.id} />
                          )}
                          <Act
                            fields={fields}
                            label={`删除 ${name}`}
                            run={() =>
                              fields.act(
                                `mutation($id: ID!, $v: Int!, $row: ID!) { removeIndicator(id: $id, expectedVersion: $v, rowId: $row) { ${FORM_FIELDS} } }`,
                                { row: row.id },
                              )
                            }
                          />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </Scroll>
            <Act fields={fields} label={`新增${level1}`} run={() => addRow(level1)} />
          </div>
        );
      })}
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
            {ISSUE[issue.code] && <small>{issue.message}</small>}
          </li>
        ))}
        {warnings.map((issue) => (
          <li key={`w-${issue.code}-${issue.path}`} className="warning" data-code={issue.code}>
            <strong>提示</strong> {ISSUE[issue.code] ?? issue.message}
            {ISSUE[issue.code] && <small>{issue.message}</small>}
          </li>
        ))}
      </ul>
    </div>
  );
}
