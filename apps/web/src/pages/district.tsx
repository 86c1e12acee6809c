import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, graphql } from '../api';
import { useLiveChanges } from '../live';
import { Link, navigate, useLocation } from '../router';
import { defaultYear, useSession } from '../session';
import { GRADE, STATE, explainRefusal, when } from '../text';
import { Dashboard, type DashboardData } from './dashboard';
import { Reports } from './reports';
import { Scroll } from '../scroll';

interface Row {
  id: string;
  state: string;
  version: number;
  submittedAt: string | null;
  department: { code: string; name: string };
  score: { finalTotal: string | null; grade: string | null; executionRatePercent: string | null };
}

const SORTS: Array<[string, string]> = [
  ['DEPARTMENT', '按部门'],
  ['TOTAL_DESC', '总分从高到低'],
  ['TOTAL_ASC', '总分从低到高'],
  ['EXECUTION_RATE_ASC', '执行率从低到高'],
  ['UPDATED_DESC', '最近更新'],
];

/** One page of the list: what each row shows, and where the next page starts. */
const PAGE_OF_ROWS = `
  edges { node { id state version submittedAt department { code name } score { finalTotal grade executionRatePercent } } }
  pageInfo { endCursor hasNextPage }
`;
interface PageOfRows {
  edges: Array<{ node: Row }>;
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

/** Time to let a burst of changes settle before reading the list again. */
const REFRESH_AFTER_MS = 50;

/**
 * A district's forms for a year: filters, sorting, on time or late against the cycle's deadline, the
 * dashboard, the departments that have not submitted, reports. Follows the district's changes live.
 */
export function DistrictPage() {
  const { actor } = useSession();
  const [districts, setDistricts] = useState<Array<{ code: string; name: string }>>([]);
  const [district, setDistrict] = useState(actor.district ?? '');
  const { query } = useLocation();
  // The year asked for in the address, else (once known) the year of the district's latest activity.
  const [year, setYear] = useState<number | null>(Number(query.get('year')) || null);
  const [state, setState] = useState('');
  const [grade, setGrade] = useState('');
  const [sort, setSort] = useState('DEPARTMENT');
  const [rows, setRows] = useState<Row[] | null>(null);
  const [total, setTotal] = useState(0);
  const [dashboard, setDashboard] = useState<DashboardData | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const refresh = useRef<ReturnType<typeof setTimeout>>(undefined);
  const latestLoad = useRef(0);
  const [nextPage, setNextPage] = useState<string | null>(null);
  const [yearText, setYearText] = useState('');

  useEffect(() => {
    graphql<{
      districts: Array<{ code: string; name: string }>;
      evaluations: { edges: Array<{ node: { year: number } }> };
    }>('{ districts { code name } evaluations(sort: UPDATED_DESC, first: 1) { edges { node { year } } } }')
      .then(({ districts: found, evaluations }) => {
        setDistricts(found);
        setDistrict((chosen) => chosen || found[0]?.code || '');
        setYear((asked) => asked ?? evaluations.edges[0]?.node.year ?? defaultYear());
      })
      .catch((error: ApiError) => setMessage(explainRefusal(error.code, error.message)));
  }, []);

  const filter = useMemo(
    () => ({ districtCode: district, year, ...(state ? { state } : {}), ...(grade ? { grade } : {}) }),
    [district, year, state, grade],
  );

  const load = useCallback(async () => {
    if (!district || year === null) return;
    const asked = ++latestLoad.current;
    try {
      const data = await graphql<{
        evaluations: PageOfRows & { totalCount: number };
        districtDashboard: DashboardData['dashboard'];
        departmentsNotSubmitted: Array<{ code: string; name: string }>;
        cycle: { deadline: string } | null;
      }>(
        `
          query ($district: String!, $year: Int!, $filter: EvaluationFilter, $sort: EvaluationSort) {
            evaluations(filter: $filter, sort: $sort, first: 100) {
              totalCount
              ${PAGE_OF_ROWS}
            }
            districtDashboard(districtCode: $district, year: $year) {
              evaluations
              averageTotal
              medianTotal
              budget
              executed
              upperTransfer
              executionRatePercent
              updatedAt
              byState {
                draft
                submitted
                returned
                approved
              }
              grades {
                excellent
                good
                fair
                poor
              }
            }
            departmentsNotSubmitted(districtCode: $district, year: $year) {
              code
              name
            }
            cycle(districtCode: $district, year: $year) {
              deadline
            }
          }
        `,
        { district, year, sort, filter },
      );
      // A slower answer to an earlier question (another year, another filter) must not win.
      if (asked !== latestLoad.current) return;
      setRows(data.evaluations.edges.map((edge) => edge.node));
      setNextPage(data.evaluations.pageInfo.hasNextPage ? data.evaluations.pageInfo.endCursor : null);
      setTotal(data.evaluations.totalCount);
      setDashboard({
        dashboard: data.districtDashboard,
        notSubmitted: data.departmentsNotSubmitted,
        deadline: data.cycle?.deadline ?? null,
      });
      setMessage(null);
    } catch (error) {
      const e = error as ApiError;
      setMessage(explainRefusal(e.code, e.message));
    }
  }, [district, year, sort, filter]);

  useEffect(() => void load(), [load]);

  const loadMore = async () => {
    if (!nextPage) return;
    const data = await graphql<{ evaluations: PageOfRows }>(
      `query($filter: EvaluationFilter, $sort: EvaluationSort, $after: String) {
        evaluations(filter: $filter, sort: $sort, first: 100, after: $after) { ${PAGE_OF_ROWS} }
      }`,
      { sort, after: nextPage, filter },
    );
    setRows((shown) => [...(shown ?? []), ...data.evaluations.edges.map((edge) => edge.node)]);
    setNextPage(data.evaluations.pageInfo.hasNextPage ? data.evaluations.pageInfo.endCursor : null);
  };
  // The refresh runs the load of its own moment, not of when it was planned: filters may have changed since.
  const latestLoadFn = useRef(load);
  latestLoadFn.current = load;
  const refreshSoon = () => {
    clearTimeout(refresh.current);
    refresh.current = setTimeout(() => void latestLoadFn.current(), REFRESH_AFTER_MS);
  };
  useLiveChanges(
    district && year !== null ? { districtCode: district, year } : null,
    refreshSoon,
    refreshSoon,
  );

  const deadline = dashboard?.deadline ? new Date(dashboard.deadline).getTime() : null;
  const timing = (row: Row) =>
    deadline === null
      ? '—'
      : row.submittedAt === null
        ? Date.now() > deadline
          ? '逾期未交'
          : '—'
        : new Date(row.submittedAt).getTime() <= deadline
          ? '按时'
          : '逾期';

  return (
    <section>
      <h1>自评表汇总</h1>
      {message && <p role="alert">{message}</p>}
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="筛选">
        {districts.length > 1 && (
          <label>
            区划
            <select aria-label="区划" value={district} onChange={(e) => setDistrict(e.target.value)}>
              {districts.map((d) => (
                <option key={d.code} value={d.code}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          年度
          <input
            aria-label="年度"
            type="number"
            value={yearText || (year ?? '')}
            min={2000}
            max={2100}
            onChange={(e) => {
              // Each keystroke of "2023" is not a year to ask for: only a whole year is.
              setYearText(e.target.value);
              if (!/^\d{4}$/.test(e.target.value)) return;
              setYear(Number(e.target.value));
              navigate(`/district?year=${e.target.value}`, { replace: true });
            }}
          />
        </label>
        <label>
          状态
          <select aria-label="状态" value={state} onChange={(e) => setState(e.target.value)}>
            <option value="">全部</option>
            {['DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED'].map((s) => (
              <option key={s} value={s}>
                {STATE[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          等级
          <select aria-label="等级" value={grade} onChange={(e) => setGrade(e.target.value)}>
            <option value="">全部</option>
            {Object.entries(GRADE).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          排序
          <select aria-label="排序" value={sort} onChange={(e) => setSort(e.target.value)}>
            {SORTS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </form>

      {dashboard && <Dashboard data={dashboard} />}

      <h2>自评表（{total} 份）</h2>
      {rows === null ? (
        <p className="loading">正在加载…</p>
      ) : (
        <Scroll label="自评表列表">
          <table data-testid="district-forms">
            <thead>
              <tr>
                <th scope="col">部门</th>
                <th scope="col">状态</th>
                <th scope="col">总分</th>
                <th scope="col">等级</th>
                <th scope="col">执行率</th>
                <th scope="col">提交时间</th>
                <th scope="col">按时/逾期</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id} data-form={row.id}>
                  <th scope="row">
                    <Link to={`/forms/${encodeURIComponent(row.id)}`}>{row.department.name}</Link>
                  </th>
                  <td data-testid="state">{STATE[row.state]}</td>
                  <td className="num" data-testid="total">
                    {row.score.finalTotal ?? '—'}
                  </td>
                  <td>{row.score.grade ? GRADE[row.score.grade] : '—'}</td>
                  <td className="num">
                    {row.score.executionRatePercent ? `${row.score.executionRatePercent}%` : '—'}
                  </td>
                  <td>{when(row.submittedAt)}</td>
                  <td data-testid="timing">{timing(row)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Scroll>
      )}
      {rows && nextPage && (
        <p>
          已显示 {rows.length} / {total} 份{' '}
          <button type="button" onClick={() => void loadMore()}>
            加载更多
          </button>
        </p>
      )}
      {district && year !== null && <Reports district={district} year={year} />}
    </section>
  );
}
