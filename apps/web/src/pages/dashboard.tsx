import { GRADE, when } from '../text';

export interface DashboardData {
  dashboard: {
    evaluations: number;
    averageTotal: string | null;
    medianTotal: string | null;
    budget: string;
    executed: string;
    upperTransfer: string;
    executionRatePercent: string | null;
    updatedAt: string;
    byState: { draft: number; submitted: number; returned: number; approved: number };
    grades: { excellent: number; good: number; fair: number; poor: number };
  } | null;
  notSubmitted: Array<{ code: string; name: string }>;
  deadline: string | null;
}

/**
 * A horizontal bar chart drawn as SVG by the page itself (nothing loaded from elsewhere), with the
 * numbers written beside the bars so it reads without colour and with a screen reader.
 */
function Bars({ title, bars }: { title: string; bars: Array<{ label: string; value: number }> }) {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const rowHeight = 26;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg
        role="img"
        aria-label={`${title}：${bars.map((b) => `${b.label} ${b.value}`).join('，')}`}
        viewBox={`0 0 320 ${bars.length * rowHeight}`}
        width="100%"
      >
        {bars.map((bar, i) => (
          <g key={bar.label} transform={`translate(0 ${i * rowHeight})`}>
            <text x="0" y="17" className="chart-label">
              {bar.label}
            </text>
            <rect x="80" y="4" height="16" width={(200 * bar.value) / max} className="chart-bar" />
            <text x={86 + (200 * bar.value) / max} y="17" className="chart-value">
              {bar.value}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}

/** The district's dashboard (a read model kept live by the projections) as charts and figures. */
export function Dashboard({ data }: { data: DashboardData }) {
  const { dashboard, notSubmitted, deadline } = data;
  return (
    <section className="dashboard" aria-labelledby="dashboard-heading">
      <h2 id="dashboard-heading">统计概览</h2>
      <p className="meta">
        {deadline ? `提交截止：${when(deadline)}` : '本年度填报周期尚未开启'}
        {dashboard && ` · 数据更新于 ${when(dashboard.updatedAt)}`}
      </p>
      {dashboard ? (
        <div className="dashboard-grid">
          <dl className="totals">
            <div>
              <dt>自评表</dt>
              <dd>{dashboard.evaluations}</dd>
            </div>
            <div>
              <dt>平均分</dt>
              <dd>{dashboard.averageTotal ?? '—'}</dd>
            </div>
            <div>
              <dt>中位数</dt>
              <dd>{dashboard.medianTotal ?? '—'}</dd>
            </div>
            <div>
              <dt>预算数（万元）</dt>
              <dd>{dashboard.budget}</dd>
            </div>
            <div>
              <dt>执行数（万元）</dt>
              <dd>{dashboard.executed}</dd>
            </div>
            <div>
              <dt>总体执行率</dt>
              <dd>{dashboard.executionRatePercent ? `${dashboard.executionRatePercent}%` : '—'}</dd>
            </div>
          </dl>
          <Bars
            title="等级分布"
            bars={(['excellent', 'good', 'fair', 'poor'] as const).map((key) => ({
              label: GRADE[key.toUpperCase()],
              value: dashboard.grades[key],
            }))}
          />
          <Bars
            title="填报状态"
            bars={[
              { label: '草稿', value: dashboard.byState.draft },
              { label: '待审核', value: dashboard.byState.submitted },
              { label: '已退回', value: dashboard.byState.returned },
              { label: '已通过', value: dashboard.byState.approved },
            ]}
          />
        </div>
      ) : (
        <p>本年度尚无自评表。</p>
      )}
      <details open={notSubmitted.length > 0 && notSubmitted.length <= 20}>
        <summary>尚未提交的部门（{notSubmitted.length}）</summary>
        <ul className="columns" data-testid="not-submitted">
          {notSubmitted.map((department) => (
            <li key={department.code}>{department.name}</li>
          ))}
        </ul>
      </details>
    </section>
  );
}
