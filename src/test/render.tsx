// Rendering helpers: a router at a given URL, and the user's role as Grafana's boot data holds it.
import { OrgRole, type AppRootProps } from '@grafana/data';
import { config } from '@grafana/runtime';
import { render, screen, within, type RenderResult } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { toJsonData, type AppJsonData } from '../shared/api/settings';
import { App } from '../App';
import { APP_BASE_URL, PLUGIN_ID } from '../constants';
import { AGENT } from './fixtures';

// Opt in to v7 behaviour, which also silences react-router's warnings about it.
const ROUTER_FUTURE = { v7_startTransition: true, v7_relativeSplatPath: true };

export function setRole(role: 'Viewer' | 'Editor' | 'Admin'): void {
  config.bootData = { ...config.bootData, user: { ...config.bootData?.user, orgRole: OrgRole[role] } };
}

/** Renders `element` at `url`, matched by `path` (relative to the app root, as in App.tsx). */
export function renderAt(element: ReactElement, url = '/', path = '*'): RenderResult {
  return render(
    <MemoryRouter initialEntries={[url]} future={ROUTER_FUTURE}>
      <Routes>
        <Route path={path} element={element} />
      </Routes>
    </MemoryRouter>,
  );
}

/** Renders the whole app at `url` under /a/<plugin id>/, as Grafana mounts it. */
export function renderApp(url: string, jsonData: AppJsonData = toJsonData([AGENT])): RenderResult {
  const props = { meta: { id: PLUGIN_ID, jsonData }, basename: APP_BASE_URL, path: APP_BASE_URL, query: {}, onNavChanged: () => undefined };
  return render(
    <MemoryRouter initialEntries={[`${APP_BASE_URL}/${url}`]} future={ROUTER_FUTURE}>
      <Routes>
        <Route path={`${APP_BASE_URL}/*`} element={<App {...(props as unknown as AppRootProps<AppJsonData>)} />} />
      </Routes>
    </MemoryRouter>,
  );
}

/** Grafana's Button disables natively, or with aria-disabled when it has a tooltip. */
export const isDisabled = (element: HTMLElement) =>
  element.hasAttribute('disabled') || element.getAttribute('aria-disabled') === 'true';

/** Presses the confirm button of the open ConfirmModal. */
export async function confirmDialog(name: string): Promise<void> {
  await userEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name }));
}
