import { useEffect, useState } from 'react';
import { auth, type Actor } from './api';
import { useLiveState } from './live';
import { finishOidcSignIn } from './oidc';
import { Link, match, mayLeave, navigate, useLocation } from './router';
import { SessionContext } from './session';
import { ROLE } from './text';
import { SignInPage } from './pages/sign-in';
import { FormsPage } from './pages/forms';
import { forgetKeptEdits } from './pages/form-editor';
import { FormPage } from './pages/form';
import { DistrictPage } from './pages/district';
import { HistoryPage } from './pages/history';
import { AdminPage } from './pages/admin';

/** Where each role starts, and what its navigation offers. */
const HOME: Record<Actor['role'], string> = {
  DEPARTMENT: '/forms',
  SUPERVISOR: '/district',
  AUDITOR: '/district',
  ADMIN: '/admin',
};
const NAV: Record<Actor['role'], Array<[string, string]>> = {
  DEPARTMENT: [['/forms', '我的自评表']],
  SUPERVISOR: [['/district', '本区自评表与统计']],
  AUDITOR: [['/district', '自评表与审计']],
  ADMIN: [
    ['/admin', '区划、部门与填报周期'],
    ['/district', '自评表与统计'],
  ],
};

export function App() {
  const [actor, setActor] = useState<Actor | null | undefined>(undefined);
  const [failure, setFailure] = useState<string | null>(null);
  const { path } = useLocation();
  const live = useLiveState();

  useEffect(() => {
    (async () => {
      if (path === '/callback') {
        const config = await auth.config();
        if (!config.oidc) throw new Error('未启用统一身份认证');
        const signedIn = await auth.signIn({ token: await finishOidcSignIn(config.oidc) });
        setActor(signedIn);
        navigate(HOME[signedIn.role], { replace: true });
        return;
      }
      setActor(await auth.current());
    })().catch((error: Error) => {
      setFailure(error.message);
      setActor(null);
    });
    // Only at start: later sign-ins and sign-outs set the actor themselves.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  if (actor === undefined) return <p className="loading">正在加载…</p>;
  if (actor === null)
    return (
      <SignInPage
        failure={failure}
        onSignedIn={(signedIn) => {
          setFailure(null);
          setActor(signedIn);
          navigate(HOME[signedIn.role], { replace: true });
        }}
      />
    );

  const signOut = () => {
    // The open form saves (or asks) first: signed out, its edits could no longer be sent.
    void mayLeave('signOut').then(async (ok) => {
      if (!ok) return;
      forgetKeptEdits();
      await auth.signOut();
      // Signed in through the organisation: end that session too, or the next sign-in on a shared
      // computer would go straight through.
      const config = await auth.config().catch(() => null);
      const endSession = config?.oidc?.endSessionEndpoint;
      if (endSession) {
        const url = new URL(endSession);
        url.searchParams.set('client_id', config.oidc!.clientId);
        url.searchParams.set('post_logout_redirect_uri', `${location.origin}/console/`);
        location.assign(url.toString());
        return;
      }
      setActor(null);
      navigate('/', { replace: true });
    });
  };
  return (
    <SessionContext.Provider value={{ actor, signOut }}>
      <header className="top">
        <span className="brand">部门整体支出绩效自评</span>
        <nav aria-label="主导航">
          {NAV[actor.role].map(([to, label]) => (
            <Link key={to} to={to} aria-current={path.startsWith(to) ? 'page' : undefined}>
              {label}
            </Link>
          ))}
        </nav>
        <span className="who">
          {ROLE[actor.role]} · {actor.department ?? actor.district ?? actor.id}
          <button type="button" className="link" onClick={signOut}>
            退出登录
          </button>
        </span>
      </header>
      {live === 'lost' && (
        <p className="live-lost" role="status">
          实时更新已中断，正在重新连接…（页面内容可能不是最新的）
        </p>
      )}
      <main>
        <Route path={path} home={HOME[actor.role]} />
      </main>
    </SessionContext.Provider>
  );
}

function Route({ path, home }: { path: string; home: string }) {
  useEffect(() => {
    if (path === '/' || path === '/callback') navigate(home, { replace: true });
  }, [path, home]);
  let params: Record<string, string> | null;
  if (path === '/forms') return <FormsPage />;
  if ((params = match('/forms/:id/history', path))) return <HistoryPage id={params.id} />;
  if ((params = match('/forms/:id', path))) return <FormPage key={params.id} id={params.id} />;
  if (path === '/district') return <DistrictPage />;
  if (path === '/admin') return <AdminPage />;
  if (path === '/' || path === '/callback') return null;
  return <p role="alert">页面不存在。</p>;
}
