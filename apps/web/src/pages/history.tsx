import { useEffect, useState } from 'react';
import { ApiError, graphql } from '../api';
import { FORM_FIELDS, type FieldChange, type Form } from '../forms';
import { valueAt } from '../form-edits';
import type { Fields } from './form';
import { FundingBlock, IndicatorTable } from './form-sections';
import { fieldName } from '../field-names';
import { Link } from '../router';
import { GRADE, HISTORY_TYPE, ROLE, STATE, explainRefusal, when } from '../text';

interface Entry {
  version: number;
  type: string;
  occurredAt: string;
  actor: { id: string; role: string };
  changes: FieldChange[];
}

/** The form as it was is shown as the form is: the same sections, read-only. */
const READ_ONLY = (form: Form): Fields => ({
  editable: false,
  valueOf: (path) => valueAt(form, path),
  edit: () => undefined,
  errors: new Map(),
  held: new Set(),
  act: async () => undefined,
  busy: false,
});
const PAGE = 100;

function Changes({ changes }: { changes: FieldChange[] }) {
  return (
    <ul className="changes">
      {changes.map((change) => (
        <li key={change.path}>
          {fieldName(change.path)}：<del>{change.before ?? '（空）'}</del> →{' '}
          <ins>{change.after ?? '（空）'}</ins>
        </li>
      ))}
    </ul>
  );
}

/**
 * An auditor's view of one form: every change as a timeline with its field-level before and after, the
 * form at any version (a slider) or instant, the difference between two versions, the hash chain checked.
 */
