import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, graphql } from '../api';
import { FORM_FIELDS, type FieldChange, type Form } from '../forms';
import { formChanges, saveGroup, saveGroups, valueAt, type Drafts } from '../form-edits';
import { useLiveChanges } from '../live';
import { Link } from '../router';
import { useSession } from '../session';
import { GRADE, STATE, explainRefusal, when } from '../text';
import { FundingBlock, IndicatorTable, IssueList } from './form-sections';
import { ReviewPanel } from './review-panel';

/** How long typing pauses before the edit is saved (and the server's score and checks come back). */
const SAVE_AFTER_MS = 600;

interface Conflict {
  /** what the other editor changed since the version this page had */
  changes: FieldChange[];
  /** the unsaved edits of this page on the same fields: kept, waiting for the clerk to choose */
  clashing: string[];
}

const loadForm = (id: string) =>
  graphql<{ evaluation: Form | null }>(`query($id: ID!) { evaluation(id: $id) { ${FORM_FIELDS} } }`, {
    id,
  }).then((data) => data.evaluation);

/**
 * The 自评表 as on paper, saved as it is typed: each pause sends the changed fields with the version they
 * were typed on. When someone else saved first, the page shows what they changed and keeps every unsaved
 * edit: those on other fields are saved on top of theirs, those on the same field wait for the clerk.
 */
