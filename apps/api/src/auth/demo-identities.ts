import type { Actor } from '@app/domain';

/** The demo's district and department: the example form's (test/fixtures/wangcheng-2021.json). */
export const DEMO_DISTRICT = { code: 'wangcheng', name: '长沙市望城区' };
export const DEMO_DEPARTMENT = { code: 'wangcheng-shzlfwzx', name: '长沙市望城区社会治理服务中心' };

/**
 * One identity per role, as `npm run demo` seeds and prints tokens for, and as the console offers at
 * sign-in outside production (GET /auth/demo-identities, POST /auth/session { demoIdentity }).
 */
export const DEMO_IDENTITIES: Readonly<Record<string, Actor>> = {
  ADMIN: { id: 'demo-admin', role: 'ADMIN' },
  DEPARTMENT: { id: 'demo-clerk', role: 'DEPARTMENT', department: DEMO_DEPARTMENT.code },
  SUPERVISOR: { id: 'demo-supervisor', role: 'SUPERVISOR', district: DEMO_DISTRICT.code },
  AUDITOR: { id: 'demo-auditor', role: 'AUDITOR', district: DEMO_DISTRICT.code },
};