export function HistoryPage({ id }: { id: string }) {
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [integrity, setIntegrity] = useState<{
    ok: boolean;
    checkedEvents: number;
    firstBrokenVersion: number | null;
  } | null>(null);
  const [version, setVersion] = useState(1);
  const [instant, setInstant] = useState('');
  const [past, setPast] = useState<Form | null>(null);
  const [diffRange, setDiffRange] = useState<[number, number]>([1, 1]);
  const [diff, setDiff] = useState<FieldChange[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const fail = (error: ApiError) => setMessage(explainRefusal(error.code, error.message));

  useEffect(() => {
    (async () => {
      const all: Entry[] = [];
      let after: string | null = null;
      for (;;) {
        const data: {
          evaluationHistory: {
            edges: Array<{ node: Entry }>;
            pageInfo: { endCursor: string | null; hasNextPage: boolean };
          } | null;
        } = await graphql(
          `
            query ($id: ID!, $after: String, $first: Int) {
              evaluationHistory(id: $id, after: $after, first: $first) {
                edges {
                  node {
                    version
                    type
                    occurredAt
                    actor {
                      id
                      role
                    }
                    changes {
                      path
                      before
                      after
                    }
                  }
                }
                pageInfo {
                  endCursor
                  hasNextPage
                }
              }
            }
          `,
          { id, after, first: PAGE },
        );
        if (!data.evaluationHistory) return setEntries([]);
        all.push(...data.evaluationHistory.edges.map((edge) => edge.node));
        if (!data.evaluationHistory.pageInfo.hasNextPage) break;
        after = data.evaluationHistory.pageInfo.endCursor;
      }
      setEntries(all);
      const last = all[all.length - 1]?.version ?? 1;
      setVersion(last);
      setDiffRange([Math.max(1, last - 1), last]);
    })().catch(fail);
    graphql<{ verifyEvaluationIntegrity: typeof integrity }>(
      'query($id: ID!) { verifyEvaluationIntegrity(id: $id) { ok checkedEvents firstBrokenVersion } }',
      { id },
    )
      .then((data) => setIntegrity(data.verifyEvaluationIntegrity))
      .catch(fail);
  }, [id]);

  useEffect(() => {
    if (!entries?.length) return;
    // The picker's value is Beijing time, whatever the browser's zone.
    const variables = instant ? { id, at: `${instant}:00+08:00` } : { id, version };
    let current = true;
    graphql<{ evaluationAt: Form | null }>(
      `query($id: ID!, $version: Int, $at: DateTime) { evaluationAt(id: $id, version: $version, at: $at) { ${FORM_FIELDS} } }`,
      variables,
    )
      .then((data) => current && setPast(data.evaluationAt))
      .catch(fail);
    // A slider dragged fast asks many versions: only the last answer is shown.
    return () => {
      current = false;
    };
  }, [id, version, instant, entries]);

  const compare = () =>
    graphql<{ evaluationDiff: FieldChange[] }>(
      'query($id: ID!, $from: Int!, $to: Int!) { evaluationDiff(id: $id, fromVersion: $from, toVersion: $to) { path before after } }',
      { id, from: diffRange[0], to: diffRange[1] },
    )
      .then((data) => setDiff(data.evaluationDiff))
      .catch(fail);

  if (entries && entries.length === 0)
    return (
      <section>
        <h1>修改记录</h1>
        <p role="alert">未找到该表单，或您无权查看。</p>
      </section>
    );
  const last = entries?.[entries.length - 1]?.version ?? 1;
  return (
    <section className="history">
      <h1>
        修改记录与审计：<Link to={`/forms/${encodeURIComponent(id)}`}>{id}</Link>
      </h1>
      {message && <p role="alert">{message}</p>}
      {integrity && (
        <p className={`badge ${integrity.ok ? 'ok' : 'broken'}`} data-testid="integrity" role="status">
          {integrity.ok
            ? `✓ 完整性校验通过（${integrity.checkedEvents} 条记录的哈希链完整）`
            : `✗ 完整性校验失败：第 ${integrity.firstBrokenVersion} 版起记录被篡改`}
        </p>
      )}

      <section aria-labelledby="at-heading" className="panel">
        <h2 id="at-heading">表单在某一版本或时刻的内容</h2>
        <label className="field">
          <span>
            版本：第 {version} 版（共 {last} 版）
          </span>
          <input
            type="range"
            min={1}
            max={last}
            value={version}
            onChange={(e) => {
              setInstant('');
              setVersion(Number(e.target.value));
            }}
          />
        </label>
        <label className="field">
          <span>或选择时刻（北京时间）</span>
          <input type="datetime-local" value={instant} onChange={(e) => setInstant(e.target.value)} />
        </label>
        {past ? (
          <div data-testid="past-form">
            <p>
              第 {past.version} 版 · {STATE[past.state]} · 自评总分 {past.score.total ?? '—'} · 等级{' '}
              {past.score.grade ? GRADE[past.score.grade] : '—'} · 执行率{' '}
              {past.score.executionRatePercent ?? '—'}%
            </p>
            <FundingBlock form={past} fields={READ_ONLY(past)} />
            <IndicatorTable form={past} fields={READ_ONLY(past)} />
          </div>
        ) : (
          entries && <p>该时刻表单尚不存在。</p>
        )}
      </section>

      <section aria-labelledby="diff-heading" className="panel">
        <h2 id="diff-heading">两个版本的差异</h2>
        <div className="filters">
          <label>
            从第
            <input
              aria-label="起始版本"
              type="number"
              min={1}
              max={last}
              value={diffRange[0]}
              onChange={(e) => setDiffRange([Number(e.target.value), diffRange[1]])}
            />
            版
          </label>
          <label>
            到第
            <input
              aria-label="结束版本"
              type="number"
              min={1}
              max={last}
              value={diffRange[1]}
              onChange={(e) => setDiffRange([diffRange[0], Number(e.target.value)])}
            />
            版
          </label>
          <button type="button" onClick={() => void compare()}>
            比较
          </button>
        </div>
        {diff && (diff.length > 0 ? <Changes changes={diff} /> : <p>两个版本没有差异。</p>)}
      </section>

      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">修改时间线</h2>
        {entries === null ? (
          <p className="loading">正在加载…</p>
        ) : (
          <ol className="timeline" data-testid="timeline">
            {[...entries].reverse().map((entry) => (
              <li key={entry.version}>
                <p>
                  <strong>
                    第 {entry.version} 版 · {HISTORY_TYPE[entry.type] ?? entry.type}
                  </strong>
                  <span>
                    {' '}
                    {when(entry.occurredAt)} · {ROLE[entry.actor.role] ?? entry.actor.role} {entry.actor.id}
                  </span>
                </p>
                {entry.type !== 'EvaluationImported' && entry.type !== 'EvaluationCreated' ? (
                  <Changes changes={entry.changes} />
                ) : (
                  <p className="meta">（{entry.changes.length} 个字段的初始内容）</p>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>
    </section>
  );
}
