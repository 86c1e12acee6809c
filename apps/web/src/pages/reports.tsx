import { useEffect, useState } from 'react';
import { ApiError, graphql } from '../api';
import { explainRefusal, when } from '../text';

const POLL_MS = 1000;

/** The district report: the latest one with its downloads, and a fresh one requested and followed. */
export function Reports({ district, year }: { district: string; year: number }) {
  const [latest, setLatest] = useState<{ computedAt: string } | null>(null);
  const [job, setJob] = useState<{ id: string; state: string } | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const load = () =>
    graphql<{ districtReport: { computedAt: string } | null }>(
      'query($d: String!, $y: Int!) { districtReport(districtCode: $d, year: $y) { computedAt } }',
      { d: district, y: year },
    )
      .then((data) => setLatest(data.districtReport))
      .catch((error: ApiError) => setMessage(explainRefusal(error.code, error.message)));

  useEffect(() => {
    // Another district or year: its own latest report, and no job of the previous one followed.
    setJob(null);
    setMessage(null);
    void load();
  }, [district, year]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (!job || job.state === 'completed' || job.state === 'failed') return;
    const timer = setTimeout(async () => {
      try {
        const { districtReportJob } = await graphql<{
          districtReportJob: { id: string; state: string; failedReason: string | null } | null;
        }>('query($id: String!) { districtReportJob(id: $id) { id state failedReason } }', { id: job.id });
        if (!districtReportJob) return setJob(null);
        setJob(districtReportJob);
        if (districtReportJob.state === 'completed') void load();
        if (districtReportJob.state === 'failed')
          setMessage(`报告生成失败：${districtReportJob.failedReason ?? ''}`);
      } catch (error) {
        const e = error as ApiError;
        setMessage(explainRefusal(e.code, e.message));
      }
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [job]); // eslint-disable-line react-hooks/exhaustive-deps

  const request = async () => {
    setMessage(null);
    try {
      const { requestDistrictReport } = await graphql<{
        requestDistrictReport: { id: string; state: string };
      }>(
        'mutation($d: String!, $y: Int!) { requestDistrictReport(districtCode: $d, year: $y) { id state } }',
        { d: district, y: year },
      );
      setJob(requestDistrictReport);
    } catch (error) {
      const e = error as ApiError;
      setMessage(explainRefusal(e.code, e.message));
    }
  };

  const base = `/reports/${encodeURIComponent(district)}/${year}`;
  const busy = job !== null && job.state !== 'completed' && job.state !== 'failed';
  return (
    <section aria-labelledby="reports-heading">
      <h2 id="reports-heading">区级汇总报告</h2>
      {message && <p role="alert">{message}</p>}
      {latest ? (
        <p>
          最新报告生成于 {when(latest.computedAt)}：
          <a href={`${base}.xlsx`} download>
            下载 Excel
          </a>{' '}
          <a href={`${base}.csv`} download>
            下载 CSV
          </a>
        </p>
      ) : (
        <p>尚未生成报告。</p>
      )}
      <button type="button" onClick={() => void request()} disabled={busy}>
        {busy ? '正在生成…' : '生成最新报告'}
      </button>
    </section>
  );
}
