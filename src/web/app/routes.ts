import { useCallback, useEffect, useState } from 'react';
import type { Role } from '../../domain/access/roles.ts';
import type { MessageKey } from '../i18n/zh-CN.ts';

/**
 * The screens of the web app, by path. The overview keeps `?region=` for its drill-down; the
 * others are their own paths, so a wall screen or a bookmark can open any of them directly.
 * Which screens a user gets follows their role (the server checks again on every call).
 */
export type Screen = 'overview' | 'alerts' | 'zones' | 'work' | 'transfers' | 'lab';

export const SCREEN_PATHS: Record<Screen, string> = {
  overview: '/',
  alerts: '/alerts',
  zones: '/zones',
  work: '/work',
  transfers: '/transfers',
  lab: '/lab',
};

export const SCREEN_TITLES: Record<Screen, MessageKey> = {
  overview: 'nav.overview',
  alerts: 'nav.alerts',
  zones: 'nav.zones',
  work: 'nav.work',
  transfers: 'nav.transfers',
  lab: 'nav.lab',
};

const REGION_SCREENS: Screen[] = ['overview', 'alerts', 'zones', 'work', 'transfers'];

/** The screens a role works in, the first being where it lands. */
export function screensFor(role: Role, scopeKind: 'region' | 'organisation' | 'self'): Screen[] {
  if (scopeKind === 'region') return role === 'tracer' ? ['overview', 'alerts', 'zones'] : REGION_SCREENS;
  if (role === 'lab') return ['lab'];
  if (role === 'transfer' || role === 'facility') return ['transfers'];
  return [];
}

function screenOf(pathname: string): Screen | null {
  const found = (Object.entries(SCREEN_PATHS) as [Screen, string][]).find(([, path]) => path === pathname);
  return found ? found[0] : null;
}

export function useScreenRoute(): [Screen | null, (screen: Screen) => void] {
  const [screen, setScreen] = useState<Screen | null>(() => screenOf(window.location.pathname));
  useEffect(() => {
    const onPop = () => setScreen(screenOf(window.location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const go = useCallback((next: Screen) => {
    window.history.pushState(null, '', SCREEN_PATHS[next]);
    setScreen(next);
  }, []);
  return [screen, go];
}
