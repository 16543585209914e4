import { describe, expect, it } from 'vitest';
import { isInternalPath, matchRoute } from './router';

const routes = [{ path: '/' }, { path: '/participants' }, { path: '/participants/:id' }, { path: '/profile' }];

describe('matchRoute', () => {
  it('matches exact paths, ignoring a trailing slash', () => {
    expect(matchRoute(routes, '/')?.route.path).toBe('/');
    expect(matchRoute(routes, '/profile/')?.route.path).toBe('/profile');
  });

  it('extracts parameters', () => {
    expect(matchRoute(routes, '/participants/p%2042')).toEqual({ route: { path: '/participants/:id' }, params: { id: 'p 42' } });
  });

  it('returns null for unknown paths', () => {
    expect(matchRoute(routes, '/nope')).toBeNull();
    expect(matchRoute(routes, '/participants/1/extra')).toBeNull();
  });
});

describe('isInternalPath', () => {
  it('only allows same-origin paths as a return target', () => {
    expect(isInternalPath('/profile')).toBe(true);
    expect(isInternalPath('//evil.example/x')).toBe(false);
    expect(isInternalPath('https://evil.example')).toBe(false);
    expect(isInternalPath('/\\evil.example')).toBe(false);
    expect(isInternalPath(undefined)).toBe(false);
  });
});
