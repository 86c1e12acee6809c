import { ERROR_CODES, WARNING_CODES } from '@app/domain';
import { ISSUE } from '../src/text';

describe("the console's words for the API's codes", () => {
  it('explains every validation error and warning the domain can raise, and no code it cannot', () => {
    const codes = [...ERROR_CODES, ...WARNING_CODES];
    expect(codes.filter((code) => !ISSUE[code])).toEqual([]);
    expect(Object.keys(ISSUE).filter((code) => !(codes as readonly string[]).includes(code))).toEqual([]);
  });
});
