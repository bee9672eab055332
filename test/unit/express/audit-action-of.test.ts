import { describe, expect, it } from 'vitest';
import { auditActionOf } from '../../../src/express/audit-action-of.js';

describe('auditActionOf', () => {
  it.each([
    ['GET', 200, 'READ'],
    ['HEAD', 200, 'READ'],
    ['POST', 201, 'CREATE'],
    ['PUT', 200, 'UPDATE'],
    ['PATCH', 204, 'UPDATE'],
    ['DELETE', 204, 'DELETE'],
    ['delete', 500, 'DELETE'],
    ['GET', 401, 'ACCESS_DENIED'],
    ['POST', 403, 'ACCESS_DENIED'],
    ['GET', 404, 'READ'],
    ['OPTIONS', 204, undefined],
    ['TRACE', 200, undefined],
    ['PROPFIND', 207, undefined],
    [undefined, 200, undefined],
  ])('%s %s is %s', (method, status, action) => {
    expect(auditActionOf(method, status)).toBe(action);
  });
});
