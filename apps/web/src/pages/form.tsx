import { FORM_FIELDS } from '../forms';
import { valueAt } from '../form-edits';
import { fieldName } from '../field-names';
import { Link } from '../router';
import { useSession } from '../session';
import { GRADE, STATE, when } from '../text';
import { Cell, FundingBlock, IndicatorTable, IssueList } from './form-sections';
import { ReopenPanel } from './reopen-panel';
import { ReviewPanel } from './review-panel';
import { useFormEditor } from './form-editor';

/**
 * The 自评表 as on paper, saved as it is typed: each pause sends the changed fields with the version they
 * were typed on (useFormEditor). When someone else saved first, the page shows what they changed and keeps
 * every unsaved edit: those on other fields are saved on top of theirs, those on the same field wait for
 * the clerk.
 */
export function FormPage({ id }: { id: string }) {
  const { actor } = useSession();
  const editor = useFormEditor(id);
  const { form, drafts, held, fieldErrors, conflict, status, message, edit, resolve, command } = editor;

  if (form === 'missing')
    return (
      <section>
        <h1>自评表</h1>
        <p role="alert">未找到该表单，或您无权查看。</p>
      </section>
    );
  if (!form) return message ? <p role="alert">{message}</p> : <p className="loading">正在加载…</p>;

  const editable = actor.role === 'DEPARTMENT' && (form.state === 'DRAFT' || form.state === 'RETURNED');
  const valueOf = (path: string) => drafts.get(path) ?? valueAt(form, path);
  const fields = {
    editable,
    valueOf,
    edit,
    errors: fieldErrors,
    held,
    act: command,
    busy: drafts.size > 0 || editor.saving,
  };

  return (
    <article className="form-page" aria-labelledby="form-title">
      <header className="form-head">
        <h1 id="form-title">
          {form.department.name} {form.year} 年度部门整体支出绩效自评表
        </h1>
        <p className="meta">
          <span className={`badge state-${form.state}`}>{STATE[form.state]}</span>
          <span>第 {form.version} 版</span>
          <span>{form.district.name}</span>
          {form.submittedAt && <span>提交于 {when(form.submittedAt)}</span>}
          {actor.role !== 'DEPARTMENT' && (
            <Link to={`/forms/${encodeURIComponent(form.id)}/history`}>修改记录与审计</Link>
          )}
          <a href={`/evaluations/${encodeURIComponent(form.id)}.xlsx`} download>
            导出 Excel
          </a>
        </p>
        <dl className="totals">
          <div>
            <dt>预算执行率</dt>
            <dd>{form.score.executionRatePercent ? `${form.score.executionRatePercent}%` : '—'}</dd>
          </div>
          <div>
            <dt>资金执行得分</dt>
            <dd>{form.score.fundingScore ?? '—'}</dd>
          </div>
          <div>
            <dt>指标得分</dt>
            <dd>{form.score.indicatorTotal}</dd>
          </div>
          <div>
            <dt>自评总分</dt>
            <dd data-testid="total">{form.score.total ?? '—'}</dd>
          </div>
          {form.score.adjustedTotal && (
            <div>
              <dt>复核得分</dt>
              <dd>{form.score.adjustedTotal}</dd>
            </div>
          )}
          <div>
            <dt>等级</dt>
            <dd>{form.score.grade ? GRADE[form.score.grade] : '—'}</dd>
          </div>
        </dl>
        <p className="save-status" role="status" aria-live="polite">
          {status === 'saving' && '正在保存…'}
          {status === 'pending' && '有未保存的修改'}
          {status === 'saved' && '已保存'}
          {status === 'failed' && '部分修改未能保存，请查看标红的字段'}
        </p>
      </header>

      {form.state === 'RETURNED' && form.review.returnComment && (
        <section className="notice returned" role="note" aria-label="审核退回意见">
          <h2>审核退回意见（{when(form.review.returnedAt)}）</h2>
          <p>{form.review.returnComment}</p>
        </section>
      )}
      {form.state === 'APPROVED' && (
        <section className="notice approved" role="note" aria-label="审核结果">
          <h2>已于 {when(form.review.approvedAt)} 审核通过</h2>
          {form.review.adjustmentReason && <p>复核调整理由：{form.review.adjustmentReason}</p>}
          {form.review.approvalComment && <p>审核意见：{form.review.approvalComment}</p>}
        </section>
      )}
      {conflict && (
        <section className="notice conflict" role="alert" aria-label="他人修改">
          <h2>其他人已修改此表，已为您载入最新内容</h2>
          <ul>
            {conflict.changes.map((change) => (
              <li key={change.path}>
                {fieldName(change.path, form)}：{change.before ?? '（空）'} → {change.after ?? '（空）'}
              </li>
            ))}
          </ul>
          {conflict.clashing.length > 0 ? (
            <>
              <p>以下字段您也修改过，您的内容尚未保存，请选择：</p>
              <ul>
                {conflict.clashing.map((path) => (
                  <li key={path}>
                    {fieldName(path, form)}，您的内容：{drafts.get(path)}{' '}
                    <button type="button" onClick={() => resolve(path, true)}>
                      保留我的修改
                    </button>{' '}
                    <button type="button" onClick={() => resolve(path, false)}>
                      采用对方的修改
                    </button>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>
              您在其他字段的修改会保存在最新版本之上。
              <button type="button" className="link" onClick={editor.dismissConflict}>
                知道了
              </button>
            </p>
          )}
        </section>
      )}
      {message && (
        <p role="alert" className="alert">
          {message}
        </p>
      )}

      <FundingBlock form={form} fields={fields} />
      <section aria-labelledby="functions-heading">
        <h2 id="functions-heading">二、部门职能</h2>
        <Text path="functions" label="部门职能概述" fields={fields} />
        <label className="inline">
          独立核算单位数{' '}
          <Cell path="independentAccountingUnits" label="独立核算单位数" fields={fields} numeric />
        </label>
      </section>
      <section aria-labelledby="goals-heading">
        <h2 id="goals-heading">三、年度绩效目标</h2>
        <Text path="goals.planned" label="年初设定的绩效目标" fields={fields} />
        <Text path="goals.achieved" label="目标实际完成情况" fields={fields} />
      </section>
      <IndicatorTable form={form} fields={fields} />
      <IssueList title="整表检查" issues={form.validation} rowId={null} />

      <footer className="form-actions">
        {editable && (
          <button
            type="button"
            className="primary"
            disabled={drafts.size > 0 || editor.saving}
            onClick={() =>
              void command(
                'mutation($id: ID!, $v: Int!) { submitEvaluation(id: $id, expectedVersion: $v) { ' +
                  FORM_FIELDS +
                  ' } }',
              )
            }
          >
            提交审核
          </button>
        )}
        {actor.role === 'DEPARTMENT' && form.state === 'SUBMITTED' && (
          <button
            type="button"
            onClick={() =>
              void command(
                'mutation($id: ID!, $v: Int!) { withdrawEvaluation(id: $id, expectedVersion: $v) { ' +
                  FORM_FIELDS +
                  ' } }',
              )
            }
          >
            撤回提交
          </button>
        )}
        {actor.role === 'SUPERVISOR' && form.state === 'SUBMITTED' && (
          <ReviewPanel form={form} command={command} />
        )}
        {actor.role === 'SUPERVISOR' && form.state === 'APPROVED' && <ReopenPanel command={command} />}
      </footer>
    </article>
  );
}

export interface Fields {
  editable: boolean;
  valueOf: (path: string) => string;
  edit: (path: string, value: string) => void;
  errors: Map<string, string>;
  held: Set<string>;
  /** a structural command (add or remove a row or a line) on the current version */
  act: (mutation: string, variables: Record<string, unknown>) => Promise<void>;
  /** true while edits are unsaved: structural commands wait for them */
  busy: boolean;
}

function Text({ path, label, fields }: { path: string; label: string; fields: Fields }) {
  const error = fields.errors.get(path);
  return (
    <label className="field">
      <span>{label}</span>
      <textarea
        value={fields.valueOf(path)}
        readOnly={!fields.editable}
        aria-invalid={error ? true : undefined}
        rows={4}
        onChange={(e) => fields.edit(path, e.target.value)}
      />
      {error && <span className="field-error">{error}</span>}
    </label>
  );
}
