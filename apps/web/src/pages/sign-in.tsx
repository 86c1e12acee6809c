import { useEffect, useState } from 'react';
import { auth, type Actor, type SignInConfig } from '../api';
import { startOidcSignIn } from '../oidc';
import { ROLE } from '../text';

/** The organisation's sign-in (OIDC) when configured; outside production, the demo identities too. */
export function SignInPage({
  failure,
  onSignedIn,
}: {
  failure: string | null;
  onSignedIn: (actor: Actor) => void;
}) {
  const [config, setConfig] = useState<SignInConfig | null>(null);
  const [demo, setDemo] = useState<Array<{ key: string; actor: Actor }>>([]);
  const [error, setError] = useState<string | null>(failure);

  useEffect(() => {
    auth
      .config()
      .then(async (loaded) => {
        setConfig(loaded);
        if (loaded.methods.demo) setDemo(await auth.demoIdentities());
      })
      .catch(() => setError('无法获取登录方式，请稍后重试'));
  }, []);

  return (
    <main className="sign-in">
      <h1>部门整体支出绩效自评系统</h1>
      {error && <p role="alert">{error}</p>}
      {config?.oidc && (
        <button type="button" className="primary" onClick={() => void startOidcSignIn(config.oidc!)}>
          使用单位统一身份认证登录
        </button>
      )}
      {demo.length > 0 && (
        <section aria-labelledby="demo-heading">
          <h2 id="demo-heading">演示账号（仅限开发与演示环境）</h2>
          <ul className="identities">
            {demo.map(({ key, actor }) => (
              <li key={key}>
                <button
                  type="button"
                  onClick={() =>
                    auth
                      .signIn({ demoIdentity: key })
                      .then(onSignedIn)
                      .catch((e: Error) => setError(e.message))
                  }
                >
                  以{ROLE[actor.role]}身份登录
                  <small>{actor.department ?? actor.district ?? actor.id}</small>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {config && !config.oidc && demo.length === 0 && <p>未配置任何登录方式，请联系系统管理员。</p>}
    </main>
  );
}
