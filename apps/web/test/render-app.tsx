import { render } from '@testing-library/react';
import { App } from '../src/App';
import { SessionProvider } from '../src/session/session';
import { fakeApi, type FakeRoute } from './fake-api';

/** The whole app at `path`, talking to a fake API. */
export function renderApp(path: string, routes: Record<string, FakeRoute>) {
  window.history.replaceState(null, '', path);
  const { api, calls } = fakeApi(routes);
  const view = render(
    <SessionProvider api={api}>
      <App />
    </SessionProvider>,
  );
  return { ...view, api, calls };
}

export function currentPath(): string {
  return window.location.pathname + window.location.search + window.location.hash;
}
