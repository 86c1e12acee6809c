import { useEffect, useState, type ChangeEvent } from 'react';
import { ApiError, graphql } from '../api';
import { Link, navigate } from '../router';
import { defaultYear, useSession } from '../session';
import { GRADE, STATE, explainRefusal, when } from '../text';

interface Row {
  id: string;
  year: number;
  state: string;
  version: number;
  submittedAt: string | null;
  score: { finalTotal: string | null; grade: string | null };
}

/** A department's forms, one per year, with what can be started: a new year's form or an import. */
export function FormsPage() {
  const { actor } = useSession();
  const [rows, setRows] = useState<Row[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const department = actor.department;

  useEffect(() => {
    graphql<{ evaluations: { edges: Array<{ node: Row }> } }>(
      `
        query ($department: String) {
          evaluations(filter: { departmentCode: $department }, sort: UPDATED_DESC, first: 50) {
            edges {
              node {
                id
                year
                state
                version
                submittedAt
                score {
                  finalTotal
                  grade
                }
              }
            }
          }
        }
      `,
      { department },
    )
      .then((data) => setRows(data.evaluations.edges.map((e) => e.node).sort((a, b) => b.year - a.year)))
      .catch((error: ApiError) => setMessage(explainRefusal(error.code, error.message)));
  }, [department]);

  const create = async () => {
    try {
      const { createEvaluation } = await graphql<{ createEvaluation: { id: string } }>(
        'mutation($input: CreateEvaluationInput!) { createEvaluation(input: $input) { id } }',
        { input: { departmentCode: department, year: defaultYear() } },
      );
      navigate(`/forms/${encodeURIComponent(createEvaluation.id)}`);
    } catch (error) {
      const e = error as ApiError;
      setMessage(explainRefusal(e.code, e.message));
    }
  };

  const importFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    let document: unknown;
    try {
      document = JSON.parse(await file.text());
    } catch {
      setMessage('文件不是有效的交换格式（JSON）文件。');
      return;
    }
    try {
      const { importEvaluation } = await graphql<{ importEvaluation: { id: string } }>(
        'mutation($document: JSON!) { importEvaluation(document: $document) { id } }',
        { document },
      );
      navigate(`/forms/${encodeURIComponent(importEvaluation.id)}`);
    } catch (error) {
      const e = error as ApiError;
      const problems = (e.extensions.problems as Array<{ path: string; message: string }> | undefined) ?? [];
      setMessage(
        [explainRefusal(e.code, e.message), ...problems.map((p) => `${p.path}：${p.message}`)].join('\n'),
      );
    }
  };

  const hasThisYear = rows?.some((row) => row.year === defaultYear());
  return (
    <section>
      <h1>我的自评表</h1>
      {message && (
        <p role="alert" className="alert pre">
          {message}
        </p>
      )}
      {department && (
        <div className="actions">
          {rows && !hasThisYear && (
            <button type="button" className="primary" onClick={() => void create()}>
              新建 {defaultYear()} 年度自评表
            </button>
          )}
          <label className="button">
            导入交换格式文件
            <input
              type="file"
              accept="application/json,.json"
              onChange={(e) => void importFile(e)}
              className="visually-hidden"
            />
          </label>
        </div>
      )}
      {rows === null && !message && <p className="loading">正在加载…</p>}
      {rows && rows.length === 0 && <p>尚无自评表。</p>}
      {rows && rows.length > 0 && (
        <table>
          <caption className="visually-hidden">各年度自评表</caption>
          <thead>
            <tr>
              <th scope="col">年度</th>
              <th scope="col">状态</th>
              <th scope="col">总分</th>
              <th scope="col">等级</th>
              <th scope="col">提交时间</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id}>
                <td>
                  <Link to={`/forms/${encodeURIComponent(row.id)}`}>{row.year} 年度</Link>
                </td>
                <td>{STATE[row.state]}</td>
                <td className="num">{row.score.finalTotal ?? '—'}</td>
                <td>{row.score.grade ? GRADE[row.score.grade] : '—'}</td>
                <td>{when(row.submittedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
