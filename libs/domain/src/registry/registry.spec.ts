import { actors, meta } from '../testing/fixtures';
import { decideRegisterDepartment, decideRegisterDistrict } from './registry';

const now = new Date('2022-01-01T00:00:00Z');

describe('registering districts and departments', () => {
  it('an admin registers a district once', () => {
    const command = {
      type: 'RegisterDistrict' as const,
      data: { code: 'wangcheng', name: '长沙市望城区' },
      metadata: { actor: actors.admin, now },
    };
    expect(decideRegisterDistrict(command, false)).toEqual([
      {
        type: 'DistrictRegistered',
        data: { code: 'wangcheng', name: '长沙市望城区', registeredAt: now.toISOString() },
      },
    ]);
    expect(() => decideRegisterDistrict(command, true)).toThrow(
      expect.objectContaining({ code: 'ALREADY_EXISTS' }),
    );
  });

  it('nobody else may register, and codes are checked', () => {
    const by = (actor: (typeof actors)[keyof typeof actors]) => ({
      type: 'RegisterDistrict' as const,
      data: { code: 'x', name: 'X' },
      metadata: { actor, now },
    });
    for (const actor of [actors.clerk, actors.supervisor, actors.auditor]) {
      expect(() => decideRegisterDistrict(by(actor), false)).toThrow(
        expect.objectContaining({ code: 'FORBIDDEN' }),
      );
    }
    const bad = {
      type: 'RegisterDistrict' as const,
      data: { code: 'a b', name: '' },
      metadata: meta(actors.admin),
    };
    expect(() => decideRegisterDistrict({ ...bad, metadata: { actor: actors.admin, now } }, false)).toThrow(
      expect.objectContaining({
        code: 'BAD_USER_INPUT',
        problems: [
          expect.objectContaining({ path: 'input.code' }),
          expect.objectContaining({ path: 'input.name' }),
        ],
      }),
    );
  });

  it('a department needs a registered district and a free code', () => {
    const command = {
      type: 'RegisterDepartment' as const,
      data: { code: 'wangcheng-shzlfwzx', name: '社会治理服务中心', districtCode: 'wangcheng' },
      metadata: { actor: actors.admin, now },
    };
    expect(decideRegisterDepartment(command, { exists: false, districtExists: true })).toHaveLength(1);
    expect(() => decideRegisterDepartment(command, { exists: false, districtExists: false })).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT' }),
    );
    expect(() => decideRegisterDepartment(command, { exists: true, districtExists: true })).toThrow(
      expect.objectContaining({ code: 'ALREADY_EXISTS' }),
    );
    const scopedAdmin = { id: 'a2', role: 'ADMIN' as const, district: 'yuelu' };
    expect(() =>
      decideRegisterDepartment(
        { ...command, metadata: { actor: scopedAdmin, now } },
        { exists: false, districtExists: true },
      ),
    ).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });
});