export function FormPage({ id }: { id: string }) {
  const { actor } = useSession();
  const [form, setForm] = useState<Form | null | 'missing'>(null);
  const [drafts, setDrafts] = useState<Drafts>(new Map());
  const [held, setHeld] = useState<Set<string>>(new Set());
  const [fieldErrors, setFieldErrors] = useState<Map<string, string>>(new Map());
  const [status, setStatus] = useState<'saved' | 'saving' | 'pending' | 'failed' | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  // The save loop reads the latest of these, not the render's copies.
  const formRef = useRef<Form | null>(null);
  const draftsRef = useRef(drafts);
  const heldRef = useRef(held);
  const saving = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  draftsRef.current = drafts;
  heldRef.current = held;

  const show = useCallback((next: Form) => {
    formRef.current = next;
    setForm(next);
  }, []);

  useEffect(() => {
    loadForm(id)
      .then((loaded) => (loaded ? show(loaded) : setForm('missing')))
      .catch((error: ApiError) => setMessage(explainRefusal(error.code, error.message)));
  }, [id, show]);

  /** Someone else changed the form: what changed since the version this page had, and which unsaved edits it touches. */
  const noticeChanges = useCallback(
    (since: Form, latest: Form) => {
      const changes = formChanges(since, latest);
      const clashing = [...draftsRef.current.keys()].filter((path) =>
        changes.some((change) => change.path === path || path.startsWith(`${change.path}.`)),
      );
      setConflict({ changes, clashing });
      setHeld(new Set(clashing));
      heldRef.current = new Set(clashing);
      show(latest);
    },
    [show],
  );

  const save = useCallback(async () => {
    if (saving.current) return;
    saving.current = true;
    setStatus('saving');
    try {
      for (;;) {
        const current = formRef.current;
        const ready = new Map([...draftsRef.current].filter(([path]) => !heldRef.current.has(path)));
        const [group] = saveGroups(ready);
        if (!current || !group) break;
        try {
          const saved = await saveGroup(current, group);
          show(saved);
          const prefix = group.target === 'narrative' ? '' : `${group.target}.`;
          setDrafts((now) => {
            const next = new Map(now);
            // Only what was sent: a field typed on while it saved stays a draft.
            for (const [field, value] of Object.entries(group.fields))
              if (next.get(prefix + field) === value) next.delete(prefix + field);
            draftsRef.current = next;
            return next;
          });
          setFieldErrors((now) => {
            const next = new Map(now);
            for (const field of Object.keys(group.fields)) next.delete(prefix + field);
            return next;
          });
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          if (error.code === 'VERSION_CONFLICT') {
            const latest = await loadForm(id);
            if (!latest) return setForm('missing');
            noticeChanges(current, latest);
            continue;
          }
          // A refused value stays in its field with the reason beside it, and is not sent again until changed.
          const prefix = group.target === 'narrative' ? '' : `${group.target}.`;
          const problems = (error.extensions.problems as Array<{ message: string }> | undefined) ?? [];
          const reason = [explainRefusal(error.code, error.message), ...problems.map((p) => p.message)].join(
            ' ',
          );
          setFieldErrors((now) => {
            const next = new Map(now);
            for (const field of Object.keys(group.fields)) next.set(prefix + field, reason);
            return next;
          });
          const failed = new Set([...heldRef.current, ...Object.keys(group.fields).map((f) => prefix + f)]);
          heldRef.current = failed;
          setHeld(failed);
          setStatus('failed');
          return;
        }
      }
      setStatus(draftsRef.current.size > 0 ? 'pending' : 'saved');
    } catch (error) {
      setStatus('failed');
      setMessage((error as Error).message);
    } finally {
      saving.current = false;
    }
  }, [id, noticeChanges, show]);

  // Leaving the page never drops an edit: within the console the pending ones are sent at once (the
  // request outlives the page), and the browser asks before a reload or close while any is unsaved.
  const saveRef = useRef(save);
  saveRef.current = save;
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (draftsRef.current.size > 0 || saving.current) event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => {
      window.removeEventListener('beforeunload', warn);
      clearTimeout(timer.current);
      if (draftsRef.current.size > 0) void saveRef.current();
    };
  }, []);

  const edit = (path: string, value: string) => {
    setDrafts((now) => {
      const next = new Map(now);
      next.set(path, value);
      draftsRef.current = next;
      return next;
    });
    // Typing again in a refused field (not one held by a conflict) sends it again.
    if (fieldErrors.has(path)) {
      const released = new Set(heldRef.current);
      released.delete(path);
      heldRef.current = released;
      setHeld(released);
    }
    setStatus('pending');
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void save(), SAVE_AFTER_MS);
  };

  /** The clerk's choice on a clashing field: keep theirs (drop the draft) or save mine on top. */
  const resolve = (path: string, keepMine: boolean) => {
    const released = new Set(heldRef.current);
    released.delete(path);
    heldRef.current = released;
    setHeld(released);
    if (!keepMine)
      setDrafts((now) => {
        const next = new Map(now);
        next.delete(path);
        draftsRef.current = next;
        return next;
      });
    setConflict((now) =>
      now && now.clashing.length > 1 ? { ...now, clashing: now.clashing.filter((p) => p !== path) } : null,
    );
    void save();
  };

  // Live: another editor's save (or a review) arrives; a page with nothing unsaved simply follows it.
  const follow = () => {
    const current = formRef.current;
    if (!current || saving.current) return;
    void loadForm(id).then((latest) => {
      if (!latest || latest.version <= (formRef.current?.version ?? 0)) return;
      if (draftsRef.current.size > 0) noticeChanges(current, latest);
      else show(latest);
    });
  };
  useLiveChanges(
    { evaluationId: id },
    (change) => {
      if (change.version > (formRef.current?.version ?? Infinity)) follow();
    },
    follow,
  );

  const command = async (mutation: string, variables: Record<string, unknown> = {}) => {
    const current = formRef.current;
    if (!current) return;
    setMessage(null);
    try {
      const data = await graphql<Record<string, Form>>(mutation, {
        id: current.id,
        v: current.version,
        ...variables,
      });
      show(Object.values(data)[0]);
    } catch (error) {
      const e = error as ApiError;
      const errors = (e.extensions.errors as Array<{ code: string; message: string }> | undefined) ?? [];
      setMessage(
        explainRefusal(e.code, e.message) + (errors.length ? `（${errors.length} 项问题见下方）` : ''),
      );
      if (e.code === 'VERSION_CONFLICT') void loadForm(id).then((latest) => latest && show(latest));
    }
  };

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
  const fields = { editable, valueOf, edit, errors: fieldErrors, held };

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
                <code>{change.path}</code>：{change.before ?? '（空）'} → {change.after ?? '（空）'}
              </li>
            ))}
          </ul>
          {conflict.clashing.length > 0 ? (
            <>
              <p>以下字段您也修改过，您的内容尚未保存，请选择：</p>
              <ul>
                {conflict.clashing.map((path) => (
                  <li key={path}>
                    <code>{path}</code> 您的内容：{drafts.get(path)}{' '}
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
              您在其他字段的修改已保存在最新版本之上。
              <button type="button" className="link" onClick={() => setConflict(null)}>
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
            disabled={drafts.size > 0 || saving.current}
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
